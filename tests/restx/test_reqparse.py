"""Tests for flask_resources.restx.reqparse, through real requests."""

from __future__ import annotations

import copy
import decimal
import io
import typing as t

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Request

from flask_resources import Api, Resource, doc
from flask_resources.restx import Model, fields, inputs, reqparse
from flask_resources.restx.reqparse import (
    Argument,
    ParseResult,
    RequestParser,
    SpecsError,
)

INVALID = "Input payload validation failed"


def call(
    parser: RequestParser,
    *,
    method: str = "POST",
    path: str = "/things",
    app: Flask | None = None,
    strict: bool = False,
    http_error_code: int = 400,
    **request: t.Any,
) -> tuple[int, t.Any]:
    """Send the same request three times to a resource that parses it:
    the parser's general path, then its compiled plan, must agree.

    :return: ``(status, body)``; a parsed result comes as
        ``{"class": <its class name>, "args": <it>}``.
    """
    app = app or Flask(__name__)
    api = Api(app)

    class Things(Resource):
        def post(self) -> t.Any:
            args = parser.parse_args(strict=strict, http_error_code=http_error_code)
            return {"class": type(args).__name__, "args": args}

        get = post

    api.add_resource(Things, "/things")
    client = app.test_client()
    results = []
    for _ in range(3):
        response = client.open(path, method=method, **request)
        results.append((response.status_code, response.get_json()))
    assert results[1] == results[0] and results[2] == results[0]
    return results[0]


def test_result_is_a_parse_result() -> None:
    parser = RequestParser()
    parser.add_argument("name")
    parser.add_argument("age", type=int, default=0)
    assert call(parser, json={"name": "Tom"}) == (
        200,
        {"class": "ParseResult", "args": {"name": "Tom", "age": 0}},
    )
    assert call(RequestParser(result_class=dict), json={}) == (
        200,
        {"class": "dict", "args": {}},
    )


def test_parse_result_attributes() -> None:
    result = ParseResult()
    result.foo = "bar"
    result["bar"] = "baz"
    assert result == {"foo": "bar", "bar": "baz"}
    assert result.bar == "baz"
    with pytest.raises(AttributeError):
        result.spam  # noqa: B018
    with pytest.raises(KeyError):
        result["eggs"]


def test_error_body() -> None:
    parser = RequestParser()
    parser.add_argument("rate", type=int, location="args")
    parser.add_argument("name", required=True)
    assert call(parser, query_string="rate=x", json={"name": "a"}) == (
        400,
        {
            "errors": {"rate": "invalid literal for int() with base 10: 'x'"},
            "message": INVALID,
        },
    )
    # Not bundled: the first failing argument answers alone.
    assert call(parser, query_string="rate=x")[1]["errors"] == {
        "rate": "invalid literal for int() with base 10: 'x'"
    }


def test_missing_required_names_the_locations() -> None:
    parser = RequestParser()
    parser.add_argument("bar", required=True, location=["values", "cookies"])
    assert call(parser) == (
        400,
        {
            "errors": {
                "bar": "Missing required parameter in the post body or the query"
                " string or the request's cookies"
            },
            "message": INVALID,
        },
    )


@pytest.mark.parametrize("how", ["parser", "config"])
def test_bundled_errors(how: str) -> None:
    app = Flask(__name__)
    if how == "config":
        app.config["BUNDLE_ERRORS"] = True
    parser = RequestParser(bundle_errors=how == "parser")
    parser.add_argument("foo", required=True, location="values")
    parser.add_argument("rate", type=int, location="args")
    assert call(parser, app=app, query_string="rate=x") == (
        400,
        {
            "errors": {
                "foo": "Missing required parameter in the post body or the query"
                " string",
                "rate": "invalid literal for int() with base 10: 'x'",
            },
            "message": INVALID,
        },
    )


@pytest.mark.parametrize("bundle_errors", [False, True])
def test_http_error_code(bundle_errors: bool) -> None:
    parser = RequestParser(bundle_errors=bundle_errors)
    parser.add_argument("rate", type=int)
    status, body = call(parser, json={"rate": "x"}, http_error_code=422)
    assert status == 422
    assert body["message"] == INVALID


@pytest.mark.parametrize(
    ("help", "message"),
    [
        (
            "Bad choice.",
            "Bad choice. The value 'three' is not a valid choice for 'foo'.",
        ),
        (
            "Bad choice ({error_msg})",
            "Bad choice (The value 'three' is not a valid choice for 'foo'.)",
        ),
        (
            "Bad {choice}",
            "Bad {choice} The value 'three' is not a valid choice for 'foo'.",
        ),
    ],
)
def test_help(help: str, message: str) -> None:
    parser = RequestParser()
    parser.add_argument("foo", choices=("one", "two"), help=help)
    assert call(parser, json={"foo": "three"}) == (
        400,
        {"errors": {"foo": message}, "message": INVALID},
    )


