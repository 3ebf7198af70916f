"""Flask-RESTX's documentation decorators: what they record, and that they
change nothing a resource answers."""

from __future__ import annotations

import typing as t
from http import HTTPStatus

import pytest
from flask import Flask

from flask_resources import Api, Resource, marshal_with, reqparse
from flask_resources.operations import (
    Arguments,
    Operation,
    ResponseDoc,
    get_operation,
    resource_operations,
)
from flask_resources.restx import Model, Namespace, fields
from flask_resources.restx._doc import doc_record, document_marshal, route_doc

ns = Namespace("todos")
todo = Model("Todo", {"id": fields.Integer, "task": fields.String})


def record(resource: type, verb: str = "get") -> Operation:
    return resource_operations(resource)[verb]


# -- __apidoc__, as Flask-RESTX code reads it -----------------------------------


def test_doc_keeps_apidoc_as_flask_restx_did() -> None:
    params = {"q": {"description": "some description"}}

    @ns.doc(params=params)
    class Documented(Resource):
        pass

    assert Documented.__apidoc__ == {"params": params}  # type: ignore[attr-defined]


def test_apidoc_of_a_subclass_merges_its_base_classes() -> None:
    @ns.doc(params={"q": {"description": "old", "type": "string"}})
    class Base(Resource):
        pass

    @ns.doc(params={"q": {"description": "new"}, "other": "another param"})
    class Child(Base):
        pass

    assert Child.__apidoc__ == {  # type: ignore[attr-defined]
        "params": {
            "q": {"description": "new", "type": "string"},
            "other": {"description": "another param"},
        }
    }
    assert Base.__apidoc__ == {  # type: ignore[attr-defined]
        "params": {"q": {"description": "old", "type": "string"}}
    }


def test_hide_sets_apidoc_false() -> None:
    @ns.hide
    class Hidden(Resource):
        def get(self) -> t.Any:
            return {}

    assert Hidden.__apidoc__ is False  # type: ignore[attr-defined]
    assert record(Hidden).hide is True


# -- the records --------------------------------------------------------------


def test_doc_shortcut_and_fields() -> None:
    class Documented(Resource):
        @ns.doc("get_something", description="Longer", security="apikey")
        def get(self) -> t.Any:
            return {}

        @ns.doc(deprecated=True, summary="One line", security=None)
        def post(self) -> t.Any:
            return {}

        @ns.doc(security=[{"oauth2": "read"}, "apikey"])
        def put(self) -> t.Any:
            return {}

        @ns.doc(False)
        def delete(self) -> t.Any:
            return {}

    get = record(Documented)
    assert get.operation_id == "get_something"
    assert get.description == "Longer"
    assert get.security == ({"apikey": []},)
    post = record(Documented, "post")
    assert post.deprecated is True and post.summary == "One line"
    assert post.security == ()  # security=None: no authentication
    assert record(Documented, "put").security == ({"oauth2": ["read"]}, {"apikey": []})
    assert record(Documented, "delete").hide is True


def test_class_doc_applies_to_every_verb_and_a_verb_key_to_one() -> None:
    @ns.deprecated
    @ns.doc(get={"description": "Only GET"}, post=False)
    class Documented(Resource):
        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            return {}

        def put(self) -> t.Any:
            return {}

    records = resource_operations(Documented)
    assert all(r.deprecated for r in records.values())
    assert records["get"].description == "Only GET"
    assert records["post"].hide is True
    assert records["put"].description is None and not records["put"].hide


def test_method_doc_wins_over_the_class_doc() -> None:
    @ns.doc(description="class", params={"q": {"type": int, "description": "a"}})
    class Documented(Resource):
        @ns.doc(description="method")
        @ns.param("q", "better")
        def get(self) -> t.Any:
            return {}

    get = record(Documented)
    assert get.description == "method"
    # The description changes; the type said on the class stays.
    assert get.parameters[("query", "q")] == {
        "name": "q",
        "in": "query",
        "description": "better",
        "schema": {"type": "integer"},
    }


def test_response() -> None:
    class Documented(Resource):
        @ns.response(HTTPStatus.NOT_FOUND, "Not found")
        @ns.response(200, "The todo", todo, headers={"X-Rate": "a rate"})
        @ns.response("201", "Made", [todo], envelope="data")
        @ns.response(202, "Count", int)
        def get(self) -> t.Any:
            return {}

    responses = record(Documented).responses
    assert responses[404] == ResponseDoc(404, description="Not found")
    assert responses[200].source is todo
    assert responses[200].headers == {"X-Rate": {"description": "a rate"}}
    assert responses[201].source == [todo] and responses[201].envelope == "data"
    assert responses[202].source == {"type": "integer"}


