"""Requests per second and p99 through real servers: ours against plain Flask,
Flask-RESTful and FastAPI.

Run with ``python benchmarks/bench_server.py`` after ``pip install -e
".[bench]"`` (gunicorn, granian, Flask-RESTful, FastAPI, uvicorn with
uvloop and httptools, orjson). The load comes from wrk (``apt-get install
wrk`` on Debian and Ubuntu, ``brew install wrk`` on macOS); without it an
in-process Python client stands in, which is slower than most of the
servers, so its figures mostly measure itself.

The same small API is written five ways: ``GET /items/1`` answers a small
dict, ``POST /items`` reads a JSON body, checks its two fields (``name`` a
string, ``age`` an integer) and answers 201 with them.

- plain Flask: a view and ``request.get_json()`` with hand-written checks;
- ours: a ``Resource`` and a two-argument ``RequestParser``, with the
  default JSON encoder and with orjson (``RESOURCES_JSON_ENCODER``, the
  ``speed`` extra);
- Flask-RESTful: the same ``Resource`` and parser;

each under gunicorn (``gthread`` with 4 threads, and ``sync``) and granian
(WSGI, with the cats sample's 4 blocking threads and with 1); and FastAPI
(``async def`` routes, a pydantic body model) under uvicorn (uvloop,
httptools) and granian (ASGI). Every server runs one
worker. With two cores or more the server is pinned to the last core and
wrk to the others (taskset). All servers are started first; then each round
loads each of them in turn, so that a change in the machine's load falls on
all of them alike. The best and the median of the rounds are printed, with
ratios to FastAPI under uvicorn and to plain Flask under the same server.
FastAPI is imported by this script only, never by the package or its tests.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import typing as t

from flask import Flask, abort, request

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCHMARKS)

ITEM = {"id": 1, "name": "Tom", "age": 3, "tags": ["grey", "indoor"]}
BODY = {"name": "Tom", "age": 3}

#: label -> (method, path, JSON body, status expected)
REQUESTS: dict[str, tuple[str, str, t.Any, int]] = {
    "GET": ("GET", "/items/1", None, 200),
    "POST": ("POST", "/items", BODY, 201),
}

#: WSGI apps, by the ``kind`` argument of :func:`make_app`.
WSGI_APPS = {
    "plain Flask": "plain",
    "ours": "resources",
    "ours+orjson": "orjson",
    "Flask-RESTful": "restful",
}

#: Server label -> the command line that runs a WSGI app factory under it.
WSGI_SERVERS: dict[str, t.Callable[[str, int], list[str]]] = {
    "gunicorn gthread": lambda app, port: [
        *("-m", "gunicorn", "-k", "gthread", "--threads", "4", "-w", "1"),
        *("-b", f"127.0.0.1:{port}", "--log-level", "warning", f"{app}()"),
    ],
    "gunicorn sync": lambda app, port: [
        *("-m", "gunicorn", "-k", "sync", "-w", "1"),
        *("-b", f"127.0.0.1:{port}", "--log-level", "warning", f"{app}()"),
    ],
    # The cats sample's blocking threads (samples/cats/granian_server.py),
    # which overlap its database round trips.
    "granian": lambda app, port: _granian(app, port, threads=4),
    # One thread, for an app whose requests never wait: the deploy guide's
    # setting for CPU-bound apps.
    "granian 1 thread": lambda app, port: _granian(app, port, threads=1),
}


def _granian(app: str, port: int, *, threads: int) -> list[str]:
    return [
        *("-m", "granian", "--interface", "wsgi", "--workers", "1"),
        *("--blocking-threads", str(threads), "--no-ws", "--log-level", "warning"),
        *("--port", str(port), "--factory", app),
    ]


ASGI_SERVERS: dict[str, t.Callable[[int], list[str]]] = {
    "uvicorn": lambda port: [
        *("-m", "uvicorn", "--loop", "uvloop", "--http", "httptools"),
        *("--workers", "1", "--no-access-log", "--log-level", "warning"),
        *("--port", str(port), "--factory", "bench_server:make_fastapi"),
    ],
    "granian": lambda port: [
        *("-m", "granian", "--interface", "asgi", "--workers", "1"),
        *("--no-ws", "--log-level", "warning", "--port", str(port)),
        *("--factory", "bench_server:make_fastapi"),
    ],
}

#: The row every ratio to FastAPI is taken against.
FASTAPI = "FastAPI / uvicorn"


def make_app(kind: str) -> Flask:
    """The app ``kind`` (``plain``, ``resources``, ``orjson`` or
    ``restful``); the servers load it as ``bench_server:make_app_<kind>``."""
    app = Flask(kind)
    if kind == "plain":

        @app.get("/items/<int:item_id>")
        def item(item_id: int) -> dict[str, t.Any]:
            return ITEM

        @app.post("/items")
        def create() -> tuple[dict[str, t.Any], int]:
            data = request.get_json()
            if not isinstance(data, dict):
                abort(400)
            name, age = data.get("name"), data.get("age")
            if not isinstance(name, str) or type(age) is not int:
                abort(400)
            return {"name": name, "age": age}, 201

        return app

    api: t.Any
    if kind in ("resources", "orjson"):
        from flask_resources import Api, Resource, reqparse

        if kind == "orjson":
            app.config["RESOURCES_JSON_ENCODER"] = "orjson"
        api, resource, parser = Api(app), Resource, reqparse.RequestParser()
    else:
        import flask_restful
        from flask_restful import reqparse as fr_reqparse

        api = flask_restful.Api(app)
        resource, parser = flask_restful.Resource, fr_reqparse.RequestParser()
    parser.add_argument("name", type=str, required=True, location="json")
    parser.add_argument("age", type=int, required=True, location="json")

    class Item(resource):  # type: ignore[misc, valid-type]
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    class Items(resource):  # type: ignore[misc, valid-type]
        def post(self) -> tuple[dict[str, t.Any], int]:
            args = parser.parse_args()
            return {"name": args["name"], "age": args["age"]}, 201

    api.add_resource(Item, "/items/<int:item_id>")
    api.add_resource(Items, "/items")
    return app


def make_app_plain() -> Flask:
    return make_app("plain")


def make_app_resources() -> Flask:
    return make_app("resources")


def make_app_orjson() -> Flask:
    return make_app("orjson")


def make_app_restful() -> Flask:
    return make_app("restful")


def make_fastapi() -> t.Any:
    """The same API in FastAPI, as its tutorial writes it: ``async def``
    routes and a pydantic model for the body."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Cat(BaseModel):
        name: str
        age: int

    app = FastAPI()

    async def item(item_id: int) -> dict[str, t.Any]:
        return ITEM

    async def create(cat: Cat) -> Cat:
        return cat

    # This module's annotations are strings (``from __future__ import
    # annotations``) naming a class local to this function: FastAPI needs
    # the objects.
    item.__annotations__ = {"item_id": int, "return": dict[str, t.Any]}
    create.__annotations__ = {"cat": Cat, "return": Cat}
    app.get("/items/{item_id}")(item)
    app.post("/items", status_code=201)(create)
    return app


