"""The browsable API: a ``text/html`` representation for browsers.

Loaded only by an Api that is browsable (``Api(browsable=True)`` or the
``RESOURCES_BROWSABLE`` config key); nothing else imports it.
"""

from __future__ import annotations

from .renderer import ENABLE_CONFIG_KEY as ENABLE_CONFIG_KEY
from .renderer import FORMAT_PARAM_CONFIG_KEY as FORMAT_PARAM_CONFIG_KEY
from .renderer import BrowsableAPI as BrowsableAPI
from .root import ROOT_RULE as ROOT_RULE
from .root import ApiRoot as ApiRoot
