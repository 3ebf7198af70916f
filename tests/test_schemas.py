"""use_args, use_kwargs and the request validation error shape."""

from __future__ import annotations

import datetime
import io
import pathlib
import re
import typing as t

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import fields
from werkzeug.exceptions import BadRequest, UnprocessableEntity
from werkzeug.wrappers import Response

from flask_resources import Api, Resource, marshal_with, reqparse
from flask_resources.exceptions import HTTPError, RequestValidationError
from flask_resources.schemas import use_args, use_kwargs


class CatSchema(ma.Schema):
    name = fields.Str(required=True)
    age = fields.Int(load_default=1)


class CatQuerySchema(ma.Schema):
    tag = fields.List(fields.Str())
    limit = fields.Int()


def plain(value: t.Any) -> t.Any:
    """Make loaded data JSON-friendly so the view can echo it."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "filename"):
        return f"{value.filename}:{value.read().decode()}"
    return value


def echo(*args: t.Any, **kwargs: t.Any) -> dict[str, t.Any]:
    return {"args": plain(list(args)), "kwargs": plain(kwargs)}


@pytest.fixture
def app() -> Flask:
    # A plain Flask app: the HTTPError handler stands in for the Api's.
    app = Flask(__name__)
    app.config["TESTING"] = True
    app.register_error_handler(HTTPError, lambda e: (e.get_data(), e.code))
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def route(
    app: Flask,
    *decorators: t.Any,
    rule: str = "/cats",
    view: t.Callable[..., t.Any] = echo,
) -> None:
    for decorator in reversed(decorators):
        view = decorator(view)
    app.add_url_rule(rule, "view", view, methods=["GET", "POST", "PUT"])


# -- locations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "request_kwargs", "expected"),
    [
        ("json", {"json": {"name": "Tom", "age": 3}}, {"name": "Tom", "age": 3}),
        ("form", {"data": {"name": "Tom", "age": "3"}}, {"name": "Tom", "age": 3}),
        ("json_or_form", {"json": {"name": "Tom"}}, {"name": "Tom", "age": 1}),
        ("json_or_form", {"data": {"name": "Tom"}}, {"name": "Tom", "age": 1}),
        ("query", {"query_string": "name=Tom&age=4"}, {"name": "Tom", "age": 4}),
        ("args", {"query_string": "name=Tom"}, {"name": "Tom", "age": 1}),
        (
            "headers",
            {"headers": {"name": "Tom", "age": "5"}},
            {"name": "Tom", "age": 5},
        ),
    ],
)
def test_locations(
    app: Flask,
    client: FlaskClient,
    location: t.Any,
    request_kwargs: dict[str, t.Any],
    expected: dict[str, t.Any],
) -> None:
    route(app, use_args(CatSchema, location=location))
    response = client.post("/cats", **request_kwargs)
    assert response.status_code == 200, response.json
    assert response.json == {"args": [expected], "kwargs": {}}


def test_cookies(app: Flask, client: FlaskClient) -> None:
    route(app, use_args({"session": fields.Str(required=True)}, location="cookies"))
    client.set_cookie("session", "abc")
    client.set_cookie("theme", "dark")
    assert client.get("/cats").json == {"args": [{"session": "abc"}], "kwargs": {}}


def test_files(app: Flask, client: FlaskClient) -> None:
    schema = {
        "photo": fields.Raw(required=True),
        "extra": fields.List(fields.Raw()),
    }
    route(app, use_args(schema, location="files"))
    data = {
        "photo": (io.BytesIO(b"meow"), "tom.jpg"),
        "extra": [(io.BytesIO(b"a"), "a.txt"), (io.BytesIO(b"b"), "b.txt")],
    }
    response = client.post("/cats", data=data)
    assert response.json == {
        "args": [{"photo": "tom.jpg:meow", "extra": ["a.txt:a", "b.txt:b"]}],
        "kwargs": {},
    }


def test_path(app: Flask, client: FlaskClient) -> None:
    schema = {"cat_id": fields.Int(validate=ma.validate.Range(min=1))}
    route(app, use_args(schema, location="path"), rule="/cats/<int:cat_id>")
    assert client.get("/cats/7").json == {
        "args": [{"cat_id": 7}],
        "kwargs": {"cat_id": 7},
    }
    response = client.get("/cats/0")
    assert response.status_code == 400
    assert response.json["errors"] == {
        "path": {"cat_id": ["Must be greater than or equal to 1."]}
    }


def test_header_names_are_case_insensitive(app: Flask, client: FlaskClient) -> None:
    schema = {"request_id": fields.Str(data_key="X-Request-ID", required=True)}
    route(app, use_args(schema, location="headers"))
    response = client.get("/cats", headers={"x-request-id": "abc"})
    assert response.json == {"args": [{"request_id": "abc"}], "kwargs": {}}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=a&tag=b&limit=5", {"tag": ["a", "b"], "limit": 5}),
        ("tag=a", {"tag": ["a"]}),
        # A scalar field takes the first of repeated values.
        ("limit=5&limit=6", {"limit": 5}),
        ("", {}),
    ],
)
def test_repeated_query_keys(
    app: Flask, client: FlaskClient, query: str, expected: dict[str, t.Any]
) -> None:
    route(app, use_args(CatQuerySchema, location="query"))
    assert client.get(f"/cats?{query}").json == {"args": [expected], "kwargs": {}}


def test_repeated_headers_load_into_lists(app: Flask, client: FlaskClient) -> None:
    schema = {"accept": fields.List(fields.Str(), data_key="X-Tag")}
    route(app, use_args(schema, location="headers"))
    headers = [("X-Tag", "a"), ("X-Tag", "b")]
    response = client.get("/cats", headers=headers)
    assert response.json == {"args": [{"accept": ["a", "b"]}], "kwargs": {}}


# -- sources and injection ---------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        CatSchema,
        CatSchema(),
        {"name": fields.Str(required=True), "age": fields.Int(load_default=1)},
    ],
    ids=["class", "instance", "dict"],
)
def test_sources(app: Flask, client: FlaskClient, source: t.Any) -> None:
    route(app, use_args(source))
    response = client.post("/cats", json={"name": "Tom"})
    assert response.json == {"args": [{"name": "Tom", "age": 1}], "kwargs": {}}


def test_many_schema(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema(many=True)))
    response = client.post("/cats", json=[{"name": "Tom"}, {"name": "Kit", "age": 2}])
    assert response.json["args"] == [
        [{"name": "Tom", "age": 1}, {"name": "Kit", "age": 2}]
    ]
    response = client.post("/cats", json=[{"name": "Tom"}, {"age": "x"}])
    assert response.status_code == 400
    assert response.json == {
        "message": "Invalid JSON body: invalid item '1'.",
        "errors": {
            "json": {
                "1": {
                    "name": ["Missing data for required field."],
                    "age": ["Not a valid integer."],
                }
            }
        },
    }


def test_stacked_locations(app: Flask, client: FlaskClient) -> None:
    route(
        app,
        use_args(CatQuerySchema, location="query"),
        use_args(CatSchema),
        use_args({"X-Trace": fields.Str()}, location="headers", arg_name="trace"),
    )
    response = client.post(
        "/cats?limit=2", json={"name": "Tom"}, headers={"X-Trace": "t"}
    )
    assert response.json == {
        "args": [{"limit": 2}, {"name": "Tom", "age": 1}],
        "kwargs": {"trace": {"X-Trace": "t"}},
    }
    # The outermost decorator is checked first.
    response = client.post("/cats?limit=x", json={})
    assert response.json["errors"] == {"query": {"limit": ["Not a valid integer."]}}
    response = client.post("/cats?limit=2", json={})
    assert response.json["errors"] == {
        "json": {"name": ["Missing data for required field."]}
    }


def test_use_kwargs(app: Flask, client: FlaskClient) -> None:
    def view(cat_id: int, name: str, age: int, limit: int = 10) -> dict[str, t.Any]:
        return {"cat_id": cat_id, "name": name, "age": age, "limit": limit}

    route(
        app,
        use_kwargs(CatQuerySchema, location="query"),
        use_kwargs(CatSchema),
        rule="/cats/<int:cat_id>",
        view=view,
    )
    response = client.put("/cats/3", json={"name": "Tom"})
    assert response.json == {"cat_id": 3, "name": "Tom", "age": 1, "limit": 10}
    response = client.put("/cats/3?limit=4", json={"name": "Tom", "age": 2})
    assert response.json == {"cat_id": 3, "name": "Tom", "age": 2, "limit": 4}


def test_use_kwargs_path_replaces_url_variables(
    app: Flask, client: FlaskClient
) -> None:
    def view(day: datetime.date) -> dict[str, t.Any]:
        return {"day": day.isoformat(), "weekday": day.weekday()}

    schema = {"day": fields.Date()}
    route(app, use_kwargs(schema, location="path"), rule="/days/<day>", view=view)
    assert client.get("/days/2024-02-29").json == {"day": "2024-02-29", "weekday": 3}
    assert client.get("/days/2023-02-29").json["errors"] == {
        "path": {"day": ["Not a valid date."]}
    }


def test_use_kwargs_refuses_a_key_given_twice(app: Flask, client: FlaskClient) -> None:
    route(app, use_kwargs({"cat_id": fields.Int()}), rule="/cats/<int:cat_id>")
    with pytest.raises(TypeError, match="cat_id given twice"):
        client.put("/cats/3", json={"cat_id": 4})


def test_use_kwargs_needs_a_dict(app: Flask, client: FlaskClient) -> None:
    class Built(CatSchema):
        @ma.post_load
        def build(self, data: dict[str, t.Any], **kwargs: t.Any) -> Kitten:
            return Kitten(data["name"], data["age"])

    route(app, use_kwargs(Built))
    with pytest.raises(TypeError, match="not Kitten"):
        client.post("/cats", json={"name": "Tom"})


def test_async_view(app: Flask, client: FlaskClient) -> None:
    @use_args(CatSchema)
    async def view(cat: dict[str, t.Any]) -> dict[str, t.Any]:
        return cat

    app.add_url_rule("/cats", "view", view, methods=["POST"])
    assert client.post("/cats", json={"name": "Tom"}).json == {"name": "Tom", "age": 1}


def test_request_parser(app: Flask, client: FlaskClient) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("name", required=True, location="json")
    parser.add_argument("age", type=int, default=1, location="json")
    route(app, use_args(parser))
    response = client.post("/cats", json={"name": "Tom", "other": 1})
    assert response.json == {"args": [{"name": "Tom", "age": 1}], "kwargs": {}}
    # The parser's own errors, in Flask-RESTful's shape.
    response = client.post("/cats", json={"age": "x"})
    assert response.status_code == 400
    assert set(response.json["message"]) == {"name"}


def test_request_parser_strict(app: Flask, client: FlaskClient) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("name", location="json")
    route(app, use_kwargs(parser, unknown="raise"), view=lambda name: {"name": name})
    assert client.post("/cats", json={"name": "Tom"}).json == {"name": "Tom"}
    response = client.post("/cats", json={"name": "Tom", "is_admin": True})
    assert response.status_code == 400
    assert "is_admin" in str(response.json)


class FakeParser:
    """Any object with parse_args works, Flask-RESTful's parser included."""

    def parse_args(self, req: t.Any = None, strict: bool = False) -> dict[str, t.Any]:
        from flask import request

        return {"name": request.args.get("name"), "strict": strict}


