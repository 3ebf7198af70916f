"""Flask-RESTX's API over flask-resources: change ``flask_restx`` to
``flask_resources.restx`` in the imports and get OpenAPI 3.1."""

from __future__ import annotations

from . import model as model
from .model import Model as Model
from .model import OrderedModel as OrderedModel
from .model import SchemaModel as SchemaModel
