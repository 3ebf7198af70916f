"""Class-based REST resources for Flask, a drop-in for Flask-RESTful."""

from __future__ import annotations

import importlib

# Names Flask-RESTful's package namespace passes through from Flask,
# Werkzeug and the standard library, which real code imports from it
# (``from flask_restful import request``); they are not part of our API.
import operator as operator
import sys as sys
import typing as t
from collections import OrderedDict as OrderedDict
from collections.abc import Mapping as Mapping
from functools import partial as partial
from functools import wraps as wraps
from types import MethodType as MethodType

from flask import abort as original_flask_abort  # noqa: F401
from flask import current_app as current_app
from flask import make_response as original_flask_make_response  # noqa: F401
from flask import request as request
from flask import url_for as url_for
from flask.signals import got_request_exception as got_request_exception
from flask.views import MethodView as MethodView
from werkzeug.datastructures import Headers as Headers
from werkzeug.exceptions import HTTPException as HTTPException
from werkzeug.exceptions import InternalServerError as InternalServerError
from werkzeug.exceptions import MethodNotAllowed as MethodNotAllowed
from werkzeug.exceptions import NotAcceptable as NotAcceptable
from werkzeug.exceptions import NotFound as NotFound
from werkzeug.wrappers import Response as ResponseBase  # noqa: F401

from .api import Api as Api
from .exceptions import FlaskResourcesError as FlaskResourcesError
from .exceptions import HTTPError as HTTPError
from .exceptions import RequestValidationError as RequestValidationError
from .exceptions import ResponseValidationError as ResponseValidationError
from .exceptions import abort as abort
from .representations import DEFAULT_REPRESENTATIONS as DEFAULT_REPRESENTATIONS
from .representations import output_json as output_json
from .resource import Resource as Resource

# The one place the version is written: hatch reads it from here when it
# builds (``[tool.hatch.version]``), so the wheel's metadata and this
# attribute cannot differ, and reading it costs the import nothing (an
# ``importlib.metadata`` lookup would cost a few milliseconds and, in a
# source checkout, could find another installed copy's version). A ``.devN``
# version until the release is dated in CHANGES.md.
__version__ = "0.2.1.dev0"

# Our own public names; the pass-throughs above stay out of ``*`` imports.
__all__ = [
    "DEFAULT_PARSERS",
    "DEFAULT_REPRESENTATIONS",
    "Api",
    "FlaskResourcesError",
    "HTTPError",
    "RequestValidationError",
    "Resource",
    "ResponseValidationError",
    "abort",
    "doc",
    "fields",
    "http_status_message",
    "inputs",
    "marshal",
    "marshal_with",
    "marshal_with_field",
    "output_json",
    "parsed_body",
    "reqparse",
    "unpack",
    "use_args",
    "use_kwargs",
    "utils",
]

if t.TYPE_CHECKING:
    from . import fields as fields
    from . import inputs as inputs
    from . import reqparse as reqparse
    from . import utils as utils
    from .marshalling import marshal as marshal
    from .marshalling import marshal_with as marshal_with
    from .marshalling import marshal_with_field as marshal_with_field
    from .operations import doc as doc
    from .parsers import DEFAULT_PARSERS as DEFAULT_PARSERS
    from .parsers import parsed_body as parsed_body
    from .schemas import use_args as use_args
    from .schemas import use_kwargs as use_kwargs
    from .utils import http_status_message as http_status_message
    from .utils import unpack as unpack

# Names imported on first use, so that ``import flask_resources`` loads only
# the Api and what it needs (issue 15): inputs loads aniso8601 and pytz, and
# an app that never parses or marshals need not load that code. Each maps to
# its module and the attribute there (``None``: the module itself).
_LAZY = {
    "fields": ("fields", None),
    "inputs": ("inputs", None),
    "reqparse": ("reqparse", None),
    "utils": ("utils", None),
    "marshal": ("marshalling", "marshal"),
    "marshal_with": ("marshalling", "marshal_with"),
    "marshal_with_field": ("marshalling", "marshal_with_field"),
    "doc": ("operations", "doc"),
    "use_args": ("schemas", "use_args"),
    "use_kwargs": ("schemas", "use_kwargs"),
    "http_status_message": ("utils", "http_status_message"),
    "unpack": ("utils", "unpack"),
    "DEFAULT_PARSERS": ("parsers", "DEFAULT_PARSERS"),
    "parsed_body": ("parsers", "parsed_body"),
}


def __dir__() -> list[str]:
    # The public names, the lazy ones included, and the module's dunders;
    # not the pass-through names above, which keep importing but are
    # Flask's, Werkzeug's and the standard library's to advertise.
    dunders = (name for name in globals() if name.startswith("__"))
    return sorted({*__all__, *dunders})


def __getattr__(name: str) -> t.Any:
    entry = _LAZY.get(name)
    if entry is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = entry
    # Not ``from . import ...``: that would ask this function again.
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups find it without this function
    return value
