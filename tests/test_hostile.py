"""Hostile requests against one app using every input feature.

Whatever a client sends, the answer is a JSON error with a 4xx status and a
``message``, never a 500 or a traceback, and a failed write leaves the store
as it was.
"""

from __future__ import annotations

import json
import typing as t

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import fields as mf
from marshmallow import validate

from flask_resources import Api, Resource, abort, fields, inputs, marshal_with, reqparse
from flask_resources.schemas import use_args

MAX_BODY = 512 * 1024

Store = dict[str, dict[str, t.Any]]


# -- the app --------------------------------------------------------------


class Address(ma.Schema):
    city = mf.String(required=True, validate=validate.Length(min=1, max=40))
    zip = mf.String(validate=validate.Regexp(r"^[0-9]{5}$"))


class CatSchema(ma.Schema):
    name = mf.String(required=True, validate=validate.Length(min=1, max=40))
    age = mf.Integer(required=True, validate=validate.Range(min=0, max=40))
    weight = mf.Float(validate=validate.Range(min=0, max=100))
    address = mf.Nested(Address)
    tags = mf.List(mf.String(validate=validate.Length(max=20)))


class CatQuery(ma.Schema):
    page = mf.Integer(validate=validate.Range(min=1, max=1000))
    tag = mf.List(mf.String())


class CatHeaders(ma.Schema):
    version = mf.Integer(data_key="X-Api-Version", validate=validate.OneOf([1, 2]))


class CatForm(ma.Schema):
    name = mf.String(required=True, validate=validate.Length(min=1, max=40))
    age = mf.Integer(validate=validate.Range(min=0, max=40))


def make_parser() -> reqparse.RequestParser:
    parser = reqparse.RequestParser()
    parser.add_argument("name", required=True, location="json", nullable=False)
    parser.add_argument("age", type=inputs.int_range(0, 40), location="json")
    parser.add_argument("count", type=int, location=("json", "values"))
    parser.add_argument("kind", choices=("tabby", "siamese"), location="json")
    parser.add_argument("indoor", type=inputs.boolean, location="json")
    parser.add_argument("born", type=inputs.date, location="json")
    parser.add_argument("toy", action="append", location="json")
    parser.add_argument("limit", type=inputs.natural, location="args")
    parser.add_argument("X-Owner-Id", type=inputs.positive, location="headers")
    parser.add_argument("session", type=int, location="cookies")
    return parser


ITEM_FIELDS = {
    "name": fields.String,
    "count": fields.Integer,
    "uri": fields.Url("item", absolute=False),
}


def create_app(store: Store) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    api = Api(app, catch_all_404s=True)
    parser = make_parser()

    class Things(Resource):
        """reqparse, with every location."""

        def get(self) -> t.Any:
            args = parser.copy().replace_argument(
                "name", required=True, location="args"
            )
            return dict(args.parse_args())

        def post(self) -> t.Any:
            args = parser.parse_args(strict=True)
            store[args.name] = {"name": args.name, "count": args.count}
            return store[args.name], 201

    class Cats(Resource):
        """use_args with marshmallow schemas: json, query and headers."""

        @use_args(CatHeaders, location="headers")
        @use_args(CatQuery, location="query")
        @use_args(CatSchema)
        def post(self, headers: t.Any, query: t.Any, cat: t.Any) -> t.Any:
            store[cat["name"]] = cat
            return {"name": cat["name"]}, 201

        @use_args(CatForm, location="form")
        def put(self, cat: t.Any) -> t.Any:
            store[cat["name"]] = cat
            return {"name": cat["name"]}

        @use_args(CatQuery, location="query")
        def get(self, query: t.Any) -> t.Any:
            return {"page": query.get("page", 1), "count": len(store)}

    class Item(Resource):
        """marshal_with on the way out, a URL variable on the way in."""

        @marshal_with(ITEM_FIELDS)
        def get(self, item_id: int) -> t.Any:
            item = store.get(str(item_id))
            if item is None:
                abort(404, message=f"Item {item_id} doesn't exist")
            return {"item_id": item_id, "name": str(item_id), "count": item["count"]}

        def delete(self, item_id: int) -> t.Any:
            if store.pop(str(item_id), None) is None:
                abort(404, message=f"Item {item_id} doesn't exist")
            return "", 204

    class AsyncThings(Resource):
        """async def, with a parser and a schema."""

        async def post(self) -> t.Any:
            args = parser.parse_args(strict=True)
            store[args.name] = {"name": args.name}
            return store[args.name], 201

        @use_args(CatSchema)
        async def put(self, cat: t.Any) -> t.Any:
            store[cat["name"]] = cat
            return {"name": cat["name"]}

    api.add_resource(Things, "/things")
    api.add_resource(Cats, "/cats")
    api.add_resource(Item, "/items/<int:item_id>", endpoint="item")
    api.add_resource(AsyncThings, "/async")
    return app


