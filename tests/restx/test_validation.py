"""Payloads validated against Flask-RESTX models with jsonschema: RESTX's
400 body, references between models, format checks, the validator cache."""

from __future__ import annotations

import sys
import threading
import typing as t

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.exceptions import BadRequest

from flask_resources import Api, Resource, fields
from flask_resources.exceptions import FlaskResourcesError
from flask_resources.restx import Model, SchemaModel, model

jsonschema = pytest.importorskip("jsonschema", reason="needs the 'restx' extra")

# The core fields stand in for flask_resources.restx.fields here.


def required(field: fields.Raw) -> fields.Raw:
    field.required = True  # type: ignore[attr-defined]
    return field


class IPv4(fields.String):
    openapi_schema = {"type": "string", "format": "ipv4"}


def person_model() -> Model:
    return Model(
        "Person",
        {
            "name": required(fields.String()),
            "age": fields.Integer,
        },
    )


def serve(api: Api, expect: t.Any, **options: t.Any) -> None:
    """A resource whose POST validates its JSON body against ``expect``,
    as restx's Resource does for ``@expect(model, validate=True)``."""

    class Payload(Resource):
        def post(self) -> t.Any:
            expect.validate(request.get_json(), **options)
            return {"ok": True}

    api.add_resource(Payload, "/payload")


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
        {"name": required(fields.String()), "age": required(fields.Integer())},
    )
    family = Model(
        "Family",
        {
            "name": required(fields.String()),
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


def test_a_payload_of_the_wrong_type_is_keyed_empty(
    api: Api, client: FlaskClient
) -> None:
    serve(api, person_model())
    body = post(client, [{"name": "Ann"}], 400)
    assert body["errors"] == {"": "[{'name': 'Ann'}] is not of type 'object'"}


def test_inherited_fields_are_validated_through_all_of(
    api: Api, client: FlaskClient
) -> None:
    parent = Model("Parent", {"name": required(fields.String())})
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
    node = Model("Node", {"value": required(fields.Integer())})
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

    serve(api, ip, format_checker=jsonschema.FormatChecker())
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
    address = Model("Address", {"road": required(fields.String())})
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
    serve(api, person, resolver={"Address": address, "Person": person})
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


def test_the_validator_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    original = model._build_validator

    def counting(*args: t.Any) -> t.Any:
        built.append(args)
        return original(*args)

    monkeypatch.setattr(model, "_build_validator", counting)
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


def test_validation_is_safe_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    original = model._build_validator

    def counting(*args: t.Any) -> t.Any:
        built.append(args)
        return original(*args)

    monkeypatch.setattr(model, "_build_validator", counting)
    person = person_model()
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        try:
            for i in range(200):
                person.validate({"name": str(i), "age": i})
                with pytest.raises(BadRequest) as info:
                    person.validate({"age": str(i)})
                assert info.value.data["errors"] == {  # type: ignore[attr-defined]
                    "name": "'name' is a required property",
                    "age": f"'{i}' is not of type 'integer'",
                }
        except BaseException as e:  # noqa: B036 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []
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
