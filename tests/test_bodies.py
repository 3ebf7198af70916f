"""Bodies longer than ``MAX_CONTENT_LENGTH`` answer 413, chunked or not, in
every body reader, through real servers (gunicorn, granian, waitress,
Werkzeug's)."""

from __future__ import annotations

import contextlib
import gc
import io
import pathlib
import typing as t

import marshmallow as ma
import pytest
from flask import Flask
from servers import granian, gunicorn, request, waitress_server, werkzeug_server
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from flask_resources import Api, Resource, reqparse, use_args
from flask_resources._utils import check_body_length, read_body

LIMIT = 1024

# Werkzeug's multipart parser leaves its spooled upload file to the garbage
# collector when it answers 413 itself, part way through a body; that file
# is in memory, and collected after each test here (see ``collect``).
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__"
    ":pytest.PytestUnraisableExceptionWarning"
)


@pytest.fixture(autouse=True)
def collect() -> t.Iterator[None]:
    yield
    gc.collect()


class NameSchema(ma.Schema):
    name = ma.fields.Str(required=True)
    pad = ma.fields.Str()


def make_app() -> Flask:
    """An app with one route per body reader, each echoing the name it read."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    api = Api(app)

    def parser(location: str) -> reqparse.RequestParser:
        kind: t.Any = FileStorage if location == "files" else str
        return (
            reqparse.RequestParser()
            .add_argument("name", location=location, required=True, type=kind)
            .add_argument("pad", location=location)
        )

    by_location = {loc: parser(loc) for loc in ("json", "form", "values", "files")}

    class Reqparse(Resource):
        def post(self, location: str) -> t.Any:
            args = by_location[location].parse_args()
            name = args.name
            if location == "files":
                name = name.read().decode()
            return {"name": name}

    class UseArgs(Resource):
        @use_args(NameSchema, location="json_or_form", arg_name="args")
        def post(self, location: str, args: dict[str, t.Any]) -> t.Any:
            return {"name": args["name"]}

    class UseArgsParser(Resource):
        @use_args(parser("json"), arg_name="args")
        def post(self, location: str, args: dict[str, t.Any]) -> t.Any:
            return {"name": args["name"]}

    api.add_resource(Reqparse, "/reqparse/<location>")
    api.add_resource(UseArgs, "/use_args/<location>")
    api.add_resource(UseArgsParser, "/use_args_parser/<location>")
    return app


def json_body(size: int) -> bytes:
    """``{"name": "Tom"}``, padded with spaces to ``size`` bytes."""
    body = b'{"name": "Tom"}'
    return body + b" " * (size - len(body))


def form_body(size: int) -> bytes:
    body = b"name=Tom&pad="
    return body + b"x" * (size - len(body))


BOUNDARY = "boundary0123"


def multipart_body(size: int) -> bytes:
    head = (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=name;"
        ' filename="name.txt"\r\nContent-Type: text/plain\r\n\r\nTom\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="pad"\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head + b"x" * (size - len(head) - len(tail)) + tail


#: (path, content type, body of a given size)
READERS: list[tuple[str, str, t.Callable[[int], bytes]]] = [
    ("/reqparse/json", "application/json", json_body),
    ("/reqparse/form", "application/x-www-form-urlencoded", form_body),
    ("/reqparse/values", "application/x-www-form-urlencoded", form_body),
    ("/reqparse/files", f"multipart/form-data; boundary={BOUNDARY}", multipart_body),
    ("/use_args/json", "application/json", json_body),
    ("/use_args/form", "application/x-www-form-urlencoded", form_body),
    ("/use_args_parser/json", "application/json", json_body),
]

SERVERS = ["gunicorn", "granian", "waitress", "werkzeug"]


@pytest.fixture(scope="module", params=SERVERS)
def port(request: pytest.FixtureRequest) -> t.Iterator[int]:
    server: t.ContextManager[t.Any]
    if request.param == "gunicorn":
        tests = str(pathlib.Path(__file__).parent)
        server = gunicorn("test_bodies:make_app()", "--pythonpath", tests)
    elif request.param == "granian":
        tests = str(pathlib.Path(__file__).parent)
        server = granian(
            *("--interface", "wsgi", "--workers", "1", "--blocking-threads", "2"),
            *("--no-ws", "--factory", "test_bodies:make_app"),
            env={"PYTHONPATH": tests},
            cwd=tests,
        )
    elif request.param == "waitress":
        server = waitress_server(make_app())
    else:
        server = werkzeug_server(make_app())
    with server as running:
        yield running if isinstance(running, int) else running.port


def chunks(body: bytes, size: int = 100) -> t.Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize(("path", "mimetype", "make"), READERS)
@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "length"])
def test_body_over_the_limit_is_413(
    port: int,
    path: str,
    mimetype: str,
    make: t.Callable[[int], bytes],
    chunked: bool,
) -> None:
    """``{"name": "Tom"}`` and padding past the limit, then garbage: Werkzeug
    alone reads up to the limit and takes the first part for the body."""
    body = make(LIMIT * 2) + b"garbage"
    sent = chunks(body) if chunked else body
    reply = request(port, "POST", path, sent, {"Content-Type": mimetype})
    assert reply.status == 413, reply.body
    assert reply.body["message"]


@pytest.mark.parametrize(
    ("path", "mimetype", "make", "size"),
    [
        (*reader, size)
        for reader in READERS
        for size in (LIMIT - 1, LIMIT)
        # Werkzeug's multipart parser reads once more at the end of a body,
        # and at the limit that read answers 413 itself.
        if not (reader[2] is multipart_body and size == LIMIT)
    ],
)
def test_chunked_body_up_to_the_limit_is_read_whole(
    port: int, path: str, mimetype: str, make: t.Callable[[int], bytes], size: int
) -> None:
    body = make(size)
    assert len(body) == size
    reply = request(port, "POST", path, chunks(body), {"Content-Type": mimetype})
    assert (reply.status, reply.body) == (200, {"name": "Tom"})


@pytest.mark.parametrize("extra", [1, 100, LIMIT])
def test_one_byte_past_the_limit_is_413(port: int, extra: int) -> None:
    body = json_body(LIMIT + extra)
    reply = request(
        port,
        "POST",
        "/use_args/json",
        chunks(body),
        {"Content-Type": "application/json"},
    )
    assert reply.status == 413


# -- the helpers, on a WSGI environ as servers build it ------------------------


def chunked_request(body: bytes, limit: int | None = LIMIT) -> Request:
    """A request whose body comes without Content-Length from a server that
    terminates the stream, as gunicorn hands on a chunked body."""
    environ = EnvironBuilder(method="POST", input_stream=io.BytesIO(body)).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True
    req = Request(environ)
    req.max_content_length = limit
    return req


@pytest.mark.parametrize(
    ("size", "limit", "whole"),
    [
        (0, LIMIT, True),
        (LIMIT - 1, LIMIT, True),
        (LIMIT, LIMIT, True),
        (LIMIT + 1, LIMIT, False),
        (LIMIT * 10, LIMIT, False),
        (LIMIT * 10, None, True),
    ],
)
def test_read_body(size: int, limit: int | None, whole: bool) -> None:
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    req = chunked_request(body, limit)
    raised = pytest.raises(RequestEntityTooLarge)
    with contextlib.nullcontext() if whole else raised:
        assert read_body(req) == body
    # The answer is kept: reading again gives the same.
    with contextlib.nullcontext() if whole else raised:
        assert read_body(req) == body


def test_check_body_length_after_a_form() -> None:
    req = chunked_request(form_body(LIMIT + 10))
    req.environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    assert req.form["name"] == "Tom"
    with pytest.raises(RequestEntityTooLarge):
        check_body_length(req)


def test_check_body_length_before_reading_reads_nothing() -> None:
    req = chunked_request(json_body(LIMIT * 2))
    check_body_length(req)
    assert req.environ["wsgi.input"].tell() == 0
