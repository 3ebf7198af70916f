"""Memory per registered resource and per request: plain Flask, ours, Flask-RESTful.

Run with ``python benchmarks/bench_memory.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Measured with :mod:`tracemalloc`:

- per resource: the memory still allocated after defining and registering
  200 resource classes (one URL rule each, a ``get`` and a ``post``),
  divided by 200; for plain Flask, ``MethodView`` classes added with
  ``add_url_rule(as_view(...))``. The class itself is most of it.
- per request: the peak memory a ``GET`` of a small dict allocates above
  what was allocated before it (best of 50 requests after a warm-up), and
  what 1,000 requests leave allocated (a few bytes each for plain Flask
  too: the interpreter's own caches; a leak would show as a larger ratio).

Prints ratios to plain Flask.
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc
import typing as t

from flask import Flask
from flask.views import MethodView

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import options, wsgi_caller  # noqa: E402

import flask_resources  # noqa: E402

ITEM = {"id": 1, "name": "Tom", "age": 3, "tags": ["grey", "indoor"]}
COUNT = 200


def register_plain(app: Flask, index: int) -> None:
    class Item(MethodView):
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

        def post(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    name = f"item{index}"
    app.add_url_rule(f"/{name}/<int:item_id>", view_func=Item.as_view(name))


def register_with(resource_class: type, api: t.Any, index: int) -> None:
    class Item(resource_class):  # type: ignore[misc, valid-type]
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

        def post(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    name = f"item{index}"
    api.add_resource(Item, f"/{name}/<int:item_id>", endpoint=name)


def kinds() -> dict[str, t.Callable[[], tuple[Flask, t.Callable[[int], None]]]]:
    def plain() -> tuple[Flask, t.Callable[[int], None]]:
        app = Flask("plain")
        return app, lambda i: register_plain(app, i)

    def ours() -> tuple[Flask, t.Callable[[int], None]]:
        app = Flask("resources")
        api = flask_resources.Api(app)
        return app, lambda i: register_with(flask_resources.Resource, api, i)

    found = {"plain Flask": plain, "flask_resources": ours}
    try:
        import flask_restful

        def restful() -> tuple[Flask, t.Callable[[int], None]]:
            app = Flask("restful")
            api = flask_restful.Api(app)
            return app, lambda i: register_with(flask_restful.Resource, api, i)

        found["Flask-RESTful"] = restful
    except ImportError:
        print("skipping Flask-RESTful: not installed")
    return found


def per_resource(make: t.Callable[[], tuple[Flask, t.Callable[[int], None]]]) -> float:
    app, register = make()
    register(0)  # first-use set-up is not per resource
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for index in range(1, COUNT + 1):
        register(index)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / COUNT


def per_request(
    make: t.Callable[[], tuple[Flask, t.Callable[[int], None]]],
) -> tuple[float, float]:
    app, register = make()
    register(0)
    call = wsgi_caller(app, path="/item0/1")
    for _ in range(100):
        call()  # caches, compiled code and lazy imports settle first
    gc.collect()
    tracemalloc.start()
    peak = float("inf")
    for _ in range(50):
        current = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        call()
        peak = min(peak, tracemalloc.get_traced_memory()[1] - current)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        call()
    gc.collect()
    kept = (tracemalloc.get_traced_memory()[0] - before) / 1000
    tracemalloc.stop()
    return peak, kept


def main() -> None:
    options(__doc__.split("\n")[0], number=1, repeats=1)
    found = kinds()
    resource = {name: per_resource(make) for name, make in found.items()}
    request = {name: per_request(make) for name, make in found.items()}
    base = resource["plain Flask"]
    base_peak, base_kept = request["plain Flask"]
    print("memory (ratios to plain Flask)")
    for name in found:
        peak, kept = request[name]
        print(
            f"  {name:<16} {resource[name] / base:6.3f}x per resource"
            f"  {peak / base_peak:6.3f}x peak per GET"
            f"  {kept / base_kept:6.3f}x kept after 1,000 GETs"
        )


if __name__ == "__main__":
    main()
