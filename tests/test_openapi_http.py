"""The OpenAPI document says what pagination, conditional requests,
Flask-HTTPAuth and problem details do."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from flask_resources import Api, Resource, fields, marshal_with
from flask_resources.conditional import etag_for
from flask_resources.pagination import paginate

pytest.importorskip("apispec", reason="needs the 'openapi' extra")
httpauth = pytest.importorskip("flask_httpauth", reason="needs the 'auth' extra")

from flask_resources.auth import api_auth  # noqa: E402

ITEM = {"id": fields.Integer, "name": fields.String}


def build(app: Flask, api: Api) -> dict[str, t.Any]:
    with app.app_context():
        return t.cast(dict[str, t.Any], api.openapi())


@pytest.fixture
def document(app: Flask, api: Api) -> t.Callable[[], dict[str, t.Any]]:
    auth = api_auth(
        httpauth.MultiAuth(httpauth.HTTPBasicAuth(), httpauth.HTTPTokenAuth())
    )

    class Items(Resource):
        method_decorators = {"post": [auth.login_required]}

        @marshal_with(ITEM)
        @paginate(per_page=10, max_per_page=50)
        def get(self) -> t.Any:
            return []

        def post(self) -> t.Any:
            return {}, 201

    class Item(Resource):
        etag = True
        require_if_match = True

        @marshal_with(ITEM)
        def get(self, item_id: int) -> t.Any:
            return {"id": item_id, "name": "x"}

        def current_etag(self, item_id: int) -> str:
            return etag_for({"id": item_id})

        def last_modified(self, item_id: int) -> t.Any:
            return None

        def put(self, item_id: int) -> t.Any:
            return {}

    class Strict(Resource):
        @marshal_with(ITEM)
        @paginate(per_page=10, max_per_page=50, strict_per_page=True)
        def get(self) -> t.Any:
            return []

    api.add_resource(Items, "/items")
    api.add_resource(Item, "/items/<int:item_id>")
    api.add_resource(Strict, "/strict")
    return lambda: build(app, api)


def test_pagination(document: t.Callable[[], dict[str, t.Any]]) -> None:
    get = document()["paths"]["/items"]["get"]
    params = {p["name"]: p for p in get["parameters"]}
    assert params["page"]["in"] == "query"
    # A larger per_page is clamped, so it is no error: no maximum, but said.
    assert "maximum" not in params["per_page"]["schema"]
    assert "50" in params["per_page"]["description"]
    assert params["per_page"]["schema"]["default"] == 10
    strict = document()["paths"]["/strict"]["get"]["parameters"]
    assert {p["name"]: p for p in strict}["per_page"]["schema"]["maximum"] == 50
    ok = get["responses"]["200"]
    assert set(ok["headers"]) == {"Link", "X-Total-Count"}
    assert ok["content"]["application/json"]["schema"]["type"] == "array"
    assert "400" in get["responses"]


def test_conditional(document: t.Callable[[], dict[str, t.Any]]) -> None:
    paths = document()["paths"]["/items/{item_id}"]
    get, put = paths["get"], paths["put"]
    assert {"If-None-Match", "If-Modified-Since"} <= {
        p["name"] for p in get["parameters"] if p["in"] == "header"
    }
    assert set(get["responses"]["200"]["headers"]) == {"ETag", "Last-Modified"}
    assert "304" in get["responses"]
    if_match = [p for p in put["parameters"] if p["name"] == "If-Match"]
    assert if_match and if_match[0]["required"] is True
    assert {"412", "428"} <= set(put["responses"])


def test_security(document: t.Callable[[], dict[str, t.Any]]) -> None:
    doc = document()
    schemes = doc["components"]["securitySchemes"]
    assert schemes == {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "bearerAuth": {"type": "http", "scheme": "bearer"},
    }
    post = doc["paths"]["/items"]["post"]
    assert post["security"] == [{"basicAuth": []}, {"bearerAuth": []}]
    assert "401" in post["responses"]
    assert "security" not in doc["paths"]["/items"]["get"]


def test_configured_scheme_wins(app: Flask) -> None:
    api = Api(
        app,
        security_schemes={
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        },
    )
    auth = api_auth(httpauth.HTTPTokenAuth())

    class Secret(Resource):
        @auth.login_required
        def get(self) -> t.Any:
            return {}

    api.add_resource(Secret, "/s")
    scheme = build(app, api)["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["bearerFormat"] == "JWT"


def test_problem_format(app: Flask, document: t.Callable[[], dict[str, t.Any]]) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    doc = document()
    bad = doc["paths"]["/items"]["get"]["responses"]["400"]["content"]
    assert list(bad) == ["application/problem+json"]
    schemas = doc["components"]["schemas"]
    assert set(schemas["ValidationError"]["properties"]) >= {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "errors",
    }
    assert (
        "application/json"
        in doc["paths"]["/items"]["get"]["responses"]["200"]["content"]
    )