@pytest.mark.parametrize(("unknown", "strict"), [(None, False), ("raise", True)])
def test_request_parser_source(
    app: Flask, client: FlaskClient, unknown: t.Any, strict: bool
) -> None:
    route(app, use_args(FakeParser(), unknown=unknown))
    response = client.get("/cats?name=Tom")
    assert response.json == {"args": [{"name": "Tom", "strict": strict}], "kwargs": {}}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: use_args(CatSchema, location="xml"), ValueError, "location 'xml'"),
        (lambda: use_args(CatSchema, unknown="ignore"), ValueError, "unknown='ignore'"),
        (lambda: use_args({"name": str}), TypeError, "not fields: name"),
        (lambda: use_args(object()), TypeError, "not object"),
        (lambda: use_kwargs(CatSchema(many=True)), ValueError, "many=False"),
    ],
)
def test_decoration_errors(
    call: t.Callable[[], t.Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()


# -- unknown keys ------------------------------------------------------------


def test_body_rejects_unknown_fields_by_name(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema))
    response = client.post("/cats", json={"name": "Tom", "is_admin": True, "role": "x"})
    assert response.status_code == 400
    assert response.json == {
        "message": "Invalid JSON body: unknown fields 'is_admin', 'role'.",
        "errors": {
            "json": {"is_admin": ["Unknown field."], "role": ["Unknown field."]}
        },
    }


def test_form_rejects_unknown_fields(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema, location="form"))
    response = client.post("/cats", data={"name": "Tom", "is_admin": "1"})
    assert response.status_code == 400
    assert response.json["message"] == "Invalid form data: unknown field 'is_admin'."


