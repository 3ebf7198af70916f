"""Flask-RESTful's own examples run unchanged but for the import.

The quickstart's full TODO example, a /cats CRUD resource with reqparse and
marshal_with, and the resource_class_kwargs injection example. The expected
responses were taken from Flask-RESTful 0.3.10 on Flask 3 for the same
requests; the two form posts differ on purpose: Flask-RESTful answers them
with 415 (its parser reads request.json), which CHANGES.md lists as fixed.
"""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from flask_resources import Api, Resource, abort, fields, marshal_with, reqparse

# The examples keep Flask-RESTful's own style (str.format, % and lstrip).
# ruff: noqa: B005, UP031, UP032, E501


def build_app() -> Flask:
    """The three examples on one app, written as Flask-RESTful's docs write them."""
    app = Flask("examples")
    api = Api(app)

    # --- quickstart full example
    TODOS = {
        "todo1": {"task": "build an API"},
        "todo2": {"task": "?????"},
        "todo3": {"task": "profit!"},
    }

    def abort_if_todo_doesnt_exist(todo_id):
        if todo_id not in TODOS:
            abort(404, message="Todo {} doesn't exist".format(todo_id))

    parser = reqparse.RequestParser()
    parser.add_argument("task")

    class Todo(Resource):
        def get(self, todo_id):
            abort_if_todo_doesnt_exist(todo_id)
            return TODOS[todo_id]

        def delete(self, todo_id):
            abort_if_todo_doesnt_exist(todo_id)
            del TODOS[todo_id]
            return "", 204

        def put(self, todo_id):
            args = parser.parse_args()
            task = {"task": args["task"]}
            TODOS[todo_id] = task
            return task, 201

    class TodoList(Resource):
        def get(self):
            return TODOS

        def post(self):
            args = parser.parse_args()
            todo_id = int(max(TODOS.keys()).lstrip("todo")) + 1
            todo_id = "todo%i" % todo_id
            TODOS[todo_id] = {"task": args["task"]}
            return TODOS[todo_id], 201

    api.add_resource(TodoList, "/todos")
    api.add_resource(Todo, "/todos/<todo_id>")

    # --- cats CRUD with reqparse + marshal_with
    CATS = {}
    cat_fields = {
        "id": fields.Integer,
        "name": fields.String,
        "age": fields.Integer,
        "uri": fields.Url("cat", absolute=False),
    }
    cat_parser = reqparse.RequestParser()
    cat_parser.add_argument(
        "name", type=str, required=True, help="Name cannot be blank: {error_msg}"
    )
    cat_parser.add_argument("age", type=int, default=0)

    class CatList(Resource):
        @marshal_with(cat_fields, envelope="cats")
        def get(self):
            return list(CATS.values())

        @marshal_with(cat_fields)
        def post(self):
            args = cat_parser.parse_args()
            cat_id = len(CATS) + 1
            CATS[cat_id] = {
                "id": cat_id,
                "cat_id": cat_id,
                "name": args["name"],
                "age": args["age"],
            }
            return CATS[cat_id], 201, {"Location": api.url_for(Cat, cat_id=cat_id)}

    class Cat(Resource):
        @marshal_with(cat_fields)
        def get(self, cat_id):
            if cat_id not in CATS:
                abort(404, message="Cat {} not found".format(cat_id))
            return CATS[cat_id]

        @marshal_with(cat_fields)
        def put(self, cat_id):
            if cat_id not in CATS:
                abort(404, message="Cat {} not found".format(cat_id))
            args = cat_parser.parse_args()
            CATS[cat_id].update(name=args["name"], age=args["age"])
            return CATS[cat_id]

        def delete(self, cat_id):
            CATS.pop(cat_id, None)
            return "", 204

    api.add_resource(CatList, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")

    # --- resource_class_kwargs injection
    class SmartEngine:
        def next_todo(self):
            return {"task": "walk the dog"}

    class TodoNext(Resource):
        def __init__(self, **kwargs):
            self.smart_engine = kwargs["smart_engine"]

        def get(self):
            return self.smart_engine.next_todo()

    api.add_resource(
        TodoNext, "/next", resource_class_kwargs={"smart_engine": SmartEngine()}
    )
    return app


REQUESTS = [
    ("GET", "/todos", {}),
    ("GET", "/todos/todo3", {}),
    ("GET", "/todos/todo9", {}),
    ("DELETE", "/todos/todo2", {}),
    ("PUT", "/todos/todo3", {"data": {"task": "Remember the milk"}}),
    ("PUT", "/todos/todo4", {"json": {"task": "json task"}}),
    ("POST", "/todos", {"data": {"task": "something new"}}),
    ("GET", "/todos", {}),
    ("PATCH", "/todos", {}),
    ("GET", "/cats", {}),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 3}}),
    ("POST", "/cats", {"json": {"age": 3}}),
    ("POST", "/cats", {"json": {"name": "Kit", "age": "old"}}),
    ("POST", "/cats", {"data": {"name": "Felix"}}),
    ("GET", "/cats", {}),
    ("GET", "/cats/1", {}),
    ("GET", "/cats/99", {}),
    ("PUT", "/cats/1", {"json": {"name": "Tommy", "age": 4}}),
    ("DELETE", "/cats/1", {}),
    ("GET", "/cats/1", {}),
    ("GET", "/next", {}),
    ("HEAD", "/next", {}),
]

