"""restx errors: abort, the error classes, and error handlers answering as
Flask-RESTX's do, through the core error path."""

from __future__ import annotations

import logging
import typing as t

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from flask_resources import FlaskResourcesError, restx
from flask_resources.restx.mask import MaskError, ParseError

NOT_FOUND = NotFound.description


class Custom(RuntimeError):
    pass


class Blunder(Exception):
    pass


@pytest.fixture
def production(app: Flask) -> Flask:
    """Exceptions answered, not re-raised, as outside tests."""
    app.config["TESTING"] = False
    return app


def raising(api: restx.Api | restx.Namespace, error: BaseException) -> None:
    @api.route("/fail")
    class Fail(restx.Resource):
        def get(self) -> t.Any:
            raise error


def test_abort_raises_werkzeugs_class_with_data() -> None:
    with pytest.raises(NotFound) as caught:
        restx.abort(404, "No such cat", id=3)
    assert caught.value.data == {"message": "No such cat", "id": 3}  # type: ignore[attr-defined]
    with pytest.raises(HTTPException) as bare:
        restx.abort(404)
    assert not hasattr(bare.value, "data")
    with pytest.raises(HTTPException) as server:
        restx.abort()
    assert server.value.code == 500


@pytest.mark.parametrize(
    ("args", "kwargs", "body"),
    [
        ((403,), {}, {"message": "You don't have the permission"}),
        ((403, "A message"), {}, {"message": "A message"}),
        ((403,), {"message": 42}, {"message": "42"}),
        ((403, None), {"reason": "x"}, {"reason": "x"}),
    ],
)
def test_api_abort_bodies(
    app: Flask, api: restx.Api, args: t.Any, kwargs: t.Any, body: t.Any
) -> None:
    @api.route("/deny")
    class Deny(restx.Resource):
        def get(self) -> t.Any:
            api.abort(*args, **kwargs)

    resp = app.test_client().get("/deny")
    assert resp.status_code == 403
    assert resp.headers["Content-Type"] == "application/json"
    data = resp.get_json()
    if args == (403,) and not kwargs:
        assert data["message"].startswith(body["message"])
    else:
        assert data == body


def test_error_classes() -> None:
    error = restx.ValidationError("bad value")
    assert str(error) == "bad value"
    assert error.msg == "bad value"
    assert isinstance(error, restx.RestError)
    assert isinstance(restx.SpecsError("x"), FlaskResourcesError)


@pytest.mark.parametrize(
    ("result", "status", "body", "headers"),
    [
        (
            ({"message": "m", "test": "value"}, 400),
            400,
            {"message": "m", "test": "value"},
            {},
        ),
        (({"test": "value"}, 400), 400, {"test": "value", "message": "error"}, {}),
        ({"test": "value"}, 500, {"test": "value", "message": "error"}, {}),
        (
            ({"message": "maintenance"}, 503, {"Retry-After": 120}),
            503,
            {"message": "maintenance"},
            {"Retry-After": "120"},
        ),
        ((["a", "list"], 409), 409, ["a", "list"], {}),
    ],
)
def test_errorhandler_answers(
    production: Flask,
    api: restx.Api,
    client: FlaskClient,
    result: t.Any,
    status: int,
    body: t.Any,
    headers: dict[str, str],
) -> None:
    raising(api, Custom("error"))

    @api.errorhandler(RuntimeError)
    def handle(error: Exception) -> t.Any:
        return result

    resp = client.get("/fail")
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json() == body
    for name, value in headers.items():
        assert resp.headers[name] == value