@pytest.mark.parametrize("location", ["query", "headers", "cookies"])
def test_parameters_ignore_unknown_keys(
    app: Flask, client: FlaskClient, location: t.Any
) -> None:
    route(app, use_args({"name": fields.Str()}, location=location))
    client.set_cookie("other", "1")
    response = client.get("/cats?other=1", headers={"X-Other": "1"})
    assert response.json == {"args": [{}], "kwargs": {}}


@pytest.mark.parametrize(
    ("location", "unknown", "config", "status", "expected"),
    [
        # Per decorator.
        ("json", "exclude", None, 200, {"name": "Tom"}),
        ("json", "include", None, 200, {"name": "Tom", "other": "1"}),
        ("query", "raise", None, 400, None),
        # Per app.
        ("json", ..., {"json": "exclude"}, 200, {"name": "Tom"}),
        ("query", ..., {"query": "raise"}, 400, None),
        ("query", ..., {"json": "exclude"}, 200, {"name": "Tom"}),
        # The decorator wins over the app.
        ("query", "exclude", {"query": "raise"}, 200, {"name": "Tom"}),
        # None leaves it to the schema, whose Meta.unknown defaults to raise.
        ("query", None, None, 400, None),
    ],
)
def test_unknown_policy(
    app: Flask,
    client: FlaskClient,
    location: t.Any,
    unknown: t.Any,
    config: dict[str, str] | None,
    status: int,
    expected: dict[str, t.Any] | None,
) -> None:
    if config is not None:
        app.config["RESOURCES_UNKNOWN_BY_LOCATION"] = config
    options = {} if unknown is ... else {"unknown": unknown}
    route(app, use_args({"name": fields.Str()}, location=location, **options))
    data = {"name": "Tom", "other": "1"}
    if location == "json":
        response = client.post("/cats", json=data)
    else:
        response = client.get("/cats", query_string=data)
    assert response.status_code == status
    if expected is not None:
        assert response.json == {"args": [expected], "kwargs": {}}
    else:
        assert response.json["errors"] == {location: {"other": ["Unknown field."]}}


