"""The "full example" of Flask-RESTful's quickstart, with only the import
changed from ``flask_restful`` to ``flask_resources``.

Run it with ``python -m samples.todo``, then::

    curl http://127.0.0.1:5000/todos
    curl http://127.0.0.1:5000/todos -d "task=something new" -X POST -v

Type hints and this docstring are the other additions; the code is
Flask-RESTful's, down to its quirks (``POST`` picks the next id with
``max()`` over the keys as strings).
"""

from __future__ import annotations

import typing as t

from flask import Flask

from flask_resources import Api, Resource, abort, reqparse

app = Flask(__name__)
api = Api(app)

TODOS: dict[str, dict[str, t.Any]] = {
    "todo1": {"task": "build an API"},
    "todo2": {"task": "?????"},
    "todo3": {"task": "profit!"},
}


def abort_if_todo_doesnt_exist(todo_id: str) -> None:
    if todo_id not in TODOS:
        abort(404, message=f"Todo {todo_id} doesn't exist")


parser = reqparse.RequestParser()
parser.add_argument("task")


# Todo
# shows a single todo item and lets you delete a todo item
class Todo(Resource):
    def get(self, todo_id: str) -> t.Any:
        abort_if_todo_doesnt_exist(todo_id)
        return TODOS[todo_id]

    def delete(self, todo_id: str) -> t.Any:
        abort_if_todo_doesnt_exist(todo_id)
        del TODOS[todo_id]
        return "", 204

    def put(self, todo_id: str) -> t.Any:
        args = parser.parse_args()
        task = {"task": args["task"]}
        TODOS[todo_id] = task
        return task, 201


# TodoList
# shows a list of all todos, and lets you POST to add new tasks
class TodoList(Resource):
    def get(self) -> t.Any:
        return TODOS

    def post(self) -> t.Any:
        args = parser.parse_args()
        # Flask-RESTful's own line, kept as is: lstrip() drops characters,
        # not a prefix, which works for these keys.
        todo_id = int(max(TODOS.keys()).lstrip("todo")) + 1  # noqa: B005
        todo_key = f"todo{todo_id}"
        TODOS[todo_key] = {"task": args["task"]}
        return TODOS[todo_key], 201


##
## Actually setup the Api resource routing here
##
api.add_resource(TodoList, "/todos")
api.add_resource(Todo, "/todos/<todo_id>")


if __name__ == "__main__":
    app.run(debug=True)
