"""restx.Resource: its constructor, dispatch, and payload validation read
from the operation records ``expect`` writes."""

from __future__ import annotations

import threading
import typing as t

import pytest
from flask import Flask, make_response
from flask.testing import FlaskClient
from threaded import run_in_threads

from flask_resources import operations, restx
from flask_resources.restx import fields

jsonschema = pytest.importorskip("jsonschema", reason="needs the 'restx' extra")


def person() -> restx.Model:
    return restx.Model("Person", {"name": fields.String(required=True)})


def route_people(
    api: restx.Api | restx.Namespace, model: t.Any, validate: bool | None = None
) -> None:
    @api.route("/people")
    class People(restx.Resource):
        @api.expect(model, validate=validate)
        def post(self) -> t.Any:
            return {"created": api.payload}, 201


REQUIRED = {
    "errors": {"name": "'name' is a required property"},
    "message": "Input payload validation failed",
}


def test_constructor_takes_the_api_first() -> None:
    assert restx.Resource().api is None
    api = restx.Api()
    assert restx.Resource(api, "ignored", extra=1).api is api


@pytest.mark.parametrize(
    ("api_validate", "validate", "status"),
    [
        (None, None, 201),
        (True, None, 400),
        (False, True, 400),
        (True, False, 201),
        (None, True, 400),
    ],
)
def test_validation_switches(
    app: Flask, api_validate: bool | None, validate: bool | None, status: int
) -> None:
    api = restx.Api(app, validate=api_validate)
    route_people(api, person(), validate)
    resp = app.test_client().post("/people", json={"age": 3})
    assert resp.status_code == status
    if status == 400:
        assert resp.get_json() == REQUIRED


@pytest.mark.parametrize(("config", "status"), [(True, 400), (False, 201)])
def test_validation_by_config(app: Flask, config: bool, status: int) -> None:
    app.config["RESTX_VALIDATE"] = config
    api = restx.Api(app)
    route_people(api, person())
    assert app.test_client().post("/people", json={}).status_code == status


def test_namespace_validate_comes_before_the_apis(app: Flask) -> None:
    api = restx.Api(app, validate=False)
    strict = api.namespace("strict", validate=True)
    loose = api.namespace("loose")
    route_people(strict, person())
    route_people(loose, person())
    client = app.test_client()
    assert client.post("/strict/people", json={}).status_code == 400
    assert client.post("/loose/people", json={}).status_code == 201


@pytest.mark.parametrize("checker", [None, jsonschema.FormatChecker()])
def test_the_apis_resolver_and_format_checker(
    app: Flask, checker: jsonschema.FormatChecker | None
) -> None:
    api = restx.Api(app, validate=True, format_checker=checker)
    born = api.model("Born", {"on": fields.Date})
    model = api.model("Person", {"name": fields.String, "born": fields.Nested(born)})
    route_people(api, model)
    client = app.test_client()
    ann = {"name": "Ann", "born": {"on": "2001-02-03"}}
    resp = client.post("/people", json=ann)
    assert resp.status_code == 201
    assert resp.get_json() == {"created": ann}
    # The nested model is found through the Api's resolver.
    resp = client.post("/people", json={"born": {"on": 3}})
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {"born.on": "3 is not of type 'string'"}
    # Formats are checked only with the Api's format checker.
    resp = client.post("/people", json={"born": {"on": "someday"}})
    assert resp.status_code == (201 if checker is None else 400)
    if checker is not None:
        assert resp.get_json()["errors"] == {"born.on": "'someday' is not a 'date'"}


def test_a_list_of_one_model_validates_each_item(app: Flask) -> None:
    api = restx.Api(app, validate=True)
    route_people(api, [person()])
    client = app.test_client()
    assert client.post("/people", json={"name": "Ann"}).status_code == 201
    assert (
        client.post("/people", json=[{"name": "A"}, {"name": "B"}]).status_code == 201
    )
    resp = client.post("/people", json=[{"name": "A"}, {"age": 1}])
    assert resp.status_code == 400
    assert resp.get_json() == REQUIRED


def test_a_single_model_refuses_a_list(app: Flask) -> None:
    api = restx.Api(app, validate=True)
    route_people(api, person())
    resp = app.test_client().post("/people", json=[{"name": "A"}])
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {"": "[{'name': 'A'}] is not of type 'object'"}


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("{bad", "application/json", 400),
        ("name=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_unreadable_payloads(
    app: Flask, data: str, content_type: str, status: int
) -> None:
    api = restx.Api(app, validate=True)
    route_people(api, person())
    resp = app.test_client().post("/people", data=data, content_type=content_type)
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/json"
    body = resp.get_json()
    # Refused before the model is asked.
    assert "errors" not in body
    assert body["message"] != REQUIRED["message"]