def test_schema_meta_unknown_with_unknown_none(app: Flask, client: FlaskClient) -> None:
    class Lenient(CatSchema):
        class Meta:
            unknown = ma.EXCLUDE

    route(app, use_args(Lenient, unknown=None))
    response = client.post("/cats", json={"name": "Tom", "other": 1})
    assert response.json == {"args": [{"name": "Tom", "age": 1}], "kwargs": {}}


def test_bad_unknown_config(app: Flask, client: FlaskClient) -> None:
    app.config["RESOURCES_UNKNOWN_BY_LOCATION"] = {"json": "ignore"}
    route(app, use_args(CatSchema))
    with pytest.raises(ValueError, match="RESOURCES_UNKNOWN_BY_LOCATION"):
        client.post("/cats", json={"name": "Tom"})


# -- the error shape ---------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "status", "werkzeug_class"),
    [(None, 400, BadRequest), (400, 400, BadRequest), (422, 422, UnprocessableEntity)],
)
def test_validation_error_shape(
    app: Flask,
    client: FlaskClient,
    config: int | None,
    status: int,
    werkzeug_class: type[Exception],
) -> None:
    if config is not None:
        app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = config
    caught: list[Exception] = []

    @app.errorhandler(status)
    def handler(e: HTTPError) -> t.Any:
        caught.append(e)
        return e.get_data(), e.code

    route(app, use_args(CatSchema))
    response = client.post("/cats", json={"age": "old", "owner": "me"})
    assert response.status_code == status
    assert response.json == {
        "message": "Invalid JSON body: invalid fields 'age', 'name';"
        " unknown field 'owner'.",
        "errors": {
            "json": {
                "age": ["Not a valid integer."],
                "name": ["Missing data for required field."],
                "owner": ["Unknown field."],
            }
        },
    }
    # Handlers registered by status code see it, as Werkzeug's class.
    [error] = caught
    assert isinstance(error, RequestValidationError)
    assert isinstance(error, werkzeug_class)
    assert error.errors == response.json["errors"]