# -- servers -------------------------------------------------------------------


class Server(t.NamedTuple):
    label: str
    port: int
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinning(cores: list[int] | None) -> list[str]:
    if not cores:
        return []
    return ["taskset", "-c", ",".join(map(str, cores))]


def start(label: str, args: list[str], port: int, cores: list[int] | None) -> Server:
    command = [*pinning(cores), sys.executable, *args]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command,
        cwd=BENCHMARKS,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([BENCHMARKS, ROOT])},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"{label} exited with {process.returncode}:\n{output}")
        try:
            status, _ = call(port, "GET", "/items/1", None)
            if status == 200:
                return Server(label, port, process)
        except OSError:
            time.sleep(0.1)
    stop(Server(label, port, process))
    raise RuntimeError(f"{label} did not answer within a minute")


def stop(server: Server) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(30)


def call(port: int, method: str, path: str, body: t.Any) -> tuple[int, t.Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = None if body is None else json.dumps(body).encode()
        headers = {} if body is None else {"Content-Type": "application/json"}
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


# -- load ----------------------------------------------------------------------


class Result(t.NamedTuple):
    requests_per_second: float
    p99_ms: float
    #: CPU time the server's processes spent per request, in microseconds:
    #: less sensitive than requests per second to what else the machine runs.
    cpu_us: float = float("nan")


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux: read from /proc)."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    found += process_tree(int(child))
    except OSError:
        pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes, from /proc."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(
    port: int,
    method: str,
    path: str,
    body: t.Any,
    *,
    seconds: int,
    connections: int,
    cores: list[int] | None,
) -> Result:
    """Load the server with wrk; fail on any non-2xx answer or socket error."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{method}"\n')
        if body is not None:
            script.write(f"wrk.body = {json.dumps(json.dumps(body))}\n")
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
    try:
        out = subprocess.run(
            [
                *pinning(cores),
                *("wrk", "-t", str(max(1, len(cores or [0])))),
                *("-c", str(connections), "-d", f"{seconds}s", "--latency"),
                *("-s", script.name, f"http://127.0.0.1:{port}{path}"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"errors under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return Result(rate, float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit])


def python_client(
    port: int,
    method: str,
    path: str,
    body: t.Any,
    *,
    seconds: int,
    connections: int,
    cores: list[int] | None,
) -> Result:
    """wrk's stand-in: ``connections`` threads on keep-alive connections."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    deadline = time.perf_counter() + seconds
    data = None if body is None else json.dumps(body).encode()
    headers = {} if body is None else {"Content-Type": "application/json"}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = latencies[index]
        while (now := time.perf_counter()) < deadline:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 300:
                raise RuntimeError(f"{method} {path} answered {resp.status}")
            if resp.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - now)
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(x for mine in latencies for x in mine)
    p99 = every[int(len(every) * 0.99)] * 1e3 if every else float("nan")
    return Result(len(every) / elapsed, p99)


# -- the run -------------------------------------------------------------------


