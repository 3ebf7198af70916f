"""The same Flask-RESTX app on Flask-RESTX and on ``flask_resources.restx``.

Run with ``python benchmarks/bench_restx.py`` (``pip install flask-restx``).
One app definition, written once against the Flask-RESTX API, is built on
each package and sent three requests: a GET of 100 objects through
``marshal_list_with(model)``, a POST validated by ``expect(model,
validate=True)``, and a GET masked with ``X-Fields``. Ratios are against
Flask-RESTX; the target is at most 0.5x its time for each. The POST's
figure depends on the ``speed`` extra: with jsonschema-rs installed a valid
payload is passed by it, without it by jsonschema alone, as Flask-RESTX does.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import types
import typing as t

from flask import Flask

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, options, report, same_answer_callers  # noqa: E402

BORN = datetime.datetime(2020, 5, 17, 8, 30, tzinfo=datetime.UTC)

#: 100 objects as an ORM would give them: attributes, not dict keys.
CATS = [
    types.SimpleNamespace(
        id=i,
        name=f"cat {i}",
        age=i % 20,
        born=BORN,
        tags=["grey", "indoor", "old"],
        owner={"name": f"owner {i}"},
    )
    for i in range(100)
]

NEW_CAT = {"name": "Tom", "age": 3, "tags": ["grey"], "owner": {"name": "Ann"}}


def build(rx: t.Any) -> Flask:
    """The app, written against Flask-RESTX's API, on the package ``rx``."""
    app = Flask(f"bench-{rx.__name__}")
    api = rx.Api(app, doc=False)
    ns = api.namespace("cats", description="Cats")
    owner = ns.model("Owner", {"name": rx.fields.String(required=True)})
    cat = ns.model(
        "Cat",
        {
            "id": rx.fields.Integer(readonly=True),
            "name": rx.fields.String(required=True, min_length=1),
            "age": rx.fields.Integer(min=0),
            "born": rx.fields.DateTime(),
            "tags": rx.fields.List(rx.fields.String),
            "owner": rx.fields.Nested(owner),
        },
    )

    @ns.route("/")
    class CatList(rx.Resource):
        @ns.marshal_list_with(cat)
        def get(self) -> t.Any:
            return CATS

        @ns.expect(cat, validate=True)
        def post(self) -> t.Any:
            return {"name": api.payload["name"]}, 201

    return app


def main() -> None:
    args = options(__doc__.split("\n")[0], number=50, repeats=40)
    try:
        import flask_restx
    except ImportError:
        sys.exit("bench_restx.py compares with Flask-RESTX: pip install flask-restx")
    from flask_resources import restx

    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        print("jsonschema-rs is not installed: payloads are checked by jsonschema\n")
    else:
        print("jsonschema-rs is installed (the 'speed' extra)\n")
    apps = {"Flask-RESTX": build(flask_restx), "flask_resources.restx": build(restx)}
    body = json.dumps(NEW_CAT)
    requests: dict[str, dict[str, t.Any]] = {
        "GET 100 objects, marshal_list_with(model)": {"path": "/cats/"},
        "POST, expect(model, validate=True)": {
            "path": "/cats/",
            "method": "POST",
            "data": body,
            "content_type": "application/json",
        },
        "GET 100 objects masked by X-Fields": {
            "path": "/cats/",
            "headers": {"X-Fields": "id,name,owner{name}"},
        },
    }
    for title, request in requests.items():
        cases = same_answer_callers(title, apps, **request)
        best = compare(cases, number=args.number, repeats=args.repeats)
        print(report(title, best, baseline="Flask-RESTX"))
        print()


if __name__ == "__main__":
    main()