@pytest.fixture
def store() -> Store:
    return {"1": {"name": "1", "count": 3}}


@pytest.fixture
def app(store: Store) -> Flask:
    return create_app(store)


@pytest.fixture
def hostile(app: Flask, production: Flask) -> FlaskClient:
    """A client of the app as it runs in production."""
    # Without a cookie jar, so a Cookie header reaches the app as sent.
    return app.test_client(use_cookies=False)


def check_error(resp: t.Any, status: int | tuple[int, ...]) -> dict[str, t.Any]:
    """The response is a clean JSON error with ``status``."""
    body = resp.get_data()
    assert b"Traceback" not in body
    assert b"<html" not in body.lower()
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, (resp.status_code, body[:500])
    assert resp.mimetype == "application/json", (resp.mimetype, body[:500])
    data = json.loads(body)
    assert isinstance(data, dict)
    assert data.get("message"), data
    return data


ORIGINAL = {"1": {"name": "1", "count": 3}}

WRITES = [("POST", "/things"), ("POST", "/cats"), ("POST", "/async"), ("PUT", "/async")]

THINGS_OK = {"name": "tom"}
CAT_OK = {"name": "tom", "age": 3}


def send(
    client: FlaskClient,
    method: str,
    path: str,
    data: bytes | str | None,
    content_type: str | None,
    **kwargs: t.Any,
) -> t.Any:
    headers = kwargs.pop("headers", {})
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.open(path, method=method, data=data, headers=headers, **kwargs)


# -- malformed JSON -------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000

