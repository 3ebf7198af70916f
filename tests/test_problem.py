"""RFC 9457 problem details with RESOURCES_ERROR_FORMAT = "problem"."""

from __future__ import annotations

import typing as t

import marshmallow as ma
import pytest
from flask import Flask

from flask_resources import Api, Resource, abort, reqparse, use_args

PROBLEM = "application/problem+json"


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(TESTING=True, RESOURCES_ERROR_FORMAT="problem")
    return app


class Cats(Resource):
    parser = reqparse.RequestParser().add_argument("age", type=int, location="args")

    def get(self) -> t.Any:
        self.parser.parse_args()
        abort(404, message="No such cat.", cat_id=3)

    @use_args({"name": ma.fields.Str(required=True)})
    def post(self, body: t.Any) -> t.Any:
        return body, 201


def test_abort(client: t.Any, api: Api) -> None:
    api.add_resource(Cats, "/cats")
    resp = client.get("/cats")
    assert resp.status_code == 404
    assert resp.headers["Content-Type"] == PROBLEM
    body = resp.get_json()
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No such cat.",
        "instance": "/cats",
        "cat_id": 3,
    }
    assert list(body)[:5] == ["type", "title", "status", "detail", "instance"]


def test_reqparse_errors(client: t.Any, api: Api) -> None:
    api.add_resource(Cats, "/cats")
    resp = client.get("/cats?age=old")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["title"] == "Bad Request"
    assert body["detail"] == "Invalid request arguments: 'age'."
    assert set(body["errors"]) == {"age"}
    assert "message" not in body


def test_use_args_errors(client: t.Any, api: Api) -> None:
    api.add_resource(Cats, "/cats")
    resp = client.post("/cats", json={})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == PROBLEM
    body = resp.get_json()
    assert body["detail"] == "Invalid JSON body: invalid field 'name'."
    assert body["errors"] == {"json": {"name": ["Missing data for required field."]}}


def test_use_args_422(app: Flask, client: t.Any, api: Api) -> None:
    app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = 422
    api.add_resource(Cats, "/cats")
    body = client.post("/cats", json={"name": 3}).get_json()
    assert (body["status"], body["title"]) == (422, "Unprocessable Entity")


def test_unhandled_exception(production: Flask, client: t.Any, api: Api) -> None:
    class Failing(Resource):
        def get(self) -> t.Any:
            raise RuntimeError("secret 1234")

    api.add_resource(Failing, "/f")
    resp = client.get("/f")
    assert resp.status_code == 500
    assert resp.headers["Content-Type"] == PROBLEM
    assert resp.get_json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "instance": "/f",
    }


def test_routing_errors(app: Flask, client: t.Any) -> None:
    api = Api(app, catch_all_404s=True)
    api.add_resource(Cats, "/cats")
    resp = client.get("/nowhere")
    assert resp.headers["Content-Type"] == PROBLEM
    assert resp.get_json()["status"] == 404
    resp = client.delete("/cats")
    assert resp.status_code == 405
    assert resp.headers["Content-Type"] == PROBLEM
    assert "GET" in resp.headers["Allow"]
    assert resp.get_json()["title"] == "Method Not Allowed"


def test_abort_sets_members(client: t.Any, api: Api) -> None:
    class Conflict(Resource):
        def get(self) -> t.Any:
            abort(
                409,
                type="https://example.com/probs/taken",
                title="Name taken",
                message="Tom is taken.",
                instance="/cats/1",
                balance=30,
            )

    api.add_resource(Conflict, "/c")
    assert client.get("/c").get_json() == {
        "type": "https://example.com/probs/taken",
        "title": "Name taken",
        "status": 409,
        "detail": "Tom is taken.",
        "instance": "/cats/1",
        "balance": 30,
    }


def test_custom_errors_mapping(app: Flask, client: t.Any) -> None:
    class Taken(Exception):
        pass

    class Raising(Resource):
        def get(self) -> t.Any:
            raise Taken()

    api = Api(app, errors={"Taken": {"message": "Taken.", "status": 409}})
    api.add_resource(Raising, "/r")
    resp = client.get("/r")
    assert resp.status_code == 409
    assert resp.get_json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "Taken.",
        "instance": "/r",
    }


def test_problem_accept_header(client: t.Any, api: Api) -> None:
    api.add_resource(Cats, "/cats")
    resp = client.get("/cats", headers={"Accept": PROBLEM})
    assert resp.status_code == 404
    assert resp.headers["Content-Type"] == PROBLEM


def test_default_stays_restful(app: Flask, client: t.Any, api: Api) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "restful"
    api.add_resource(Cats, "/cats")
    resp = client.get("/cats")
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json() == {"message": "No such cat.", "cat_id": 3}


def test_bad_setting(app: Flask, client: t.Any, api: Api) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "xml"
    api.add_resource(Cats, "/cats")
    with pytest.raises(ValueError, match="RESOURCES_ERROR_FORMAT"):
        client.get("/cats")


def test_successes_untouched(client: t.Any, api: Api) -> None:
    api.add_resource(Cats, "/cats")
    resp = client.post("/cats", json={"name": "Tom"})
    assert resp.status_code == 201
    assert resp.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("source", ["any", "reqparse", "use_args"])
@pytest.mark.parametrize("problem", [False, True])
def test_error_body_schema_describes_real_bodies(
    app: Flask, client: t.Any, api: Api, source: str, problem: bool
) -> None:
    from flask_resources.errors import error_body_schema

    app.config["RESOURCES_ERROR_FORMAT"] = "problem" if problem else "restful"
    api.add_resource(Cats, "/cats")
    if source == "reqparse":
        body = client.get("/cats?age=old").get_json()
    elif source == "use_args":
        body = client.post("/cats", json={}).get_json()
    else:
        body = client.get("/cats").get_json()
    schema = error_body_schema(source, problem=problem)  # type: ignore[arg-type]
    assert set(schema["required"]) <= set(body)
    errors = schema["properties"].get("errors")
    if errors is None:
        assert "errors" not in body
        if source == "reqparse":
            assert isinstance(body["message"], dict)
    else:
        nested = errors["additionalProperties"]
        for value in body["errors"].values():
            if nested["type"] == "object":
                assert all(isinstance(v, list) for v in value.values())
            else:
                assert isinstance(value, str)
