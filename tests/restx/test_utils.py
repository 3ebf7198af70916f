"""Tests for flask_resources.restx's utils, _http, cors and representations."""

from __future__ import annotations

import typing as t
from collections import OrderedDict
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from flask_resources import Api, Resource
from flask_resources.restx import cors, utils
from flask_resources.restx._http import HTTPStatus
from flask_resources.restx.representations import output_json


def test_merge() -> None:
    first = {"a": "value", "ab": "overwritten", "nested": {"a": 1, "ab": 1}}
    second = {"b": "other", "ab": "keep", "nested": {"b": 2, "ab": 2}, "new": {"c": 3}}
    merged = utils.merge(first, second)
    assert merged == {
        "a": "value",
        "ab": "keep",
        "b": "other",
        "nested": {"a": 1, "ab": 2, "b": 2},
        "new": {"c": 3},
    }
    # Neither argument is changed, nor shared with the result.
    assert first["nested"] == {"a": 1, "ab": 1}
    assert merged["new"] is not second["new"]
    assert utils.merge({}, second) == second
    assert utils.merge(first, "not a dict") == "not a dict"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("test", "test"),
        ("aValue", "a_value"),
        ("aLongValue", "a_long_value"),
        ("Upper", "upper"),
        ("UpperCase", "upper_case"),
        ("HTTPResponse", "http_response"),
        ("Todo2List", "todo2_list"),
    ],
)
def test_camel_to_dash(value: str, expected: str) -> None:
    assert utils.camel_to_dash(value) == expected


def test_default_id() -> None:
    assert utils.default_id("TodoList", "get") == "get_todo_list"


def test_not_none() -> None:
    data = {"b": 1, "a": 2, "c": None}
    assert utils.not_none(data) == {"b": 1, "a": 2}
    sorted_data = utils.not_none_sorted(data)
    assert isinstance(sorted_data, OrderedDict)
    assert list(sorted_data.items()) == [("a", 2), ("b", 1)]


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("test", ("test", 200, {})),
        (("test",), ("test", 200, {})),
        (("test", 201), ("test", 201, {})),
        (("test", {"X": "y"}), ("test", {"X": "y"}, {})),
        (("test", 201, {"X": "y"}), ("test", 201, {"X": "y"})),
        (("test", None, {"X": "y"}), ("test", 200, {"X": "y"})),
    ],
)
def test_unpack(response: t.Any, expected: tuple[t.Any, ...]) -> None:
    assert utils.unpack(response) == expected


def test_unpack_default_code_and_too_many_values() -> None:
    assert utils.unpack("test", 500) == ("test", 500, {})
    with pytest.raises(ValueError, match="Too many response values"):
        utils.unpack((None, None, None, None))


def test_view_names() -> None:
    def todo_list() -> None: ...

    assert utils.to_view_name(todo_list) == "todo_list"
    with pytest.raises(AssertionError):
        utils.to_view_name(None)
    assert utils.import_check_view_func()(todo_list) == "todo_list"
    assert utils.import_werkzeug_response() is utils.BaseResponse is Response
    assert issubclass(utils.FlaskCompatibilityWarning, DeprecationWarning)


def test_http_status() -> None:
    assert HTTPStatus.BAD_REQUEST == 400
    assert str(HTTPStatus.BAD_REQUEST) == "400"
    assert HTTPStatus.NOT_FOUND.phrase == "Not Found"
    assert HTTPStatus.NOT_FOUND.description == "Nothing matches the given URI"
    # The standard library renamed 422's phrase in 3.13; the member is the same.
    assert HTTPStatus(422) is HTTPStatus.UNPROCESSABLE_ENTITY


def test_crossdomain() -> None:
    app = Flask(__name__)
    api = Api(app)

    class Foo(Resource):
        @cors.crossdomain(
            origin="*",
            expose_headers=["X-My-Header"],
            max_age=timedelta(hours=1),
        )
        def get(self) -> t.Any:
            return "data"

    class Bar(Resource):
        def get(self) -> t.Any:
            return "data"

    api.add_resource(Foo, "/foo")
    api.add_resource(Bar, "/bar")
    client = app.test_client()
    response = client.get("/foo")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Max-Age"] == "3600"
    assert response.headers["Access-Control-Expose-Headers"] == "X-MY-HEADER"
    methods = response.headers["Access-Control-Allow-Methods"].split(", ")
    assert {"GET", "HEAD", "OPTIONS"} <= set(methods)
    assert "Access-Control-Allow-Origin" not in client.get("/bar").headers


def test_output_json() -> None:
    app = Flask(__name__)

    @app.get("/")
    def index() -> Response:
        headers = Headers({"X-Count": "2"})
        response = output_json({"b": 1, "a": [1, 2]}, 201, headers)
        assert "Content-Type" not in headers  # The caller's are not written into.
        return response

    response = app.test_client().get("/")
    assert response.status_code == 201
    assert response.content_type == "application/json"
    assert response.headers["X-Count"] == "2"
    assert response.get_data(as_text=True) == '{"b": 1, "a": [1, 2]}\n'


@pytest.mark.parametrize(
    ("config", "debug", "body"),
    [
        ({"RESTX_JSON": {"sort_keys": True}}, False, '{"a": 1, "b": 1}\n'),
        ({"RESTX_JSON": {"separators": (",", ":")}}, False, '{"b":1,"a":1}\n'),
        ({}, True, '{\n    "b": 1,\n    "a": 1\n}\n'),
        ({"RESTX_JSON": {"indent": 1}}, True, '{\n "b": 1,\n "a": 1\n}\n'),
        # Flask-RESTful's key is not Flask-RESTX's.
        ({"RESTFUL_JSON": {"sort_keys": True}}, False, '{"b": 1, "a": 1}\n'),
    ],
)
def test_output_json_settings(config: dict[str, t.Any], debug: bool, body: str) -> None:
    app = Flask(__name__)
    app.config.update(config)
    app.debug = debug

    @app.get("/")
    def index() -> Response:
        return output_json({"b": 1, "a": 1}, 200)

    assert app.test_client().get("/").get_data(as_text=True) == body
