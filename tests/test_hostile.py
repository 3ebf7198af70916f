"""Hostile requests against one app using every input feature.

Whatever a client sends, the answer is a JSON error with the 4xx status
written out for the case, never a 500 or a traceback, whose ``message`` names
what is wrong: the field and where it was looked for, or the problem with the
body as a whole; and a failed write leaves the store as it was.
"""

from __future__ import annotations

import dataclasses
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


#: How use_args names each location in its one-line ``message``; the
#: ``errors`` mapping uses the location itself as the key.
LABELS = {
    "json": "JSON body",
    "form": "form data",
    "query": "query string",
    "headers": "headers",
}


@dataclasses.dataclass(frozen=True)
class Answer:
    """What one error answer must say, written out per case.

    :param says: texts the explanation must contain.
    :param location: the ``errors`` key of a use_args answer; ``None`` for
        reqparse's answers and plain HTTP errors.
    :param fields: the fields named: the one key of reqparse's
        ``{"message": {field: text}}``, or every key under
        ``errors[location]`` of a use_args answer (``"address.city"`` for a
        nested one, ``"_schema"`` for the body as a whole).
    """

    says: tuple[str, ...] = ()
    location: str | None = None
    fields: tuple[str, ...] = ()


def said(*says: str) -> Answer:
    """A bare ``{"message": text}``: a body-level problem or an HTTP error."""
    return Answer(says)


def arg(field: str, *says: str) -> Answer:
    """reqparse's ``{"message": {field: text}}``, as Flask-RESTful answers.

    A missing argument's text names where it was looked for; a bad value's
    is the converter's message, the argument reading one location only.
    """
    return Answer(says, fields=(field,))


def invalid(location: str, *fields: str) -> Answer:
    """use_args: ``errors`` holds ``location`` and exactly these fields."""
    return Answer((), location, fields)


def unreadable(*says: str) -> Answer:
    """use_args on a JSON body it cannot read as an object."""
    return Answer(says, "json", ("_schema",))


NOT_FOUND = said("The requested URL was not found on the server.")
NOT_ALLOWED = said("The method is not allowed for the requested URL.")
TOO_LARGE = said("The data value transmitted exceeds the capacity limit.")


def check_error(resp: t.Any, status: int, answer: Answer) -> dict[str, t.Any]:
    """The response is a clean JSON error with ``status`` that says ``answer``."""
    body = resp.get_data()
    assert b"Traceback" not in body
    assert b"<html" not in body.lower()
    assert resp.status_code == status, (resp.status_code, body[:500])
    assert resp.mimetype == "application/json", (resp.mimetype, body[:500])
    data = json.loads(body)
    assert isinstance(data, dict)
    assert data.get("message"), data
    message = data["message"]
    if answer.location is not None:
        # use_args: a summary naming the location and the fields, then the
        # messages by location and field.
        assert set(data) == {"message", "errors"}, data
        assert isinstance(message, str), data
        assert LABELS[answer.location] in message, data
        assert list(data["errors"]) == [answer.location], data
        found = data["errors"][answer.location]
        assert set(found) == {f.split(".")[0] for f in answer.fields}, data
        texts = [message]
        for name in answer.fields:
            top, _, nested = name.partition(".")
            if top == "_schema":
                texts.extend(found[top])
            else:
                assert f"'{top}'" in message, data
            if nested:
                assert nested in found[top], data
    else:
        assert set(data) == {"message"}, data
        if answer.fields:
            # reqparse: {"message": {argument: text}}, one argument at a time.
            assert isinstance(message, dict), data
            assert list(message) == list(answer.fields), data
            texts = list(message.values())
        else:
            assert isinstance(message, str), data
            texts = [message]
    for says in answer.says:
        for text in texts:
            assert says in text, (says, data)
    return data


ORIGINAL = {"1": {"name": "1", "count": 3}}

WRITES = [("POST", "/things"), ("POST", "/cats"), ("POST", "/async"), ("PUT", "/async")]