def test_choice_names_the_operator() -> None:
    parser = RequestParser()
    parser.add_argument("size", type=int, choices=range(10), operators=("<=", "="))
    assert call(parser, query_string="size<=12")[1]["errors"] == {
        "size": "The value '12' is not a valid choice for 'size<'."
    }
    assert call(parser, query_string="size<=2")[1]["args"] == {"size": 2}


def test_case_insensitive_choices() -> None:
    parser = RequestParser()
    parser.add_argument("foo", choices=["BAT"], case_sensitive=False)
    assert call(parser, query_string="foo=Bat")[1]["args"] == {"foo": "bat"}


def test_model_as_type() -> None:
    todo = {"task": fields.String, "done": fields.Boolean(default=False)}
    parser = RequestParser()
    parser.add_argument("todo", type=todo, location="json", required=True)
    assert call(parser, json={"todo": {"task": "aaa", "extra": 1}}) == (
        200,
        {"class": "ParseResult", "args": {"todo": {"task": "aaa", "done": False}}},
    )
    assert call(parser, json={"todo": "aaa"}) == (
        400,
        {"errors": {"todo": "todo must be a JSON object"}, "message": INVALID},
    )
    assert call(parser, json={"todo": None})[1]["args"] == {"todo": None}


def test_malformed_json_keeps_its_message() -> None:
    parser = RequestParser()
    parser.add_argument("foo")
    status, body = call(parser, data="{oops", content_type="application/json")
    assert status == 400
    assert body["message"].startswith("Failed to decode JSON object")
    assert "errors" not in body


def test_strict() -> None:
    parser = RequestParser()
    parser.add_argument("foo", type=int)
    assert call(parser, strict=True, query_string="foo=1&bar=bees&n=22") == (
        400,
        {"message": "Unknown arguments: bar, n"},
    )


def test_get_json_location() -> None:
    parser = RequestParser()
    parser.add_argument("foo", location="get_json")
    assert call(parser, json={"foo": "bar"})[1]["args"] == {"foo": "bar"}
    # Not a JSON request: nothing there, and no 415.
    assert call(parser, data={"foo": "bar"})[1]["args"] == {"foo": None}


def test_trim_and_types() -> None:
    parser = RequestParser(trim=True)
    parser.add_argument("foo")
    parser.add_argument("n", type=int)
    parser.add_argument("tags", action="split", location="args")
    assert parser.args[0].trim is True
    status, body = call(
        parser, query_string="tags=a, b", json={"foo": " bar ", "n": " 2 "}
    )
    assert body["args"] == {"foo": "bar", "n": 2, "tags": ["a", "b"]}


def test_decimal() -> None:
    parser = RequestParser()
    parser.add_argument("price", type=decimal.Decimal, location="json")
    with Flask(__name__).test_request_context("/", method="POST", json={"price": 1.1}):
        assert parser.parse_args() == {"price": decimal.Decimal("1.1")}


def test_files() -> None:
    parser = RequestParser()
    parser.add_argument("upload", type=FileStorage, location="files")
    app = Flask(__name__)
    with app.test_request_context(
        "/", method="POST", data={"upload": (io.BytesIO(b"hello"), "hello.txt")}
    ):
        args = parser.parse_args()
        assert args.upload.filename == "hello.txt"
        assert args.upload.read() == b"hello"


def test_stand_alone_request() -> None:
    parser = RequestParser()
    parser.add_argument("foo", choices=["bat"])
    assert parser.parse_args(Request.from_values("/?foo=bat")) == {"foo": "bat"}
    with pytest.raises(BadRequest) as info:
        parser.parse_args(Request.from_values("/?foo=bar"))
    assert t.cast(t.Any, info.value).data == {
        "errors": {"foo": "The value 'bar' is not a valid choice for 'foo'."},
        "message": INVALID,
    }


def test_argument_subclass_with_own_error_handler() -> None:
    class Logged(Argument):
        seen: t.ClassVar[list[str]] = []

        def handle_validation_error(
            self, error: BaseException, bundle_errors: bool
        ) -> tuple[BaseException, dict[str, str]]:
            self.seen.append(self.name)
            return super().handle_validation_error(error, bundle_errors)

    parser = RequestParser(argument_class=Logged)
    parser.add_argument("rate", type=int, help="Rate!")
    assert call(parser, json={"rate": "x"}) == (
        400,
        {
            "errors": {"rate": "Rate! invalid literal for int() with base 10: 'x'"},
            "message": INVALID,
        },
    )
    assert Logged.seen == ["rate", "rate", "rate"]