def configurations(
    only: str | None,
) -> dict[str, list[str] | t.Callable[[int], list[str]]]:
    """Row label -> server arguments (given the port), in the table's order."""
    rows: dict[str, t.Any] = {}
    try:
        import flask_restful  # noqa: F401
    except ImportError:
        print("skipping Flask-RESTful: pip install flask-restful")
    have_restful = "flask_restful" in sys.modules
    for server, command in WSGI_SERVERS.items():
        module = command("x", 0)[1]
        if not _importable(module):
            print(f"skipping {server}: pip install {module}")
            continue
        for app, kind in WSGI_APPS.items():
            if kind == "restful" and not have_restful:
                continue
            rows[f"{app} / {server}"] = _bind(command, f"bench_server:make_app_{kind}")
    if _importable("fastapi"):
        for server, asgi in ASGI_SERVERS.items():
            if _importable(asgi(0)[1]):
                rows[f"FastAPI / {server}"] = asgi
    else:
        print("skipping FastAPI: pip install fastapi 'uvicorn[standard]'")
    if only:
        rows = {label: args for label, args in rows.items() if re.search(only, label)}
    return rows


def _bind(
    command: t.Callable[[str, int], list[str]], app: str
) -> t.Callable[[int], list[str]]:
    return lambda port: command(app, port)


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", help="a regular expression the row labels match")
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python client, not wrk"
    )
    args = parser.parse_args()

    cores = sorted(os.sched_getaffinity(0))
    server_cores: list[int] | None = None
    client_cores: list[int] | None = None
    if len(cores) >= 2 and shutil.which("taskset"):
        server_cores, client_cores = cores[-1:], cores[:-1]
    load = wrk
    if args.python_client or not shutil.which("wrk"):
        if not args.python_client:
            print("wrk not found (apt-get install wrk): using the Python client")
        load = python_client
    rows = configurations(args.only)
    servers: dict[str, Server] = {}
    results: dict[tuple[str, str], list[Result]] = {}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        for label, command in rows.items():
            port = free_port()
            servers[label] = start(label, command(port), port, server_cores)
        for label, server in servers.items():
            for request_label, (method, path, body, status) in REQUESTS.items():
                got, answer = call(server.port, method, path, body)
                if got != status or answer.get("name") != "Tom":
                    raise RuntimeError(f"{label} {request_label}: {got} {answer}")
        for number in range(args.rounds):
            for request_label, (method, path, body, _) in REQUESTS.items():
                for label, server in servers.items():
                    pids = process_tree(server.process.pid)
                    cpu = cpu_seconds(pids)
                    result = load(
                        server.port,
                        method,
                        path,
                        body,
                        seconds=args.seconds,
                        connections=args.connections,
                        cores=client_cores,
                    )
                    used = cpu_seconds(pids) - cpu
                    seconds = result.requests_per_second * args.seconds
                    result = result._replace(cpu_us=used / seconds * 1e6)
                    results.setdefault((request_label, label), []).append(result)
            print(f"round {number + 1} of {args.rounds} done", flush=True)
    finally:
        for server in servers.values():
            stop(server)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(report(results, list(servers)))


def report(results: dict[tuple[str, str], list[Result]], labels: list[str]) -> str:
    """The table: per request, per row, the best and median requests/s,
    the median p99, the least CPU per request, and the ratios (of the
    medians, then of the bests) to FastAPI/uvicorn and to plain Flask under
    the same server."""
    lines = []
    for request_label in REQUESTS:
        runs = {label: results[request_label, label] for label in labels}
        best = {
            label: max(r.requests_per_second for r in runs[label]) for label in labels
        }
        median = {
            label: statistics.median(r.requests_per_second for r in runs[label])
            for label in labels
        }

        lines.append("")
        lines.append(
            f"{request_label:<4} {'app / server':<32} {'req/s best':>10}"
            f" {'median':>7} {'p99 ms':>7} {'CPU us':>7} {'vs FastAPI':>10}"
            f" {'vs plain':>10}"
        )
        for label in labels:
            app, server = label.split(" / ")
            plain = f"plain Flask / {server}" if app != "FastAPI" else ""
            p99 = statistics.median(r.p99_ms for r in runs[label])
            cpu = min(r.cpu_us for r in runs[label])
            lines.append(
                f"{'':<4} {label:<32} {best[label]:>10.0f} {median[label]:>7.0f}"
                f" {p99:>7.1f} {cpu:>7.0f} {ratio(median, best, label, FASTAPI):>10}"
                f" {ratio(median, best, label, plain):>10}"
            )
    lines.append("")
    lines.append(
        "Ratios: of the median requests/s over the rounds, then of the best;"
        " vs plain: plain Flask under the same server. p99: the median of the"
        " rounds' p99 latencies. CPU us: the server's CPU time per request,"
        " the least of the rounds."
    )
    return "\n".join(lines)


def ratio(
    median: dict[str, float], best: dict[str, float], label: str, base: str
) -> str:
    """``label``'s median and best requests/s as ratios to ``base``'s."""
    if base not in median:
        return "-"
    return f"{median[label] / median[base]:.2f}/{best[label] / best[base]:.2f}"


if __name__ == "__main__":
    main()
