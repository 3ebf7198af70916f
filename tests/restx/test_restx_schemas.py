"""``restx.schemas``: OpenAPI documents checked against their version's
schema, as Flask-RESTX's ``schemas.validate`` did, 3.1 included."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from flask_resources.restx import (
    Api,
    Model,
    Resource,
    errors,
    fields,
    marshal_with,
    schemas,
)

pytest.importorskip("openapi_spec_validator", reason="ships the OpenAPI schemas")
pytest.importorskip("jsonschema", reason="needs the 'restx' extra")

INFO = {"title": "Minimal", "version": "1.0"}


def test_schemas_load_on_first_use() -> None:
    schema = schemas.LazySchema("oas-2.0.json")
    assert schema._schema is None
    assert "swagger" not in schema
    assert isinstance(schema._schema, dict)
    assert schemas.VERSIONS["2.0"] is schemas.OAS_20


@pytest.mark.parametrize(
    "document",
    [
        {"swagger": "2.0", "info": INFO, "paths": {}},
        {"openapi": "3.0.3", "info": INFO, "paths": {}},
        {"openapi": "3.1.0", "info": INFO, "paths": {}},
    ],
)
def test_valid_documents_pass(document: dict[str, t.Any]) -> None:
    assert schemas.validate(document) is True


def test_an_invalid_document_lists_every_misfit() -> None:
    with pytest.raises(schemas.SchemaValidationError) as info:
        schemas.validate({"swagger": "2.0", "should": "not be here"})
    error = info.value
    assert isinstance(error, errors.ValidationError)
    assert len(error.errors) >= 2
    assert str(error).startswith("OpenAPI 2.0 validation failed\n- ")


@pytest.mark.parametrize("document", [{"valid": "no"}, {"swagger": "42.0"}])
def test_an_unknown_version_is_a_specs_error(document: dict[str, t.Any]) -> None:
    with pytest.raises(errors.SpecsError):
        schemas.validate(document)


def test_the_document_of_an_api_is_valid_openapi_3_1(app: Flask, api: Api) -> None:
    pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
    person = Model("Person", {"name": fields.String})

    class People(Resource):
        @marshal_with(person)
        def get(self) -> t.Any:
            return {}

    api.add_resource(People, "/people")
    with app.app_context():
        assert schemas.validate(api.openapi()) is True