def test_abort_body() -> None:
    with pytest.raises(BadRequest) as info:
        reqparse.abort(400, "Nope", errors={"a": "b"})
    assert t.cast(t.Any, info.value).data == {"errors": {"a": "b"}, "message": "Nope"}


def test_copy_replace_remove() -> None:
    parser = RequestParser(trim=True, bundle_errors=True)
    parser.add_argument("foo", type=int)
    parser.add_argument("bar")
    other = parser.copy()
    assert type(other) is RequestParser
    assert other.result_class is ParseResult
    assert (other.trim, other.bundle_errors) == (True, True)
    assert other.args[0] is not parser.args[0]
    other.replace_argument("foo", location="args")
    other.remove_argument("bar")
    assert [(a.name, a.type, a.location) for a in other.args] == [("foo", str, "args")]
    assert [a.name for a in parser.args] == ["foo", "bar"]
    assert isinstance(copy.deepcopy(parser.args[0]), Argument)


@pytest.mark.parametrize(
    ("options", "param"),
    [
        (
            {"type": int, "help": "Some integer"},
            {"type": "integer", "description": "Some integer"},
        ),
        ({"type": lambda value: value}, {"type": "string"}),
        ({"type": int, "required": True}, {"type": "integer", "required": True}),
        ({"type": int, "default": lambda: 5}, {"type": "integer", "default": 5}),
        (
            {"type": inputs.boolean, "default": False},
            {"type": "boolean", "default": False},
        ),
        ({"choices": ("a", "b")}, {"type": "string", "enum": ["a", "b"]}),
        ({"location": "values"}, {"type": "string"}),
        ({"location": "headers"}, {"type": "string", "in": "header"}),
        ({"location": "json"}, {"type": "string", "in": "body"}),
        ({"location": ["json", "args"]}, {"type": "string"}),
        ({"location": "form", "type": int}, {"type": "integer", "in": "formData"}),
        (
            {"location": "files", "type": FileStorage},
            {"type": "file", "in": "formData"},
        ),
        (
            {"type": int, "action": "append"},
            {
                "type": "array",
                "items": {"type": "integer"},
                "collectionFormat": "multi",
            },
        ),
        (
            {"type": inputs.regex("^a"), "action": "append"},
            {
                "type": "array",
                "items": {"type": "string", "pattern": "^a"},
                "collectionFormat": "multi",
            },
        ),
        (
            {"type": int, "action": "split"},
            {"type": "array", "items": {"type": "integer"}, "collectionFormat": "csv"},
        ),
        ({"type": inputs.date}, {"type": "string", "format": "date"}),
    ],
)
def test_argument_schema(options: dict[str, t.Any], param: dict[str, t.Any]) -> None:
    expected = {"name": "arg", "in": "query", **param}
    assert Argument("arg", **options).__schema__ == expected


@pytest.mark.parametrize("location", ["cookie", "cookies"])
def test_cookies_have_no_schema(location: str) -> None:
    parser = RequestParser()
    parser.add_argument("session", location=location)
    assert parser.args[0].__schema__ is None
    assert parser.__schema__ == []


def test_model_schema() -> None:
    parser = RequestParser()
    parser.add_argument("todo", type=Model("Todo", {"task": fields.String}))
    assert parser.__schema__ == [{"name": "todo", "type": "Todo", "in": "body"}]


@pytest.mark.parametrize(
    "other", [{"location": "form"}, {"type": FileStorage, "location": "files"}]
)
def test_body_and_form_schema(other: dict[str, t.Any]) -> None:
    parser = RequestParser()
    parser.add_argument("default", type=int)
    parser.add_argument("in_json", location="json")
    parser.add_argument("other", **other)
    with pytest.raises(SpecsError) as info:
        parser.__schema__  # noqa: B018
    assert info.value.msg == "Can't use formData and body at the same time"


def test_documented_in_openapi() -> None:
    pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
    parser = RequestParser()
    parser.add_argument("page", type=inputs.positive, location="args", default=1)
    parser.add_argument("task", location=("json",), required=True, help="What to do")
    parser.add_argument("picture", type=FileStorage, location="files")
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @doc(args=parser)
        def post(self) -> t.Any:
            return {}, 201

    api.add_resource(Things, "/things")
    with app.app_context():
        operation = api.openapi()["paths"]["/things"]["post"]
    assert operation["parameters"] == [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        }
    ]
    content = operation["requestBody"]["content"]
    assert content["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "task": {"type": ["string", "null"], "description": "What to do"}
        },
        "required": ["task"],
    }
    assert content["multipart/form-data"]["schema"]["properties"] == {
        "picture": {"type": "string", "format": "binary"}
    }
