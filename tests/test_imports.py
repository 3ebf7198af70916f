"""Every name Flask-RESTful 0.3.10's public modules offer imports from the
same path here, so code runs with only its import changed."""

from __future__ import annotations

import collections
import functools
import importlib
import json
import subprocess
import sys
import types

import flask
import pytest
import werkzeug.datastructures
import werkzeug.exceptions
import werkzeug.wrappers

import flask_resources

# Module -> the names Flask-RESTful 0.3.10 defines or imports there, other
# than private ones, ``absolute_import`` (a Python 2 future flag) and ``six``
# (a Python 2 compatibility package we do not depend on).
FLASK_RESTFUL_NAMES = {
    "": [
        "Api", "Resource", "abort", "marshal", "marshal_with",
        "marshal_with_field", "DEFAULT_REPRESENTATIONS", "output_json",
        "request", "url_for", "current_app", "original_flask_abort",
        "original_flask_make_response", "MethodView", "got_request_exception",
        "Headers", "HTTPException", "MethodNotAllowed", "NotFound",
        "NotAcceptable", "InternalServerError", "ResponseBase",
        "http_status_message", "unpack", "OrderedDict", "wraps", "partial",
        "sys", "MethodType", "operator", "Mapping", "utils",
    ],
    ".fields": [
        "String", "FormattedString", "Url", "DateTime", "Float", "Integer",
        "Arbitrary", "Nested", "List", "Raw", "Boolean", "Fixed", "Price",
        "MarshallingException", "is_indexable_but_not_string", "get_value",
        "to_marshallable_type", "marshal", "marshal_with", "url_for",
        "request", "timegm", "MyDecimal", "ROUND_HALF_EVEN", "formatdate",
        "urlparse", "urlunparse", "ZERO",
    ],
    ".inputs": [
        "url", "regex", "iso8601interval", "date", "natural", "positive",
        "int_range", "boolean", "datetime_from_rfc822",
        "datetime_from_iso8601", "START_OF_DAY", "END_OF_DAY", "url_regex",
        "aniso8601", "pytz", "re", "datetime", "time", "timedelta", "timegm",
        "parsedate_tz", "mktime_tz",
    ],
    ".reqparse": [
        "Namespace", "Argument", "RequestParser", "current_app", "request",
        "MultiDict", "FileStorage", "exceptions", "decimal", "deepcopy",
        "inspect", "text_type",
    ],
    ".utils": ["http_status_message", "unpack", "OrderedDict", "PY3", "sys",
               "HTTP_STATUS_CODES"],
    ".utils.cors": ["crossdomain", "timedelta", "make_response", "request",
                    "current_app", "update_wrapper"],
    ".representations.json": ["output_json", "make_response", "current_app",
                              "PY3", "dumps"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("module", "name"),
    [(module, name) for module, names in FLASK_RESTFUL_NAMES.items()
     for name in names],
)  # fmt: skip
def test_flask_restful_name_imports(module: str, name: str) -> None:
    mod = importlib.import_module("flask_resources" + module)
    exec(f"from flask_resources{module} import {name}", {})
    assert getattr(mod, name) is not None


@pytest.mark.parametrize(
    ("name", "module", "original"),
    [
        ("request", flask, "request"),
        ("url_for", flask, "url_for"),
        ("current_app", flask, "current_app"),
        ("original_flask_abort", flask, "abort"),
        ("original_flask_make_response", flask, "make_response"),
        ("got_request_exception", flask, "got_request_exception"),
        ("MethodView", flask.views, "MethodView"),
        ("Headers", werkzeug.datastructures, "Headers"),
        ("HTTPException", werkzeug.exceptions, "HTTPException"),
        ("NotFound", werkzeug.exceptions, "NotFound"),
        ("ResponseBase", werkzeug.wrappers, "Response"),
        ("OrderedDict", collections, "OrderedDict"),
        ("wraps", functools, "wraps"),
        ("MethodType", types, "MethodType"),
    ],
)
def test_pass_through_names_are_the_originals(
    name: str, module: types.ModuleType, original: str
) -> None:
    # Flask's proxies are compared by identity: touching one needs a context.
    assert getattr(flask_resources, name) is getattr(module, original)


@pytest.mark.parametrize(
    "name",
    [
        "Api",
        "ErrorTranslator",
        "_Registration",
        "_endpoint_prefix",
        "_join_endpoint",
        "_propagate_exceptions",
        "_resource_view",
    ],
)
def test_api_package_keeps_the_names_of_api_module(name: str) -> None:
    # api.py became the api/ package; what the module defined imports as before.
    namespace: dict[str, object] = {}
    exec(f"from flask_resources.api import {name}", namespace)
    assert namespace[name] is not None


def test_api_package_gives_the_package_api() -> None:
    from flask_resources.api import Api

    assert Api is flask_resources.Api


def test_utils_ordered_dict_is_collections() -> None:
    from flask_resources.utils import OrderedDict

    assert OrderedDict is collections.OrderedDict


def test_fields_marshal_is_the_marshalling_function() -> None:
    from flask_resources import fields, marshalling

    assert fields.marshal is marshalling.marshal
    assert fields.marshal_with is marshalling.marshal_with
    with pytest.raises(AttributeError, match="no_such_name"):
        fields.no_such_name  # noqa: B018


def test_star_import_gives_our_names_only() -> None:
    namespace: dict[str, object] = {}
    exec("from flask_resources import *", namespace)
    assert "Api" in namespace and "use_args" in namespace
    assert "request" not in namespace and "OrderedDict" not in namespace
    for name in flask_resources.__all__:
        value = getattr(flask_resources, name)
        if isinstance(value, types.ModuleType):
            assert value.__name__.startswith("flask_resources."), name
        elif callable(value):
            assert value.__module__.startswith("flask_resources"), name


# Run in a fresh interpreter: what loads on import and what waits for use.
LOAD_ORDER = """
import sys
from flask_resources import Api, Resource, abort, fields, marshal, marshal_with
from flask_resources import parsed_body, reqparse
print(sorted(m for m in sys.modules if m.startswith(("flask_resources.", "marshmallow",
      "aniso8601", "pytz", "apispec"))))

class Cats(Resource):
    @marshal_with({"name": fields.String})
    def get(self):
        return {"name": "Tom"}

print("flask_resources.operations" in sys.modules)
"""


def test_import_leaves_records_pagination_and_libraries_for_later() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_ORDER],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded, after_decorating = result.stdout.splitlines()
    loaded_modules = json.loads(loaded.replace("'", '"'))
    for lazy in (
        "flask_resources.operations",
        "flask_resources.pagination",
        "flask_resources.schemas",
        "flask_resources.reqparse._plan",
        "flask_resources.conditional",
        "flask_resources.marshalling.compiler",
        "flask_resources.inputs",
        "flask_resources.openapi",
        "flask_resources.browsable",
        "marshmallow",
        "aniso8601",
        "pytz",
        "apispec",
    ):
        assert lazy not in loaded_modules
    # The first decorator that documents the method loads the records.
    assert after_decorating == "True"


def test_dir_lists_the_public_names_lazy_ones_included() -> None:
    listed = dir(flask_resources)
    assert set(flask_resources.__all__) <= set(listed)
    for lazy in ("fields", "inputs", "reqparse", "marshal_with", "use_args", "doc"):
        assert lazy in listed
    assert "__version__" in listed
    assert listed == sorted(listed)


@pytest.mark.parametrize(
    "name",
    # Pass-throughs keep importing but are not advertised, and neither are
    # the module's own helpers.
    ["sys", "t", "wraps", "partial", "request", "OrderedDict", "importlib", "_LAZY"],
)
def test_dir_leaves_out_pass_throughs_and_helpers(name: str) -> None:
    assert name not in dir(flask_resources)
    assert hasattr(flask_resources, name)


def test_dir_loads_nothing() -> None:
    code = (
        "import sys, flask_resources\n"
        "names = dir(flask_resources)\n"
        "print('inputs' in names, 'flask_resources.inputs' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False"]


def test_version() -> None:
    from packaging.version import Version

    assert Version(flask_resources.__version__) >= Version("0.2.0.dev0")
    assert "__version__" not in flask_resources.__all__
