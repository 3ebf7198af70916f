"""flask_resources.utils: Flask-RESTful's helpers and the CORS decorator."""

from __future__ import annotations

import typing as t
from datetime import timedelta

import pytest
from flask import Flask

from flask_resources import Api, Resource
from flask_resources.utils import cors, http_status_message, unpack


@pytest.mark.parametrize(
    ("code", "message"),
    [(200, "OK"), (404, "Not Found"), (418, "I'm a teapot"), (299, "")],
)
def test_http_status_message(code: int, message: str) -> None:
    assert http_status_message(code) == message


def test_unpack() -> None:
    assert unpack({"a": 1}) == ({"a": 1}, 200, {})
    assert unpack(({"a": 1}, 201)) == ({"a": 1}, 201, {})
    assert unpack(({"a": 1}, 201, {"X": "y"})) == ({"a": 1}, 201, {"X": "y"})


class Hello(Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}

    def post(self) -> t.Any:
        return {"posted": True}, 201


def test_crossdomain_on_every_view(app: Flask) -> None:
    api = Api(app, decorators=[cors.crossdomain(origin="*")])
    api.add_resource(Hello, "/")
    client = app.test_client()
    resp = client.get("/")
    assert resp.get_json() == {"hello": "world"}
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["Access-Control-Max-Age"] == "21600"
    allowed = set(resp.headers["Access-Control-Allow-Methods"].split(", "))
    assert {"GET", "POST"} <= allowed
    preflight = client.options("/")
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert client.post("/").status_code == 201


def test_crossdomain_options(app: Flask) -> None:
    decorator = cors.crossdomain(
        origin=["https://a.example", "https://b.example"],
        methods=["get", "post"],
        headers=["Content-Type", "X-Token"],
        expose_headers="X-Total-Count",
        max_age=timedelta(minutes=5),
        credentials=True,
    )
    api = Api(app, decorators=[decorator])
    api.add_resource(Hello, "/")
    headers = app.test_client().get("/").headers
    assert (
        headers["Access-Control-Allow-Origin"] == "https://a.example, https://b.example"
    )
    assert headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert headers["Access-Control-Allow-Headers"] == "CONTENT-TYPE, X-TOKEN"
    assert headers["Access-Control-Expose-Headers"] == "X-TOTAL-COUNT"
    assert headers["Access-Control-Max-Age"] == "300"
    assert headers["Access-Control-Allow-Credentials"] == "true"


def test_crossdomain_preflight_only(app: Flask) -> None:
    api = Api(app, decorators=[cors.crossdomain(origin="*", attach_to_all=False)])
    api.add_resource(Hello, "/")
    client = app.test_client()
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
    assert client.options("/").headers["Access-Control-Allow-Origin"] == "*"


def test_crossdomain_without_automatic_options_calls_the_view(app: Flask) -> None:
    class WithOptions(Resource):
        def options(self) -> t.Any:
            return {"own": "options"}

    api = Api(app, decorators=[cors.crossdomain(origin="*", automatic_options=False)])
    api.add_resource(WithOptions, "/")
    resp = app.test_client().options("/")
    assert resp.get_json() == {"own": "options"}
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
