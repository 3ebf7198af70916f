"""Contract test: schemathesis checks the cats sample against its own
OpenAPI document, through the WSGI app, with positive and negative data."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
pytest.importorskip("flask_swagger_ui", reason="needs the 'docs' extra")
pytest.importorskip("sqlalchemy", reason="the cats sample needs the samples extra")
schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis")
hypothesis = pytest.importorskip("hypothesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samples.cats import create_app  # noqa: E402

TOKEN = "contract-token"

#: Generated requests per operation and generation mode: 6 operations x 2
#: modes x this many keeps the test to a few seconds.
MAX_EXAMPLES = 15

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def cats_app(tmp_path: t.Any) -> Flask:
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cats.sqlite3'}",
            "CATS_API_TOKEN": TOKEN,
        }
    )


def operations(app: Flask) -> list[t.Any]:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_cats_sample_keeps_its_contract(cats_app: Flask, mode: t.Any) -> None:
    found = operations(cats_app)
    assert {op.label for op in found} == {
        "GET /cats",
        "POST /cats",
        "GET /cats/{cat_id}",
        "PUT /cats/{cat_id}",
        "PATCH /cats/{cat_id}",
        "DELETE /cats/{cat_id}",
    }
    # Some cats to find, so that GET/PUT/PATCH/DELETE do not all 404.
    client = cats_app.test_client()
    for name in ("Tom", "Felix", "Garfield"):
        response = client.post(
            "/cats", json={"name": name}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.status_code == 201
    checks = CHECKS + ([negative_data_rejection] if mode.is_negative else [])
    for operation in found:
        strategy = operation.as_strategy(generation_mode=mode)

        @hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def check(case: t.Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {TOKEN}"}, checks=checks
            )

        check()


def test_cats_sample_document(cats_app: Flask) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    client = cats_app.test_client()
    spec = client.get("/openapi.json").get_json()
    validator.validate(spec)
    assert spec["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    get = spec["paths"]["/cats"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["page", "per_page"]
    assert set(get["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
    for path in spec["paths"].values():
        for verb, operation in path.items():
            assert operation["summary"]
            assert ("security" in operation) == (verb != "get")
    assert client.get("/docs").status_code == 200
