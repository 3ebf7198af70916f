"""What an ETag costs: GET a 100-item page through a Resource with and
without ``etag = True``, and the 304 a matching ``If-None-Match`` gets.

Run with ``python benchmarks/bench_etag.py``. Each app answers
``GET /cats`` with the same 100 small dicts; the ratios are against the
Resource without conditional requests. The ETag hashes (BLAKE2b) the
rendered body, so its cost grows with the body, not with the resource's
work; a 304 still runs the verb, and saves the transfer.
"""

from __future__ import annotations

import os
import sys
import time
import timeit
import typing as t

from flask import Flask

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import options, report, wsgi_caller  # noqa: E402

import flask_resources  # noqa: E402

PAGE = [
    {"id": i, "name": f"Cat {i}", "age": i % 20, "tags": ["grey", "indoor"]}
    for i in range(100)
]


def plain_app() -> Flask:
    app = Flask("plain")

    @app.get("/cats")
    def cats() -> t.Any:
        return PAGE

    return app


def resources_app(*, etag: bool) -> Flask:
    app = Flask("resources")
    api = flask_resources.Api(app)

    class Cats(flask_resources.Resource):
        def get(self) -> t.Any:
            return PAGE

    Cats.etag = etag
    api.add_resource(Cats, "/cats")
    return app


def main() -> None:
    args = options(__doc__.split("\n")[0], number=2000, repeats=9)
    plain = plain_app()
    without = resources_app(etag=False)
    with_etag = resources_app(etag=True)
    etag_header = with_etag.test_client().get("/cats").headers["ETag"]
    cases = {
        "Resource": wsgi_caller(without, path="/cats"),
        "Resource, etag = True": wsgi_caller(with_etag, path="/cats"),
        "Resource, etag = True, 304": wsgi_caller(
            with_etag, path="/cats", headers={"If-None-Match": etag_header}
        ),
        "plain Flask view": wsgi_caller(plain, path="/cats"),
    }
    assert b'"Cat 99"' in cases["Resource, etag = True"]()
    assert cases["Resource, etag = True, 304"]() == b""
    best = cpu_compare(cases, number=args.number, repeats=args.repeats)
    print(report("GET /cats, 100 items (CPU time)", best, baseline="Resource"))


def cpu_compare(
    cases: dict[str, t.Callable[[], object]], *, number: int, repeats: int
) -> dict[str, float]:
    """As ``harness.compare``, interleaved and best of the repeats, but
    counting this process's CPU time: the differences measured here are a
    few microseconds, smaller than what other processes' load does to wall
    time on a shared machine."""
    best = {name: float("inf") for name in cases}
    for _ in range(repeats):
        for name, func in cases.items():
            timer = timeit.Timer(func, timer=time.process_time)
            best[name] = min(best[name], timer.timeit(number) / number * 1e6)
    return best


if __name__ == "__main__":
    main()
