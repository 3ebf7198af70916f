"""Per-app state: one AppState in app.extensions, shared by every Api."""

from __future__ import annotations

import ast
import pathlib

from flask import Blueprint, Flask

import flask_resources
from flask_resources import Api, Resource
from flask_resources._state import EXTENSION_KEY, AppState, get_state


class Hello(Resource):
    def get(self) -> dict[str, str]:
        return {"hello": "world"}


def test_state_is_created_when_the_first_api_binds() -> None:
    app = Flask(__name__)
    assert get_state(app) is None
    first = Api(app)
    first.add_resource(Hello, "/hello")
    blueprint = Blueprint("bp", __name__)
    second = Api(blueprint)
    second.add_resource(Hello, "/hello")
    app.register_blueprint(blueprint, url_prefix="/bp")
    state = get_state(app)
    assert isinstance(state, AppState)
    assert app.extensions[EXTENSION_KEY] is state
    assert state.apis == [first, second]
    assert state.endpoints == {"hello": first, "bp.hello": second}


def test_errors_and_api_do_not_import_each_other() -> None:
    # errors.py may name Api in type hints only; api/ builds on errors.py.
    package = pathlib.Path(flask_resources.__file__).parent
    tree = ast.parse((package / "errors.py").read_text())
    runtime_imports = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "api"
    ]
    assert runtime_imports == []