MALFORMED_JSON = {
    "truncated": '{"name": "tom", "age": ',
    "trailing garbage": '{"name": "tom", "age": 3} xyz',
    "two documents": '{"name": "tom"}{"name": "jerry"}',
    "single quotes": "{'name': 'tom'}",
    "trailing comma": '{"name": "tom",}',
    "bare word": "tom",
    "unclosed string": '{"name": "tom',
    "control char in string": '{"name": "t\x01m"}',
    "invalid escape": '{"name": "t\\qm"}',
    "lone open brace": "{",
    "10**5000 as a number": '{"name": "tom", "age": ' + "9" * 5000 + "}",
    "deeply nested arrays": '{"name": ' + DEEP + "}",
    "deeply nested bare": DEEP,
    "deeply nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("body", MALFORMED_JSON.values(), ids=list(MALFORMED_JSON))
def test_malformed_json(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


# Well-formed JSON whose values are wrong: a 400 naming the problem.
BAD_VALUES = {
    "NaN": ('{"name": "tom", "age": NaN, "count": NaN}', "both"),
    "Infinity": ('{"name": "tom", "age": Infinity, "count": Infinity}', "both"),
    "-Infinity": ('{"name": "tom", "age": -Infinity, "count": -Infinity}', "both"),
    "1e999": ('{"name": "tom", "age": 1e999, "count": 1e999}', "both"),
    "-1e999": ('{"name": "tom", "age": -1e999, "count": -1e999}', "both"),
    "huge int": ('{"name": "tom", "age": 1' + "0" * 4000 + ', "count": "x"}', "both"),
    "float with fraction": ('{"name": "tom", "age": 2.5, "count": 2.5}', "both"),
    "duplicate keys, last bad": (
        '{"name": "tom", "age": 3, "age": "x", "count": 1, "count": "x"}',
        "both",
    ),
    "boolean for int": ('{"name": "tom", "age": true, "count": true}', "both"),
    "string for int": ('{"name": "tom", "age": "three", "count": "three"}', "both"),
    "object for int": ('{"name": "tom", "age": {}, "count": {}}', "both"),
    "list for int": ('{"name": "tom", "age": [1], "count": [[1]]}', "both"),
    "null for required": ('{"name": null, "age": null}', "both"),
    "empty string name": ('{"name": "", "age": 3}', "schema"),
    "missing required": ('{"age": 3}', "both"),
    "empty object": ("{}", "both"),
    "object for name": ('{"name": {"$ne": 1}, "age": 3}', "schema"),
    "list for name": ('{"name": ["tom"], "age": 3}', "schema"),
    "age out of range": ('{"name": "tom", "age": -1}', "schema"),
    "age too big": ('{"name": "tom", "age": 41}', "schema"),
    "name too long": ('{"name": "' + "x" * 1000 + '", "age": 3}', "schema"),
    "weight NaN": ('{"name": "tom", "age": 3, "weight": NaN}', "schema"),
    "weight Infinity": ('{"name": "tom", "age": 3, "weight": Infinity}', "schema"),
    "nested not an object": ('{"name": "tom", "age": 3, "address": "x"}', "schema"),
    "nested missing field": ('{"name": "tom", "age": 3, "address": {}}', "schema"),
    "nested unknown field": (
        '{"name": "tom", "age": 3, "address": {"city": "x", "admin": 1}}',
        "schema",
    ),
    "nested bad zip": (
        '{"name": "tom", "age": 3, "address": {"city": "x", "zip": "../.."}}',
        "schema",
    ),
    "list not a list": ('{"name": "tom", "age": 3, "tags": "x"}', "schema"),
    "list of objects": ('{"name": "tom", "age": 3, "tags": [{}]}', "schema"),
    "list item too long": (
        '{"name": "tom", "age": 3, "tags": ["' + "x" * 21 + '"]}',
        "schema",
    ),
    "unknown field (mass assignment)": (
        '{"name": "tom", "age": 3, "is_admin": true}',
        "both",
    ),
    "__proto__": ('{"name": "tom", "age": 3, "__proto__": {"x": 1}}', "both"),
    "weight huge int": (
        '{"name": "tom", "age": 3, "weight": 1' + "0" * 400 + "}",
        "schema",
    ),
    "indoor object": ('{"name": "tom", "indoor": {}}', "parser"),
    "born object": ('{"name": "tom", "born": {"y": 1}}', "parser"),
    "born number": ('{"name": "tom", "born": 1e999}', "parser"),
    "kind null": ('{"name": "tom", "kind": null}', "parser"),
    "kind not a choice": ('{"name": "tom", "kind": "lion"}', "parser"),
    "kind unhashable": ('{"name": "tom", "kind": ["tabby"]}', "parser"),
    "indoor not a boolean": ('{"name": "tom", "indoor": "maybe"}', "parser"),
    "born not a date": ('{"name": "tom", "born": "yesterday"}', "parser"),
    "born out of range": ('{"name": "tom", "born": "99999-01-01"}', "parser"),
}


def _targets(kind: str) -> list[tuple[str, str]]:
    parser = [("POST", "/things"), ("POST", "/async")]
    schema = [("POST", "/cats"), ("PUT", "/async")]
    return {"parser": parser, "schema": schema, "both": parser + schema}[kind]


BAD_VALUE_CASES = [
    pytest.param(method, path, body, id=f"{name}-{method}{path}")
    for name, (body, kind) in BAD_VALUES.items()
    for method, path in _targets(kind)
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_VALUE_CASES)
def test_bad_values(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


# -- not an object --------------------------------------------------------

NOT_AN_OBJECT = ["[]", '[{"name": "tom", "age": 3}]', '"tom"', "3", "null", "true"]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_not_an_object(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


# -- encodings ------------------------------------------------------------

ENCODINGS = {
    "invalid utf-8": b'{"name": "t\xffm", "age": 3}',
    "overlong utf-8": b'{"name": "t\xc0\xafm", "age": 3}',
    "encoded surrogate": b'{"name": "t\xed\xa0\x80m", "age": 3}',
    "truncated utf-8": b'{"name": "t\xe2\x82", "age": 3}',
    "utf-16 body": '{"name": "tom", "age": 3}'.encode("utf-16"),
    "utf-32 body": '{"name": "tom", "age": 3}'.encode("utf-32"),
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("body", ENCODINGS.values(), ids=list(ENCODINGS))
def test_bad_encodings(
    hostile: FlaskClient, store: Store, method: str, path: str, body: bytes
) -> None:
    resp = send(hostile, method, path, body, "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "body",
    [
        '{"name": "\\ud800", "age": 3}',
        '{"name": "t\\udc00m", "age": 3}',
        '{"name": "tom", "age": 3, "\\ud800": 1}',
    ],
    ids=["lone high surrogate", "lone low surrogate", "surrogate key"],
)
def test_lone_surrogates(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("name", "stored"),
    [("\\ud83d\\ude00", "\U0001f600"), ("\\\\ud800", "\\ud800"), ("é", "é")],
    ids=["surrogate pair", "escaped backslash", "raw utf-8"],
)
def test_good_text_is_accepted(
    hostile: FlaskClient, store: Store, method: str, path: str, name: str, stored: str
) -> None:
    """Only lone surrogates are refused, not pairs or look-alikes."""
    body = ('{"name": "' + name + '", "age": 3}').encode()
    resp = send(hostile, method, path, body, "application/json")
    assert resp.status_code in (200, 201), resp.get_data()
    assert store[stored]["name"] == stored


# -- content types --------------------------------------------------------

JSON_BODY = json.dumps({**CAT_OK, **THINGS_OK}).encode()

CONTENT_TYPES = {
    "form": ("application/x-www-form-urlencoded", b"name=tom&age=3", 415),
    "text/plain": ("text/plain", JSON_BODY, 415),
    "application/xml": ("application/xml", b"<cat><name>tom</name></cat>", 415),
    "multipart": (
        "multipart/form-data; boundary=xyz",
        b'--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\ntom\r\n--xyz--',
        415,
    ),
    "multipart without boundary": ("multipart/form-data", b"name=tom", 415),
    "no content type": (None, JSON_BODY, 415),
    "empty content type": ("", JSON_BODY, 415),
    "garbage content type": ("\x00;;==;", JSON_BODY, 415),
    "latin-1 charset": (
        "application/json; charset=latin-1",
        '{"name": "tëm", "age": 3}'.encode("latin-1"),
        400,
    ),
    "utf-16 charset": (
        "application/json; charset=utf-16",
        '{"name": "tom", "age": 3}'.encode("utf-16"),
        400,
    ),
    "utf-16 charset, utf-16-le body": (
        "application/json; charset=utf-16",
        '{"name": "tom", "age": 3}'.encode("utf-16-le"),
        400,
    ),
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    CONTENT_TYPES.values(),
    ids=list(CONTENT_TYPES),
)
def test_content_types(
    hostile: FlaskClient,
    store: Store,
    method: str,
    path: str,
    content_type: str | None,
    body: bytes,
    status: int,
) -> None:
    resp = send(hostile, method, path, body, content_type)
    # A parser reads its JSON arguments from JSON bodies only: for another
    # content type they are missing (400); a schema names the type (415).
    expected = status if path == "/cats" or method == "PUT" else (status, 400)
    check_error(resp, expected)
    assert store == ORIGINAL


FORM_CASES = {
    "json body": ("application/json", b'{"name": "tom"}', 415),
    "text body": ("text/plain", b"name=tom", 415),
    "missing name": ("application/x-www-form-urlencoded", b"age=3", 400),
    "empty name": ("application/x-www-form-urlencoded", b"name=&age=3", 400),
    "age not a number": ("application/x-www-form-urlencoded", b"name=t&age=x", 400),
    "age out of range": ("application/x-www-form-urlencoded", b"name=t&age=99", 400),
    "unknown field": ("application/x-www-form-urlencoded", b"name=t&admin=1", 400),
    "invalid utf-8": ("application/x-www-form-urlencoded", b"name=%ff&age=x", 400),
    "raw invalid utf-8": ("application/x-www-form-urlencoded", b"name=\xff&x=1", 400),
    "broken multipart": ("multipart/form-data; boundary=xyz", b"--xyz\r\njunk", 400),
    "multipart, no boundary": ("multipart/form-data", b"name=tom", 400),
    "10k repeated names": (
        "application/x-www-form-urlencoded",
        b"&".join([b"age=x"] * 2000),
        400,
    ),
}


@pytest.mark.parametrize(
    ("content_type", "body", "status"), FORM_CASES.values(), ids=list(FORM_CASES)
)
def test_form(
    hostile: FlaskClient,
    store: Store,
    content_type: str,
    body: bytes,
    status: int,
) -> None:
    resp = send(hostile, "PUT", "/cats", body, content_type)
    check_error(resp, status)
    assert store == ORIGINAL


# -- size -----------------------------------------------------------------

BIG_JSON = json.dumps({"name": "tom", "age": 3, "pad": "x" * MAX_BODY}).encode()

OVERSIZE = {
    "json": ("application/json", BIG_JSON),
    "form": ("application/x-www-form-urlencoded", b"name=" + b"x" * MAX_BODY),
    "text": ("text/plain", b"x" * (MAX_BODY + 1)),
    "no content type": (None, b"x" * (MAX_BODY + 1)),
}


# What each write reads its body as; a body of another type is refused
# before it is read: 415 by a schema, a missing argument (400) by a parser.
READS = {
    ("POST", "/things"): ("application/json", 400),
    ("POST", "/async"): ("application/json", 400),
    ("POST", "/cats"): ("application/json", 415),
    ("PUT", "/async"): ("application/json", 415),
    ("PUT", "/cats"): ("application/x-www-form-urlencoded", 415),
}


@pytest.mark.parametrize(("method", "path"), list(READS))
@pytest.mark.parametrize(
    ("content_type", "body"), OVERSIZE.values(), ids=list(OVERSIZE)
)
def test_oversize_body(
    hostile: FlaskClient,
    store: Store,
    method: str,
    path: str,
    content_type: str | None,
    body: bytes,
) -> None:
    resp = send(hostile, method, path, body, content_type)
    reads, otherwise = READS[method, path]
    check_error(resp, 413 if content_type == reads else (413, otherwise))
    assert store == ORIGINAL


def test_oversize_body_on_get(hostile: FlaskClient, store: Store) -> None:
    """A GET that reads no body does not care how big it is."""
    resp = send(hostile, "GET", "/cats", BIG_JSON, "application/json")
    assert resp.status_code == 200
    assert resp.get_json() == {"page": 1, "count": 1}


MANY_PARTS = (
    b"".join(
        b'--xyz\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nx\r\n' % i
        for i in range(1500)
    )
    + b"--xyz--\r\n"
)


def test_too_many_form_parts(hostile: FlaskClient, store: Store) -> None:
    """Flask's MAX_FORM_PARTS: a 413 in JSON, not a parser crash."""
    resp = send(
        hostile, "PUT", "/cats", MANY_PARTS, "multipart/form-data; boundary=xyz"
    )
    check_error(resp, 413)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    ("content_length", "status"),
    [("abc", 400), ("-1", 400), ("", 400), ("9" * 30, 413), ("1e9", 400)],
)
@pytest.mark.parametrize(("method", "path"), WRITES)
def test_lying_content_length(
    hostile: FlaskClient,
    store: Store,
    method: str,
    path: str,
    content_length: str,
    status: int,
) -> None:
    """A Content-Length that is not a number reads no body; a huge one, none."""
    resp = hostile.open(
        path,
        method=method,
        data=json.dumps({**CAT_OK, **THINGS_OK}),
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": content_length},
    )
    check_error(resp, status)
    assert store == ORIGINAL


# -- bodies on GET and other methods -------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "content_type", "status"),
    [
        ("/cats", b"{not json", "application/json", 200),
        ("/cats", b'{"page": 0}', "application/json", 200),
        ("/cats?page=0", b'{"page": 1}', "application/json", 400),
        ("/items/1", b"[" * 1000, "application/json", 200),
        ("/items/1", b"\xff\xfe", "text/plain", 200),
        ("/things", b"{not json", "application/json", 400),
        ("/things", b'{"name": "x"}', "application/json", 400),
    ],
)
def test_body_on_get(
    hostile: FlaskClient,
    store: Store,
    path: str,
    body: bytes,
    content_type: str,
    status: int,
) -> None:
    """A GET reads its query string; a body it does not read is ignored."""
    resp = send(hostile, "GET", path, body, content_type)
    if status == 200:
        assert resp.status_code == 200
        assert resp.mimetype == "application/json"
    else:
        check_error(resp, status)
    assert store == ORIGINAL


# -- query strings, headers and cookies -----------------------------------

QUERIES = {
    "page not a number": "page=abc",
    "page zero": "page=0",
    "page negative": "page=-1",
    "page huge": "page=" + "9" * 5000,
    "page float": "page=1.5",
    "page empty": "page=",
    "page nul": "page=%00",
    "page invalid utf-8": "page=%ff",
    "page 10k times": "&".join(["page=abc"] * 10_000),
    "10k keys then bad page": "&".join([f"k{i}=v" for i in range(10_000)]) + "&page=x",
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_bad_query(hostile: FlaskClient, store: Store, method: str, query: str) -> None:
    body = json.dumps(CAT_OK).encode() if method == "POST" else None
    resp = send(hostile, method, f"/cats?{query}", body, "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


PARSER_QUERIES = {
    "limit negative": "limit=-1",
    "limit not a number": "limit=ten",
    "limit huge": "limit=" + "9" * 5000,
    "limit empty": "limit=",
    "limit 10k times": "&".join(["limit=x"] * 10_000),
    "count in query": "count=1.5",
    "unknown argument": "is_admin=1",
    "invalid utf-8": "limit=%ff%fe",
}


@pytest.mark.parametrize("query", PARSER_QUERIES.values(), ids=list(PARSER_QUERIES))
@pytest.mark.parametrize("path", ["/things", "/async"])
def test_bad_parser_query(
    hostile: FlaskClient, store: Store, path: str, query: str
) -> None:
    body = json.dumps(THINGS_OK).encode()
    resp = send(hostile, "POST", f"{path}?{query}", body, "application/json")
    check_error(resp, 400)
    assert store == ORIGINAL


ODD_HEADER_VALUES = {
    "letters": "abc",
    "zero": "0",
    "negative": "-5",
    "latin-1 bytes": "\xff\xfe\xfd",
    "nul": "1\x00",
    "huge": "9" * 5000,
    "empty": "",
    "spaces": "   ",
    "float": "1.5",
}


@pytest.mark.parametrize(
    "value", ODD_HEADER_VALUES.values(), ids=list(ODD_HEADER_VALUES)
)
@pytest.mark.parametrize(
    ("path", "header"),
    [("/things", "HTTP_X_OWNER_ID"), ("/cats", "HTTP_X_API_VERSION")],
)
def test_odd_headers(
    hostile: FlaskClient, store: Store, path: str, header: str, value: str
) -> None:
    body = json.dumps({**CAT_OK, **THINGS_OK} if path == "/cats" else THINGS_OK)
    resp = hostile.post(
        path,
        data=body,
        content_type="application/json",
        environ_overrides={header: value},
    )
    check_error(resp, 400)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    "cookie",
    [
        "session=abc",
        "session=\xff\xfe",
        "session=1.5",
        'session="\\x00"; ;;; =; =x; x=',
        "session=" + "9" * 5000,
        "session=1; session=x",
        ";".join(["session=x"] * 5000),
    ],
    ids=["letters", "latin-1", "float", "junk", "huge", "repeated", "5k repeated"],
)
def test_garbage_cookies(hostile: FlaskClient, store: Store, cookie: str) -> None:
    body = json.dumps(THINGS_OK)
    resp = hostile.post(
        "/things",
        data=body,
        content_type="application/json",
        headers={"Cookie": cookie},
    )
    # Every value of a repeated cookie is converted, so one bad one fails.
    check_error(resp, 400)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    "cookie",
    ["\x00\x01\x02", "a" * 10_000, "=;=;=", '"unterminated', "\xff=\xff"],
    ids=["control", "long", "empty names", "quote", "latin-1"],
)
def test_cookies_not_read(hostile: FlaskClient, store: Store, cookie: str) -> None:
    resp = hostile.post(
        "/cats",
        data=b"{",
        content_type="application/json",
        headers={"Cookie": cookie},
    )
    check_error(resp, 400)
    assert store == ORIGINAL


# -- URLs -----------------------------------------------------------------

BAD_PATHS = [
    "/../etc/passwd",
    "/cats/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/items/%2e%2e",
    "/items/..%2f..%2fetc",
    "/items/1%00",
    "/items/%00",
    "/items/-1",
    "/items/1.5",
    "/items/%ff",
    "/cats%00",
    "/cats/%c0%ae%c0%ae/",
    "/" + "a" * 10_000,
    "/" + "a/" * 2000,
    "//cats",
    "/cats/",
    "/things\\..\\",
    "/nothing",
]


@pytest.mark.parametrize("path", BAD_PATHS, ids=range(len(BAD_PATHS)))
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_bad_paths(hostile: FlaskClient, store: Store, method: str, path: str) -> None:
    resp = hostile.open(path, method=method)
    if resp.status_code == 308:
        # Werkzeug redirects /cats/ to /cats... never somewhere else.
        assert resp.headers["Location"].endswith("/cats")
        return
    check_error(resp, 404)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    ("method", "status"), [("GET", 404), ("DELETE", 404), ("POST", 405)]
)
def test_url_no_converter_takes(
    hostile: FlaskClient, store: Store, method: str, status: int
) -> None:
    """Werkzeug checks the verb before the int converter: POST is a 405."""
    resp = hostile.open("/items/" + "9" * 5000, method=method)
    check_error(resp, status)
    assert store == ORIGINAL


def test_missing_item(hostile: FlaskClient, store: Store) -> None:
    data = check_error(hostile.delete("/items/2"), 404)
    assert data["message"] == "Item 2 doesn't exist"
    data = check_error(hostile.get("/items/2"), 404)
    assert store == ORIGINAL


# -- methods --------------------------------------------------------------

ALLOWED = {
    "/things": {"GET", "HEAD", "OPTIONS", "POST"},
    "/cats": {"GET", "HEAD", "OPTIONS", "POST", "PUT"},
    "/items/1": {"GET", "HEAD", "OPTIONS", "DELETE"},
    "/async": {"OPTIONS", "POST", "PUT"},
}


@pytest.mark.parametrize("path", list(ALLOWED))
@pytest.mark.parametrize(
    "method", ["PROPFIND", "TRACE", "CONNECT", "FROBNICATE", "PATCH", "MKCOL", "get"]
)
def test_unknown_methods(
    hostile: FlaskClient, store: Store, path: str, method: str
) -> None:
    resp = hostile.open(
        path, method=method, data=b"{}", content_type="application/json"
    )
    if method.upper() in ALLOWED[path]:
        return
    check_error(resp, 405)
    assert set(resp.headers["Allow"].split(", ")) == ALLOWED[path]
    assert store == ORIGINAL


def test_unknown_method_on_unknown_url(hostile: FlaskClient) -> None:
    check_error(hostile.open("/nowhere", method="PROPFIND"), 404)


# -- Accept ---------------------------------------------------------------

ACCEPTS = {
    "garbage": "garbage",
    "bad q": "*/*;q=abc",
    "negative q": "application/json;q=-1",
    "q above 1": "application/json;q=99",
    "nan q": "application/json;q=nan",
    "empty parts": ",,,;;;,",
    "only params": ";q=1",
    "huge list": ", ".join(f"application/x-{i};q=0.{i % 10}" for i in range(3000)),
    "nul": "application/json\x00",
    "latin-1": "application/\xff\xfe",
    "very long": "a" * 20_000,
    "text/html only": "text/html",
}


@pytest.mark.parametrize("accept", ACCEPTS.values(), ids=list(ACCEPTS))
def test_weird_accept_on_success(
    hostile: FlaskClient, store: Store, accept: str
) -> None:
    resp = hostile.get("/items/1", environ_overrides={"HTTP_ACCEPT": accept})
    # The Api has a default media type: what it cannot match gets JSON.
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    assert resp.get_json() == {"name": "1", "count": 3, "uri": "/items/1"}


@pytest.mark.parametrize("accept", ACCEPTS.values(), ids=list(ACCEPTS))
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", "/cats", 400), ("GET", "/items/2", 404), ("PATCH", "/cats", 405)],
)
def test_weird_accept_on_error(
    hostile: FlaskClient,
    store: Store,
    accept: str,
    method: str,
    path: str,
    status: int,
) -> None:
    resp = hostile.open(
        path,
        method=method,
        data=b"{",
        content_type="application/json",
        environ_overrides={"HTTP_ACCEPT": accept},
    )
    check_error(resp, status)
    assert store == ORIGINAL


# -- the happy paths still work -------------------------------------------


def test_valid_writes(hostile: FlaskClient, store: Store) -> None:
    """The hostile app is not just refusing everything."""
    resp = hostile.post(
        "/things?limit=3",
        json={"name": "a", "count": 2, "toy": ["x", "y"], "kind": "tabby"},
        headers={"X-Owner-Id": "7", "Cookie": "session=5"},
    )
    assert resp.status_code == 201, resp.get_data()
    resp = hostile.post(
        "/cats?page=2&tag=x&tag=y",
        json={"name": "b", "age": 3, "address": {"city": "Oslo"}, "tags": ["t"]},
        headers={"X-Api-Version": "2"},
    )
    assert resp.status_code == 201, resp.get_data()
    resp = hostile.put("/cats", data={"name": "c", "age": "4"})
    assert resp.status_code == 200, resp.get_data()
    assert hostile.post("/async", json={"name": "d"}).status_code == 201
    assert hostile.put("/async", json={"name": "e", "age": 1}).status_code == 200
    assert sorted(store) == ["1", "a", "b", "c", "d", "e"]


def test_validation_status_422(app: Flask, hostile: FlaskClient, store: Store) -> None:
    """Where configured, invalid data is 422; unreadable data stays 400."""
    app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = 422
    check_error(hostile.post("/cats", json={"name": "tom", "age": -1}), 422)
    check_error(hostile.put("/async", json={"name": "tom"}), 422)
    check_error(hostile.post("/cats", data=b"{", content_type="application/json"), 400)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("\x00\xff:abc", 404),
        ("a:99999999", 404),
        ("[::1", 404),
        ("", 404),
        ("a b", 404),
        # A label longer than IDNA allows: Werkzeug cannot bind the URL map.
        ("a" * 5000, 400),
    ],
)
def test_odd_host(hostile: FlaskClient, store: Store, host: str, status: int) -> None:
    """A Host header routing cannot use is a JSON error like the rest."""
    resp = hostile.delete("/items/2", environ_overrides={"HTTP_HOST": host})
    check_error(resp, status)
    assert store == ORIGINAL
