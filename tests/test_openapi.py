"""The OpenAPI document built from resources, the routes that serve it and
the ``flask openapi`` commands."""

from __future__ import annotations

import json
import sys
import threading
import typing as t
import uuid

import marshmallow as ma
import pytest
from flask import Blueprint, Flask
from werkzeug.routing import BaseConverter

from flask_resources import (
    Api,
    Resource,
    abort,
    doc,
    fields,
    inputs,
    marshal_with,
    marshal_with_field,
    reqparse,
    use_args,
    use_kwargs,
)
from flask_resources.exceptions import OpenAPIError
from flask_resources.operations import Operation

pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
validator = pytest.importorskip(
    "openapi_spec_validator", reason="needs openapi-spec-validator"
)


def document(api: Api, app: Flask) -> dict[str, t.Any]:
    """The document, after checking that it is valid OpenAPI 3.1."""
    with app.app_context():
        spec = api.openapi()
    assert spec["openapi"] == "3.1.0"
    validator.validate(spec)
    # What is served is what a client gets: plain JSON.
    assert json.loads(json.dumps(spec)) == spec
    return spec


def schemas(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], spec["components"]["schemas"])


# -- a Flask-RESTful code base gains a spec ----------------------------------

todo_fields = {
    "id": fields.Integer,
    "task": fields.String,
    "done": fields.Boolean(default=False),
    "uri": fields.Url("todo"),
    "created": fields.DateTime(dt_format="iso8601"),
    "changed": fields.DateTime,
    "price": fields.Fixed(decimals=2),
    "big": fields.Arbitrary,
    "extra": fields.Raw,
    "score": fields.Float,
    "label": fields.FormattedString("{task}!"),
    "owner": fields.Nested({"name": fields.String}, allow_null=True),
    "tags": fields.List(fields.String),
    "subtasks": fields.List(fields.Nested({"task": fields.String})),
    "stats": {"views": fields.Integer},
}

todo_parser = reqparse.RequestParser()
todo_parser.add_argument("task", required=True, help="What to do: {error_msg}")
todo_parser.add_argument("priority", type=inputs.int_range(1, 5), default=3)
todo_parser.add_argument("due", type=inputs.date, nullable=False)
todo_parser.add_argument("tag", action="append", location="args")
todo_parser.add_argument("kind", choices=("home", "work"), location="args")
todo_parser.add_argument("X-Request-Id", location="headers")
todo_parser.add_argument("session", location="cookies")


class Todo(Resource):
    """One thing to do."""

    @marshal_with(todo_fields)
    def get(self, todo_id: int) -> t.Any:
        """Show a todo.

        Every field of it.
        """
        abort(404, message=f"Todo {todo_id} doesn't exist")

    @doc(args=todo_parser, responses={404: "No such todo"})
    @marshal_with(todo_fields, code=201)
    def put(self, todo_id: int) -> t.Any:
        args = todo_parser.parse_args()
        return {"id": todo_id, **args}, 201

    def delete(self, todo_id: int) -> t.Any:
        return "", 204


def flask_restful_app() -> tuple[Flask, Api]:
    app = Flask(__name__)
    api = Api(app, title="Todos", version="2.0")
    api.schema_name("Todo", todo_fields)
    api.add_resource(Todo, "/todos/<int:todo_id>", "/tasks/<int:todo_id>")
    return app, api


