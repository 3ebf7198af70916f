"""Build the OpenAPI document of 200 resources, against apispec by hand.

Run with ``python benchmarks/bench_openapi.py`` (needs the ``openapi``
extra). The app has 200 resources, each with its own marshmallow schema:
100 read a JSON body with ``use_args`` and answer with ``marshal_with``
(GET and POST), 50 document a reqparse parser with ``doc(args=...)`` and
answer with a fields dict, 50 take query arguments. The baseline registers
the same 200 schemas and 300 operations on an ``APISpec`` by hand, as a
flask-smorest or APIFlask app would end up doing; the flask_resources case
builds the whole document from the app's resources (what ``api.openapi()``
does the first time on an app; the app itself is set up once, outside the
timing). Target: under 1 second for 200 resources, and
within 3x of apispec by hand.
"""

from __future__ import annotations

import os
import sys
import typing as t

import marshmallow as ma
from flask import Flask

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, options, report  # noqa: E402

from flask_resources import (  # noqa: E402
    Api,
    Resource,
    doc,
    fields,
    marshal_with,
    reqparse,
    use_args,
)
from flask_resources.openapi import build  # noqa: E402

COUNT = 200


def make_schema(index: int) -> type[ma.Schema]:
    return type(
        f"Thing{index}Schema",
        (ma.Schema,),
        {
            "id": ma.fields.Int(dump_only=True),
            "name": ma.fields.Str(required=True),
            "tags": ma.fields.List(ma.fields.Str()),
            "born": ma.fields.Date(allow_none=True),
        },
    )


SCHEMAS = [make_schema(i) for i in range(COUNT)]


def make_resource(index: int) -> type[Resource]:
    schema = SCHEMAS[index]
    namespace: dict[str, t.Any] = {"__doc__": f"Thing {index}."}
    if index < 100:

        @marshal_with(schema)
        def get(self: t.Any, thing_id: int) -> t.Any:
            """Show a thing."""
            return {}

        @use_args(schema)
        @marshal_with(schema, code=201)
        def post(self: t.Any, thing_id: int, values: t.Any) -> t.Any:
            """Add a thing."""
            return values, 201

        namespace.update(get=get, post=post)
    elif index < 150:
        parser = reqparse.RequestParser()
        parser.add_argument("name", required=True)
        parser.add_argument("size", type=int, location="args")
        output = {"id": fields.Integer, "name": fields.String}

        @doc(args=parser, responses={404: "No such thing"})
        @marshal_with(output)
        def put(self: t.Any, thing_id: int) -> t.Any:
            return {}

        namespace.update(put=put)
    else:

        @use_args({"page": ma.fields.Int(load_default=1)}, location="query")
        @marshal_with(schema(many=True))
        def get(self: t.Any, thing_id: int, query: t.Any) -> t.Any:
            return []

        namespace.update(get=get)
    return type(f"Thing{index}", (Resource,), namespace)


RESOURCES = [make_resource(i) for i in range(COUNT)]


def make_app() -> tuple[Flask, Api]:
    app = Flask("bench")
    api = Api(app, title="Bench", version="1")
    for index, resource in enumerate(RESOURCES):
        api.add_resource(resource, f"/things{index}/<int:thing_id>")
    return app, api


APP, API = make_app()


def flask_resources_build() -> dict[str, t.Any]:
    # What api.openapi() does the first time on an app, without its cache.
    document: dict[str, t.Any] = build(API, APP).to_dict()
    return document


def apispec_by_hand() -> dict[str, t.Any]:
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec("Bench", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    path_parameter = {
        "name": "thing_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    }
    for index, schema in enumerate(SCHEMAS):
        spec.components.schema(f"Thing{index}", schema=schema)
        ok = {"content": {"application/json": {"schema": schema}}}
        operations: dict[str, t.Any] = {}
        if index < 100:
            operations["get"] = {"responses": {"200": {"description": "OK", **ok}}}
            operations["post"] = {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"201": {"description": "Created", **ok}},
            }
        elif index < 150:
            operations["put"] = {
                "parameters": [
                    {"name": "size", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "OK"}},
            }
        else:
            operations["get"] = {
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "OK", **ok}},
            }
        spec.path(
            path=f"/things{index}/{{thing_id}}",
            operations=operations,
            parameters=[path_parameter],
        )
    return spec.to_dict()


def main() -> None:
    args = options(__doc__.splitlines()[0], number=1, repeats=5)
    document = flask_resources_build()
    operations = sum(len(path) for path in document["paths"].values())
    assert len(document["paths"]) == COUNT and operations == 300, operations
    best = compare(
        {
            "apispec by hand": apispec_by_hand,
            "flask_resources": flask_resources_build,
        },
        number=args.number,
        repeats=args.repeats,
    )
    print(
        report(
            f"OpenAPI document of {COUNT} resources ({operations} operations)",
            best,
            baseline="apispec by hand",
        )
    )
    print(f"flask_resources: {best['flask_resources'] / 1000:.1f} ms per document")


if __name__ == "__main__":
    main()
