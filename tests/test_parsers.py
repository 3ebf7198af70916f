"""Request bodies parsed by content type: the registry, parsed_body, 415s."""

from __future__ import annotations

import io
import typing as t

import pytest
import servers
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from marshmallow import fields
from werkzeug.datastructures import FileStorage, MultiDict

from flask_resources import DEFAULT_PARSERS, Api, Resource, parsed_body, use_args
from flask_resources.parsers import find_parser, parse_json

JSON_OR_FORM = ("application/json", "application/x-www-form-urlencoded")


def describe(value: t.Any) -> t.Any:
    """What a verb got, in a form JSON can carry."""
    if isinstance(value, MultiDict):
        return {
            key: [
                f"file:{v.filename}:{v.read().decode()}"
                if isinstance(v, FileStorage)
                else v
                for v in value.getlist(key)
            ]
            for key in value
        }
    if isinstance(value, bytes):
        return {"bytes": list(value)}
    return {"type": type(value).__name__, "value": value}


class Echo(Resource):
    def post(self) -> t.Any:
        return describe(parsed_body())

    def put(self) -> t.Any:
        return describe(parsed_body())

    def patch(self) -> t.Any:
        return describe(parsed_body())


@pytest.fixture
def echo(app: Flask, api: Api, client: FlaskClient) -> FlaskClient:
    api.add_resource(Echo, "/echo")
    return client


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"json": {"a": [1, 2]}}, {"type": "dict", "value": {"a": [1, 2]}}),
        ({"json": [1, "x"]}, {"type": "list", "value": [1, "x"]}),
        (
            {"data": b'{"a": 1}', "content_type": "application/merge-patch+json"},
            {"type": "dict", "value": {"a": 1}},
        ),
        ({"data": {"a": "1", "b": "2"}}, {"a": ["1"], "b": ["2"]}),
        (
            {
                "data": "a=1&a=2&b=x",
                "content_type": "application/x-www-form-urlencoded",
            },
            {"a": ["1", "2"], "b": ["x"]},
        ),
        (
            {
                "data": {"name": "Tom", "photo": (io.BytesIO(b"meow"), "tom.txt")},
                "content_type": "multipart/form-data",
            },
            {"name": ["Tom"], "photo": ["file:tom.txt:meow"]},
        ),
        (
            {"data": "h\u00e9llo", "content_type": "text/plain"},
            {"type": "str", "value": "h\u00e9llo"},
        ),
        (
            {
                "data": "h\u00e9llo".encode("latin-1"),
                "content_type": "text/plain; charset=ISO-8859-1",
            },
            {"type": "str", "value": "h\u00e9llo"},
        ),
        (
            {"data": b"\x00\xff", "content_type": "application/octet-stream"},
            {"bytes": [0, 255]},
        ),
        ({}, {"type": "NoneType", "value": None}),
        (
            {"data": b"", "content_type": "text/csv"},
            {"type": "NoneType", "value": None},
        ),
        (
            {"data": b"", "content_type": "application/json"},
            {"type": "NoneType", "value": None},
        ),
    ],
)
def test_builtin_parsers(
    echo: FlaskClient, kwargs: dict[str, t.Any], expected: t.Any
) -> None:
    resp = echo.post("/echo", **kwargs)
    assert resp.status_code == 200, resp.json
    assert resp.json == expected


@pytest.mark.parametrize(
    ("method", "header"),
    [("post", "Accept-Post"), ("patch", "Accept-Patch"), ("put", None)],
)
def test_unsupported_media_type_is_415_listing_the_accepted_types(
    echo: FlaskClient, method: str, header: str | None
) -> None:
    resp = getattr(echo, method)("/echo", data="a,b", content_type="text/csv")
    assert resp.status_code == 415
    assert resp.mimetype == "application/json"
    accepted = ", ".join(DEFAULT_PARSERS)
    assert resp.json == {
        "message": f"Unsupported media type 'text/csv': send one of {accepted}."
    }
    for name in ("Accept-Post", "Accept-Patch"):
        assert resp.headers.get(name) == (accepted if name == header else None)


def test_body_without_content_type_is_415(echo: FlaskClient) -> None:
    resp = echo.post("/echo", data=b"hello", headers={"Content-Type": ""})
    assert resp.status_code == 415
    assert resp.json is not None
    assert resp.json["message"].startswith("The body has no Content-Type: send one of")