def test_flask_restful_code_base_gets_a_valid_document() -> None:
    app, api = flask_restful_app()
    spec = document(api, app)
    assert spec["info"] == {"title": "Todos", "version": "2.0"}
    assert set(spec["paths"]) == {"/todos/{todo_id}", "/tasks/{todo_id}"}
    get = spec["paths"]["/todos/{todo_id}"]["get"]
    assert get["summary"] == "Show a todo."
    assert get["description"] == "Every field of it."
    assert get["tags"] == ["Todo"]
    assert {"name": "Todo", "description": "One thing to do."} in spec["tags"]
    assert get["parameters"] == [
        {
            "name": "todo_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        }
    ]
    body = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Todo"}
    assert get["responses"]["default"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_fields_convert_to_json_schema() -> None:
    app, api = flask_restful_app()
    todo = schemas(document(api, app))["Todo"]
    properties = todo["properties"]
    assert todo["required"] == list(todo_fields)
    assert properties["id"] == {"type": "integer"}
    assert properties["task"] == {"type": ["string", "null"]}
    assert properties["done"] == {"type": "boolean"}
    assert properties["uri"] == {"type": "string", "format": "uri-reference"}
    assert properties["created"] == {"type": ["string", "null"], "format": "date-time"}
    assert properties["changed"]["type"] == ["string", "null"]
    assert "RFC 822" in properties["changed"]["description"]
    assert properties["price"]["type"] == ["string", "null"]
    assert properties["big"]["type"] == ["string", "null"]
    assert properties["extra"] == {}
    assert properties["score"] == {"type": ["number", "null"]}
    assert properties["label"] == {"type": "string"}
    owner = properties["owner"]
    assert owner["type"] == ["object", "null"]
    assert owner["properties"] == {"name": {"type": ["string", "null"]}}
    assert properties["tags"] == {
        "type": ["array", "null"],
        "items": {"type": ["string", "null"]},
    }
    subtasks = properties["subtasks"]
    assert subtasks["items"]["type"] == "object"
    assert subtasks["items"]["properties"]["task"] == {"type": ["string", "null"]}
    assert properties["stats"]["properties"] == {"views": {"type": "integer"}}


def test_documented_parser_becomes_parameters_and_body() -> None:
    app, api = flask_restful_app()
    put = document(api, app)["paths"]["/todos/{todo_id}"]["put"]
    parameters = {(p["in"], p["name"]): p for p in put["parameters"]}
    assert parameters["query", "tag"]["schema"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    assert parameters["query", "kind"]["schema"] == {
        "type": "string",
        "enum": ["home", "work"],
    }
    assert ("header", "X-Request-Id") in parameters
    assert ("cookie", "session") in parameters
    content = put["requestBody"]["content"]
    # Flask-RESTful's default locations: the JSON body and the form.
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    body = content["application/json"]["schema"]
    assert body["required"] == ["task"]
    assert body["properties"]["task"]["description"] == "What to do: {error_msg}"
    assert body["properties"]["task"]["type"] == ["string", "null"]
    assert body["properties"]["priority"] == {
        "type": ["integer", "null"],
        "minimum": 1,
        "maximum": 5,
        "default": 3,
    }
    # nullable=False: null is refused, so not documented.
    assert body["properties"]["due"] == {"type": "string", "format": "date"}
    assert put["requestBody"]["required"] is True
    responses = put["responses"]
    assert "201" in responses and "200" not in responses
    assert responses["404"]["description"] == "No such todo"
    assert responses["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ParserError"
    }


def test_operation_ids_unique_across_urls_of_one_resource() -> None:
    app, api = flask_restful_app()
    spec = document(api, app)
    ids = [
        operation["operationId"]
        for path in spec["paths"].values()
        for operation in path.values()
    ]
    assert len(ids) == len(set(ids)) == 6
    assert "get_todo" in ids and "get_todo_2" in ids


def test_operation_without_records_documents_a_success() -> None:
    app, api = flask_restful_app()
    delete = document(api, app)["paths"]["/todos/{todo_id}"]["delete"]
    assert set(delete["responses"]) == {"200", "default"}
    assert "requestBody" not in delete and "summary" not in delete


@pytest.mark.parametrize(
    ("kind", "schema"),
    [
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (str, {"type": "string"}),
        (bool, {"type": "boolean"}),
        (inputs.boolean, {"type": "boolean"}),
        (inputs.date, {"type": "string", "format": "date"}),
        (inputs.datetime_from_iso8601, {"type": "string", "format": "date-time"}),
        (inputs.url, {"type": "string", "format": "uri"}),
        (inputs.natural, {"type": "integer", "minimum": 0}),
        (inputs.positive, {"type": "integer", "minimum": 1}),
        (inputs.int_range(2, 4), {"type": "integer", "minimum": 2, "maximum": 4}),
        (inputs.regex("^[a-z]+$"), {"type": "string", "pattern": "^[a-z]+$"}),
        (inputs.ipv4, {"type": "string", "format": "ipv4"}),
        (inputs.ipv6, {"type": "string", "format": "ipv6"}),
        (
            inputs.ip,
            {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
        ),
        (inputs.URL(schemes=("https",)), {"type": "string", "format": "uri"}),
        (inputs.email(), {"type": "string", "format": "email"}),
        ({"name": fields.String}, {"type": "object"}),
        (lambda value: value, {}),
    ],
)
def test_reqparse_types(kind: t.Any, schema: dict[str, t.Any]) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("value", type=kind, location="args")
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @use_args(parser)
        def get(self, args: t.Any) -> t.Any:
            return args

    api.add_resource(Things, "/things")
    (parameter,) = document(api, app)["paths"]["/things"]["get"]["parameters"]
    assert parameter["schema"] == schema


class _SwaggerDocumented:
    """A type documented as Flask-RESTX documents its types."""

    def __init__(self, schema: dict[str, t.Any]) -> None:
        self.__schema__ = schema

    def __call__(self, value: t.Any) -> t.Any:
        return value


@pytest.mark.parametrize(
    ("swagger", "schema"),
    [
        ({"type": "string", "format": "ip"}, {"type": "string", "format": "ip"}),
        (
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            {"type": "integer", "exclusiveMinimum": 0},
        ),
        (
            {"type": "number", "maximum": 1, "exclusiveMaximum": False},
            {"type": "number", "maximum": 1},
        ),
    ],
)
def test_reqparse_swagger_schema_of_a_type(
    swagger: dict[str, t.Any], schema: dict[str, t.Any]
) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("value", type=_SwaggerDocumented(swagger), location="args")
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @doc(args=parser)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Things, "/things")
    (parameter,) = document(api, app)["paths"]["/things"]["get"]["parameters"]
    assert parameter["schema"] == schema


def test_reqparse_get_json_location_is_the_json_body() -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("task", location="get_json", required=True)
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @doc(args=parser)
        def post(self) -> t.Any:
            return {}, 201

    api.add_resource(Things, "/things")
    body = document(api, app)["paths"]["/things"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["task"] == {"type": ["string", "null"]}
    assert schema["required"] == ["task"]


@pytest.mark.parametrize("kind", [inputs.datetime_from_rfc822, inputs.iso8601interval])
def test_reqparse_text_types_are_described(kind: t.Any) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("when", type=kind, location="args")
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @doc(args=parser)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Things, "/things")
    (parameter,) = document(api, app)["paths"]["/things"]["get"]["parameters"]
    assert parameter["schema"]["type"] == "string"
    assert parameter["schema"]["description"]


def test_reqparse_files_and_form_make_a_multipart_body() -> None:
    from werkzeug.datastructures import FileStorage

    parser = reqparse.RequestParser()
    parser.add_argument("picture", type=FileStorage, location="files", required=True)
    parser.add_argument("caption", location="form")
    app = Flask(__name__)
    api = Api(app)

    class Pictures(Resource):
        @doc(args=parser)
        def post(self) -> t.Any:
            return {}, 201

    api.add_resource(Pictures, "/pictures")
    body = document(api, app)["paths"]["/pictures"]["post"]["requestBody"]
    (media,) = body["content"]
    assert media == "multipart/form-data"
    schema = body["content"][media]["schema"]
    assert schema["properties"]["picture"] == {"type": "string", "format": "binary"}
    assert schema["properties"]["caption"] == {"type": "string"}
    assert schema["required"] == ["picture"]


# -- marshmallow --------------------------------------------------------------


class PetSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.Str(required=True)
    tag = ma.fields.Str(allow_none=True)


class PetQuerySchema(ma.Schema):
    limit = ma.fields.Int(load_default=10)
    kinds = ma.fields.List(ma.fields.Str())


def test_marshmallow_sources_and_locations() -> None:
    app = Flask(__name__)
    api = Api(app)

    class Pets(Resource):
        """Pets."""

        @use_args(PetQuerySchema, location="query")
        @use_kwargs({"X-Trace": ma.fields.Str()}, location="headers")
        @marshal_with(PetSchema(many=True), envelope="items")
        def get(self, query: t.Any, **headers: t.Any) -> t.Any:
            return []

        @use_args(PetSchema, location="json_or_form")
        @marshal_with(PetSchema, code=201)
        def post(self, pet: t.Any) -> t.Any:
            return pet, 201

    class Pet(Resource):
        @use_args(PetSchema(partial=True))
        @marshal_with(PetSchema(only=("id", "name")))
        def patch(self, pet_id: int, pet: t.Any) -> t.Any:
            return pet

        @use_args(PetSchema(exclude=("tag",)))
        @marshal_with(PetSchema)
        def put(self, pet_id: int, pet: t.Any) -> t.Any:
            return pet

    api.add_resource(Pets, "/pets")
    api.add_resource(Pet, "/pets/<int:pet_id>")
    spec = document(api, app)
    get = spec["paths"]["/pets"]["get"]
    names = {(p["in"], p["name"]) for p in get["parameters"]}
    assert names == {("query", "limit"), ("query", "kinds"), ("header", "X-Trace")}
    items = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert items == {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
        },
        "required": ["items"],
    }
    post = spec["paths"]["/pets"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
    }
    assert post["requestBody"]["required"] is True
    assert "201" in post["responses"]
    components = schemas(spec)
    assert {"Pet", "PetPartial", "PetOnlyIdName", "PetWithoutTag"} <= set(components)
    assert "required" not in components["PetPartial"]
    assert set(components["PetOnlyIdName"]["properties"]) == {"id", "name"}
    patch = spec["paths"]["/pets/{pet_id}"]["patch"]
    assert patch["requestBody"]["required"] is False
    assert patch["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationError"
    }


def test_schema_classes_with_one_name_get_distinct_components() -> None:
    first = type("ItemSchema", (ma.Schema,), {"a": ma.fields.Int()})
    second = type("ItemSchema", (ma.Schema,), {"b": ma.fields.Str()})
    app = Flask(__name__)
    api = Api(app)

    class One(Resource):
        @marshal_with(first)
        def get(self) -> t.Any:
            return {}

    class Two(Resource):
        @marshal_with(second)
        def get(self) -> t.Any:
            return {}

    api.add_resource(One, "/one")
    api.add_resource(Two, "/two")
    components = schemas(document(api, app))
    assert set(components["Item"]["properties"]) == {"a"}
    assert set(components["Item2"]["properties"]) == {"b"}


def test_validation_error_status_follows_config() -> None:
    app = Flask(__name__)
    app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = 422
    api = Api(app)

    class Pets(Resource):
        @use_args(PetSchema)
        def post(self, pet: t.Any) -> t.Any:
            return pet, 201

        @use_args(PetQuerySchema, location="query")
        def get(self, query: t.Any) -> t.Any:
            return []

    api.add_resource(Pets, "/pets")
    paths = document(api, app)["paths"]["/pets"]
    # Malformed JSON stays 400; data that does not validate is 422.
    assert {"400", "422"} <= set(paths["post"]["responses"])
    assert "422" in paths["get"]["responses"]
    assert "400" not in paths["get"]["responses"]


# -- URLs ---------------------------------------------------------------------


class HexConverter(BaseConverter):
    regex = "[0-9a-f]+"


class ColourConverter(BaseConverter):
    regex = "red|green"
    openapi_schema = {"type": "string", "enum": ["red", "green"]}


def test_url_converters() -> None:
    app = Flask(__name__)
    app.url_map.converters["hex"] = HexConverter
    app.url_map.converters["colour"] = ColourConverter
    api = Api(app)

    class Thing(Resource):
        def get(self, **kwargs: t.Any) -> t.Any:
            return {}

    api.add_resource(
        Thing,
        "/a/<int(min=1, max=9):n>/<float:f>/<uuid:u>/<path:p>",
        "/b/<any(cat, 'dog.x'):kind>/<string(length=2):code>/<name>",
        "/c/<hex:h>/<colour:c>/<int(signed=True):s>",
    )
    spec = document(api, app)

    def params(path: str) -> dict[str, t.Any]:
        return {
            p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]
        }

    assert params("/a/{n}/{f}/{u}/{p}") == {
        "n": {"type": "integer", "minimum": 1, "maximum": 9},
        "f": {"type": "number", "minimum": 0},
        "u": {"type": "string", "format": "uuid"},
        "p": {"type": "string"},
    }
    assert params("/b/{kind}/{code}/{name}") == {
        "kind": {"type": "string", "enum": ["cat", "dog.x"]},
        "code": {"type": "string", "minLength": 2, "maxLength": 2},
        "name": {"type": "string", "minLength": 1},
    }
    assert params("/c/{h}/{c}/{s}") == {
        "h": {"type": "string", "pattern": "^[0-9a-f]+$"},
        "c": {"type": "string", "enum": ["red", "green"]},
        "s": {"type": "integer"},
    }
    assert uuid  # the uuid converter's values are UUIDs


def test_blueprint_and_api_prefixes() -> None:
    app = Flask(__name__)
    blueprint = Blueprint("v1", __name__, url_prefix="/v1")
    api = Api(blueprint, prefix="/api", openapi_url="/openapi.json")

    class Ping(Resource):
        def get(self) -> t.Any:
            return {"ok": True}

    api.add_resource(Ping, "/ping")
    app.register_blueprint(blueprint)
    spec = document(api, app)
    assert list(spec["paths"]) == ["/v1/api/ping"]
    assert spec["paths"]["/v1/api/ping"]["get"]["operationId"] == "get_v1_ping"
    client = app.test_client()
    assert client.get("/v1/api/openapi.json").get_json() == spec
    assert client.get("/v1/api/ping").get_json() == {"ok": True}


def test_only_this_apis_routes() -> None:
    app = Flask(__name__)
    first, second = Api(app), Api(app, prefix="/other")

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    class A(Resource):
        def get(self) -> t.Any:
            return {}

    class B(Resource):
        def get(self) -> t.Any:
            return {}

    first.add_resource(A, "/a")
    second.add_resource(B, "/b")
    assert list(document(first, app)["paths"]) == ["/a"]
    assert list(document(second, app)["paths"]) == ["/other/b"]


# -- doc() and bad input ------------------------------------------------------


def test_doc_on_class_hide_deprecated_operation_id_security() -> None:
    app = Flask(__name__)
    api = Api(
        app,
        security_schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        security=[{"key": []}],
    )

    @doc(tags=["admin"], responses={403: "Not yours"})
    class Admin(Resource):
        @doc(summary="Read", operation_id="readAdmin", deprecated=True)
        def get(self) -> t.Any:
            """Ignored summary."""
            return {}

        @doc(hide=True)
        def delete(self) -> t.Any:
            return "", 204

        @doc(security=[])
        def post(self) -> t.Any:
            return {}

    api.add_resource(Admin, "/admin")
    spec = document(api, app)
    path = spec["paths"]["/admin"]
    assert set(path) == {"get", "post"}
    get = path["get"]
    assert get["operationId"] == "readAdmin" and get["summary"] == "Read"
    assert get["deprecated"] is True and get["tags"] == ["admin"]
    assert get["security"] == [{"key": []}]
    assert "401" in get["responses"]
    assert get["responses"]["403"]["description"] == "Not yours"
    assert path["post"]["security"] == [] and "401" not in path["post"]["responses"]
    assert spec["components"]["securitySchemes"]["key"]["name"] == "X-Key"


def test_same_operation_id_twice_gets_distinct_ids() -> None:
    app = Flask(__name__)
    api = Api(app)

    class A(Resource):
        @doc(operation_id="list")
        def get(self) -> t.Any:
            return []

    class B(Resource):
        @doc(operation_id="list")
        def get(self) -> t.Any:
            return []

    api.add_resource(A, "/a")
    api.add_resource(B, "/b")
    spec = document(api, app)
    assert spec["paths"]["/a"]["get"]["operationId"] == "list"
    assert spec["paths"]["/b"]["get"]["operationId"] == "list_2"


def test_unconvertible_field_names_resource_verb_and_field() -> None:
    app = Flask(__name__)
    api = Api(app)

    class Broken(Resource):
        @doc(
            responses={
                200: {"schema": {"good": fields.String, "inner": {"bad": object()}}}
            }
        )
        def get(self) -> t.Any:
            return {}

    api.add_resource(Broken, "/broken")
    with app.app_context(), pytest.raises(OpenAPIError) as info:
        api.openapi()
    message = str(info.value)
    assert "Broken.get" in message and "inner.bad" in message
    # Nothing half-built was kept: the next call fails the same way.
    with app.app_context(), pytest.raises(OpenAPIError):
        api.openapi()


def test_fields_dict_containing_itself() -> None:
    tree: dict[str, t.Any] = {"name": fields.String}
    tree["children"] = fields.List(fields.Nested(tree))
    app = Flask(__name__)
    api = Api(app)

    class Tree(Resource):
        @marshal_with(tree)
        def get(self) -> t.Any:
            return {"name": "root", "children": []}

    api.add_resource(Tree, "/tree")
    with app.app_context(), pytest.raises(OpenAPIError, match="contains itself"):
        api.openapi()
    api.schema_name("Tree", tree)
    spec = document(api, app)
    assert schemas(spec)["Tree"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Tree"
    }


def test_marshal_with_field_and_doc_response_schemas() -> None:
    app = Flask(__name__)
    api = Api(app)

    class Numbers(Resource):
        @doc(responses={409: {"description": "Clash", "schema": PetSchema}})
        @marshal_with_field(fields.List(fields.Integer))
        def get(self) -> t.Any:
            return [1]

    api.add_resource(Numbers, "/numbers")
    responses = document(api, app)["paths"]["/numbers"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "type": ["array", "null"],
        "items": {"type": "integer"},
    }
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }


