"""Requests per second through gunicorn: plain Flask, ours and Flask-RESTful.

Run with ``python benchmarks/bench_server.py`` (needs gunicorn;
Flask-RESTful is optional: ``pip install gunicorn flask-restful``). Each
app runs under gunicorn with sync workers (one per core) on a free port of
127.0.0.1, and answers the same three requests: ``GET /items/1`` (a small
dict), ``GET /books`` (100 objects marshalled with a nested author, a list
and a fixed-point price) and ``POST /cats`` (a JSON body read by a
5-argument parser). A client in this process keeps a bounded number of
requests in flight over raw sockets; the apps take turns in short bursts and
each keeps its best burst.

It prints, as ratios to plain Flask, requests per second (higher is faster)
and the CPU time the gunicorn workers spend per request (lower is cheaper;
less sensitive to the client than requests per second), and the share of
that CPU time the app itself takes (timed in-process on the WSGI callable);
the rest is gunicorn, HTTP and the socket. On a 2-core machine the client
shares the cores with the server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import typing as t

from flask import Flask, request

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(BENCHMARKS))
sys.path.insert(0, BENCHMARKS)

from bench_marshal import BOOK_FIELDS, Book, by_hand, flask_restful_fields  # noqa: E402
from bench_reqparse import BODY, add_arguments  # noqa: E402
from harness import compare, options, wsgi_caller  # noqa: E402

import flask_resources  # noqa: E402
from flask_resources import abort, marshal_with, reqparse  # noqa: E402

ITEM = {"id": 1, "name": "Tom", "age": 3, "tags": ["grey", "indoor"]}
BOOKS = [Book(n) for n in range(100)]

#: Path, method and JSON body of each request; and what its answer holds.
REQUESTS = {
    "GET small dict": ("/items/1", "GET", None, b'"Tom"'),
    "GET 100 marshalled": ("/books", "GET", None, b'"Author 49"'),
    "POST 5-argument parser": ("/cats", "POST", BODY, b'"Tom"'),
}


def make_app(kind: str) -> Flask:
    """The app ``kind`` (``plain``, ``resources`` or ``restful``); gunicorn
    loads it as ``bench_server:make_app('plain')``."""
    app = Flask(kind)
    if kind == "plain":

        @app.get("/items/<int:item_id>")
        def item(item_id: int) -> dict[str, t.Any]:
            return ITEM

        @app.get("/books")
        def books() -> list[dict[str, t.Any]]:
            return by_hand(BOOKS)

        @app.post("/cats")
        def create() -> tuple[dict[str, t.Any], int]:
            data = request.get_json(silent=True)
            if not isinstance(data, dict) or data.get("name") is None:
                abort(400)
            return {key: data.get(key) for key in BODY}, 201

        return app
    if kind == "resources":
        api: t.Any = flask_resources.Api(app)
        resource, parser, fields_ = (
            flask_resources.Resource,
            reqparse.RequestParser(),
            BOOK_FIELDS,
        )
        marshal = marshal_with
    else:
        import flask_restful
        from flask_restful import reqparse as fr_reqparse

        api = flask_restful.Api(app)
        resource, parser = flask_restful.Resource, fr_reqparse.RequestParser()
        fields_ = flask_restful_fields()
        marshal = flask_restful.marshal_with
    add_arguments(parser)

    class Item(resource):  # type: ignore[misc, valid-type]
        def get(self, item_id: int) -> dict[str, t.Any]:
            return ITEM

    class Books(resource):  # type: ignore[misc, valid-type]
        @marshal(fields_)
        def get(self) -> list[Book]:
            return BOOKS

    class Cats(resource):  # type: ignore[misc, valid-type]
        def post(self) -> tuple[t.Any, int]:
            return parser.parse_args(), 201

    api.add_resource(Item, "/items/<int:item_id>")
    api.add_resource(Books, "/books")
    api.add_resource(Cats, "/cats")
    return app


def raw_request(path: str, method: str, body: t.Any) -> bytes:
    import json

    data = b"" if body is None else json.dumps(body).encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    return head.encode() + b"\r\n" + data


def send(port: int, message: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(message)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def burst(port: int, message: bytes, *, seconds: float, concurrency: int) -> int:
    """Send ``message`` from ``concurrency`` threads for ``seconds``; return
    how many answers came back with a 2xx status."""
    done = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < deadline:
            answer = send(port, message)
            if answer[9:10] != b"2":
                raise AssertionError(answer[:200])
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done)


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(kind: str, worker_count: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            BENCHMARKS,
            "-k",
            "sync",
            "-w",
            str(worker_count),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            f"bench_server:make_app({kind!r})",
        ],
        env={**os.environ, "PYTHONPATH": os.path.dirname(BENCHMARKS)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(400):
        if server.poll() is not None:
            break
        try:
            send(port, raw_request("/items/1", "GET", None))
            return server, port
        except OSError:
            time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"gunicorn for {kind} did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def main() -> None:
    args = options(__doc__.split("\n")[0], number=1, repeats=5)
    kinds = {"plain Flask": "plain", "flask_resources": "resources"}
    try:
        import flask_restful  # noqa: F401

        kinds["Flask-RESTful"] = "restful"
    except ImportError:
        print("skipping Flask-RESTful: not installed")
    cores = os.cpu_count() or 1
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    # Stop the servers on SIGTERM too, not only on an exception.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        for name, kind in kinds.items():
            servers[name] = start(kind, cores)
        for label, (path, method, body, expect) in REQUESTS.items():
            message = raw_request(path, method, body)
            best = {name: 0.0 for name in servers}
            cpu_per_request = {name: float("inf") for name in servers}
            for name, (_, port) in servers.items():
                answer = send(port, message)
                if expect not in answer:
                    raise AssertionError(f"{name} answered {answer[:300]!r}")
            for _ in range(args.repeats):
                for name, (server, port) in servers.items():
                    pids = workers(server.pid)
                    cpu = cpu_seconds(pids)
                    start_time = time.perf_counter()
                    count = burst(port, message, seconds=1.0, concurrency=2 * cores)
                    elapsed = time.perf_counter() - start_time
                    best[name] = max(best[name], count / elapsed)
                    used = (cpu_seconds(pids) - cpu) / count
                    cpu_per_request[name] = min(cpu_per_request[name], used)
            # The app alone, on its WSGI callable, in this process.
            app_time = compare(
                {
                    name: wsgi_caller(
                        make_app(kinds[name]),
                        method=method,
                        path=path,
                        **({"json": body} if body is not None else {}),
                    )
                    for name in servers
                },
                number=200,
                repeats=20,
            )
            print(f"{label} ({method} {path}) through gunicorn sync workers")
            base = best["plain Flask"]
            base_cpu = cpu_per_request["plain Flask"]
            for name in servers:
                share = app_time[name] / 1e6 / cpu_per_request[name]
                print(
                    f"  {name:<16} {best[name] / base:6.3f}x requests/s"
                    f"  {cpu_per_request[name] / base_cpu:6.3f}x worker CPU/request"
                    f"  app share of worker CPU {share:4.0%}"
                )
        print(
            "(ratios to plain Flask: requests/s, higher is faster, best burst;"
            " worker CPU per request, lower is cheaper, best burst)"
        )
    finally:
        for server, _ in servers.values():
            stop(server)


if __name__ == "__main__":
    main()
