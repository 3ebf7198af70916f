"""Payloads validated against Flask-RESTX models with jsonschema: RESTX's
400 body, references between models, format checks, the validator cache."""

from __future__ import annotations

import sys
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient
from threaded import run_in_threads
from werkzeug.exceptions import BadRequest

from flask_resources.exceptions import FlaskResourcesError
from flask_resources.restx import Api, Model, Resource, SchemaModel, fields, model

jsonschema = pytest.importorskip("jsonschema", reason="needs the 'restx' extra")


class IPv4(fields.String):
    __schema_format__ = "ipv4"


def person_model() -> Model:
    return Model(
        "Person",
        {
            "name": fields.String(required=True),
            "age": fields.Integer,
        },
    )


def serve(api: Api, expect: t.Any) -> None:
    """A resource whose POST validates its JSON body against ``expect``."""

    @api.route("/payload")
    class Payload(Resource):
        @api.expect(expect, validate=True)
        def post(self) -> t.Any:
            return {"ok": True}


def post(client: FlaskClient, data: t.Any, status: int) -> t.Any:
    response = client.post("/payload", json=data)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    return response.get_json()


def test_a_payload_missing_a_required_field_gets_restx_body(
    api: Api, client: FlaskClient
) -> None:
    serve(api, person_model())
    assert post(client, {"name": "Ann", "age": 3}, 200) == {"ok": True}
    assert post(client, {}, 400) == {
        "errors": {"name": "'name' is a required property"},
        "message": "Input payload validation failed",
    }


def test_every_error_is_keyed_by_its_path(api: Api, client: FlaskClient) -> None:
    person = Model(
        "Person",
        {"name": fields.String(required=True), "age": fields.Integer(required=True)},
    )
    family = Model(
        "Family",
        {
            "name": fields.String(required=True),
            "members": fields.List(fields.Nested(person)),
        },
    )
    serve(api, family)
    body = post(
        client, {"name": "Doe", "members": [{"name": "Jo"}, {"age": "42"}]}, 400
    )
    assert body["errors"] == {
        "members.0.age": "'age' is a required property",
        "members.1.name": "'name' is a required property",
        "members.1.age": "'42' is not of type 'integer'",
    }


def test_inherited_fields_are_validated_through_all_of(
    api: Api, client: FlaskClient
) -> None:
    parent = Model("Parent", {"name": fields.String(required=True)})
    child = parent.inherit("Child", {"age": fields.Integer})
    serve(api, child)
    assert post(client, {"name": "Jo", "age": 15}, 200) == {"ok": True}
    assert post(client, {"age": "15"}, 400)["errors"] == {
        "name": "'name' is a required property",
        "age": "'15' is not of type 'integer'",
    }


def test_strict_models_refuse_unknown_properties(api: Api, client: FlaskClient) -> None:
    serve(api, Model("Person", {"name": fields.String()}, strict=True))
    body = post(client, {"name": "Ann", "nick": "A"}, 400)
    assert "nick" in body["errors"][""]


def test_a_model_may_contain_itself(api: Api, client: FlaskClient) -> None:
    node = Model("Node", {"value": fields.Integer(required=True)})
    node["children"] = fields.List(fields.Nested(node))
    serve(api, node)
    assert post(client, {"value": 1, "children": [{"value": 2}]}, 200)
    body = post(client, {"value": 1, "children": [{"children": []}]}, 400)
    assert body["errors"] == {"children.0.value": "'value' is a required property"}


def test_formats_are_checked_only_with_a_checker(api: Api, client: FlaskClient) -> None:
    ip = Model("Ip", {"ip": IPv4()})
    assert ip.validate({"ip": "192.168.1"}) is None
    with pytest.raises(BadRequest) as info:
        ip.validate({"ip": "192.168.1"}, format_checker=jsonschema.FormatChecker())
    assert "ipv4" in info.value.data["errors"]["ip"]  # type: ignore[attr-defined]

    api.format_checker = jsonschema.FormatChecker()
    serve(api, ip)
    assert "ipv4" in post(client, {"ip": "192.168.1"}, 400)["errors"]["ip"]


def test_schema_model_validates_with_its_schema(api: Api, client: FlaskClient) -> None:
    serve(
        api,
        SchemaModel(
            "Point",
            {
                "type": "object",
                "properties": {"x": {"type": "number"}},
                "required": ["x"],
            },
        ),
    )
    assert post(client, {"x": 1.5}, 200) == {"ok": True}
    assert post(client, {"x": "1"}, 400)["errors"] == {
        "x": "'1' is not of type 'number'"
    }


def address_and_person() -> tuple[Model, SchemaModel]:
    address = Model("Address", {"road": fields.String(required=True)})
    person = SchemaModel(
        "Person",
        {
            "type": "object",
            "properties": {"address": {"$ref": "#/definitions/Address"}},
        },
    )
    return address, person


