"""GET one item through a Resource, a plain Flask view and Flask-RESTful.

Run with ``python benchmarks/bench_dispatch.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Each app answers ``GET /items/1`` with the
same small dict; the ratios are against the plain Flask view. Targets: a
Resource within 1.08x of the plain view, and at or under 1.00x with
``RESOURCES_JSON_ENCODER = "orjson"`` (the ``speed`` extra).
"""

from __future__ import annotations

import argparse
import os
import sys
import typing as t

from flask import Flask

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, report, wsgi_caller  # noqa: E402

import flask_resources  # noqa: E402

ITEM = {"id": 1, "name": "Tom", "age": 3, "tags": ["grey", "indoor"]}


def plain_app() -> Flask:
    app = Flask("plain")

    @app.get("/items/<int:item_id>")
    def item(item_id: int) -> dict[str, t.Any]:
        return ITEM

    return app


def resources_app(encoder: str = "json") -> Flask:
    app = Flask("resources")
    app.config["RESOURCES_JSON_ENCODER"] = encoder
    api = flask_resources.Api(app)

    class Item(flask_resources.Resource):
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    api.add_resource(Item, "/items/<int:item_id>")
    return app


def flask_restful_app() -> Flask | None:
    try:
        import flask_restful
    except ImportError:
        return None
    app = Flask("restful")
    api = flask_restful.Api(app)

    class Item(flask_restful.Resource):
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    api.add_resource(Item, "/items/<int:item_id>")
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=9)
    options = parser.parse_args()

    apps: dict[str, Flask | None] = {
        "plain Flask view": plain_app(),
        "flask_resources": resources_app(),
        "flask_resources+orjson": resources_app("orjson"),
        "Flask-RESTful": flask_restful_app(),
    }
    cases = {}
    for name, app in apps.items():
        if app is None:
            print(f"skipping {name}: not installed")
            continue
        call = wsgi_caller(app, path="/items/1")
        assert b'"Tom"' in call(), name
        cases[name] = call
    best = compare(cases, number=options.number, repeats=options.repeats)
    print(report("GET /items/1 on the raw WSGI app", best, baseline="plain Flask view"))


if __name__ == "__main__":
    main()