@pytest.mark.parametrize(
    ("data", "content_type", "detail"),
    [
        (b"{", "application/json", "Expecting property name"),
        (b'"\xff"', "application/json", "can't decode byte 0xff"),
        (b'"\\ud800"', "application/json", "surrogate"),
        (b"[" * 100_000, "application/json", "nested too deeply"),
        (b"\xff", "text/plain", "can't decode byte 0xff"),
        (b"abc", "text/plain; charset=no-such-charset", "no-such-charset"),
        (b"--x\r\n", "multipart/form-data", "Missing boundary"),
    ],
)
def test_body_its_parser_refuses_is_400_naming_the_media_type(
    echo: FlaskClient, data: bytes, content_type: str, detail: str
) -> None:
    resp = echo.post("/echo", data=data, content_type=content_type)
    assert resp.status_code == 400
    assert resp.json is not None
    message = resp.json["message"]
    mimetype = content_type.partition(";")[0]
    assert message.startswith(f"The body is not valid {mimetype}: ")
    assert detail in message
    assert resp.json["errors"] == {"body": {"_schema": [message]}}


def test_body_over_max_content_length_is_413_before_parsing(
    app: Flask, echo: FlaskClient
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10
    resp = echo.post("/echo", json={"name": "x" * 20})
    assert resp.status_code == 413
    assert resp.mimetype == "application/json"
    assert echo.post("/echo", json={"a": 1}).json == {
        "type": "dict",
        "value": {"a": 1},
    }


@pytest.mark.parametrize(("size", "status"), [(10, 200), (11, 413), (10_000, 413)])
def test_chunked_body_over_max_content_length_is_413(
    app: Flask, echo: FlaskClient, size: int, status: int
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10
    body = b'"' + b"x" * (size - 2) + b'"'
    chunks = [body[i : i + 3] for i in range(0, len(body), 3)]
    with servers.waitress_server(app) as port:
        reply = servers.request(
            port, "POST", "/echo", chunks, {"Content-Type": "application/json"}
        )
    assert reply.status == status
    if status == 200:
        assert reply.body == {"type": "str", "value": "x" * 8}


def test_api_parser_decorator_and_wildcards(app: Flask) -> None:
    api = Api(app)

    @api.parser("Text/CSV")
    def parse_csv(body: bytes, mimetype: str, options: t.Mapping[str, str]) -> t.Any:
        if body.startswith(b","):
            raise ValueError("empty header cell")
        return [line.split(",") for line in body.decode().splitlines()]

    @api.parser("image/*")
    def parse_image(body: bytes, mimetype: str, options: t.Mapping[str, str]) -> t.Any:
        return {"image": mimetype, "size": len(body)}

    api.add_resource(Echo, "/echo")
    client = app.test_client()
    resp = client.post("/echo", data="a,b\n1,2", content_type="text/csv")
    assert resp.json == {"type": "list", "value": [["a", "b"], ["1", "2"]]}
    resp = client.post("/echo", data=b"\x89PNG", content_type="image/png")
    assert resp.json == {"type": "dict", "value": {"image": "image/png", "size": 4}}
    resp = client.post("/echo", data=",b", content_type="text/csv")
    assert resp.status_code == 400
    assert resp.json is not None
    assert resp.json["message"] == "The body is not valid text/csv: empty header cell"
    assert (
        "text/csv" in client.post("/echo", data="x", content_type="a/b").json["message"]
    )


def test_api_parsers_argument_replaces_the_defaults(app: Flask) -> None:
    api = Api(app, parsers={"application/json": parse_json})
    api.add_resource(Echo, "/echo")
    client = app.test_client()
    assert client.post("/echo", json=[1]).json == {"type": "list", "value": [1]}
    resp = client.post("/echo", data={"a": "1"})
    assert resp.status_code == 415
    assert resp.headers["Accept-Post"] == "application/json"


def test_resource_parsers_replace_the_apis(app: Flask, api: Api) -> None:
    class Upload(Resource):
        parsers = {
            "Application/Octet-Stream": DEFAULT_PARSERS["application/octet-stream"]
        }

        def post(self) -> t.Any:
            return describe(parsed_body())

    class NoBody(Resource):
        parsers: t.ClassVar[dict[str, t.Any]] = {}

        def post(self) -> t.Any:
            return describe(parsed_body())

    api.add_resource(Upload, "/upload")
    api.add_resource(NoBody, "/nobody")
    client = app.test_client()
    resp = client.post("/upload", data=b"\x01", content_type="application/octet-stream")
    assert resp.json == {"bytes": [1]}
    resp = client.post("/upload", json={"a": 1})
    assert resp.status_code == 415
    assert resp.headers["Accept-Post"] == "application/octet-stream"
    resp = client.post("/nobody", json={"a": 1})
    assert resp.status_code == 415
    assert resp.json == {
        "message": "Unsupported media type 'application/json':"
        " this resource takes no body."
    }
    assert client.post("/nobody").json == {"type": "NoneType", "value": None}


def test_parsers_under_a_blueprint_are_the_apis(app: Flask) -> None:
    blueprint = Blueprint("v1", __name__, url_prefix="/v1")
    api = Api(blueprint, parsers={"text/plain": DEFAULT_PARSERS["text/plain"]})
    api.add_resource(Echo, "/echo")
    app.register_blueprint(blueprint)
    client = app.test_client()
    assert client.post("/v1/echo", data="hi", content_type="text/plain").json == {
        "type": "str",
        "value": "hi",
    }
    assert client.post("/v1/echo", json={}).status_code == 415


def test_parsed_body_in_a_plain_flask_view_uses_the_defaults(app: Flask) -> None:
    @app.post("/plain")
    def plain() -> t.Any:
        return describe(parsed_body())

    client = app.test_client()
    assert client.post("/plain", data="x", content_type="text/plain").json == {
        "type": "str",
        "value": "x",
    }


def test_parsed_body_is_parsed_once_and_leaves_form_and_data_readable(
    app: Flask, api: Api
) -> None:
    calls = []

    @api.parser("application/x-www-form-urlencoded")
    def counting(body: bytes, mimetype: str, options: t.Mapping[str, str]) -> t.Any:
        calls.append(body)
        return DEFAULT_PARSERS[mimetype](body, mimetype, options)

    from flask import request

    class Twice(Resource):
        def post(self) -> t.Any:
            first = parsed_body()
            assert parsed_body() is first
            return {"form": request.form["a"], "data": request.get_data(as_text=True)}

    api.add_resource(Twice, "/twice")
    resp = app.test_client().post("/twice", data={"a": "1"})
    assert resp.json == {"form": "1", "data": "a=1"}
    assert calls == [b"a=1"]


def test_find_parser_order() -> None:
    exact = DEFAULT_PARSERS["text/plain"]
    parsers = {"text/plain": exact, "text/*": parse_json, "*/*": find_parser}
    assert find_parser(parsers, "text/plain") is exact
    assert find_parser(parsers, "text/html") is parse_json
    assert find_parser(parsers, "image/png") is find_parser
    assert find_parser(DEFAULT_PARSERS, "application/problem+json") is parse_json
    assert find_parser(DEFAULT_PARSERS, "image/png") is None


# -- use_args(location="body") -----------------------------------------------


class Cat(Resource):
    @use_args(
        {"name": fields.Str(required=True), "tags": fields.List(fields.Str())},
        location="body",
    )
    def post(self, cat: dict[str, t.Any]) -> t.Any:
        return cat, 201


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"name": "Tom", "tags": ["a", "b"]}},
        {"data": {"name": "Tom", "tags": ["a", "b"]}},
        {
            "data": {"name": "Tom", "tags": ["a", "b"]},
            "content_type": "multipart/form-data",
        },
    ],
)
def test_use_args_body_loads_what_the_parser_gives(
    client: FlaskClient, api: Api, kwargs: dict[str, t.Any]
) -> None:
    api.add_resource(Cat, "/cats")
    resp = client.post("/cats", **kwargs)
    assert resp.status_code == 201, resp.json
    assert resp.json == {"name": "Tom", "tags": ["a", "b"]}


