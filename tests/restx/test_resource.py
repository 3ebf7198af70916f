"""restx.Resource: its constructor, dispatch, and payload validation read
from the operation records ``expect`` writes."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask, make_response
from flask.testing import FlaskClient

from flask_resources import operations, restx
from flask_resources.restx.resource import VALIDATE_KEY


class Person(dict[str, t.Any]):
    """Anything a resource validates with, as it recognises a model: a
    class with a JSON Schema and a ``validate`` answering 400 as
    Flask-RESTX's does (``restx.Model`` is one)."""

    __schema__: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "required": ["name"],
    }

    def __init__(self) -> None:
        super().__init__()
        self.name = "Person"
        self.calls: list[tuple[t.Any, t.Any, t.Any]] = []

    def validate(
        self, data: t.Any, resolver: t.Any = None, checker: t.Any = None
    ) -> None:
        self.calls.append((data, resolver, checker))
        if not isinstance(data, dict):
            errors = {"": f"{data!r} is not of type 'object'"}
        elif "name" not in data:
            errors = {"name": "'name' is a required property"}
        else:
            return
        restx.abort(400, "Input payload validation failed", errors=errors)


def expect(source: t.Any, validate: bool | None = None) -> t.Callable[[t.Any], t.Any]:
    """What ``@ns.expect(source, validate=...)`` records (H5's side of the
    contract)."""
    location = None if hasattr(source, "parse_args") else "json"
    record = operations.Operation(
        arguments=(operations.Arguments(source, location=location, parses=False),),
        extensions={VALIDATE_KEY: validate},
    )

    def decorator(func: t.Any) -> t.Any:
        operations.amend(func, record)
        return func

    return decorator


def route_people(
    api: restx.Api | restx.Namespace, model: t.Any, validate: bool | None = None
) -> None:
    @api.route("/people")
    class People(restx.Resource):
        @expect(model, validate)
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
    route_people(api, Person(), validate)
    resp = app.test_client().post("/people", json={"age": 3})
    assert resp.status_code == status
    if status == 400:
        assert resp.get_json() == REQUIRED


@pytest.mark.parametrize(("config", "status"), [(True, 400), (False, 201)])
def test_validation_by_config(app: Flask, config: bool, status: int) -> None:
    app.config["RESTX_VALIDATE"] = config
    api = restx.Api(app)
    route_people(api, Person())
    assert app.test_client().post("/people", json={}).status_code == status


def test_namespace_validate_comes_before_the_apis(app: Flask) -> None:
    api = restx.Api(app, validate=False)
    strict = api.namespace("strict", validate=True)
    loose = api.namespace("loose")
    route_people(strict, Person())
    route_people(loose, Person())
    client = app.test_client()
    assert client.post("/strict/people", json={}).status_code == 400
    assert client.post("/loose/people", json={}).status_code == 201


def test_valid_payload_passes_with_the_apis_resolver(app: Flask) -> None:
    checker = object()
    api = restx.Api(app, validate=True, format_checker=checker)
    model = Person()
    route_people(api, model)
    resp = app.test_client().post("/people", json={"name": "Ann"})
    assert resp.status_code == 201
    assert resp.get_json() == {"created": {"name": "Ann"}}
    ((data, resolver, format_checker),) = model.calls
    assert data == {"name": "Ann"}
    assert resolver is api.refresolver
    assert format_checker is checker


def test_a_list_of_one_model_validates_each_item(app: Flask) -> None:
    api = restx.Api(app, validate=True)
    route_people(api, [Person()])
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
    route_people(api, Person())
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
    model = Person()
    route_people(api, model)
    resp = app.test_client().post("/people", data=data, content_type=content_type)
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/json"
    assert "message" in resp.get_json()
    assert model.calls == []


def test_parsers_and_other_records_are_not_validated(app: Flask) -> None:
    class Parser:
        def parse_args(self) -> dict[str, t.Any]:
            return {}

    api = restx.Api(app, validate=True)

    @api.route("/things")
    class Things(restx.Resource):
        @expect(Parser())
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

        @expect(Person())
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
        @expect(Person(), validate=True)
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
    pytest.importorskip("jsonschema", reason="needs the 'restx' extra")
    from flask_resources import fields

    api = restx.Api(app, validate=True)
    name = fields.String()
    name.required = True  # type: ignore[attr-defined]
    person = api.model("Person", {"name": name, "age": fields.Integer})
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
    pytest.importorskip("jsonschema", reason="needs the 'restx' extra")
    import sys
    import threading

    from flask_resources import fields

    api = restx.Api(app, validate=True)
    name = fields.String()
    name.required = True  # type: ignore[attr-defined]
    person = api.model("Person", {"name": name})

    @api.route("/people")
    class People(restx.Resource):
        @api.expect(person)
        def post(self) -> t.Any:
            return {}, 201

    errors: list[BaseException] = []
    count = 6
    start = threading.Barrier(count)

    def work(number: int) -> None:
        client = app.test_client()
        start.wait()
        try:
            for i in range(40):
                if number == 0:
                    api.model(f"Extra{i}", {"n": fields.Integer})
                assert client.post("/people", json={"name": "A"}).status_code == 201
                resp = client.post("/people", json={})
                assert resp.status_code == 400
                assert resp.get_json()["errors"] == {
                    "name": "'name' is a required property"
                }
        except BaseException as e:  # noqa: B036 - reported below
            errors.append(e)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []
    assert (
        "Extra39"
        in api.refresolver.contents("http://localhost/schema.json")["definitions"]
    )