#: The writes whose JSON body reqparse reads; use_args reads the others'.
PARSED = {("POST", "/things"), ("POST", "/async")}

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


def bad_json(method: str, path: str, detail: str) -> Answer:
    """A JSON body the write cannot decode: reqparse's message is
    Flask-RESTful's "Failed to decode JSON object"; use_args names the JSON
    body, with the problem under ``_schema``. Both carry ``detail``."""
    if (method, path) in PARSED:
        return said("Failed to decode JSON object: ", detail)
    return unreadable(detail)


# -- malformed JSON -------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000

# Each body with what the answers say about it.
MALFORMED_JSON = {
    "truncated": ('{"name": "tom", "age": ', "Expecting value: line 1 column 24"),
    "trailing garbage": (
        '{"name": "tom", "age": 3} xyz',
        "Extra data: line 1 column 27",
    ),
    "two documents": (
        '{"name": "tom"}{"name": "jerry"}',
        "Extra data: line 1 column 16",
    ),
    "single quotes": (
        "{'name': 'tom'}",
        "Expecting property name enclosed in double quotes: line 1 column 2",
    ),
    # Python 3.13 words this one "Illegal trailing comma", at column 15.
    "trailing comma": ('{"name": "tom",}', ": line 1 column 1"),
    "bare word": ("tom", "Expecting value: line 1 column 1 "),
    "unclosed string": ('{"name": "tom', "Unterminated string starting at: line 1"),
    "control char in string": (
        '{"name": "t\x01m"}',
        "Invalid control character at: line 1 column 12",
    ),
    "invalid escape": ('{"name": "t\\qm"}', "Invalid \\escape: line 1 column 12"),
    "lone open brace": (
        "{",
        "Expecting property name enclosed in double quotes: line 1 column 2",
    ),
    "10**5000 as a number": (
        '{"name": "tom", "age": ' + "9" * 5000 + "}",
        "Exceeds the limit (4300 digits) for integer string conversion",
    ),
    "deeply nested arrays": ('{"name": ' + DEEP + "}", "body is nested too deeply"),
    "deeply nested bare": (DEEP, "body is nested too deeply"),
    "deeply nested objects": (
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        "body is nested too deeply",
    ),
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("body", "detail"), MALFORMED_JSON.values(), ids=list(MALFORMED_JSON)
)
def test_malformed_json(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str, detail: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400, bad_json(method, path, detail))
    assert store == ORIGINAL


