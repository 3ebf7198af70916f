"""What a WSGI server gets back from the app: a JSON body as a plain list of
bytes when nothing is left to run on close, Werkzeug's closing iterator
otherwise (issue 27)."""

from __future__ import annotations

import copy
import json
import pickle
import typing as t

import pytest
from flask import Flask, Response
from werkzeug.test import EnvironBuilder

from flask_resources import Api, Resource, restx


class Cat(Resource):
    def get(self) -> t.Any:
        return {"name": "Tom"}

    def post(self) -> t.Any:
        return {"name": "Tom"}, 201

    def put(self) -> t.Any:
        return "", 204


def serve(
    app: Flask, method: str = "GET", path: str = "/cat"
) -> tuple[t.Iterable[bytes], str, list[tuple[str, str]]]:
    """Call the app as a WSGI server does; the iterable is returned
    unconsumed, with the status and headers start_response was given."""
    environ = EnvironBuilder(path=path, method=method).get_environ()
    started: list[t.Any] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> None:
        started[:] = [status, headers]

    body = app(environ, start_response)
    return body, started[0], started[1]


def responses_of(app: Flask) -> list[Response]:
    """The response objects the app's requests end with, as an
    ``after_request`` function sees them, in order."""
    seen: list[Response] = []

    @app.after_request
    def keep(resp: Response) -> Response:
        seen.append(resp)
        return resp

    return seen


@pytest.fixture
def cats(app: Flask) -> Flask:
    Api(app).add_resource(Cat, "/cat")
    return app


@pytest.mark.parametrize("encoder", ["json", "orjson"])
def test_json_body_is_a_list(cats: Flask, encoder: str) -> None:
    if encoder == "orjson":
        pytest.importorskip("orjson")
    cats.config["RESOURCES_JSON_ENCODER"] = encoder
    for method, status in (("GET", "200 OK"), ("POST", "201 CREATED")):
        body, got, headers = serve(cats, method)
        assert type(body) is list
        assert got == status
        assert json.loads(b"".join(body)) == {"name": "Tom"}
        length = dict(headers)["Content-Length"]
        assert int(length) == len(b"".join(body))


def test_callbacks_on_close_still_run_after_the_body(cats: Flask) -> None:
    events: list[str] = []

    @cats.after_request
    def later(resp: Response) -> Response:
        resp.call_on_close(lambda: events.append("closed"))
        return resp

    body, _, _ = serve(cats)
    assert type(body) is not list
    assert events == []
    assert json.loads(b"".join(body)) == {"name": "Tom"}
    assert events == []
    body.close()  # type: ignore[attr-defined]
    assert events == ["closed"]


def test_a_body_replaced_after_the_request_is_what_is_sent(cats: Flask) -> None:
    @cats.after_request
    def stream(resp: Response) -> Response:
        resp.response = (chunk for chunk in (b'{"name":', b' "Jerry"}'))
        return resp

    body, _, _ = serve(cats)
    assert type(body) is not list
    assert json.loads(b"".join(body)) == {"name": "Jerry"}


@pytest.mark.parametrize(
    ("method", "status"), [("HEAD", "200 OK"), ("PUT", "204 NO CONTENT")]
)
def test_empty_answers_stay_empty(cats: Flask, method: str, status: str) -> None:
    body, got, _ = serve(cats, method)
    assert got == status
    assert b"".join(body) == b""


def test_the_apps_response_class_is_kept(app: Flask) -> None:
    class Tagged(Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Tagged"] = "yes"

    app.response_class = Tagged
    seen = responses_of(app)
    Api(app).add_resource(Cat, "/cat")
    body, _, headers = serve(app)
    assert isinstance(seen[0], Tagged)
    assert ("X-Tagged", "yes") in headers
    assert type(body) is list
    assert app.test_client().get("/cat").get_json() == {"name": "Tom"}


def test_restx_json_body_is_a_list(app: Flask) -> None:
    pytest.importorskip("jsonschema")
    api = restx.Api(app)

    @api.route("/cat")
    class One(restx.Resource):
        def get(self) -> t.Any:
            return {"name": "Tom"}

    body, status, _ = serve(app)
    assert status == "200 OK"
    assert type(body) is list
    assert json.loads(b"".join(body)) == {"name": "Tom"}


def test_error_body_is_a_list(cats: Flask) -> None:
    body, status, _ = serve(cats, "GET", "/nowhere")
    assert status.startswith("404")
    body, status, headers = serve(cats, "DELETE")
    assert status.startswith("405")
    assert type(body) is list
    assert "message" in json.loads(b"".join(body))
    assert dict(headers)["Allow"]


def test_responses_pickle_as_the_apps_class(cats: Flask) -> None:
    # Response caches (Flask-Caching on a resource) pickle what views return.
    # Flask's own class: pytest-flask, when installed, swaps in one of its
    # own that pickle cannot find by name.
    cats.response_class = Response
    seen = responses_of(cats)
    cats.test_client().post("/cat")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(seen[0], protocol=protocol))
        assert type(again) is Response
        assert again.status_code == 201
        assert again.get_json() == {"name": "Tom"}
    assert copy.copy(seen[0]).get_data() == seen[0].get_data()
