"""Flask-Limiter with resources (flask_resources.ratelimit): 429 in the
Api's error format with Retry-After, and the 429 in the OpenAPI document."""

from __future__ import annotations

import sys
import typing as t

import pytest
from flask import Flask, make_response

pytest.importorskip("flask_limiter", reason="needs the 'ratelimit' extra")
pytest.importorskip("apispec", reason="needs the 'openapi' extra")

from flask_limiter import Limiter  # noqa: E402
from flask_limiter.util import get_remote_address  # noqa: E402

from flask_resources import Api, Resource, doc  # noqa: E402
from flask_resources.ratelimit import (  # noqa: E402
    RATE_LIMITED,
    api_limiter,
    rate_limited,
)


def limiter_for(app: Flask, api: Api, **options: t.Any) -> Limiter:
    return api_limiter(
        Limiter(get_remote_address, app=app, storage_uri="memory://", **options),
        api,
    )


def test_over_the_limit_is_a_429_in_the_api_format(app: Flask) -> None:
    api = Api(app)
    limiter = limiter_for(app, api)

    class Cats(Resource):
        @limiter.limit("2 per minute")
        def post(self) -> t.Any:
            return {"id": 1}, 201

        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert [client.post("/cats").status_code for _ in range(2)] == [201, 201]
    response = client.post("/cats")
    assert response.status_code == 429
    assert response.mimetype == "application/json"
    assert response.get_json() == {"message": "2 per 1 minute"}
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    # Only the limited verb is limited.
    assert client.get("/cats").status_code == 200


def test_problem_details_and_the_limits_error_message(app: Flask) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    api = Api(app)
    limiter = limiter_for(app, api)

    class Cats(Resource):
        method_decorators = {
            "post": [limiter.limit("1/hour", error_message="Slow down.")]
        }

        def post(self) -> t.Any:
            return {"id": 1}, 201

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert client.post("/cats").status_code == 201
    response = client.post("/cats")
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 429 and body["detail"] == "Slow down."
    assert 3500 <= int(response.headers["Retry-After"]) <= 3601


def test_default_limits_answer_like_the_api(app: Flask) -> None:
    api = Api(app)
    limiter_for(app, api, default_limits=["1 per minute"])

    @rate_limited
    class Cats(Resource):
        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert client.get("/cats").status_code == 200
    response = client.get("/cats")
    assert response.status_code == 429
    assert response.get_json() == {"message": "1 per 1 minute"}
    assert "Retry-After" in response.headers
    with app.app_context():
        responses = api.openapi()["paths"]["/cats"]["get"]["responses"]
    assert "429" in responses


def test_limited_operations_document_their_429(app: Flask) -> None:
    api = Api(app)
    limiter = limiter_for(app, api)

    class Cats(Resource):
        @limiter.limit("5/second")
        def post(self) -> t.Any:
            return {}, 201

        @limiter.shared_limit("5/second", scope="cats")
        def put(self) -> t.Any:
            return {}

        @doc(responses={429: RATE_LIMITED})
        def patch(self) -> t.Any:
            return {}

        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    with app.app_context():
        cats = api.openapi()["paths"]["/cats"]
    for verb in ("post", "put", "patch"):
        too_many = cats[verb]["responses"]["429"]
        assert too_many["headers"]["Retry-After"]["schema"] == {
            "type": "integer",
            "minimum": 0,
        }
        schema = too_many["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    assert "429" not in cats["get"]["responses"]


def test_the_429_validates_against_the_document(app: Flask) -> None:
    pytest.importorskip("jsonschema", reason="needs the 'validation' extra")
    api = Api(app)
    assert api.validates_responses(app)
    limiter = limiter_for(app, api)

    class Cats(Resource):
        @limiter.limit("1/minute")
        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert client.get("/cats").status_code == 200
    assert client.get("/cats").status_code == 429


def test_flask_limiters_headers_and_ours_agree(app: Flask) -> None:
    api = Api(app)
    limiter = limiter_for(app, api, headers_enabled=True)

    class Cats(Resource):
        @limiter.limit("1/minute")
        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert client.get("/cats").headers["X-RateLimit-Remaining"] == "0"
    response = client.get("/cats")
    assert response.status_code == 429
    assert response.headers.getlist("Retry-After") == [response.headers["Retry-After"]]
    assert 1 <= int(response.headers["Retry-After"]) <= 61


def test_an_on_breach_response_is_answered_as_it_is(app: Flask) -> None:
    api = Api(app)
    limiter = limiter_for(app, api)

    def breach(limit: t.Any) -> t.Any:
        return make_response("calm down", 429)

    class Cats(Resource):
        @limiter.limit("1/minute", on_breach=breach)
        def get(self) -> t.Any:
            return []

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    client.get("/cats")
    response = client.get("/cats")
    assert (response.status_code, response.data) == (429, b"calm down")


def test_a_limit_still_works_as_a_context_manager(app: Flask) -> None:
    from flask_limiter.errors import RateLimitExceeded

    api = Api(app)
    limiter = limiter_for(app, api)

    class Cats(Resource):
        def get(self) -> t.Any:
            try:
                with limiter.limit("1/minute"):
                    return {"expensive": True}
            except RateLimitExceeded:
                return {"expensive": False}

    api.add_resource(Cats, "/cats")
    client = app.test_client()
    assert client.get("/cats").get_json() == {"expensive": True}
    assert client.get("/cats").get_json() == {"expensive": False}


def test_without_flask_limiter_names_the_extra(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "flask_limiter.errors", None)
    with pytest.raises(
        ImportError, match=r"pip install 'flask-resources\[ratelimit\]'"
    ):
        api_limiter(object(), Api(app))