def test_method_decorators_records_are_seen() -> None:
    app = Flask(__name__)
    api = Api(app, security_schemes={"bearer": {"type": "http", "scheme": "bearer"}})
    guard = doc(security=[{"bearer": []}])

    class Guarded(Resource):
        method_decorators = {"post": [guard]}

        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            return {}

    api.add_resource(Guarded, "/guarded")
    path = document(api, app)["paths"]["/guarded"]
    assert "security" not in path["get"]
    assert path["post"]["security"] == [{"bearer": []}]


# -- settings, caching, serving -----------------------------------------------


def test_config_keys_and_spec_cache() -> None:
    app = Flask("configured")
    app.config.update(
        RESOURCES_API_TITLE="From config",
        RESOURCES_API_VERSION="3",
        RESOURCES_OPENAPI_SERVERS=[{"url": "https://api.example.org"}],
        RESOURCES_OPENAPI_URL="/spec.json",
    )
    api = Api(app)
    spec = document(api, app)
    assert spec["info"] == {"title": "From config", "version": "3"}
    assert spec["servers"] == [{"url": "https://api.example.org"}]
    with app.app_context():
        assert api.spec is api.spec
        api.spec.components.schema("Extra", {"type": "string"})
        assert api.openapi()["components"]["schemas"]["Extra"] == {"type": "string"}
    assert app.test_client().get("/spec.json").get_json()["info"]["version"] == "3"


