"""``expect`` with a pydantic model on the RESTX layer: the payload checked
by the model, Flask-RESTX's 400 body, and the model in the document."""

from __future__ import annotations

import json
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_resources import restx

pytest.importorskip("pydantic", reason="needs the 'pydantic' extra")

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

SECRET = "correct horse battery"
FAILED = "Input payload validation failed"


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    password: str = Field(min_length=8)


class Family(BaseModel):
    members: list[Member]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    api = restx.Api(app, validate=True)
    ns = api.namespace("families")
    created: list[t.Any] = []

    @ns.route("/")
    class Families(restx.Resource):
        @ns.expect(Family)
        def post(self) -> t.Any:
            created.append(api.payload)
            # The payload stays the decoded JSON, as with a RESTX model.
            return {"members": len(api.payload["members"])}, 201

        @ns.expect([Member])
        def put(self) -> t.Any:
            created.append(api.payload)
            return {"members": len(api.payload)}, 201

    loose = api.namespace("loose", validate=False)

    @loose.route("/")
    class Loose(restx.Resource):
        @loose.expect(Family)
        def post(self) -> t.Any:
            return {}, 201

    app.extensions["created"] = created
    return app.test_client()


def test_a_valid_payload_passes(client: FlaskClient) -> None:
    body = {"members": [{"name": "A", "password": SECRET}]}
    response = client.post("/families/", json=body)
    assert (response.status_code, response.get_json()) == (201, {"members": 1})


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"members": [{"name": 1, "password": "short"}]},
            {
                "members.0.name": "Input should be a valid string",
                "members.0.password": "String should have at least 8 characters",
            },
        ),
        ({"members": "x"}, {"members": "Input should be a valid list"}),
        ({}, {"members": "Field required"}),
        (
            {"members": [{"name": "A", "password": SECRET, "token": SECRET}]},
            {"members.0.token": "Extra inputs are not permitted"},
        ),
        ([1], {"": "Input should be a valid dictionary or instance of Family"}),
    ],
)
def test_an_invalid_payload_answers_restx_400(
    app: Flask, client: FlaskClient, body: t.Any, errors: dict[str, str]
) -> None:
    response = client.post("/families/", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"errors": errors, "message": FAILED}
    assert SECRET.encode() not in response.data
    assert app.extensions["created"] == []


def test_a_list_of_one_model_checks_each_item(app: Flask, client: FlaskClient) -> None:
    ok = client.put("/families/", json=[{"name": "A", "password": SECRET}])
    assert ok.status_code == 201
    bad = client.put("/families/", json=[{"name": "A", "password": SECRET}, {}])
    assert bad.status_code == 400
    assert bad.get_json()["errors"] == {
        "name": "Field required",
        "password": "Field required",
    }
    assert len(app.extensions["created"]) == 1


def test_unreadable_json_is_a_400(client: FlaskClient) -> None:
    response = client.post("/families/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/json"


def test_validate_false_skips_the_check(client: FlaskClient) -> None:
    assert client.post("/loose/", json={"members": 5}).status_code == 201


def test_the_model_is_in_the_document(client: FlaskClient) -> None:
    pytest.importorskip("apispec", reason="needs the 'openapi' extra")
    validator = pytest.importorskip("openapi_spec_validator")
    document = client.get("/swagger.json").get_json()
    validator.validate(document)
    post = document["paths"]["/families/"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Family"}
    put = document["paths"]["/families/"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Member"},
    }
    members = document["components"]["schemas"]["Family"]["properties"]["members"]
    assert members["items"] == {"$ref": "#/components/schemas/Member"}
    assert "$defs" not in json.dumps(document)
