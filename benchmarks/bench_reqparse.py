"""POST a JSON body parsed by reqparse, by hand and by Flask-RESTful.

Run with ``python benchmarks/bench_reqparse.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Every app answers ``POST /cats`` with a
five-key body by reading five arguments (default location: JSON body, then
form and query string): a required string ``name``, an integer ``age``, a
float ``weight``, a string ``color`` with a default and a string ``owner``
the body leaves out. The plain-view apps differ only in how they read the
arguments; the ratios are against the hand-written view that calls
``request.get_json()`` and checks the values itself. Target: the
flask_resources parser within 1.10x of it.
"""

from __future__ import annotations

import os
import sys
import typing as t

from flask import Flask, request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import options, run_apps  # noqa: E402

import flask_resources  # noqa: E402
from flask_resources import abort, reqparse  # noqa: E402

BODY = {"name": "Tom", "age": 3, "weight": 4.5, "color": "grey", "indoor": True}
EXPECTED = b'"Tom"'


def hand_written_app() -> Flask:
    app = Flask("hand")

    @app.post("/cats")
    def create() -> tuple[dict[str, t.Any], int]:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, message="The JSON body must be an object.")
        name = data.get("name")
        if name is None:
            abort(400, message={"name": "Missing required parameter"})
        age = data.get("age")
        if age is not None:
            if isinstance(age, bool) or not isinstance(age, (int, str)):
                abort(400, message={"age": f"{age} is not a valid integer"})
            try:
                age = int(age)
            except ValueError as e:
                abort(400, message={"age": str(e)})
        weight = data.get("weight")
        if weight is not None:
            try:
                weight = float(weight)
            except (TypeError, ValueError) as e:
                abort(400, message={"weight": str(e)})
        color = data.get("color")
        color = "black" if color is None else str(color)
        owner = data.get("owner")
        if owner is not None:
            owner = str(owner)
        return {
            "name": str(name),
            "age": age,
            "weight": weight,
            "color": color,
            "owner": owner,
        }, 201

    return app


def add_arguments(parser: t.Any) -> None:
    parser.add_argument("name", required=True)
    parser.add_argument("age", type=int)
    parser.add_argument("weight", type=float)
    parser.add_argument("color", default="black")
    parser.add_argument("owner")


def _ours() -> reqparse.RequestParser:
    parser = reqparse.RequestParser()
    add_arguments(parser)
    return parser


def reqparse_app() -> Flask:
    app = Flask("reqparse")
    parser = _ours()

    @app.post("/cats")
    def create() -> tuple[dict[str, t.Any], int]:
        return parser.parse_args(), 201

    return app


def resource_app() -> Flask:
    app = Flask("resource")
    api = flask_resources.Api(app)
    parser = _ours()

    class Cats(flask_resources.Resource):
        def post(self) -> tuple[dict[str, t.Any], int]:
            return parser.parse_args(), 201

    api.add_resource(Cats, "/cats")
    return app


def flask_restful_app() -> Flask | None:
    try:
        from flask_restful import reqparse as restful_reqparse
    except ImportError:
        return None
    app = Flask("restful")
    parser = restful_reqparse.RequestParser()
    add_arguments(parser)

    @app.post("/cats")
    def create() -> tuple[dict[str, t.Any], int]:
        return parser.parse_args(), 201

    return app


def main() -> None:
    args = options(__doc__.split("\n")[0], number=100, repeats=300)
    apps: dict[str, t.Any] = {
        "hand-written get_json()": hand_written_app(),
        "flask_resources reqparse": reqparse_app(),
        "Flask-RESTful reqparse": flask_restful_app(),
        "reqparse in a Resource": resource_app(),
    }
    run_apps(
        "POST /cats, 5-argument parser, raw WSGI app",
        {name: app and app.wsgi_app for name, app in apps.items()},
        baseline="hand-written get_json()",
        expect=EXPECTED,
        number=args.number,
        repeats=args.repeats,
        method="POST",
        path="/cats",
        json=BODY,
    )


if __name__ == "__main__":
    main()
