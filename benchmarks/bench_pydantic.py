"""pydantic models through flask-resources against the same work by hand.

Run with ``python benchmarks/bench_pydantic.py`` (``pip install -e
".[pydantic]"``). Two requests, each sent to two apps:

- POST a JSON body validated by a model and answered with it (201):
  ``use_args(CatIn)`` and ``marshal_with(Cat, code=201)`` on a Resource,
  against a plain Flask view calling ``TypeAdapter(CatIn).validate_python``
  on ``request.get_json()`` and ``TypeAdapter(Cat).dump_python`` on the
  result;
- GET 100 ORM-like objects dumped by ``marshal_with(list[Cat])``, against a
  plain Flask view validating them with ``from_attributes=True`` and dumping
  them with ``TypeAdapter(list[Cat])``.

When APIFlask 3 is installed (``pip install apiflask``), the same views
written with its ``input`` and ``output`` decorators and the same models
run too. Every app dumps in JSON mode by alias and answers the same JSON
(checked before timing). Ratios are against the plain Flask view; the
target for flask-resources is at most 1.10x for each.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import types
import typing as t

from flask import Flask, request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, options, report, same_answer_callers  # noqa: E402

try:
    import pydantic
    from pydantic import BaseModel, ConfigDict, Field
except ImportError:
    sys.exit("needs pydantic: pip install 'flask-resources[pydantic]'")

BORN = datetime.datetime(2020, 5, 17, 8, 30, tzinfo=datetime.UTC)


class Owner(BaseModel):
    # APIFlask validates responses with model_validate alone: the models
    # read attributes themselves, so every app can take the same objects.
    model_config = ConfigDict(from_attributes=True)

    name: str


class CatIn(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str = Field(min_length=1)
    age: int = Field(default=1, ge=0)
    tags: list[str] = []
    owner: Owner | None = None


class Cat(CatIn):
    id: int = 0
    born: datetime.datetime | None = None


#: 100 objects as an ORM would give them: attributes, not dict keys.
CATS = [
    types.SimpleNamespace(
        id=i,
        name=f"cat {i}",
        age=i % 20,
        born=BORN,
        tags=["grey", "indoor", "old"],
        owner=types.SimpleNamespace(name=f"owner {i}"),
        secret="not in the model",
    )
    for i in range(100)
]

NEW_CAT = {"name": "Tom", "age": 3, "tags": ["grey"], "owner": {"name": "Ann"}}


def flask_resources_app() -> Flask:
    from flask_resources import Api, Resource, marshal_with
    from flask_resources.schemas import use_args

    class CatList(Resource):
        @marshal_with(list[Cat])
        def get(self) -> t.Any:
            return CATS

        @use_args(CatIn)
        @marshal_with(Cat, code=201)
        def post(self, cat: CatIn) -> t.Any:
            return Cat(**dict(cat))

    app = Flask("bench-flask-resources")
    Api(app).add_resource(CatList, "/cats")
    return app


def plain_flask_app() -> Flask:
    """The same by hand: one TypeAdapter per type, built once."""
    cat_in = pydantic.TypeAdapter(CatIn)
    cat = pydantic.TypeAdapter(Cat)
    cats = pydantic.TypeAdapter(list[Cat])
    app = Flask("bench-plain")

    @app.get("/cats")
    def get() -> t.Any:
        rows = cats.validate_python(CATS, from_attributes=True)
        return cats.dump_python(rows, mode="json", by_alias=True)

    @app.post("/cats")
    def post() -> t.Any:
        try:
            data = cat_in.validate_python(request.get_json())
        except pydantic.ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            return {"errors": errors}, 400
        return cat.dump_python(Cat(**dict(data)), mode="json", by_alias=True), 201

    return app


def apiflask_app() -> Flask | None:
    """The same with APIFlask 3's decorators, or None when not installed."""
    try:
        from apiflask import APIFlask
    except ImportError:
        return None
    app = APIFlask("bench-apiflask", spec_path=None, docs_path=None)

    @app.get("/cats")
    @app.output(list[Cat])
    def get() -> t.Any:
        return CATS

    @app.post("/cats")
    @app.input(CatIn, arg_name="cat")
    @app.output(Cat, status_code=201)
    def post(cat: CatIn) -> t.Any:
        return Cat(**dict(cat))

    return app


def main() -> None:
    args = options(__doc__.split("\n")[0], number=100, repeats=40)
    apps = {"plain Flask + TypeAdapter": plain_flask_app()}
    apps["flask-resources"] = flask_resources_app()
    other = apiflask_app()
    if other is None:
        print("skipping APIFlask: not installed (pip install apiflask)\n")
    else:
        apps["APIFlask"] = other
    requests: dict[str, dict[str, t.Any]] = {
        "POST validated by a model, answered with it": {
            "path": "/cats",
            "method": "POST",
            "data": json.dumps(NEW_CAT),
            "content_type": "application/json",
        },
        "GET 100 objects, marshal_with(list[Model])": {"path": "/cats"},
    }
    for title, req in requests.items():
        cases = same_answer_callers(title, apps, **req)
        best = compare(cases, number=args.number, repeats=args.repeats)
        print(report(title, best, baseline="plain Flask + TypeAdapter"))
        print()


if __name__ == "__main__":
    main()