def test_resource_added_later_is_in_the_document() -> None:
    app, api = flask_restful_app()

    class Late(Resource):
        def get(self) -> t.Any:
            return {}

    assert "/late" not in document(api, app)["paths"]
    api.add_resource(Late, "/late")
    assert "/late" in document(api, app)["paths"]


def test_spec_built_once_from_many_threads() -> None:
    app, api = flask_restful_app()
    seen: list[t.Any] = []
    barrier = threading.Barrier(6)

    def read() -> None:
        barrier.wait()
        with app.app_context():
            seen.append(api.spec)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6 and all(spec is seen[0] for spec in seen)


def test_docs_page_served_offline() -> None:
    pytest.importorskip("flask_swagger_ui", reason="needs the 'docs' extra")
    app, api = flask_restful_app()
    Api(app, prefix="/x", docs_url="/docs")
    client = app.test_client()
    page = client.get("/x/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '"/x/docs/openapi.json"' in html
    assert "http" not in html.replace("http://localhost/x/docs/oauth2", "")
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/x/docs/{asset}" in html
        response = client.get(f"/x/docs/{asset}")
        assert response.status_code == 200 and len(response.data) > 1000
        response.close()
    assert client.get("/x/docs/openapi.json").get_json()["openapi"] == "3.1.0"
    assert client.get("/x/docs/../../etc/passwd").status_code == 404


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apispec", None)
    app, api = flask_restful_app()
    with (
        app.app_context(),
        pytest.raises(OpenAPIError, match=r"flask-resources\[openapi\]"),
    ):
        api.openapi()
    with pytest.raises(OpenAPIError, match="openapi"):
        Api(app, prefix="/y", openapi_url="/openapi.json")
    # Everything else still works.
    assert app.test_client().delete("/todos/1").status_code == 204


def test_docs_without_swagger_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "flask_swagger_ui", None)
    app = Flask(__name__)
    with pytest.raises(OpenAPIError, match=r"flask-resources\[docs\]"):
        Api(app, docs_url="/docs")