# Well-formed JSON whose values are wrong: a 400 naming the field. Each body
# with what reqparse (POST /things and /async) and use_args (POST /cats,
# PUT /async) answer; None where the body is not sent to that kind.
BAD_VALUES: dict[str, tuple[str, Answer | None, Answer | None]] = {
    "NaN": (
        '{"name": "tom", "age": NaN, "count": NaN}',
        arg("age", "nan is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "Infinity": (
        '{"name": "tom", "age": Infinity, "count": Infinity}',
        arg("age", "inf is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "-Infinity": (
        '{"name": "tom", "age": -Infinity, "count": -Infinity}',
        arg("age", "-inf is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "1e999": (
        '{"name": "tom", "age": 1e999, "count": 1e999}',
        arg("age", "inf is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "-1e999": (
        '{"name": "tom", "age": -1e999, "count": -1e999}',
        arg("age", "-inf is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "huge int": (
        '{"name": "tom", "age": 1' + "0" * 4000 + ', "count": "x"}',
        arg("age", "argument must be within the range 0 - 40"),
        invalid("json", "age", "count"),
    ),
    # marshmallow's Integer (not strict) takes 2.5 as 2; reqparse's int does not.
    "float with fraction": (
        '{"name": "tom", "age": 2.5, "count": 2.5}',
        arg("age", "2.5 is not a valid integer"),
        invalid("json", "count"),
    ),
    "duplicate keys, last bad": (
        '{"name": "tom", "age": 3, "age": "x", "count": 1, "count": "x"}',
        arg("age", "x is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "boolean for int": (
        '{"name": "tom", "age": true, "count": true}',
        arg("age", "True is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "string for int": (
        '{"name": "tom", "age": "three", "count": "three"}',
        arg("age", "three is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "object for int": (
        '{"name": "tom", "age": {}, "count": {}}',
        arg("age", "{} is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "list for int": (
        '{"name": "tom", "age": [1], "count": [[1]]}',
        arg("age", "[1] is not a valid integer"),
        invalid("json", "age", "count"),
    ),
    "null for required": (
        '{"name": null, "age": null}',
        arg("name", "Must not be null!"),
        invalid("json", "age", "name"),
    ),
    "empty string name": ('{"name": "", "age": 3}', None, invalid("json", "name")),
    "missing required": (
        '{"age": 3}',
        arg("name", "Missing required parameter in the JSON body"),
        invalid("json", "name"),
    ),
    "empty object": (
        "{}",
        arg("name", "Missing required parameter in the JSON body"),
        invalid("json", "age", "name"),
    ),
    "object for name": (
        '{"name": {"$ne": 1}, "age": 3}',
        None,
        invalid("json", "name"),
    ),
    "list for name": ('{"name": ["tom"], "age": 3}', None, invalid("json", "name")),
    "age out of range": ('{"name": "tom", "age": -1}', None, invalid("json", "age")),
    "age too big": ('{"name": "tom", "age": 41}', None, invalid("json", "age")),
    "name too long": (
        '{"name": "' + "x" * 1000 + '", "age": 3}',
        None,
        invalid("json", "name"),
    ),
    "weight NaN": (
        '{"name": "tom", "age": 3, "weight": NaN}',
        None,
        invalid("json", "weight"),
    ),
    "weight Infinity": (
        '{"name": "tom", "age": 3, "weight": Infinity}',
        None,
        invalid("json", "weight"),
    ),
    "nested not an object": (
        '{"name": "tom", "age": 3, "address": "x"}',
        None,
        invalid("json", "address._schema"),
    ),
    "nested missing field": (
        '{"name": "tom", "age": 3, "address": {}}',
        None,
        invalid("json", "address.city"),
    ),
    "nested unknown field": (
        '{"name": "tom", "age": 3, "address": {"city": "x", "admin": 1}}',
        None,
        invalid("json", "address.admin"),
    ),
    "nested bad zip": (
        '{"name": "tom", "age": 3, "address": {"city": "x", "zip": "../.."}}',
        None,
        invalid("json", "address.zip"),
    ),
    "list not a list": (
        '{"name": "tom", "age": 3, "tags": "x"}',
        None,
        invalid("json", "tags"),
    ),
    "list of objects": (
        '{"name": "tom", "age": 3, "tags": [{}]}',
        None,
        invalid("json", "tags.0"),
    ),
    "list item too long": (
        '{"name": "tom", "age": 3, "tags": ["' + "x" * 21 + '"]}',
        None,
        invalid("json", "tags.0"),
    ),
    "unknown field (mass assignment)": (
        '{"name": "tom", "age": 3, "is_admin": true}',
        said("Unknown arguments: is_admin"),
        invalid("json", "is_admin"),
    ),
    "__proto__": (
        '{"name": "tom", "age": 3, "__proto__": {"x": 1}}',
        said("Unknown arguments: __proto__"),
        invalid("json", "__proto__"),
    ),
    "weight huge int": (
        '{"name": "tom", "age": 3, "weight": 1' + "0" * 400 + "}",
        None,
        invalid("json", "weight"),
    ),
    "indoor object": (
        '{"name": "tom", "indoor": {}}',
        arg("indoor", "Invalid literal for boolean(): {}"),
        None,
    ),
    "born object": (
        '{"name": "tom", "born": {"y": 1}}',
        arg("born", "{'y': 1} is not a valid date"),
        None,
    ),
    "born number": (
        '{"name": "tom", "born": 1e999}',
        arg("born", "inf is not a valid date"),
        None,
    ),
    "kind null": (
        '{"name": "tom", "kind": null}',
        arg("kind", "None is not a valid choice"),
        None,
    ),
    "kind not a choice": (
        '{"name": "tom", "kind": "lion"}',
        arg("kind", "lion is not a valid choice"),
        None,
    ),
    "kind unhashable": (
        '{"name": "tom", "kind": ["tabby"]}',
        arg("kind", "['tabby'] is not a valid choice"),
        None,
    ),
    "indoor not a boolean": (
        '{"name": "tom", "indoor": "maybe"}',
        arg("indoor", "Invalid literal for boolean(): maybe"),
        None,
    ),
    "born not a date": (
        '{"name": "tom", "born": "yesterday"}',
        arg("born", "time data 'yesterday' does not match format '%Y-%m-%d'"),
        None,
    ),
    "born out of range": (
        '{"name": "tom", "born": "99999-01-01"}',
        arg("born", "time data '99999-01-01' does not match format '%Y-%m-%d'"),
        None,
    ),
}

BAD_VALUE_CASES = [
    pytest.param(method, path, body, answer, id=f"{name}-{method}{path}")
    for name, (body, parsed, loaded) in BAD_VALUES.items()
    for answer, targets in [
        (parsed, [("POST", "/things"), ("POST", "/async")]),
        (loaded, [("POST", "/cats"), ("PUT", "/async")]),
    ]
    if answer is not None
    for method, path in targets
]


@pytest.mark.parametrize(("method", "path", "body", "answer"), BAD_VALUE_CASES)
def test_bad_values(
    hostile: FlaskClient,
    store: Store,
    method: str,
    path: str,
    body: str,
    answer: Answer,
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    check_error(resp, 400, answer)
    assert store == ORIGINAL


# -- not an object --------------------------------------------------------

# Each body with the JSON type the answers name.
NOT_AN_OBJECT = {
    "[]": "an array",
    '[{"name": "tom", "age": 3}]': "an array",
    '"tom"': "a string",
    "3": "a number",
    "null": "null",
    "true": "a boolean",
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("body", "kind"), NOT_AN_OBJECT.items(), ids=list(NOT_AN_OBJECT)
)
def test_not_an_object(
    hostile: FlaskClient, store: Store, method: str, path: str, body: str, kind: str
) -> None:
    resp = send(hostile, method, path, body.encode(), "application/json")
    if (method, path) in PARSED:
        answer = said(f"The JSON body must be an object, not {kind}.")
    else:
        answer = unreadable(f"Expected a JSON object, got {kind}.")
    check_error(resp, 400, answer)
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
    check_error(resp, 400, bad_json(method, path, "body is not valid UTF-8"))
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
    check_error(resp, 400, bad_json(method, path, "body is not valid UTF-8"))
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

# A body that is not JSON, with the media type a schema's 415 names.
CONTENT_TYPES = {
    "form": (
        "application/x-www-form-urlencoded",
        b"name=tom&age=3",
        "application/x-www-form-urlencoded",
    ),
    "text/plain": ("text/plain", JSON_BODY, "text/plain"),
    "application/xml": (
        "application/xml",
        b"<cat><name>tom</name></cat>",
        "application/xml",
    ),
    "multipart": (
        "multipart/form-data; boundary=xyz",
        b'--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\ntom\r\n--xyz--',
        "multipart/form-data",
    ),
    "multipart without boundary": (
        "multipart/form-data",
        b"name=tom",
        "multipart/form-data",
    ),
    "no content type": (None, JSON_BODY, "no content type"),
    "empty content type": ("", JSON_BODY, "no content type"),
    "garbage content type": ("\x00;;==;", JSON_BODY, "\x00"),
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("content_type", "body", "got"),
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
    got: str,
) -> None:
    resp = send(hostile, method, path, body, content_type)
    # A parser reads its JSON arguments from JSON bodies only: for another
    # content type they are missing (400); a schema names the type (415).
    if (method, path) in PARSED:
        answer = arg("name", "Missing required parameter in the JSON body")
        check_error(resp, 400, answer)
    else:
        answer = said("Expected a JSON body (application/json)", f", got {got}.")
        check_error(resp, 415, answer)
    assert store == ORIGINAL


# A JSON content type with another charset: the body must be UTF-8 all
# the same (RFC 8259), so each is a body that cannot be decoded.
JSON_CHARSETS = {
    "latin-1 charset": (
        "application/json; charset=latin-1",
        '{"name": "tëm", "age": 3}'.encode("latin-1"),
        "body is not valid UTF-8",
    ),
    "utf-16 charset": (
        "application/json; charset=utf-16",
        '{"name": "tom", "age": 3}'.encode("utf-16"),
        "body is not valid UTF-8",
    ),
    # Without a BOM, UTF-16-LE ASCII is valid UTF-8, full of NULs.
    "utf-16 charset, utf-16-le body": (
        "application/json; charset=utf-16",
        '{"name": "tom", "age": 3}'.encode("utf-16-le"),
        "Expecting property name enclosed in double quotes: line 1 column 2",
    ),
}


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("content_type", "body", "detail"),
    JSON_CHARSETS.values(),
    ids=list(JSON_CHARSETS),
)
def test_json_charsets(
    hostile: FlaskClient,
    store: Store,
    method: str,
    path: str,
    content_type: str,
    body: bytes,
    detail: str,
) -> None:
    resp = send(hostile, method, path, body, content_type)
    check_error(resp, 400, bad_json(method, path, detail))
    assert store == ORIGINAL


# Bodies sent to a schema reading form data (PUT /cats).
FORM_CASES = {
    "json body": (
        "application/json",
        b'{"name": "tom"}',
        415,
        said("Expected form data, got application/json."),
    ),
    "text body": (
        "text/plain",
        b"name=tom",
        415,
        said("Expected form data, got text/plain."),
    ),
    "missing name": (
        "application/x-www-form-urlencoded",
        b"age=3",
        400,
        invalid("form", "name"),
    ),
    "empty name": (
        "application/x-www-form-urlencoded",
        b"name=&age=3",
        400,
        invalid("form", "name"),
    ),
    "age not a number": (
        "application/x-www-form-urlencoded",
        b"name=t&age=x",
        400,
        invalid("form", "age"),
    ),
    "age out of range": (
        "application/x-www-form-urlencoded",
        b"name=t&age=99",
        400,
        invalid("form", "age"),
    ),
    "unknown field": (
        "application/x-www-form-urlencoded",
        b"name=t&admin=1",
        400,
        invalid("form", "admin"),
    ),
    # %ff decodes to U+FFFD, a name like any other.
    "invalid utf-8": (
        "application/x-www-form-urlencoded",
        b"name=%ff&age=x",
        400,
        invalid("form", "age"),
    ),
    # Werkzeug reads a form it cannot parse (bytes that are not UTF-8, a
    # broken or boundless multipart body) as empty: name is missing.
    "raw invalid utf-8": (
        "application/x-www-form-urlencoded",
        b"name=\xff&x=1",
        400,
        invalid("form", "name"),
    ),
    "broken multipart": (
        "multipart/form-data; boundary=xyz",
        b"--xyz\r\njunk",
        400,
        invalid("form", "name"),
    ),
    "multipart, no boundary": (
        "multipart/form-data",
        b"name=tom",
        400,
        invalid("form", "name"),
    ),
    "10k repeated names": (
        "application/x-www-form-urlencoded",
        b"&".join([b"age=x"] * 2000),
        400,
        invalid("form", "age", "name"),
    ),
}


@pytest.mark.parametrize(
    ("content_type", "body", "status", "answer"),
    FORM_CASES.values(),
    ids=list(FORM_CASES),
)
def test_form(
    hostile: FlaskClient,
    store: Store,
    content_type: str,
    body: bytes,
    status: int,
    answer: Answer,
) -> None:
    resp = send(hostile, "PUT", "/cats", body, content_type)
    check_error(resp, status, answer)
    assert store == ORIGINAL


# -- size -----------------------------------------------------------------

BIG_JSON = json.dumps({"name": "tom", "age": 3, "pad": "x" * MAX_BODY}).encode()

OVERSIZE = {
    "json": ("application/json", BIG_JSON),
    "form": ("application/x-www-form-urlencoded", b"name=" + b"x" * MAX_BODY),
    "text": ("text/plain", b"x" * (MAX_BODY + 1)),
    "no content type": (None, b"x" * (MAX_BODY + 1)),
}


NO_JSON_NAME = arg("name", "Missing required parameter in the JSON body")

# Each write refuses each oversize body whole. A schema reading JSON reads
# the body before it looks at the type, so any type is a 413; one reading a
# form refuses another type (415) before reading it. A parser fails on its
# first argument, missing from the JSON body, before one reads the form.
OVERSIZE_ANSWERS = {
    ("json", "POST", "/things"): (413, TOO_LARGE),
    ("json", "POST", "/async"): (413, TOO_LARGE),
    ("json", "POST", "/cats"): (413, TOO_LARGE),
    ("json", "PUT", "/async"): (413, TOO_LARGE),
    ("json", "PUT", "/cats"): (415, said("Expected form data, got application/json.")),
    ("form", "POST", "/things"): (400, NO_JSON_NAME),
    ("form", "POST", "/async"): (400, NO_JSON_NAME),
    ("form", "POST", "/cats"): (413, TOO_LARGE),
    ("form", "PUT", "/async"): (413, TOO_LARGE),
    ("form", "PUT", "/cats"): (413, TOO_LARGE),
    ("text", "POST", "/things"): (400, NO_JSON_NAME),
    ("text", "POST", "/async"): (400, NO_JSON_NAME),
    ("text", "POST", "/cats"): (413, TOO_LARGE),
    ("text", "PUT", "/async"): (413, TOO_LARGE),
    ("text", "PUT", "/cats"): (415, said("Expected form data, got text/plain.")),
    ("no content type", "POST", "/things"): (400, NO_JSON_NAME),
    ("no content type", "POST", "/async"): (400, NO_JSON_NAME),
    ("no content type", "POST", "/cats"): (413, TOO_LARGE),
    ("no content type", "PUT", "/async"): (413, TOO_LARGE),
    ("no content type", "PUT", "/cats"): (
        415,
        said("Expected form data, got no content type."),
    ),
}


@pytest.mark.parametrize(("method", "path"), [*WRITES, ("PUT", "/cats")])
@pytest.mark.parametrize("kind", list(OVERSIZE))
def test_oversize_body(
    hostile: FlaskClient, store: Store, method: str, path: str, kind: str
) -> None:
    content_type, body = OVERSIZE[kind]
    resp = send(hostile, method, path, body, content_type)
    check_error(resp, *OVERSIZE_ANSWERS[kind, method, path])
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
    check_error(resp, 413, TOO_LARGE)
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
    if status == 413:
        answer = TOO_LARGE
    elif (method, path) in PARSED:
        answer = NO_JSON_NAME
    else:
        answer = invalid("json", "age", "name")
    check_error(resp, status, answer)
    assert store == ORIGINAL


# -- bodies on GET and other methods -------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "content_type", "answer"),
    [
        ("/cats", b"{not json", "application/json", None),
        ("/cats", b'{"page": 0}', "application/json", None),
        ("/cats?page=0", b'{"page": 1}', "application/json", invalid("query", "page")),
        ("/items/1", b"[" * 1000, "application/json", None),
        ("/items/1", b"\xff\xfe", "text/plain", None),
        # GET /things reads name from the query string, the rest from JSON.
        (
            "/things",
            b"{not json",
            "application/json",
            said("Failed to decode JSON object: ", "Expecting property name"),
        ),
        (
            "/things",
            b'{"name": "x"}',
            "application/json",
            arg("name", "Missing required parameter in the query string"),
        ),
    ],
    ids=[
        "cats, bad JSON",
        "cats, page in the body",
        "cats, page in both",
        "item, deep JSON",
        "item, bytes",
        "things, bad JSON",
        "things, name in the body",
    ],
)
def test_body_on_get(
    hostile: FlaskClient,
    store: Store,
    path: str,
    body: bytes,
    content_type: str,
    answer: Answer | None,
) -> None:
    """A GET reads its query string; a body it does not read is ignored."""
    resp = send(hostile, "GET", path, body, content_type)
    if answer is None:
        assert resp.status_code == 200
        assert resp.mimetype == "application/json"
    else:
        check_error(resp, 400, answer)
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
    # Every query holds a bad page; the other keys are not the schema's.
    check_error(resp, 400, invalid("query", "page"))
    assert store == ORIGINAL


# Each query with the argument reqparse names and what it says.
PARSER_QUERIES = {
    "limit negative": (
        "limit=-1",
        arg("limit", "Invalid limit: -1. limit must be a non-negative integer"),
    ),
    "limit not a number": ("limit=ten", arg("limit", "ten is not a valid integer")),
    "limit huge": ("limit=" + "9" * 5000, arg("limit", "99 is not a valid integer")),
    "limit empty": ("limit=", arg("limit", " is not a valid integer")),
    "limit 10k times": (
        "&".join(["limit=x"] * 10_000),
        arg("limit", "x is not a valid integer"),
    ),
    "count in query": (
        "count=1.5",
        arg("count", "invalid literal for int() with base 10: '1.5'"),
    ),
    "unknown argument": ("is_admin=1", said("Unknown arguments: is_admin")),
    # Werkzeug keeps bytes that are not UTF-8 percent-encoded.
    "invalid utf-8": ("limit=%ff%fe", arg("limit", "%FF%FE is not a valid integer")),
}


@pytest.mark.parametrize(
    ("query", "answer"), PARSER_QUERIES.values(), ids=list(PARSER_QUERIES)
)
@pytest.mark.parametrize("path", ["/things", "/async"])
def test_bad_parser_query(
    hostile: FlaskClient, store: Store, path: str, query: str, answer: Answer
) -> None:
    body = json.dumps(THINGS_OK).encode()
    resp = send(hostile, "POST", f"{path}?{query}", body, "application/json")
    check_error(resp, 400, answer)
    assert store == ORIGINAL


# Each value with what reqparse says of it as X-Owner-Id (inputs.positive);
# the schema reading X-Api-Version names the header for all of them.
ODD_HEADER_VALUES = {
    "letters": ("abc", "abc is not a valid integer"),
    "zero": ("0", "Invalid X-Owner-Id: 0. X-Owner-Id must be a positive integer"),
    "negative": ("-5", "Invalid X-Owner-Id: -5. X-Owner-Id must be a positive"),
    "latin-1 bytes": ("\xff\xfe\xfd", "\xff\xfe\xfd is not a valid integer"),
    "nul": ("1\x00", "1\x00 is not a valid integer"),
    "huge": ("9" * 5000, "99 is not a valid integer"),
    "empty": ("", " is not a valid integer"),
    "spaces": ("   ", "    is not a valid integer"),
    "float": ("1.5", "1.5 is not a valid integer"),
}


@pytest.mark.parametrize(
    ("value", "says"), ODD_HEADER_VALUES.values(), ids=list(ODD_HEADER_VALUES)
)
@pytest.mark.parametrize(
    ("path", "header"),
    [("/things", "HTTP_X_OWNER_ID"), ("/cats", "HTTP_X_API_VERSION")],
)
def test_odd_headers(
    hostile: FlaskClient, store: Store, path: str, header: str, value: str, says: str
) -> None:
    body = json.dumps({**CAT_OK, **THINGS_OK} if path == "/cats" else THINGS_OK)
    resp = hostile.post(
        path,
        data=body,
        content_type="application/json",
        environ_overrides={header: value},
    )
    if path == "/things":
        answer = arg("X-Owner-Id", says)
    else:
        answer = invalid("headers", "X-Api-Version")
    check_error(resp, 400, answer)
    assert store == ORIGINAL


INT_SAYS = "invalid literal for int() with base 10: "


# Each Cookie header with what reqparse says of the session cookie (int).
@pytest.mark.parametrize(
    ("cookie", "says"),
    [
        ("session=abc", INT_SAYS + "'abc'"),
        ("session=\xff\xfe", INT_SAYS + "'\xff\xfe'"),
        ("session=1.5", INT_SAYS + "'1.5'"),
        ('session="\\x00"; ;;; =; =x; x=', INT_SAYS + "'x00'"),
        ("session=" + "9" * 5000, "Exceeds the limit (4300 digits)"),
        ("session=1; session=x", INT_SAYS + "'x'"),
        (";".join(["session=x"] * 5000), INT_SAYS + "'x'"),
    ],
    ids=["letters", "latin-1", "float", "junk", "huge", "repeated", "5k repeated"],
)
def test_garbage_cookies(
    hostile: FlaskClient, store: Store, cookie: str, says: str
) -> None:
    body = json.dumps(THINGS_OK)
    resp = hostile.post(
        "/things",
        data=body,
        content_type="application/json",
        headers={"Cookie": cookie},
    )
    # Every value of a repeated cookie is converted, so one bad one fails.
    check_error(resp, 400, arg("session", says))
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
    # The JSON body is what is wrong: the cookies are not the schema's.
    check_error(resp, 400, unreadable("Malformed JSON body", "Expecting property"))
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
    check_error(resp, 404, NOT_FOUND)
    assert store == ORIGINAL


@pytest.mark.parametrize(
    ("method", "status"), [("GET", 404), ("DELETE", 404), ("POST", 405)]
)
def test_url_no_converter_takes(
    hostile: FlaskClient, store: Store, method: str, status: int
) -> None:
    """Werkzeug checks the verb before the int converter: POST is a 405."""
    resp = hostile.open("/items/" + "9" * 5000, method=method)
    check_error(resp, status, {404: NOT_FOUND, 405: NOT_ALLOWED}[status])
    assert store == ORIGINAL


MISSING_ITEM = said("Item 2 doesn't exist")


def test_missing_item(hostile: FlaskClient, store: Store) -> None:
    data = check_error(hostile.delete("/items/2"), 404, MISSING_ITEM)
    assert data["message"] == "Item 2 doesn't exist"
    data = check_error(hostile.get("/items/2"), 404, MISSING_ITEM)
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
    check_error(resp, 405, NOT_ALLOWED)
    assert set(resp.headers["Allow"].split(", ")) == ALLOWED[path]
    assert store == ORIGINAL


def test_unknown_method_on_unknown_url(hostile: FlaskClient) -> None:
    check_error(hostile.open("/nowhere", method="PROPFIND"), 404, NOT_FOUND)


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
    answer = {
        400: unreadable("Malformed JSON body", "Expecting property name"),
        404: MISSING_ITEM,
        405: NOT_ALLOWED,
    }[status]
    check_error(resp, status, answer)
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
    resp = hostile.post("/cats", json={"name": "tom", "age": -1})
    check_error(resp, 422, invalid("json", "age"))
    check_error(
        hostile.put("/async", json={"name": "tom"}), 422, invalid("json", "age")
    )
    resp = hostile.post("/cats", data=b"{", content_type="application/json")
    check_error(resp, 400, unreadable("Malformed JSON body"))
    assert store == ORIGINAL


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("\x00\xff:abc", 404),
        ("a:99999999", 404),
        ("[::1", 404),
        ("", 404),
        ("a b", 404),
        # A label longer than IDNA allows: Werkzeug cannot bind the URL map,
        # and its BadHost says no more than this.
        ("a" * 5000, 400),
    ],
)
def test_odd_host(hostile: FlaskClient, store: Store, host: str, status: int) -> None:
    """A Host header routing cannot use is a JSON error like the rest."""
    resp = hostile.delete("/items/2", environ_overrides={"HTTP_HOST": host})
    # The resource answers the others: routing does not look at the host.
    answer = {
        404: MISSING_ITEM,
        400: said("The browser (or proxy) sent a request that this server could"),
    }[status]
    check_error(resp, status, answer)
    assert store == ORIGINAL
