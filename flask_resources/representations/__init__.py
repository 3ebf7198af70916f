"""Representations: turn ``(data, code, headers)`` into a response.

The JSON representation lives in :mod:`flask_resources.representations.json`,
at the path Flask-RESTful code imports it from.
"""

from __future__ import annotations

from .json import ENCODER_CONFIG_KEY as ENCODER_CONFIG_KEY
from .json import dumps as dumps
from .json import output_json as output_json

#: The representations every new Api starts with, as in Flask-RESTful.
DEFAULT_REPRESENTATIONS = [("application/json", output_json)]
