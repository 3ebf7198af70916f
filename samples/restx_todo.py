"""A to-do list API written for Flask-RESTX, served by flask-resources.

The code is Flask-RESTX code: namespaces, a model, ``expect``,
``marshal_with``, ``response`` and ``param``. Only the import says
``flask_resources.restx`` where it said ``flask_restx``; the API answers as
it did, and its OpenAPI 3.1 document is at ``/swagger.json``, with Swagger UI
at ``/``.

Run it with ``python -m samples.restx_todo``, then::

    curl http://127.0.0.1:5000/todos/
    curl http://127.0.0.1:5000/todos/ -H "Content-Type: application/json" \\
        -d '{"task": "write the docs"}'
    curl http://127.0.0.1:5000/todos/1 -H "X-Fields: task"
"""

from __future__ import annotations

import threading
import typing as t

from flask import Flask

from flask_resources.restx import Api, Resource, fields

app = Flask(__name__)
api = Api(
    app,
    version="1.0",
    title="To-do API",
    description="Keep a list of things to do.",
)

ns = api.namespace("todos", description="Things to do")

todo = api.model(
    "Todo",
    {
        "id": fields.Integer(readonly=True, description="Given by the server"),
        "task": fields.String(required=True, min_length=1, description="What to do"),
        "done": fields.Boolean(default=False, description="Whether it is done"),
    },
)


class TodoStore:
    """The to-dos, in memory, safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._todos: dict[int, dict[str, t.Any]] = {}
        self._last_id = 0

    def all(self) -> list[dict[str, t.Any]]:
        with self._lock:
            return [dict(item) for item in self._todos.values()]

    def get(self, todo_id: int) -> dict[str, t.Any]:
        with self._lock:
            item = self._todos.get(todo_id)
        if item is None:
            api.abort(404, f"Todo {todo_id} doesn't exist")
        return dict(item)

    def create(self, data: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
        with self._lock:
            self._last_id += 1
            item = {"id": self._last_id, "task": data["task"]}
            item["done"] = bool(data.get("done", False))
            self._todos[self._last_id] = item
            return dict(item)

    def update(self, todo_id: int, data: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
        with self._lock:
            item = self._todos.get(todo_id)
            if item is None:
                api.abort(404, f"Todo {todo_id} doesn't exist")
            item["task"] = data["task"]
            item["done"] = bool(data.get("done", item["done"]))
            return dict(item)

    def delete(self, todo_id: int) -> None:
        with self._lock:
            if self._todos.pop(todo_id, None) is None:
                api.abort(404, f"Todo {todo_id} doesn't exist")

    def reset(self, *tasks: str) -> None:
        with self._lock:
            self._todos.clear()
            self._last_id = 0
        for task in tasks:
            self.create({"task": task})


store = TodoStore()
store.reset("build an API", "?????", "profit!")


@ns.route("/")
class TodoList(Resource):
    """Every to-do, and a way to add one."""

    @ns.doc("list_todos")
    @ns.marshal_list_with(todo)
    def get(self) -> t.Any:
        """List every to-do."""
        return store.all()

    @ns.doc("create_todo")
    @ns.expect(todo, validate=True)
    @ns.marshal_with(todo, code=201)
    def post(self) -> t.Any:
        """Add a to-do."""
        return store.create(api.payload), 201


@ns.route("/<int:id>")
@ns.response(404, "No such to-do")
@ns.param("id", "The to-do's identifier")
class Todo(Resource):
    """One to-do: read, replace or delete it."""

    @ns.doc("get_todo")
    @ns.marshal_with(todo)
    def get(self, id: int) -> t.Any:
        """Fetch one to-do."""
        return store.get(id)

    @ns.doc("update_todo")
    @ns.expect(todo, validate=True)
    @ns.marshal_with(todo)
    def put(self, id: int) -> t.Any:
        """Replace a to-do."""
        return store.update(id, api.payload)

    @ns.doc("delete_todo")
    @ns.response(204, "To-do deleted")
    def delete(self, id: int) -> t.Any:
        """Delete a to-do."""
        store.delete(id)
        return "", 204


if __name__ == "__main__":
    app.run(debug=False)
