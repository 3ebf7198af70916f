"""Class-based REST resources for Flask, a drop-in for Flask-RESTful."""

from __future__ import annotations

import importlib
import typing as t

from . import fields as fields
from . import reqparse as reqparse
from .api import Api as Api
from .exceptions import FlaskResourcesError as FlaskResourcesError
from .exceptions import HTTPError as HTTPError
from .exceptions import RequestValidationError as RequestValidationError
from .exceptions import abort as abort
from .marshalling import marshal as marshal
from .marshalling import marshal_with as marshal_with
from .marshalling import marshal_with_field as marshal_with_field
from .representations import DEFAULT_REPRESENTATIONS as DEFAULT_REPRESENTATIONS
from .representations import output_json as output_json
from .resource import Resource as Resource
from .schemas import use_args as use_args
from .schemas import use_kwargs as use_kwargs

if t.TYPE_CHECKING:
    from . import inputs as inputs


def __getattr__(name: str) -> t.Any:
    # ``inputs`` loads aniso8601 and pytz, which most apps never use; it is
    # imported on first access (``from flask_resources import inputs`` or
    # ``flask_resources.inputs``) to keep ``import flask_resources`` cheap.
    if name == "inputs":
        # ``from . import inputs`` here would ask this function again.
        return importlib.import_module(f"{__name__}.inputs")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
