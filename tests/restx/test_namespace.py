"""restx.Namespace: paths, routes, models, error handlers and its logger."""

from __future__ import annotations

import logging
import typing as t

import pytest
from flask import Flask

from flask_resources import restx
from flask_resources.restx import fields


class Hello(restx.Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [("cats", None, "/cats"), ("cats", "/felines/", "/felines"), ("root", "/", "")],
)
def test_path(name: str, path: str | None, expected: str) -> None:
    assert restx.Namespace(name, path=path).path == expected


def test_attributes() -> None:
    auth = {"apikey": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    ns = restx.Namespace(
        "cats", "About cats", validate=True, authorizations=auth, ordered=True
    )
    assert ns.name == "cats"
    assert ns.description == "About cats"
    assert ns.validate is True
    assert ns.authorizations == auth
    assert ns.ordered is True
    assert ns.apis == []
    assert ns.models == {}
    assert ns.resources == []


def test_namespaces_follow_the_apis_ordered(app: Flask) -> None:
    assert restx.Api(app).namespace("a").ordered is False
    assert restx.Api(ordered=True).namespace("b").ordered is True
    assert restx.Api(ordered=True).namespace("c", ordered=False).ordered is False


def test_route_keeps_the_route_documentation(app: Flask, api: restx.Api) -> None:
    ns = api.namespace("cats")
    doc = {"params": {"cat_id": "A cat"}}
    route = ns.route("/<int:cat_id>/", doc=doc, endpoint="cat")

    @route
    class Cat(restx.Resource):
        def get(self, cat_id: int) -> t.Any:
            return {"id": cat_id}

    ns.route("/hidden", doc=False)(Hello)
    ns.route("/plain")(Hello)
    assert [r.route_doc for r in ns.resources] == [doc, False, {}]
    assert ns.resources[0].kwargs == {"endpoint": "cat"}
    assert ns.resources[0].urls == ("/<int:cat_id>/",)
    client = app.test_client()
    assert client.get("/cats/3/").get_json() == {"id": 3}
    assert client.get("/cats/hidden").status_code == 200


def test_one_namespace_in_two_apis() -> None:
    ns = restx.Namespace("shared")
    ns.add_resource(Hello, "/hello")
    first, second = Flask("first"), Flask("second")
    restx.Api(first).add_namespace(ns)
    restx.Api(second).add_namespace(ns, path="/elsewhere")
    assert first.test_client().get("/shared/hello").status_code == 200
    assert second.test_client().get("/elsewhere/hello").status_code == 200
    assert len(ns.apis) == 2


def test_payload_and_abort(app: Flask, api: restx.Api) -> None:
    ns = api.namespace("echo")

    @ns.route("/")
    class Echo(restx.Resource):
        def post(self) -> t.Any:
            if ns.payload.get("refuse"):
                ns.abort(409, "Refused", reason="asked to")
            return ns.payload

    client = app.test_client()
    assert client.post("/echo/", json={"a": 1}).get_json() == {"a": 1}
    resp = client.post("/echo/", json={"refuse": True})
    assert resp.status_code == 409
    assert resp.get_json() == {"message": "Refused", "reason": "asked to"}


def test_as_list_documents_a_field_as_a_list() -> None:
    class Field:
        pass

    field = restx.Namespace("ns").as_list(Field())
    assert field.__apidoc__ == {"as_list": True}


def test_logger_is_named_as_restx_names_it() -> None:
    assert restx.Namespace("cats").logger.name == "flask_restx.namespace.cats"


def test_logger_follows_the_app_logger(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    level = app.logger.level
    app.logger.setLevel(logging.INFO)
    extra = logging.NullHandler()
    app.logger.addHandler(extra)
    try:
        api = restx.Api(app)
        quiet = api.namespace("quiet")
        chatty = api.namespace("chatty")
        chatty.logger.setLevel(logging.DEBUG)

        @quiet.route("/")
        class Quiet(restx.Resource):
            def get(self) -> t.Any:
                quiet.logger.debug("not shown")
                quiet.logger.info("shown")
                return {}

        @chatty.route("/")
        class Chatty(restx.Resource):
            def get(self) -> t.Any:
                chatty.logger.debug("debug shown")
                return {}

        client = app.test_client()
        client.get("/quiet/")
        client.get("/chatty/")
    finally:
        app.logger.removeHandler(extra)
        app.logger.setLevel(level)
    messages = [record.getMessage() for record in caplog.records]
    assert "shown" in messages
    assert "not shown" not in messages
    assert "debug shown" in messages
    assert extra in quiet.logger.handlers
    assert quiet.logger.level == logging.INFO


def test_logger_configured_for_a_blueprint_app(app: Flask) -> None:
    from flask import Blueprint

    level = app.logger.level
    app.logger.setLevel(logging.WARNING)
    try:
        blueprint = Blueprint("api", __name__)
        api = restx.Api(blueprint)
        ns = api.namespace("bp_logged")
        app.register_blueprint(blueprint)
        assert ns.logger.level == logging.WARNING
        late = api.namespace("bp_logged_late")
        assert late.logger.level == logging.WARNING
    finally:
        app.logger.setLevel(level)


def test_models(app: Flask) -> None:
    api = restx.Api(app)
    ns = restx.Namespace("zoo")
    parent = ns.model("Animal", {"name": fields.String}, description="Any animal")
    assert isinstance(parent, restx.Model)
    assert parent.__apidoc__["description"] == "Any animal"
    cat = ns.inherit("Cat", parent, {"lives": fields.Integer})
    dog = ns.clone("Dog", parent, {"bark": fields.Boolean})
    raw = ns.schema_model("Raw", {"type": "object"})
    with pytest.warns(DeprecationWarning, match="Namespace.clone"):
        old = ns.extend("Old", parent, {"age": fields.Integer})
    assert cat.__parents__ == [parent]
    assert set(dog) == {"name", "bark"}
    assert set(old) == {"name", "age"}
    assert isinstance(raw, restx.SchemaModel)
    assert list(ns.models) == ["Animal", "Cat", "Dog", "Raw", "Old"]
    api.add_namespace(ns)
    assert api.models == ns.models
    assert isinstance(
        restx.Namespace("o", ordered=True).model("M", {}), restx.OrderedModel
    )
    assert isinstance(api.model("Top", {}), restx.Model)
    assert "Top" in api.default_namespace.models


def test_core_resources_are_built_without_the_api(app: Flask, api: restx.Api) -> None:
    from flask_resources import Resource

    class Plain(Resource):
        def get(self) -> t.Any:
            return {"plain": True}

    api.namespace("mixed").add_resource(Plain, "/plain")
    assert app.test_client().get("/mixed/plain").get_json() == {"plain": True}