EXPECTED = [
    (
        "GET",
        "/todos",
        200,
        [("Content-Type", "application/json")],
        '{"todo1": {"task": "build an API"}, "todo2": {"task": "?????"}, "todo3": {"task": "profit!"}}\n',
    ),
    (
        "GET",
        "/todos/todo3",
        200,
        [("Content-Type", "application/json")],
        '{"task": "profit!"}\n',
    ),
    (
        "GET",
        "/todos/todo9",
        404,
        [("Content-Type", "application/json")],
        '{"message": "Todo todo9 doesn\'t exist"}\n',
    ),
    ("DELETE", "/todos/todo2", 204, [("Content-Type", "application/json")], ""),
    (
        "PUT",
        "/todos/todo3",
        201,
        [("Content-Type", "application/json")],
        '{"task": "Remember the milk"}\n',
    ),
    (
        "PUT",
        "/todos/todo4",
        201,
        [("Content-Type", "application/json")],
        '{"task": "json task"}\n',
    ),
    (
        "POST",
        "/todos",
        201,
        [("Content-Type", "application/json")],
        '{"task": "something new"}\n',
    ),
    (
        "GET",
        "/todos",
        200,
        [("Content-Type", "application/json")],
        '{"todo1": {"task": "build an API"}, "todo3": {"task": "Remember the milk"}, "todo4": {"task": "json task"}, "todo5": {"task": "something new"}}\n',
    ),
    (
        "PATCH",
        "/todos",
        405,
        [("Content-Type", "application/json")],
        '{"message": "The method is not allowed for the requested URL."}\n',
    ),
    ("GET", "/cats", 200, [("Content-Type", "application/json")], '{"cats": []}\n'),
    (
        "POST",
        "/cats",
        201,
        [("Content-Type", "application/json"), ("Location", "/cats/1")],
        '{"id": 1, "name": "Tom", "age": 3, "uri": "/cats/1"}\n',
    ),
    (
        "POST",
        "/cats",
        400,
        [("Content-Type", "application/json")],
        '{"message": {"name": "Name cannot be blank: Missing required parameter in the JSON body or the post body or the query string"}}\n',
    ),
    (
        "POST",
        "/cats",
        400,
        [("Content-Type", "application/json")],
        '{"message": {"age": "invalid literal for int() with base 10: \'old\'"}}\n',
    ),
    (
        "POST",
        "/cats",
        201,
        [("Content-Type", "application/json"), ("Location", "/cats/2")],
        '{"id": 2, "name": "Felix", "age": 0, "uri": "/cats/2"}\n',
    ),
    (
        "GET",
        "/cats",
        200,
        [("Content-Type", "application/json")],
        '{"cats": [{"id": 1, "name": "Tom", "age": 3, "uri": "/cats/1"}, {"id": 2, "name": "Felix", "age": 0, "uri": "/cats/2"}]}\n',
    ),
    (
        "GET",
        "/cats/1",
        200,
        [("Content-Type", "application/json")],
        '{"id": 1, "name": "Tom", "age": 3, "uri": "/cats/1"}\n',
    ),
    (
        "GET",
        "/cats/99",
        404,
        [("Content-Type", "application/json")],
        '{"message": "Cat 99 not found"}\n',
    ),
    (
        "PUT",
        "/cats/1",
        200,
        [("Content-Type", "application/json")],
        '{"id": 1, "name": "Tommy", "age": 4, "uri": "/cats/1"}\n',
    ),
    ("DELETE", "/cats/1", 204, [("Content-Type", "application/json")], ""),
    (
        "GET",
        "/cats/1",
        404,
        [("Content-Type", "application/json")],
        '{"message": "Cat 1 not found"}\n',
    ),
    (
        "GET",
        "/next",
        200,
        [("Content-Type", "application/json")],
        '{"task": "walk the dog"}\n',
    ),
    ("HEAD", "/next", 200, [("Content-Type", "application/json")], ""),
]


@pytest.fixture(scope="module")
def responses() -> list[tuple[t.Any, ...]]:
    client = build_app().test_client()
    seen = []
    for method, path, options in REQUESTS:
        resp = client.open(path, method=method, **options)
        headers = sorted(
            (name, value)
            for name, value in resp.headers.items()
            if name not in ("Content-Length", "Allow")
        )
        seen.append((method, path, resp.status_code, headers, resp.data.decode()))
    return seen


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_same_response_as_flask_restful(
    responses: list[tuple[t.Any, ...]], index: int
) -> None:
    assert responses[index] == EXPECTED[index]