@pytest.mark.parametrize("missing", [("apispec",), ("apispec", "flask_swagger_ui")])
@pytest.mark.parametrize("by_config", [False, True])
def test_docs_page_on_a_bare_install_names_the_one_extra(
    monkeypatch: pytest.MonkeyPatch, missing: tuple[str, ...], by_config: bool
) -> None:
    # The docs extra installs apispec too: one command, not "openapi" first
    # and "docs" after it.
    for module in missing:
        monkeypatch.setitem(sys.modules, module, None)
    app = Flask(__name__)
    if by_config:
        app.config["RESOURCES_DOCS_URL"] = "/docs"
    with pytest.raises(OpenAPIError) as info:
        Api(app, docs_url=None if by_config else "/docs", openapi_url="/spec.json")
    assert str(info.value) == (
        "The docs page needs the 'docs' extra: pip install 'flask-resources[docs]'"
    )


# -- CLI ----------------------------------------------------------------------


def test_cli_print_and_write(tmp_path: t.Any) -> None:
    from flask_resources.openapi.cli import openapi

    app, api = flask_restful_app()
    runner = app.test_cli_runner()
    result = runner.invoke(openapi, ["print"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == document(api, app)
    target = tmp_path / "spec.yaml"
    result = runner.invoke(openapi, ["write", str(target), "--format", "yaml"])
    assert result.exit_code == 0, result.output
    import yaml

    assert yaml.safe_load(target.read_text()) == printed
    result = runner.invoke(openapi, ["print", "--api", "3"])
    assert result.exit_code != 0 and "has 1 Apis" in result.output


def test_cli_yaml_needs_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from flask_resources.openapi.cli import openapi

    monkeypatch.setitem(sys.modules, "yaml", None)
    app, _ = flask_restful_app()
    result = app.test_cli_runner().invoke(openapi, ["print", "--format", "yaml"])
    assert result.exit_code != 0 and "pip install pyyaml" in result.output


def test_cli_yaml_on_a_bare_install_names_both_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flask_resources.openapi.cli import openapi

    app, _ = flask_restful_app()
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "apispec", None)
    result = app.test_cli_runner().invoke(openapi, ["print", "--format", "yaml"])
    assert result.exit_code != 0
    assert "pip install 'flask-resources[openapi]' pyyaml" in result.output


def test_cli_reports_build_errors() -> None:
    from flask_resources.openapi.cli import openapi

    app = Flask(__name__)
    api = Api(app)

    class Broken(Resource):
        @doc(responses={200: {"schema": {"bad": fields.String, "worse": 1}}})
        def get(self) -> t.Any:
            return {}

    api.add_resource(Broken, "/broken")
    result = app.test_cli_runner().invoke(openapi, ["print"])
    assert result.exit_code == 1 and "Broken.get" in result.output


def test_flask_command_line(tmp_path: t.Any) -> None:
    import os
    import pathlib
    import subprocess
    from importlib.metadata import entry_points

    if not any(e.name == "openapi" for e in entry_points(group="flask.commands")):
        pytest.skip("flask-resources is not installed with its entry points")
    pytest.importorskip("sqlalchemy", reason="the cats sample needs the samples extra")
    root = pathlib.Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cats.sqlite3'}",
        "PYTHONPATH": str(root),
    }
    target = tmp_path / "openapi.json"
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "samples.cats", "openapi", "write"]
        + [str(target)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    spec = json.loads(target.read_text())
    validator.validate(spec)
    assert spec["info"]["title"] == "Cats"


# -- what a record or the Api says beyond the resources ------------------------


def test_recorded_parameters_headers_and_media_types() -> None:
    app = Flask(__name__)
    api = Api(app)

    @doc(
        parameters=[
            {"name": "todo_id", "description": "The todo"},
            {"name": "other_id", "in": "path", "description": "Not in this URL"},
        ]
    )
    class Report(Resource):
        @doc(
            parameters=[
                {"name": "q", "description": "Search", "schema": {"enum": ["a"]}},
                {"name": "n", "in": "header", "schema": {"type": "integer"}},
                {"name": "c", "in": "cookie", "content": {"text/plain": {}}},
            ],
            response_headers={"X-Rate": "Requests left"},
            content_types=["text/csv"],
            responses={200: {"schema": {"type": "string"}}, 404: "Missing"},
        )
        def get(self, todo_id: int) -> t.Any:
            return ""

    api.add_resource(Report, "/reports/<int:todo_id>")
    get = document(api, app)["paths"]["/reports/{todo_id}"]["get"]
    assert get["parameters"] == [
        {
            "name": "todo_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
            "description": "The todo",
        },
        {
            "in": "query",
            "name": "q",
            "description": "Search",
            "schema": {"enum": ["a"], "type": "string"},
        },
        {"in": "header", "name": "n", "schema": {"type": "integer"}},
        {"in": "cookie", "name": "c", "content": {"text/plain": {}}},
    ]
    assert get["responses"]["200"] == {
        "description": "OK",
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "headers": {
            "X-Rate": {"description": "Requests left", "schema": {"type": "string"}}
        },
    }
    assert set(get["responses"]["404"]["content"]) == {"application/json"}
    assert "X-Rate" in get["responses"]["404"]["headers"]


def test_fields_dict_as_a_documented_body() -> None:
    app = Flask(__name__)
    api = Api(app)
    api.schema_name("Todo", todo_fields)

    class Todos(Resource):
        @doc(args=todo_fields)
        def post(self) -> t.Any:
            return {}

        @doc(args=[todo_fields], responses={200: {"schema": [todo_fields]}})
        def put(self) -> t.Any:
            return []

    api.add_resource(Todos, "/todos")
    operations = document(api, app)["paths"]["/todos"]
    ref = {"$ref": "#/components/schemas/Todo"}
    assert operations["post"]["requestBody"] == {
        "content": {"application/json": {"schema": ref}},
        "required": True,
    }
    listed = {"type": "array", "items": ref}
    assert operations["put"]["requestBody"]["content"]["application/json"] == {
        "schema": listed
    }
    response = operations["put"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == listed
    assert "400" in operations["post"]["responses"]


def test_tags_described_by_the_api() -> None:
    app, api = flask_restful_app()
    api.describe_tag("Todo", "Things to do")
    api.describe_tag("Unused", "Nothing uses it")
    api.describe_tag("Always", always=True)
    assert document(api, app)["tags"] == [
        {"name": "Todo", "description": "Things to do"},
        {"name": "Always"},
    ]


def test_one_route_documented_apart() -> None:
    app = Flask(__name__)
    api = Api(app)
    api.add_resource(Todo, "/todos/<int:todo_id>", endpoint="todo")
    blueprint = Blueprint("v2", __name__, url_prefix="/v2")
    other = Api(blueprint)
    other.add_resource(Todo, "/todos/<int:todo_id>", endpoint="todo")
    other.document_endpoint("todo", Operation(tags=("v2",)))
    other.document_endpoint("todo", Operation(verbs={"delete": Operation(hide=True)}))
    app.register_blueprint(blueprint)
    assert document(api, app)["paths"]["/todos/{todo_id}"]["get"]["tags"] == ["Todo"]
    path = document(other, app)["paths"]["/v2/todos/{todo_id}"]
    assert path["get"]["tags"] == ["v2"] and "delete" not in path
    assert other.endpoint_record("todo") is not None
    assert other.endpoint_record("nope") is None


def test_hooks_of_an_api_subclass() -> None:
    named = {"name": fields.String}

    class Hooked(Api):
        def openapi_info(self, app: Flask) -> dict[str, t.Any]:
            return {"description": f"The API of {app.name}"}

        def openapi_schemas(self, app: Flask) -> list[t.Any]:
            return [named]

        def openapi_operation_id(
            self, resource: type, verb: str, endpoint: str
        ) -> str | None:
            return f"{resource.__name__}.{verb}" if verb == "get" else None

        def openapi_operation(
            self, operation: dict[str, t.Any], record: Operation, app: Flask
        ) -> None:
            operation["x-seen"] = True

    app = Flask("hooked")
    api = Hooked(app)
    api.schema_name("Named", named)
    api.add_resource(Todo, "/todos/<int:todo_id>")
    spec = document(api, app)
    assert spec["info"]["description"] == "The API of hooked"
    assert "Named" in spec["components"]["schemas"]
    operations = spec["paths"]["/todos/{todo_id}"]
    assert operations["get"]["operationId"] == "Todo.get"
    assert operations["delete"]["operationId"] == "delete_todo"
    assert all(operation["x-seen"] for operation in operations.values())


# -- documentation options of fields -------------------------------------------


def documented_fields_spec(item: dict[str, t.Any]) -> dict[str, t.Any]:
    app = Flask(__name__)
    api = Api(app)

    class Item(Resource):
        @marshal_with(item)
        def get(self) -> t.Any:
            return {}

    api.schema_name("Item", item)
    api.add_resource(Item, "/item")
    return t.cast(dict[str, t.Any], schemas(document(api, app))["Item"]["properties"])


def test_field_documentation_options_become_json_schema_keywords() -> None:
    properties = documented_fields_spec(
        {
            "name": fields.String(
                description="The name",
                title="Name",
                example="Tom",
                readonly=True,
                pattern="^[A-Z]",
                min_length=1,
                max_length=20,
                default="Tom",
            ),
            "age": fields.Integer(min=0, max=30, multiple=1),
            "weight": fields.Float(min=0, exclusiveMin=True, max=9, exclusiveMax=True),
            "price": fields.Fixed(2, min=0, exclusiveMax=100),
            "tags": fields.List(fields.String, min_items=1, max_items=5, unique=True),
            "kind": fields.String(enum=["cat", "dog"]),
            "rank": fields.Integer(min=lambda: 1),
        }
    )
    assert properties["name"] == {
        "type": "string",
        "description": "The name",
        "title": "Name",
        "examples": ["Tom"],
        "readOnly": True,
        "pattern": "^[A-Z]",
        "minLength": 1,
        "maxLength": 20,
    }
    assert properties["age"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 30,
        "multipleOf": 1,
    }
    # OpenAPI 3.1 (JSON Schema 2020-12): exclusive bounds are numbers.
    assert properties["weight"] == {
        "type": ["number", "null"],
        "exclusiveMinimum": 0,
        "exclusiveMaximum": 9,
    }
    assert properties["price"]["minimum"] == 0
    assert properties["price"]["exclusiveMaximum"] == 100
    assert properties["tags"] == {
        "type": ["array", "null"],
        "items": {"type": ["string", "null"]},
        "minItems": 1,
        "maxItems": 5,
        "uniqueItems": True,
    }
    # A missing value outputs null, so the enum keeps null.
    assert properties["kind"] == {
        "type": ["string", "null"],
        "enum": ["cat", "dog", None],
    }
    assert properties["rank"]["minimum"] == 1  # a callable option is called


def test_field_description_replaces_the_default_one() -> None:
    properties = documented_fields_spec(
        {
            "when": fields.DateTime(description="When it happened"),
            "owner": fields.Nested({"name": fields.String}, description="Who"),
        }
    )
    assert properties["when"]["description"] == "When it happened"
    assert properties["owner"]["description"] == "Who"


def test_field_option_that_is_not_json_names_the_field() -> None:
    app = Flask(__name__)
    api = Api(app)

    class Item(Resource):
        @marshal_with({"inner": {"when": fields.String(example=object())}})
        def get(self) -> t.Any:
            return {}

    api.add_resource(Item, "/item")
    with app.app_context(), pytest.raises(OpenAPIError, match="inner.when.*example"):
        api.openapi()


class Coordinates(fields.Raw):
    """A field whose schema depends on the instance."""

    def __init__(self, dimensions: int) -> None:
        super().__init__()
        self.dimensions = dimensions

    def openapi_schema(self, converter: t.Any, path: str) -> dict[str, t.Any]:
        number = converter.field_schema(fields.Float(default=0.0), f"{path}[]")
        return {
            "type": "array",
            "items": number,
            "minItems": self.dimensions,
            "maxItems": self.dimensions,
        }


def test_field_openapi_schema_method() -> None:
    properties = documented_fields_spec({"at": Coordinates(3)})
    assert properties["at"] == {
        "type": "array",
        "items": {"type": "number"},
        "minItems": 3,
        "maxItems": 3,
    }