def test_doc_responses_and_model() -> None:
    @ns.doc(
        responses={"default": "Error", 404: ("Missing", None)},
        model=todo,
        default_code=201,
    )
    class Documented(Resource):
        def get(self) -> t.Any:
            return {}

    responses = record(Documented).responses
    assert responses[201].source is todo
    assert responses["default"].description == "Error"
    assert responses[404].source is None


def test_params_in_every_place() -> None:
    class Documented(Resource):
        @ns.param("q", "A query", type=[str], collectionFormat="multi", enum=["a"])
        @ns.param("X-Id", "An id", _in="header", required=True)
        @ns.param("session", _in="cookie")
        @ns.param("limit", type="integer", minimum=1, exclusiveMinimum=True)
        @ns.param("name", "A name", _in="formData", required=True)
        @ns.param("when", _in="formData", type=str, default=lambda: "now")
        def post(self) -> t.Any:
            return {}

    post = record(Documented, "post")
    assert post.parameters[("query", "q")] == {
        "name": "q",
        "in": "query",
        "description": "A query",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string", "enum": ["a"]}},
    }
    assert post.parameters[("header", "X-Id")]["required"] is True
    assert post.parameters[("cookie", "session")] == {"name": "session", "in": "cookie"}
    # Swagger 2.0's boolean exclusiveMinimum, as JSON Schema says it.
    assert post.parameters[("query", "limit")]["schema"] == {
        "type": "integer",
        "exclusiveMinimum": 1,
    }
    # formData parameters are a form body; a default that is not JSON is left out.
    forms = [a for a in post.arguments if a.location == "form"]
    assert [a.source for a in forms] == [
        {
            "type": "object",
            "properties": {"name": {"type": "string", "description": "A name"}},
            "required": ["name"],
        },
        {"type": "object", "properties": {"when": {"type": "string"}}},
    ]


def test_file_and_body_params() -> None:
    @ns.doc(
        params={
            "upload": {"in": "formData", "type": "file"},
            "payload": {"in": "body", "schema": todo, "description": "A todo"},
        }
    )
    class Documented(Resource):
        def post(self) -> t.Any:
            return {}

    arguments = record(Documented, "post").arguments
    assert Arguments(todo, location="json", parses=False, description="A todo") in (
        arguments
    )
    files = [a for a in arguments if a.location == "files"]
    assert files[0].source["properties"] == {
        "upload": {"type": "string", "format": "binary"}
    }


def test_header_produces_vendor() -> None:
    @ns.header("X-Request-Id", "Echoed", type=int)
    class Documented(Resource):
        @ns.produces(["text/csv"])
        @ns.vendor({"x-codegen": True}, rate_limit=10)
        @ns.doc(**{"x-internal": False})
        def get(self) -> t.Any:
            return ""

    get = record(Documented)
    assert get.response_headers == {
        "X-Request-Id": {"description": "Echoed", "schema": {"type": "integer"}}
    }
    assert get.content_types == ("text/csv",)
    assert get.openapi == {"x-codegen": True, "x-rate_limit": 10, "x-internal": False}


def test_expect_records_what_validate_payload_reads() -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("page", type=int, location="args")
    validating = Namespace("validating", validate=True)

    class Documented(Resource):
        @ns.expect(todo, validate=True)
        def post(self) -> t.Any:
            return {}

        @ns.expect([todo])
        def put(self) -> t.Any:
            return {}

        @validating.expect((todo, "The new todo"), parser)
        def patch(self) -> t.Any:
            return {}

        def get(self) -> t.Any:
            return {}

    post = record(Documented, "post")
    assert post.arguments == (Arguments(todo, location="json", parses=False),)
    assert post.extensions["restx_validate"] is True
    put = record(Documented, "put")
    assert put.arguments == (Arguments([todo], location="json", parses=False),)
    # Not said: the namespace's setting when the decorator ran (None here).
    assert put.extensions["restx_validate"] is None
    patch = record(Documented, "patch")
    assert patch.arguments == (
        Arguments(todo, location="json", parses=False, description="The new todo"),
        Arguments(parser, location=None, parses=False),
    )
    assert patch.extensions["restx_validate"] is True
    assert "restx_validate" not in record(Documented).extensions


def test_deprecated_body_and_parser_keys_warn() -> None:
    with pytest.deprecated_call(match="body attribute is deprecated"):
        decorator = ns.doc(body=todo)

    @decorator
    class Documented(Resource):
        def post(self) -> t.Any:
            return {}

    assert record(Documented, "post").arguments == (
        Arguments(todo, location="json", parses=False),
    )


