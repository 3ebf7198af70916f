"""Class-based REST resources for Flask, a drop-in for Flask-RESTful."""

from __future__ import annotations

from . import fields as fields
from . import inputs as inputs
from . import reqparse as reqparse
from .api import Api as Api
from .exceptions import FlaskResourcesError as FlaskResourcesError
from .exceptions import HTTPError as HTTPError
from .exceptions import RequestValidationError as RequestValidationError
from .exceptions import abort as abort
from .marshalling import marshal as marshal
from .marshalling import marshal_with as marshal_with
from .marshalling import marshal_with_field as marshal_with_field
from .parsers import DEFAULT_PARSERS as DEFAULT_PARSERS
from .parsers import parsed_body as parsed_body
from .representations import DEFAULT_REPRESENTATIONS as DEFAULT_REPRESENTATIONS
from .representations import output_json as output_json
from .resource import Resource as Resource
from .schemas import use_args as use_args
from .schemas import use_kwargs as use_kwargs