def test_schema_model_references_come_from_the_resolver(
    api: Api, client: FlaskClient
) -> None:
    address, person = address_and_person()
    with pytest.raises(BadRequest):
        person.validate(
            {"address": {}}, resolver={"Address": address, "Person": person}
        )
    # Through a resource, the Api's models are the resolver.
    api.add_model("Address", address)
    api.add_model("Person", person)
    serve(api, person)
    assert post(client, {"address": {"road": "Main St"}}, 200) == {"ok": True}
    assert post(client, {"address": {}}, 400)["errors"] == {
        "address.road": "'road' is a required property"
    }


def test_a_referencing_registry_is_a_resolver_too() -> None:
    from referencing import Registry
    from referencing import Resource as Document

    address, person = address_and_person()
    # As Flask-RESTX's Api.refresolver holds its models' schemas.
    registry = Registry().with_resource(
        "http://localhost/schema.json",
        Document.opaque({"definitions": {"Address": address.__schema__}}),
    )
    person.validate({"address": {"road": "Main St"}}, resolver=registry)
    with pytest.raises(BadRequest):
        person.validate({"address": {}}, resolver=registry)


def test_an_unknown_reference_names_the_model() -> None:
    _, person = address_and_person()
    with pytest.raises(FlaskResourcesError, match="model Person: .*Address"):
        person.validate({})


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The validators built while a test runs, one entry each."""
    calls: list[object] = []
    original = model._build_validator

    def counting(*args: t.Any) -> t.Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(model, "_build_validator", counting)
    return calls


def test_the_validator_is_built_once(built: list[object]) -> None:
    person = person_model()
    for _ in range(3):
        person.validate({"name": "Ann"})
        with pytest.raises(BadRequest):
            person.validate({})
    assert len(built) == 1
    checker = jsonschema.FormatChecker()
    person.validate({"name": "Ann"}, format_checker=checker)
    person.validate({"name": "Ann"}, format_checker=checker)
    assert len(built) == 2
    # A checker made for each call does not grow the cache without end.
    for _ in range(20):
        person.validate({"name": "Ann"}, format_checker=jsonschema.FormatChecker())
    assert len(person._validators) <= 8


def test_validation_is_safe_under_threads(built: list[object]) -> None:
    person = person_model()

    def work() -> None:
        for i in range(200):
            person.validate({"name": str(i), "age": i})
            with pytest.raises(BadRequest) as info:
                person.validate({"age": str(i)})
            assert info.value.data["errors"] == {  # type: ignore[attr-defined]
                "name": "'name' is a required property",
                "age": f"'{i}' is not of type 'integer'",
            }

    run_in_threads(work)
    assert len(built) == 1


def test_problem_details_carry_the_errors(
    app: Flask, api: Api, client: FlaskClient
) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    serve(api, person_model())
    response = client.post("/payload", json={})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["errors"] == {"name": "'name' is a required property"}
    assert body["detail"] == "Input payload validation failed"


def test_without_jsonschema_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    monkeypatch.setitem(sys.modules, "jsonschema.validators", None)
    with pytest.raises(FlaskResourcesError, match=r"flask-resources\[restx\]"):
        person_model().validate({})


def test_a_valid_payload_is_passed_by_jsonschema_rs_when_installed() -> None:
    pytest.importorskip("jsonschema_rs", reason="needs the 'speed' extra")
    person = person_model()
    _, is_valid = person._validator(None, None)
    assert is_valid is not None
    assert is_valid({"name": "Ann", "age": 3})
    assert not is_valid({"age": "3"})
    person.validate({"name": "Ann", "age": 3})
    with pytest.raises(BadRequest) as info:
        person.validate({"age": "3"})
    assert info.value.data["errors"] == {  # type: ignore[attr-defined]
        "name": "'name' is a required property",
        "age": "'3' is not of type 'integer'",
    }


def test_jsonschema_has_the_last_word() -> None:
    # Python's re, which jsonschema uses, lets `\w` match "é" and `$` match
    # before a final newline; jsonschema-rs's regular expressions do not.
    # What jsonschema accepts is accepted, with or without jsonschema-rs.
    word = SchemaModel(
        "Word",
        {
            "type": "object",
            "properties": {"w": {"type": "string", "pattern": r"^\w+$"}},
        },
    )
    word.validate({"w": "é"})
    word.validate({"w": "abc\n"})
    with pytest.raises(BadRequest) as info:
        word.validate({"w": "a b"})
    assert info.value.data["errors"] == {  # type: ignore[attr-defined]
        "w": "'a b' does not match '^\\\\w+$'"
    }


def test_jsonschema_alone_checks_formats_and_outside_references() -> None:
    pytest.importorskip("jsonschema_rs", reason="needs the 'speed' extra")
    schema = person_model().__schema__
    assert model._fast_check(schema, None) is not None
    assert model._fast_check(schema, jsonschema.FormatChecker()) is None
    outside = {"type": "object", "properties": {"a": {"$ref": "http://x.test/a"}}}
    assert model._fast_check(outside, None) is None
    assert model._fast_check({"$id": "http://x.test/s", "type": "object"}, None) is None


def test_without_jsonschema_rs_jsonschema_checks_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    person = person_model()
    assert person._validator(None, None)[1] is None
    person.validate({"name": "Ann"})
    with pytest.raises(BadRequest):
        person.validate({})