def test_route_doc() -> None:
    class Documented(Resource):
        def get(self) -> t.Any:
            return {}

    assert route_doc(Documented, None) is None
    assert route_doc(Documented, False) == Operation(hide=True)
    route = route_doc(Documented, {"description": "here", "get": False})
    assert route is not None and route.description == "here"
    assert route.verbs == {"get": Operation(hide=True)}
    records = resource_operations(Documented, route=route)
    assert records["get"].hide is True and records["get"].description == "here"
    # The class itself is unchanged.
    assert not record(Documented).hide


@pytest.mark.parametrize(
    ("spec", "error", "match"),
    [
        ({"params": {"q": {"in": "formdata"}}}, ValueError, "'in' must be"),
        ({"params": {"q": 3}}, TypeError, "expected a dict"),
        ({"params": {"q": {"type": "strng"}}}, ValueError, "unknown type 'strng'"),
        ({"params": {"q": {"type": [int, str]}}}, TypeError, "one type"),
        ({"params": {"b": {"in": "body"}}}, TypeError, "needs a 'schema'"),
        ({"responses": {200: ("a", None, {}, 1)}}, ValueError, "Unsupported"),
        ({"expect": [[todo, todo, todo]]}, TypeError, "expect\\(\\) takes"),
        ({"expect": [None]}, TypeError, "not None"),
        ({"get": "yes"}, TypeError, "takes a dict or False"),
        ({"headers": {"X": 1}}, TypeError, "header 'X'"),
    ],
)
def test_bad_documentation_is_refused_when_decorating(
    spec: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        doc_record(spec)


# -- marshal_with -------------------------------------------------------------


def test_document_marshal_moves_the_success_response_to_its_code() -> None:
    def post(self: t.Any) -> t.Any:
        return {"id": 1, "task": "x"}

    before = get_operation(post)
    wrapped = marshal_with(todo)(post)
    document_marshal(
        wrapped,
        before,
        todo,
        as_list=True,
        code=HTTPStatus.CREATED,
        description="Made",
        options={"envelope": "data", "mask": "{id}"},
    )
    operation = get_operation(wrapped)
    assert operation is not None
    assert list(operation.responses) == [201]
    assert operation.responses[201] == ResponseDoc(
        201, description="Made", source=[todo], envelope="data", success=True
    )
    assert operation.extensions["restx_mask"] == "{id}"
    assert wrapped.__apidoc__ == {  # type: ignore[attr-defined]
        "responses": {"201": ("Made", [todo], {"envelope": "data", "mask": "{id}"})},
        "__mask__": "{id}",
    }


def test_document_marshal_keeps_a_documented_response() -> None:
    @ns.response(200, "The todo")
    def get(self: t.Any) -> t.Any:
        return {}

    before = get_operation(get)
    wrapped = marshal_with(todo)(get)
    document_marshal(wrapped, before, todo)
    operation = get_operation(wrapped)
    assert operation is not None
    assert operation.responses[200] == ResponseDoc(
        200, description="The todo", source=todo, success=True
    )
    assert operation.extensions["restx_mask"] is True


def test_marshal_with_formats_and_documents(app: Flask) -> None:
    api = Api(app)

    class Todos(Resource):
        @ns.marshal_list_with(todo, code=200, description="Todos")
        def get(self) -> t.Any:
            return [{"id": "1", "task": "x", "other": True}]

    api.add_resource(Todos, "/todos")
    assert app.test_client().get("/todos").get_json() == [{"id": 1, "task": "x"}]
    assert record(Todos).responses[200].source == [todo]


# -- nothing changes at run time ----------------------------------------------


def test_documented_resources_answer_as_before(app: Flask) -> None:
    api = Api(app)
    parser = reqparse.RequestParser()
    parser.add_argument("page", type=int, location="args")

    @ns.doc(params={"todo_id": "An id"}, responses={404: "Missing"})
    @ns.header("X-Rate", "A rate")
    class Todo(Resource):
        @ns.doc("get_todo", security="apikey")
        @ns.response(200, "The todo", todo)
        @ns.param("verbose", type=bool)
        @ns.produces(["application/json"])
        @ns.vendor(internal=True)
        def get(self, todo_id: int) -> t.Any:
            # Not marshalled: a body that fits what is documented.
            return {"id": todo_id, "task": "t", "raw": True}

        @ns.expect(todo, validate=True)
        @ns.expect(parser)
        @ns.deprecated
        def put(self, todo_id: int) -> t.Any:
            return {"put": todo_id}, 201, {"X-Rate": "1"}

    api.add_resource(Todo, "/todos/<int:todo_id>")
    client = app.test_client()
    assert client.get("/todos/3").get_json() == {"id": 3, "task": "t", "raw": True}
    # expect documents only: nothing is parsed or validated here.
    response = client.put("/todos/4", data="not json", content_type="text/plain")
    assert response.status_code == 201
    assert response.get_json() == {"put": 4}
    assert response.headers["X-Rate"] == "1"
