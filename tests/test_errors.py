"""Errors in API routes become JSON; other routes keep Flask's pages."""

from __future__ import annotations

import logging
import typing as t

import pytest
from flask import Blueprint, Flask, got_request_exception
from flask import abort as flask_abort
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, Unauthorized

from flask_resources import Api, HTTPError, Resource, abort

NOT_FOUND = (
    "The requested URL was not found on the server. If you entered the URL"
    " manually please check your spelling and try again."
)


class Boom(Exception):
    pass


class Failing(Resource):
    def get(self) -> t.Any:
        raise Boom("secret detail 1234")


class Hello(Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}


@pytest.mark.parametrize(
    ("kwargs", "status", "body"),
    [
        ({}, 404, {"message": NOT_FOUND}),
        ({"message": "No such cat"}, 404, {"message": "No such cat"}),
        ({"message": "x", "cat_id": 3}, 404, {"message": "x", "cat_id": 3}),
        ({"errors": ["a"]}, 404, {"errors": ["a"]}),
    ],
)
def test_abort_body(
    client: t.Any, api: Api, kwargs: dict[str, t.Any], status: int, body: t.Any
) -> None:
    class Aborting(Resource):
        def get(self) -> t.Any:
            abort(404, **kwargs)

    api.add_resource(Aborting, "/a")
    resp = client.get("/a")
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json() == body


@pytest.mark.parametrize(
    "code", [400, 401, 403, 409, 410, 413, 415, 418, 422, 429, 503]
)
def test_abort_codes(client: t.Any, api: Api, code: int) -> None:
    class Aborting(Resource):
        def get(self) -> t.Any:
            abort(code, message="nope")

    api.add_resource(Aborting, "/a")
    resp = client.get("/a")
    assert resp.status_code == code
    assert resp.get_json() == {"message": "nope"}


def test_abort_unknown_code(client: t.Any, api: Api) -> None:
    class Aborting(Resource):
        def get(self) -> t.Any:
            abort(499, message="client closed")

    api.add_resource(Aborting, "/a")
    resp = client.get("/a")
    assert (resp.status_code, resp.get_json()) == (499, {"message": "client closed"})


def test_abort_raises_werkzeug_class() -> None:
    with pytest.raises(NotFound) as info:
        abort(404, message="gone")
    assert isinstance(info.value, HTTPError)
    assert info.value.data == {"message": "gone"}
    assert info.value.description == "gone"
    with pytest.raises(LookupError):
        abort(99)


def test_flask_abort_and_werkzeug_exceptions(client: t.Any, api: Api) -> None:
    class Raising(Resource):
        def get(self) -> t.Any:
            flask_abort(403)

        def post(self) -> t.Any:
            raise BadRequest("Custom description")

    api.add_resource(Raising, "/r")
    resp = client.get("/r")
    assert resp.status_code == 403
    assert resp.get_json()["message"].startswith("You don't have the permission")
    assert client.post("/r").get_json() == {"message": "Custom description"}


def test_exception_with_data_attribute(client: t.Any, api: Api) -> None:
    class Conflict(HTTPException):
        code = 409
        data = {"message": "taken", "field": "name"}

    class Raising(Resource):
        def get(self) -> t.Any:
            raise Conflict()

    api.add_resource(Raising, "/r")
    resp = client.get("/r")
    assert (resp.status_code, resp.get_json()) == (
        409,
        {"message": "taken", "field": "name"},
    )


def test_exception_with_response_is_sent_as_is(client: t.Any, api: Api) -> None:
    from flask import Response

    class Raising(Resource):
        def get(self) -> t.Any:
            raise HTTPException(response=Response("custom", status=402))

    api.add_resource(Raising, "/r")
    resp = client.get("/r")
    assert (resp.status_code, resp.data) == (402, b"custom")


