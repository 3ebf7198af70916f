"""What response validation costs per request.

Run with ``python benchmarks/bench_validation.py`` (``pip install -e
".[validation]"``). One request, GET of 100 cats marshalled with
``marshal_with`` from a fields dict, sent to two copies of the same app:
one with ``Api(validate_responses=False)``, one with
``validate_responses=True``, which checks each answer against the JSON
Schema of its operation in the app's OpenAPI document. The ratio is
against validation off; the goal is at most 1.25x. Both apps answer the
same bytes (checked before timing).
"""

from __future__ import annotations

import os
import sys
import typing as t

from flask import Flask

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, options, report, wsgi_caller  # noqa: E402

from flask_resources import Api, Resource, fields, marshal_with  # noqa: E402

CAT = {
    "id": fields.Integer,
    "name": fields.String,
    "age": fields.Integer(default=0),
    "weight": fields.Float,
    "indoor": fields.Boolean,
}
CATS = [
    {"id": n, "name": f"cat {n}", "age": n % 20, "weight": 3.5, "indoor": bool(n % 2)}
    for n in range(100)
]


class Cats(Resource):
    @marshal_with(CAT)
    def get(self) -> t.Any:
        return CATS


def make_app(validate: bool) -> Flask:
    app = Flask(f"cats_{validate}")
    api = Api(app, validate_responses=validate)
    api.add_resource(Cats, "/cats")
    return app


def main() -> None:
    opts = options(__doc__.split("\n")[0], number=300, repeats=15)
    calls = {
        "validation off": wsgi_caller(make_app(False), path="/cats"),
        "validation on": wsgi_caller(make_app(True), path="/cats"),
    }
    answers = {name: call() for name, call in calls.items()}
    if len(set(answers.values())) != 1 or b'"cat 99"' not in answers["validation on"]:
        raise AssertionError(f"the apps answer differently: {answers!r}")
    best = compare(calls, number=opts.number, repeats=opts.repeats)
    print(
        report(
            "GET /cats: 100 objects marshalled with a fields dict",
            best,
            baseline="validation off",
        )
    )


if __name__ == "__main__":
    main()
