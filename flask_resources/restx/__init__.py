"""Flask-RESTX's API over flask-resources: change ``flask_restx`` to
``flask_resources.restx`` in the imports and get OpenAPI 3.1."""

from __future__ import annotations

from . import cors as cors
from . import inputs as inputs
from . import reqparse as reqparse