def test_405_has_allow_and_json(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/hello")
    resp = client.delete("/hello")
    assert resp.status_code == 405
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert resp.get_json() == {
        "message": "The method is not allowed for the requested URL."
    }


def test_non_api_routes_keep_flask_html(app: Flask, api: Api) -> None:
    app.config["TESTING"] = False
    api.add_resource(Hello, "/hello")

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    @app.route("/broken")
    def broken() -> str:
        raise Boom("html")

    client = app.test_client()
    for resp, code in (
        (client.get("/missing"), 404),
        (client.post("/plain"), 405),
        (client.get("/broken"), 500),
    ):
        assert resp.status_code == code
        assert resp.mimetype == "text/html"
    assert client.post("/plain").headers["Allow"]


def test_non_api_exception_propagates_in_testing(app: Flask, api: Api) -> None:
    @app.route("/broken")
    def broken() -> str:
        raise Boom("propagated")

    with pytest.raises(Boom):
        app.test_client().get("/broken")


def test_unhandled_exception_is_generic_json_500(
    app: Flask, api: Api, production: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    api.add_resource(Failing, "/fail")
    caplog.set_level(logging.ERROR)
    resp = app.test_client().get("/fail")
    assert resp.status_code == 500
    assert resp.get_json() == {"message": "Internal Server Error"}
    assert b"secret" not in resp.data
    assert b"Traceback" not in resp.data
    assert "secret detail 1234" in caplog.text  # logged for the operator


def test_unhandled_exception_sends_signal(
    app: Flask, api: Api, production: Flask
) -> None:
    seen: list[BaseException] = []

    def record(sender: Flask, exception: BaseException, **extra: t.Any) -> None:
        seen.append(exception)

    api.add_resource(Failing, "/fail")
    with got_request_exception.connected_to(record, app):
        app.test_client().get("/fail")
    assert len(seen) == 1 and isinstance(seen[0], Boom)


def test_unhandled_exception_propagates_when_testing(app: Flask, api: Api) -> None:
    api.add_resource(Failing, "/fail")
    with pytest.raises(Boom):
        app.test_client().get("/fail")


def test_propagate_exceptions_config_wins(app: Flask, api: Api) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    api.add_resource(Failing, "/fail")
    assert app.test_client().get("/fail").status_code == 500


def test_errors_mapping(app: Flask) -> None:
    api = Api(app, errors={"Boom": {"message": "It blew up", "status": 418}})
    api.add_resource(Failing, "/fail")
    # Flask-RESTful ignored the mapping whenever exceptions propagate (in
    # testing and debug); it applies here in every mode.
    resp = app.test_client().get("/fail")
    assert resp.status_code == 418
    assert resp.get_json() == {"message": "It blew up", "status": 418}


def test_errors_mapping_for_http_exceptions(app: Flask) -> None:
    api = Api(
        app,
        errors={"NotFound": {"message": "Nothing here", "status": 404, "hint": "x"}},
    )

    class Missing(Resource):
        def get(self) -> t.Any:
            abort(404)

    api.add_resource(Missing, "/m")
    resp = app.test_client().get("/m")
    assert resp.status_code == 404
    assert resp.get_json() == {"message": "Nothing here", "status": 404, "hint": "x"}


def test_errors_mapping_without_status_is_500(app: Flask) -> None:
    api = Api(app, errors={"Boom": {"message": "no status"}})
    api.add_resource(Failing, "/fail")
    assert app.test_client().get("/fail").status_code == 500


def test_app_errorhandler_wins_for_api_routes(app: Flask, api: Api) -> None:
    @app.errorhandler(Boom)
    def handle_boom(e: Boom) -> t.Any:
        return {"handled": "by app"}, 599

    @app.errorhandler(404)
    def handle_404(e: NotFound) -> t.Any:
        return {"own": 404}, 404

    class Missing(Resource):
        def get(self) -> t.Any:
            abort(404, message="gone")

    api.add_resource(Failing, "/fail")
    api.add_resource(Missing, "/missing")
    client = app.test_client()
    assert client.get("/fail").get_json() == {"handled": "by app"}
    assert client.get("/missing").get_json() == {"own": 404}


def test_app_handler_registered_before_api_is_kept() -> None:
    app = Flask(__name__)

    @app.errorhandler(HTTPException)
    def handle_http(e: HTTPException) -> t.Any:
        return {"mine": e.code}, e.code or 500

    api = Api(app)
    api.add_resource(Hello, "/hello")
    assert app.test_client().post("/hello").get_json() == {"mine": 405}


def test_catch_all_404s(app: Flask) -> None:
    Api(app, catch_all_404s=True)
    resp = app.test_client().get("/nowhere")
    assert resp.status_code == 404
    assert resp.get_json() == {"message": NOT_FOUND}


def test_404_help(app: Flask) -> None:
    app.config["ERROR_404_HELP"] = True
    api = Api(app, catch_all_404s=True)
    api.add_resource(Hello, "/hello")
    api.add_resource(Hello, "/items/<int:item_id>", endpoint="item")
    client = app.test_client()
    message = client.get("/helo").get_json()["message"]
    assert message == (
        NOT_FOUND + " You have requested this URI [/helo] but did you mean /hello ?"
    )
    assert "/items/<int:item_id>" in client.get("/item").get_json()["message"]
    assert client.get("/zzzzzzzzzzzz").get_json() == {"message": NOT_FOUND}


def test_404_help_is_off_by_default(app: Flask) -> None:
    api = Api(app, catch_all_404s=True)
    api.add_resource(Hello, "/hello")
    assert app.test_client().get("/helo").get_json() == {"message": NOT_FOUND}


def test_406_without_default_mediatype(app: Flask) -> None:
    api = Api(app, default_mediatype=None)
    api.add_resource(Hello, "/hello")
    client = app.test_client()
    resp = client.get("/hello", headers={"Accept": "application/xml"})
    assert resp.status_code == 406
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json()["message"].startswith("The resource identified")
    # No Accept header states no preference: with no default, that is 406 too.
    assert client.get("/hello").status_code == 406
    assert client.get("/hello", headers={"Accept": "*/*"}).status_code == 200


def test_serve_challenge_on_401(app: Flask) -> None:
    app.config["HTTP_BASIC_AUTH_REALM"] = "cats"
    api = Api(app, serve_challenge_on_401=True)

    class Private(Resource):
        def get(self) -> t.Any:
            abort(401, message="log in")

        def post(self) -> t.Any:
            raise Unauthorized(www_authenticate=WWWAuthenticate("bearer"))

    api.add_resource(Private, "/private")
    client = app.test_client()
    resp = client.get("/private")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == 'Basic realm="cats"'
    assert resp.get_json() == {"message": "log in"}
    # A challenge of the exception's own is kept, not replaced.
    assert client.post("/private").headers["WWW-Authenticate"] == "Bearer"


def test_no_challenge_by_default(client: t.Any, api: Api) -> None:
    class Private(Resource):
        def get(self) -> t.Any:
            abort(401)

    api.add_resource(Private, "/private")
    assert "WWW-Authenticate" not in client.get("/private").headers


def test_handle_error_override(app: Flask) -> None:
    class MyApi(Api):
        def handle_error(self, e: Exception) -> t.Any:
            code = getattr(e, "code", 500)
            return self.make_response({"error": code}, code)

    api = MyApi(app)
    api.add_resource(Hello, "/hello")
    assert app.test_client().post("/hello").get_json() == {"error": 405}


class MarkingApi(Api):
    """An Api whose make_response override marks every response."""

    def make_response(self, data: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        resp = super().make_response(data, *args, **kwargs)
        resp.headers["X-Api"] = "mine"
        return resp


class Gone(Resource):
    def get(self) -> t.Any:
        abort(410, message="gone")


def test_make_response_override_renders_errors_too(app: Flask) -> None:
    # Flask-RESTful's handle_error answered through self.make_response, so
    # a subclass that adds to every response adds to error responses too.
    api = MarkingApi(app)
    api.add_resource(Hello, "/hello")
    api.add_resource(Gone, "/gone")
    client = app.test_client()
    assert client.get("/hello").headers["X-Api"] == "mine"
    resp = client.get("/gone")
    assert (resp.status_code, resp.get_json()) == (410, {"message": "gone"})
    assert resp.headers["X-Api"] == "mine"
    resp = client.post("/hello")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    assert resp.headers["X-Api"] == "mine"
    # Asked for what the Api cannot render, the error still comes as JSON.
    resp = client.get("/gone", headers={"Accept": "application/xml"})
    assert (resp.status_code, resp.mimetype) == (410, "application/json")
    assert resp.headers["X-Api"] == "mine"


def test_make_response_override_with_flask_restful_signature(app: Flask) -> None:
    # Overrides written for Flask-RESTful take (data, code, headers) only.
    class MyApi(Api):
        def make_response(
            self, data: t.Any, code: t.Any = 200, headers: t.Any = None
        ) -> t.Any:
            resp = super().make_response(data, code, headers)
            resp.headers["X-Api"] = "mine"
            return resp

    MyApi(app).add_resource(Gone, "/gone")
    resp = app.test_client().get("/gone")
    assert (resp.status_code, resp.headers["X-Api"]) == (410, "mine")


def test_errors_in_blueprint_api_and_blueprint_handlers_win(app: Flask) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    api = Api(bp)

    class Missing(Resource):
        def get(self) -> t.Any:
            abort(404, message="bp gone")

        def post(self) -> t.Any:
            raise Boom()

    @bp.errorhandler(Boom)
    def bp_boom(e: Boom) -> t.Any:
        return {"bp": "handled"}, 500

    api.add_resource(Missing, "/m")
    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/bp/m").get_json() == {"message": "bp gone"}
    assert client.post("/bp/m").get_json() == {"bp": "handled"}


class BadMojoError(HTTPException):
    """Flask-RESTful's docs: custom errors for `errors` subclass HTTPException."""


def test_http_exception_without_code_uses_errors_mapping(app: Flask) -> None:
    api = Api(app, errors={"BadMojoError": {"message": "go away", "status": 409}})

    class Mojo(Resource):
        def get(self) -> t.Any:
            raise BadMojoError("It burns..")

    api.add_resource(Mojo, "/mojo")
    resp = app.test_client().get("/mojo")
    assert resp.status_code == 409
    assert resp.get_json() == {"message": "go away", "status": 409}


def test_http_exception_without_code_is_a_json_500(
    app: Flask, production: Flask
) -> None:
    api = Api(app)

    class Mojo(Resource):
        def get(self) -> t.Any:
            raise BadMojoError("It burns..")

    api.add_resource(Mojo, "/mojo")
    resp = app.test_client().get("/mojo")
    assert resp.status_code == 500
    assert resp.get_json() == {"message": "It burns.."}


@pytest.mark.parametrize("data", [["a", "b"], "oops", {"field": "x"}])
def test_http_exception_data_of_any_shape_is_the_body(
    app: Flask, client: t.Any, api: Api, data: t.Any
) -> None:
    # A body that is not an object is outside the documented error schema,
    # which response validation (on under testing) would rightly refuse.
    app.config["RESOURCES_VALIDATE_RESPONSES"] = False

    class Raising(Resource):
        def get(self) -> t.Any:
            error = BadRequest()
            error.data = data  # type: ignore[attr-defined]
            raise error

    api.add_resource(Raising, "/r")
    resp = client.get("/r")
    assert (resp.status_code, resp.get_json()) == (400, data)


class Teapot(Exception):
    def __init__(self) -> None:
        super().__init__("internal detail")
        self.data = {"message": "short and stout", "spout": True}


def test_data_of_mapped_exception_is_the_body(app: Flask) -> None:
    api = Api(app, errors={"Teapot": {"status": 418}})

    class Raising(Resource):
        def get(self) -> t.Any:
            raise Teapot()

    api.add_resource(Raising, "/r")
    resp = app.test_client().get("/r")
    assert resp.status_code == 418
    assert resp.get_json() == {
        "message": "short and stout",
        "spout": True,
        "status": 418,
    }


def test_data_of_unmapped_exception_is_not_leaked(
    app: Flask, api: Api, production: Flask
) -> None:
    class Raising(Resource):
        def get(self) -> t.Any:
            raise Teapot()

    api.add_resource(Raising, "/r")
    resp = app.test_client().get("/r")
    assert (resp.status_code, resp.get_json()) == (
        500,
        {"message": "Internal Server Error"},
    )


def test_abort_without_body_has_no_data_attribute() -> None:
    with pytest.raises(NotFound) as info:
        abort(404)
    assert not hasattr(info.value, "data")
    assert isinstance(info.value, HTTPError)
    assert info.value.get_data() == {"message": NOT_FOUND}


def test_make_response_override_without_default_mediatype(app: Flask) -> None:
    # No default media type and an Accept the Api cannot render: the
    # override gets the error's media type as its fallback, not a 406.
    MarkingApi(app, default_mediatype=None).add_resource(Gone, "/gone")
    resp = app.test_client().get("/gone", headers={"Accept": "application/xml"})
    assert (resp.status_code, resp.mimetype) == (410, "application/json")
    assert resp.get_json() == {"message": "gone"}
    assert resp.headers["X-Api"] == "mine"


class Quiet(Api):
    """Error bodies without messages, the 404 help always on, its own realm."""

    default_realm = "quiet"

    def include_error_message(self) -> bool:
        return False

    def help_on_404(self) -> bool:
        return True


def test_include_error_message_hook(app: Flask) -> None:
    api = Quiet(app, catch_all_404s=True, serve_challenge_on_401=True)

    class Errors(Resource):
        def get(self, kind: str) -> t.Any:
            if kind == "abort":
                abort(403)
            if kind == "given":
                abort(403, message="kept", code=7)
            if kind == "werkzeug":
                flask_abort(401)
            raise Boom("hidden")

    api.add_resource(Errors, "/errors/<kind>")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    assert client.get("/errors/abort").get_json() == {}
    assert client.get("/errors/given").get_json() == {"message": "kept", "code": 7}
    resp = client.get("/errors/werkzeug")
    assert resp.get_json() == {}
    assert resp.headers["WWW-Authenticate"] == 'Basic realm="quiet"'
    assert client.get("/errors/boom").get_json() == {}
    # No message, so no "did you mean" either.
    assert client.get("/error").get_json() == {}


def test_translate_error_hook(app: Flask) -> None:
    class Translating(Api):
        def translate_error(self, e: Exception) -> HTTPException | None:
            if isinstance(e, Boom):
                return BadRequest("translated")
            return super().translate_error(e)

    api = Translating(app)
    api.add_resource(Failing, "/fail")
    resp = app.test_client().get("/fail")
    assert resp.status_code == 400
    assert resp.get_json() == {"message": "translated"}
