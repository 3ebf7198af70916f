"""Flask-RESTX's API over flask-resources: change ``flask_restx`` to
``flask_resources.restx`` in the imports and get OpenAPI 3.1."""

from __future__ import annotations

from . import fields as fields
from . import mask as mask
from .marshalling import marshal as marshal
from .marshalling import marshal_with as marshal_with
from .marshalling import marshal_with_field as marshal_with_field
from .mask import Mask as Mask