def test_schema_level_errors(app: Flask, client: FlaskClient) -> None:
    class Passwords(ma.Schema):
        password = fields.Str()
        repeat = fields.Str()

        @ma.validates_schema
        def same(self, data: dict[str, t.Any], **kwargs: t.Any) -> None:
            if data.get("password") != data.get("repeat"):
                raise ma.ValidationError("Passwords do not match.")

    route(app, use_args(Passwords))
    response = client.post("/cats", json={"password": "a", "repeat": "b"})
    assert response.status_code == 400
    assert response.json == {
        "message": "Invalid JSON body: Passwords do not match.",
        "errors": {"json": {"_schema": ["Passwords do not match."]}},
    }


# -- bad bodies --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b'{"name": "Tom",}', "application/json", 400, "Malformed JSON body: "),
        (b"{", "application/json", 400, "Malformed JSON body: "),
        (b'{"name": "\xff"}', "application/json", 400, "not valid UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested too deeply"),
        (
            b"name=Tom",
            "application/x-www-form-urlencoded",
            415,
            "got application/x-www",
        ),
        (b"name: Tom", "text/plain", 415, "got text/plain"),
        (b'{"name": "Tom"}', None, 415, "got no content type"),
        (b"[]", "application/json", 400, "expected a JSON object, got an array"),
        (b'"Tom"', "application/json", 400, "expected a JSON object, got a string"),
        (b"3", "application/json", 400, "expected a JSON object, got a number"),
        (b"null", "application/json", 400, "expected a JSON object, got null"),
        (b"true", "application/json", 400, "expected a JSON object, got a boolean"),
    ],
)
def test_bad_json_bodies(
    app: Flask,
    client: FlaskClient,
    body: bytes,
    content_type: str | None,
    status: int,
    message: str,
) -> None:
    app.config["TESTING"] = False
    route(app, use_args(CatSchema))
    response = client.post("/cats", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.is_json
    assert message.lower() in response.json["message"].lower()
    if status == 400:
        assert set(response.json["errors"]) == {"json"}


@pytest.mark.parametrize(("config", "status"), [(None, 400), (422, 422)])
def test_non_object_body_uses_validation_status(
    app: Flask, client: FlaskClient, config: int | None, status: int
) -> None:
    if config is not None:
        app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = config
    route(app, use_args(CatSchema))
    response = client.post("/cats", json=["Tom"])
    assert response.status_code == status
    assert response.json == {
        "message": "Invalid JSON body: Expected a JSON object, got an array.",
        "errors": {"json": {"_schema": ["Expected a JSON object, got an array."]}},
    }
    # Malformed JSON stays 400: it is not well-formed enough to be "unprocessable".
    assert (
        client.post("/cats", data="{", content_type="application/json").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("source", "body", "message"),
    [
        (
            CatSchema(many=True),
            {"name": "Tom"},
            "Expected a JSON array, got an object.",
        ),
        (CatSchema(many=True), None, "Expected a JSON array, got no body."),
        (CatSchema, None, None),
        ({"name": fields.Str()}, None, None),
    ],
)
def test_empty_body(
    app: Flask, client: FlaskClient, source: t.Any, body: t.Any, message: str | None
) -> None:
    route(app, use_args(source))
    response = client.post("/cats", json=body) if body else client.post("/cats")
    if message is not None:
        assert response.json["errors"] == {"json": {"_schema": [message]}}
    elif isinstance(source, dict):
        assert response.json == {"args": [{}], "kwargs": {}}
    else:
        # No body loads like an empty object: required fields are reported.
        assert response.json["errors"] == {
            "json": {"name": ["Missing data for required field."]}
        }


def test_form_location_refuses_json(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema, location="form"))
    response = client.post("/cats", json={"name": "Tom"})
    assert response.status_code == 415
    assert response.json == {"message": "Expected form data, got application/json."}