def test_use_args_body_errors(client: FlaskClient, api: Api) -> None:
    api.add_resource(Cat, "/cats")
    resp = client.post("/cats", json={"tags": [], "admin": True})
    assert resp.status_code == 400
    assert resp.json == {
        "message": "Invalid request body: invalid field 'name'; unknown field 'admin'.",
        "errors": {
            "body": {
                "name": ["Missing data for required field."],
                "admin": ["Unknown field."],
            }
        },
    }
    resp = client.post("/cats")
    assert resp.status_code == 400
    assert resp.json is not None
    assert resp.json["errors"] == {
        "body": {"name": ["Missing data for required field."]}
    }
    resp = client.post("/cats", data="Tom", content_type="text/plain")
    assert resp.status_code == 400
    assert resp.json is not None
    assert resp.json["errors"] == {"body": {"_schema": ["Invalid input type."]}}
    resp = client.post("/cats", data="<cat/>", content_type="application/xml")
    assert resp.status_code == 415
    assert "Accept-Post" in resp.headers


def test_openapi_request_body_lists_the_parsers_media_types(app: Flask) -> None:
    pytest.importorskip("apispec", reason="OpenAPI needs the 'openapi' extra")
    api = Api(app)

    @api.parser("application/vnd.cat+xml")
    def parse_cat(body: bytes, mimetype: str, options: t.Mapping[str, str]) -> t.Any:
        return {"name": body.decode()}

    class Own(Resource):
        parsers = {"application/json": parse_json}

        @use_args({"name": fields.Str(required=True)}, location="body")
        def post(self, cat: dict[str, t.Any]) -> t.Any:
            return cat

    api.add_resource(Cat, "/cats")
    api.add_resource(Own, "/own")
    with app.app_context():
        paths = api.openapi()["paths"]
    body = paths["/cats"]["post"]["requestBody"]
    # Text and bytes parsers give nothing a schema loads: not listed.
    assert list(body["content"]) == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/vnd.cat+xml",
    ]
    assert body["required"] is True
    assert list(paths["/own"]["post"]["requestBody"]["content"]) == ["application/json"]