def test_errorhandler_applies_under_propagate_exceptions(
    app: Flask, api: restx.Api, client: FlaskClient
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = True
    raising(api, Custom("error"))
    api.errorhandler(Custom)(lambda error: ({"message": str(error)}, 400))
    assert client.get("/fail").get_json() == {"message": "error"}


def test_first_registered_handler_wins(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    raising(api, Custom("error"))
    api.errorhandler(Exception)(lambda error: ({"by": "Exception"}, 400))
    api.errorhandler(Custom)(lambda error: ({"by": "Custom"}, 400))
    assert client.get("/fail").get_json()["by"] == "Exception"


def test_namespace_handlers_apply_after_the_apis(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    ns = restx.Namespace("handled", path="/")
    raising(ns, Custom("error"))
    ns.errorhandler(Custom)(lambda error: ({"by": "namespace"}, 400))
    api.add_namespace(ns)
    assert client.get("/fail").get_json() == {"by": "namespace", "message": "error"}
    api.errorhandler(RuntimeError)(lambda error: ({"by": "api"}, 400))
    assert client.get("/fail").get_json()["by"] == "api"


def test_handler_for_an_http_error(api: restx.Api, client: FlaskClient) -> None:
    raising(api, BadRequest())
    api.errorhandler(BadRequest)(lambda error: ({"message": str(error)}, 400))
    assert client.get("/fail").get_json() == {"message": str(BadRequest())}


def test_default_errorhandler(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    raising(api, Exception("error"))

    @api.route("/missing")
    class Missing(restx.Resource):
        def get(self) -> t.Any:
            api.abort(404)

    @api.errorhandler
    def default(error: Exception) -> t.Any:
        return {"message": str(error), "test": "value"}, 500

    assert client.get("/fail").get_json() == {"message": "error", "test": "value"}
    # Not for HTTP errors.
    assert client.get("/missing").get_json() == {"message": NOT_FOUND}


def test_default_errorhandler_not_used_when_propagating(
    app: Flask, api: restx.Api, client: FlaskClient
) -> None:
    raising(api, Blunder("error"))
    api.errorhandler(lambda error: ({}, 500))
    with pytest.raises(Blunder):
        client.get("/fail")


def test_namespace_default_handler_is_kept_but_unused(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    ns = api.namespace("ns")
    raising(ns, Blunder("error"))

    def handler(error: Exception) -> t.Any:
        return {"by": "namespace"}, 418

    assert ns.errorhandler(handler) is handler
    assert ns.default_error_handler is handler
    resp = client.get("/ns/fail")
    assert resp.status_code == 500
    assert resp.get_json() == {"message": "Internal Server Error"}


def test_handled_errors_send_no_signal_below_500(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    raising(api, Custom("error"))
    api.errorhandler(Custom)(lambda error: ({}, 400))
    recorded: list[BaseException] = []

    def record(sender: t.Any, exception: BaseException, **extra: t.Any) -> None:
        recorded.append(exception)

    got_request_exception.connect(record, production)
    try:
        assert client.get("/fail").status_code == 400
    finally:
        got_request_exception.disconnect(record, production)
    assert recorded == []


def test_blunder_in_a_handler_is_logged_and_a_500(
    production: Flask,
    api: restx.Api,
    client: FlaskClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    raising(api, Custom("error"))

    @api.errorhandler(Custom)
    def handle(error: Exception) -> t.Any:
        raise Blunder("in the handler")

    with caplog.at_level(logging.ERROR):
        resp = client.get("/fail")
    assert resp.status_code == 500
    assert resp.headers["Content-Type"] == "application/json"
    exc_info = caplog.records[0].exc_info
    assert exc_info is not None and exc_info[0] is Blunder


def test_error_include_message_false(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    production.config["ERROR_INCLUDE_MESSAGE"] = False
    raising(api, Custom("error"))

    @api.route("/missing")
    class Missing(restx.Resource):
        def get(self) -> t.Any:
            api.abort(404)

    assert client.get("/missing").get_json() == {}
    assert client.get("/fail").get_json() == {}
    api.errorhandler(Custom)(lambda error: ({"test": "value"}, 400))
    assert client.get("/fail").get_json() == {"test": "value"}


def test_challenge_on_401_names_restx(app: Flask) -> None:
    api = restx.Api(app, serve_challenge_on_401=True)

    @api.route("/private")
    class Private(restx.Resource):
        def get(self) -> t.Any:
            api.abort(401)

    client = app.test_client()
    resp = client.get("/private")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == 'Basic realm="flask-restx"'
    app.config["HTTP_BASIC_AUTH_REALM"] = "cats"
    assert client.get("/private").headers["WWW-Authenticate"] == 'Basic realm="cats"'


@pytest.mark.parametrize("key", ["RESTX_ERROR_404_HELP", "ERROR_404_HELP"])
def test_404_help(app: Flask, key: str) -> None:
    api = restx.Api(app, catch_all_404s=True)
    api.add_resource(restx.Resource, "/foo", endpoint="foo")
    client = app.test_client()
    assert client.get("/fOo").get_json() == {"message": NOT_FOUND}
    app.config[key] = True
    assert "did you mean /foo ?" in client.get("/fOo").get_json()["message"]


def test_mask_errors_answer_400(
    production: Flask, api: restx.Api, client: FlaskClient
) -> None:
    @api.route("/masked/<kind>")
    class Masked(restx.Resource):
        def get(self, kind: str) -> t.Any:
            raise (ParseError if kind == "parse" else MaskError)("bad {mask")

    resp = client.get("/masked/parse")
    assert resp.status_code == 400
    assert resp.get_json() == {"message": "Mask parse error: bad {mask"}
    assert client.get("/masked/other").get_json() == {
        "message": "Mask error: bad {mask"
    }

    # Flask-RESTX's own mask handlers come before an Api's catch-all one,
    # and a handler for the mask errors themselves replaces them.
    @api.errorhandler(Exception)
    def everything(error: Exception) -> tuple[dict[str, str], int]:
        return {"message": "caught"}, 500

    assert client.get("/masked/parse").get_json() == {
        "message": "Mask parse error: bad {mask"
    }

    @api.errorhandler(MaskError)
    def own(error: Exception) -> tuple[dict[str, str], int]:
        return {"message": f"own: {error}"}, 422

    resp = client.get("/masked/other")
    assert (resp.status_code, resp.get_json()) == (422, {"message": "own: bad {mask"})
