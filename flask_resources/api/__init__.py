"""``Api``: binds resources to Flask apps and blueprints.

The class is assembled from parts, one responsibility each:
:mod:`~flask_resources.api.routing` (binding to apps and blueprints, adding
resources, building URLs), :mod:`~flask_resources.api.responses`
(representations, parsers, content negotiation, rendering),
:mod:`~flask_resources.api.errorhandling` (``errorhandler``,
``handle_error``) and :mod:`~flask_resources.api.spec` (the OpenAPI
document); :mod:`~flask_resources.api.core` puts them together with the
constructor. Import :class:`Api` from here or from :mod:`flask_resources`.
"""

from __future__ import annotations

from .core import Api as Api
from .errorhandling import ErrorTranslator as ErrorTranslator
from .errorhandling import _propagate_exceptions as _propagate_exceptions
from .routing import _endpoint_prefix as _endpoint_prefix
from .routing import _join_endpoint as _join_endpoint
from .routing import _Registration as _Registration
from .routing import _resource_view as _resource_view
