"""GET one item through a Resource, a plain Flask view and Flask-RESTful.

Run with ``python benchmarks/bench_dispatch.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Each app answers ``GET /items/1`` with the
same small dict, and ``DELETE /items/1`` with a 405; the ratios are
against the plain Flask view. Targets: a Resource within 1.03x of the plain
view, at or under 0.95x with ``RESOURCES_JSON_ENCODER = "orjson"`` (the
``speed`` extra), and a 405 within 1.10x of a plain Flask app whose 405
handler answers the same JSON body with ``Allow``.
"""

from __future__ import annotations

import os
import sys
import typing as t

from flask import Flask
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import MethodNotAllowed

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import options, run_apps  # noqa: E402

import flask_resources  # noqa: E402

ITEM = {"id": 1, "name": "Tom", "age": 3, "tags": ["grey", "indoor"]}


def plain_app() -> Flask:
    app = Flask("plain")

    @app.get("/items/<int:item_id>")
    def item(item_id: int) -> dict[str, t.Any]:
        return ITEM

    return app


def plain_json_405_app() -> Flask:
    """The plain app with what an API adds by hand: a JSON 405 that keeps
    Werkzeug's ``Allow`` header."""
    app = plain_app()

    @app.errorhandler(405)
    def method_not_allowed(e: MethodNotAllowed) -> ResponseReturnValue:
        return (
            {"message": e.description},
            405,
            {"Allow": ", ".join(e.valid_methods or ())},
        )

    return app


def resources_app(encoder: str = "json", *, browsable: bool = False) -> Flask:
    app = Flask("resources")
    app.config["RESOURCES_JSON_ENCODER"] = encoder
    api = flask_resources.Api(app, browsable=browsable)

    class Item(flask_resources.Resource):
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    api.add_resource(Item, "/items/<int:item_id>")
    return app


def orjson_app() -> Flask | None:
    try:
        import orjson  # noqa: F401
    except ImportError:
        print("skipping flask_resources+orjson: pip install -e '.[speed]'")
        return None
    return resources_app("orjson")


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
    args = options(__doc__.split("\n")[0], number=100, repeats=300)
    apps: dict[str, Flask | None] = {
        "plain Flask view": plain_app(),
        "flask_resources": resources_app(),
        "flask_resources+orjson": orjson_app(),
        # The browsable API must cost a JSON client nothing.
        "flask_resources browsable": resources_app(browsable=True),
        "Flask-RESTful": flask_restful_app(),
    }
    run_apps(
        "GET /items/1 on the raw WSGI app",
        apps,
        baseline="plain Flask view",
        expect=b'"Tom"',
        number=args.number,
        repeats=args.repeats,
        path="/items/1",
    )
    print()
    # A verb the resource lacks: each answers JSON with ``Allow``; plain
    # Flask's own HTML page is shown for scale.
    del apps["flask_resources+orjson"]
    apps = {
        "plain Flask, JSON 405 handler": plain_json_405_app(),
        "plain Flask, HTML 405": apps.pop("plain Flask view"),
        **apps,
    }
    run_apps(
        "DELETE /items/1 (405) on the raw WSGI app",
        apps,
        baseline="plain Flask, JSON 405 handler",
        expect=b"The method is not allowed",
        number=args.number,
        repeats=args.repeats,
        method="DELETE",
        path="/items/1",
    )


if __name__ == "__main__":
    main()