def test_parsers_and_other_records_are_not_validated(app: Flask) -> None:
    api = restx.Api(app, validate=True)
    parser = api.parser()
    parser.add_argument("x", type=int, location="form")

    @api.route("/things")
    class Things(restx.Resource):
        @api.expect(parser)
        def post(self) -> t.Any:
            return {}, 201

        @operations.doc(summary="Documented only")
        def put(self) -> t.Any:
            return {}

    client = app.test_client()
    assert client.post("/things", data="x=1").status_code == 201
    assert client.put("/things", data="not json").status_code == 200


def test_no_payload_is_read_without_a_model(app: Flask) -> None:
    api = restx.Api(app, validate=True)

    @api.route("/empty")
    class Empty(restx.Resource):
        def post(self) -> t.Any:
            return {}

    resp = app.test_client().post("/empty", data="", content_type="application/json")
    assert resp.status_code == 200


def test_validation_runs_before_the_method_decorators(app: Flask) -> None:
    calls: list[str] = []

    def guard(func: t.Any) -> t.Any:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            calls.append("guard")
            return func(*args, **kwargs)

        return wrapper

    api = restx.Api(app, validate=True)

    @api.route("/guarded")
    class Guarded(restx.Resource):
        method_decorators = [guard]

        @api.expect(person())
        def post(self) -> t.Any:
            return {}, 201

    client = app.test_client()
    assert client.post("/guarded", json={}).status_code == 400
    assert calls == []
    assert client.post("/guarded", json={"name": "A"}).status_code == 201
    assert calls == ["guard"]


def test_head_validates_as_get(app: Flask, api: restx.Api, client: FlaskClient) -> None:
    @api.route("/h")
    class H(restx.Resource):
        @api.expect(person(), validate=True)
        def get(self) -> t.Any:
            return {}

    assert client.head("/h", json={}).status_code == 400
    assert client.head("/h", json={"name": "A"}).status_code == 200


def test_resource_representations(
    app: Flask, api: restx.Api, client: FlaskClient
) -> None:
    def text(data: t.Any, code: int, headers: t.Any = None) -> t.Any:
        return make_response(str(data), code, headers)

    @api.route("/text")
    class Text(restx.Resource):
        representations = {"text/plain": text}

        def get(self) -> t.Any:
            return "hello"

    resp = client.get("/text", headers={"Accept": "text/plain"})
    assert resp.data == b"hello"
    assert resp.headers["Content-Type"] == "text/plain"
    assert client.get("/text").get_json() == "hello"


def test_dispatch_by_hand(app: Flask) -> None:
    class Foo(restx.Resource):
        def get(self) -> t.Any:
            return "hello"

    with app.test_request_context("/foo"):
        assert Foo(None).dispatch_request() == "hello"


def test_expect_and_a_model_end_to_end(app: Flask) -> None:
    api = restx.Api(app, validate=True)
    person = api.model(
        "Person", {"name": fields.String(required=True), "age": fields.Integer}
    )
    family = api.model("Family", {"members": fields.List(fields.Nested(person))})
    ns = api.namespace("families", validate=False)

    @api.route("/family")
    class Family(restx.Resource):
        @api.expect(family)
        def post(self) -> t.Any:
            return {"members": len(api.payload["members"])}, 201

    @ns.route("/loose")
    class Loose(restx.Resource):
        @ns.expect(family)
        def post(self) -> t.Any:
            return {}, 201

    client = app.test_client()
    resp = client.post("/family", json={"members": [{"name": "A"}, {"age": 3}]})
    assert resp.status_code == 400
    assert resp.get_json() == {
        "errors": {"members.1.name": "'name' is a required property"},
        "message": "Input payload validation failed",
    }
    ok = client.post("/family", json={"members": [{"name": "A", "age": 3}]})
    assert ok.status_code == 201
    assert ok.get_json() == {"members": 1}
    # The namespace's validate=False, recorded by its expect, wins.
    assert client.post("/families/loose", json={"members": [{}]}).status_code == 201


def test_validation_under_threads(app: Flask) -> None:
    """Threads validating payloads while models are added: the Api's
    resolver is rebuilt when models change, and each answer is right."""
    api = restx.Api(app, validate=True)
    person = api.model("Person", {"name": fields.String(required=True)})

    @api.route("/people")
    class People(restx.Resource):
        @api.expect(person)
        def post(self) -> t.Any:
            return {}, 201

    def work() -> None:
        client = app.test_client()
        for i in range(10):
            # Every thread adds models while the others validate.
            api.model(f"Extra{threading.get_ident()}_{i}", {"n": fields.Integer})
            assert client.post("/people", json={"name": "A"}).status_code == 201
            resp = client.post("/people", json={})
            assert resp.status_code == 400
            assert resp.get_json()["errors"] == {
                "name": "'name' is a required property"
            }

    run_in_threads(work, count=6)
    definitions = api.refresolver.contents("http://localhost/schema.json")[
        "definitions"
    ]
    assert len([name for name in definitions if name.startswith("Extra")]) == 60