def test_json_or_form_refuses_text(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema, location="json_or_form"))
    response = client.post("/cats", data="Tom", content_type="text/plain")
    assert response.status_code == 415


def test_deep_nesting_in_a_recursive_schema(app: Flask, client: FlaskClient) -> None:
    class Node(ma.Schema):
        child = fields.Nested(lambda: Node())

    route(app, use_args(Node))
    body: dict[str, t.Any] = {}
    for _ in range(400):
        body = {"child": body}
    response = client.post("/cats", json=body)
    assert response.status_code == 400
    assert response.json["message"] == "The JSON body is nested too deeply."


def test_vendor_json_media_type(app: Flask, client: FlaskClient) -> None:
    route(app, use_args(CatSchema))
    response = client.post(
        "/cats", data='{"name": "Tom"}', content_type="application/merge-patch+json"
    )
    assert response.json == {"args": [{"name": "Tom", "age": 1}], "kwargs": {}}


# -- marshal_with and schemas ------------------------------------------------


class Kitten:
    def __init__(self, name: str, age: int) -> None:
        self.name = name
        self.age = age
        self.secret = "s"


TOM = Kitten("Tom", 3)
KIT = Kitten("Kit", 1)


@pytest.mark.parametrize(
    ("schema", "returned", "expected"),
    [
        (CatSchema, TOM, {"name": "Tom", "age": 3}),
        (CatSchema(), {"name": "Tom", "age": 3, "x": 1}, {"name": "Tom", "age": 3}),
        (CatSchema(only=("name",)), TOM, {"name": "Tom"}),
        (
            CatSchema(many=True),
            [TOM, KIT],
            [{"name": "Tom", "age": 3}, {"name": "Kit", "age": 1}],
        ),
        # A list is dumped item by item with many=False, as marshal does.
        (CatSchema, [TOM, KIT], [{"name": "Tom", "age": 3}, {"name": "Kit", "age": 1}]),
        (CatSchema, ([TOM], 201), ([{"name": "Tom", "age": 3}], 201, {})),
        (
            CatSchema,
            (TOM, 201, {"X-A": "1"}),
            ({"name": "Tom", "age": 3}, 201, {"X-A": "1"}),
        ),
        (
            CatSchema,
            (TOM, {"X-A": "1"}),
            ({"name": "Tom", "age": 3}, 200, {"X-A": "1"}),
        ),
    ],
)
def test_marshal_with_schema(schema: t.Any, returned: t.Any, expected: t.Any) -> None:
    @marshal_with(schema)
    def view() -> t.Any:
        return returned

    assert view() == expected


def test_marshal_with_schema_envelope_and_code() -> None:
    @marshal_with(CatSchema, envelope="data", code=201)
    def view(value: t.Any) -> t.Any:
        return value

    assert view(TOM) == ({"data": {"name": "Tom", "age": 3}}, 201)
    # A status returned with the body wins over code.
    assert view((TOM, 200)) == ({"data": {"name": "Tom", "age": 3}}, 200, {})
    response = Response("raw")
    assert view(response) is response


def test_marshal_with_code_and_a_fields_dict() -> None:
    from flask_resources import fields as output

    @marshal_with({"name": output.String}, code=201)
    def view() -> t.Any:
        return TOM

    assert view() == ({"name": "Tom"}, 201)


def test_marshal_with_schema_async() -> None:
    import asyncio

    @marshal_with(CatSchema)
    async def view() -> t.Any:
        return TOM

    assert asyncio.run(view()) == {"name": "Tom", "age": 3}


# -- end to end through Api and Resource -------------------------------------


class CatOutSchema(CatSchema):
    id = fields.Int(dump_only=True)


class CatListQuery(ma.Schema):
    limit = fields.Int(load_default=20, validate=ma.validate.Range(min=1))


def cats_app() -> tuple[Flask, dict[int, dict[str, t.Any]]]:
    """The schema version of the /cats API in docs/guide/schemas.md."""
    cats = {1: {"id": 1, "name": "Tom", "age": 3}}

    class CatList(Resource):
        @use_args(CatListQuery, location="query")
        @marshal_with(CatOutSchema(many=True))
        def get(self, query: dict[str, t.Any]) -> t.Any:
            return list(cats.values())[: query["limit"]]

        @use_args(CatSchema)
        @marshal_with(CatOutSchema)
        def post(self, cat: dict[str, t.Any]) -> t.Any:
            cat["id"] = max(cats, default=0) + 1
            cats[cat["id"]] = cat
            return cat, 201

    class Cat(Resource):
        method_decorators = {"put": [use_kwargs(CatSchema)]}

        async def patch(self, cat_id: int) -> t.Any:
            return await self.update(cat_id)

        @use_args(CatSchema(partial=True), arg_name="changes")
        async def update(self, cat_id: int, changes: dict[str, t.Any]) -> t.Any:
            cats[cat_id].update(changes)
            return cats[cat_id]

        @marshal_with(CatOutSchema)
        def put(self, cat_id: int, name: str, age: int) -> t.Any:
            cats[cat_id] = {"id": cat_id, "name": name, "age": age, "secret": "s"}
            return cats[cat_id]

    app = Flask(__name__)
    api = Api(app)
    api.add_resource(CatList, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")
    return app, cats


def test_cats_api() -> None:
    app, cats = cats_app()
    client = app.test_client()
    assert client.get("/cats").json == [{"id": 1, "name": "Tom", "age": 3}]
    response = client.post("/cats", json={"name": "Kit"})
    assert response.status_code == 201
    assert response.json == {"id": 2, "name": "Kit", "age": 1}
    assert client.get("/cats?limit=1").json == [{"id": 1, "name": "Tom", "age": 3}]
    assert client.put("/cats/2", json={"name": "Kat", "age": 4}).json == {
        "id": 2,
        "name": "Kat",
        "age": 4,
    }
    # The schema leaves out what it does not declare.
    assert cats[2] == {"id": 2, "name": "Kat", "age": 4, "secret": "s"}


def test_cats_api_async_verb() -> None:
    app, cats = cats_app()
    client = app.test_client()
    # An async verb calling an async method decorated with use_args.
    response = client.patch("/cats/1", json={"age": 5})
    assert response.json == {"id": 1, "name": "Tom", "age": 5}
    response = client.patch("/cats/1", json={"age": "x"})
    assert response.status_code == 400
    assert response.json["errors"] == {"json": {"age": ["Not a valid integer."]}}


@pytest.mark.parametrize(("status", "testing"), [(400, True), (422, False)])
def test_cats_api_errors(status: int, testing: bool) -> None:
    app, cats = cats_app()
    app.config["TESTING"] = testing
    app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = status
    client = app.test_client()
    response = client.get("/cats?limit=0")
    assert response.status_code == status
    assert response.json == {
        "message": "Invalid query string: invalid field 'limit'.",
        "errors": {"query": {"limit": ["Must be greater than or equal to 1."]}},
    }
    response = client.post("/cats", json={"name": "Kit", "is_admin": True})
    assert response.status_code == status
    assert response.json["message"] == "Invalid JSON body: unknown field 'is_admin'."
    response = client.put("/cats/1", json={"age": 2})
    assert response.status_code == status
    assert response.json["errors"] == {
        "json": {"name": ["Missing data for required field."]}
    }
    bad_bodies = [
        ("{", "application/json", 400),
        (b"\xff", "application/json", 400),
        ("[" * 50_000, "application/json", 400),
        ('["Kit"]', "application/json", status),
        ("name=Kit", "application/x-www-form-urlencoded", 415),
    ]
    for body, content_type, expected in bad_bodies:
        response = client.post("/cats", data=body, content_type=content_type)
        assert response.status_code == expected, body
        assert response.is_json
    assert list(cats) == [1]


def docs_apps() -> list[Flask]:
    """The two /cats apps of docs/guide/schemas.md, so the page cannot rot."""
    page = pathlib.Path(__file__).parent.parent / "docs" / "guide" / "schemas.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
    apps = []
    for source in blocks[:2]:
        namespace: dict[str, t.Any] = {"__name__": __name__}
        exec(compile(source, str(page), "exec"), namespace)
        apps.append(namespace["app"])
    return apps


def test_docs_examples_agree_on_valid_requests() -> None:
    answers = []
    for app in docs_apps():
        client = app.test_client()
        calls = [
            client.get("/cats"),
            client.get("/cats?limit=1"),
            client.post("/cats", json={"name": "Kit"}),
            client.post("/cats", json={"name": "Kat", "age": 2}),
            client.get("/cats/2"),
            client.get("/cats/9"),
            client.get("/cats"),
        ]
        answers.append([(r.status_code, r.json) for r in calls])
    fields_answers, schema_answers = answers
    assert fields_answers == schema_answers
    assert schema_answers[2] == (201, {"id": 2, "name": "Kit", "age": 1})


def test_docs_examples_differ_on_invalid_requests() -> None:
    reqparse_app, schema_app = docs_apps()
    old, new = reqparse_app.test_client(), schema_app.test_client()
    assert old.post("/cats", json={"age": 2}).json == {
        "message": {"name": "Missing required parameter in the JSON body"}
    }
    assert new.post("/cats", json={"age": 2}).json == {
        "message": "Invalid JSON body: invalid field 'name'.",
        "errors": {"json": {"name": ["Missing data for required field."]}},
    }
    assert old.post("/cats", json={"name": "X", "is_admin": True}).status_code == 201
    assert new.post("/cats", json={"name": "X", "is_admin": True}).status_code == 400
    assert old.get("/cats?limit=0").json == []
    assert new.get("/cats?limit=0").status_code == 400


def test_marshal_accepts_a_schema() -> None:
    from flask_resources import marshal

    class Pet(ma.Schema):
        name = ma.fields.String()
        age = ma.fields.Integer()

    assert marshal({"name": "Tom", "age": 3, "secret": 1}, Pet) == {
        "name": "Tom",
        "age": 3,
    }
    assert marshal([{"name": "A"}, {"name": "B"}], Pet(), envelope="pets") == {
        "pets": [{"name": "A"}, {"name": "B"}]
    }


# Run in a fresh interpreter: this test module imports marshmallow itself.
_WITHOUT_MARSHMALLOW = """
import sys
from flask import Flask
import flask_resources
from flask_resources import Api, Resource, fields, marshal, marshal_with, reqparse
from flask_resources.schemas import use_args

parser = reqparse.RequestParser().add_argument("name")

class Cat(Resource):
    @use_args(parser)
    @marshal_with({"name": fields.String})
    def post(self, args):
        return args

app = Flask(__name__)
Api(app).add_resource(Cat, "/cat")
answer = app.test_client().post("/cat", json={"name": "Tom"})
assert answer.get_json() == {"name": "Tom"}, answer.data
assert marshal({"a": 1}, {"a": fields.Integer}) == {"a": 1}
try:
    use_args({"a": 1})
except TypeError as e:
    assert "not fields: a" in str(e), e
else:
    raise AssertionError("use_args took a dict of non-fields")
loaded = [m for m in ("marshmallow", "aniso8601", "pytz") if m in sys.modules]
assert not loaded, loaded
assert flask_resources.inputs.boolean("true") is True
"""


def test_marshmallow_is_imported_only_by_code_using_it() -> None:
    # Importing it costs more than the rest of the package (issue 15); no
    # schema can exist until something has imported it.
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MARSHMALLOW], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
