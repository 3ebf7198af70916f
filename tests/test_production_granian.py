"""The cats sample under granian, as ``python -m samples.cats.granian_server``
runs it: CRUD over HTTP, bodies over the limit, idle and slow sockets, a
killed worker, graceful shutdown, and the launcher's command line."""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import socket
import sqlite3
import typing as t

import pytest
from servers import Process, granian, nginx, request, worker_pids
from test_production import (
    AUTH,
    ROOT,
    TOKEN,
    run_loads,
    sqlite_rows,
    sqlite_url,
)

from samples.cats import granian_server

pytest.importorskip("granian", reason="granian is in the test extra")

LAUNCHER = ("-m", "samples.cats.granian_server")


@contextlib.contextmanager
def cats(
    database: pathlib.Path, *options: str, workers: int = 2
) -> t.Iterator[Process]:
    """The cats sample under the launcher, ``workers`` workers, on
    ``database``."""
    env = {
        "DATABASE_URL": sqlite_url(database),
        "CATS_API_TOKEN": TOKEN,
        "PYTHONPATH": ROOT,
    }
    with granian(
        *LAUNCHER, "--workers", str(workers), *options, env=env, cwd=ROOT
    ) as server:
        yield server


def rows(database: pathlib.Path) -> list[tuple[t.Any, ...]]:
    with sqlite3.connect(database) as db:
        found = db.execute("SELECT id, name FROM cats ORDER BY id").fetchall()
    db.close()
    return found


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("granian") / "cats.db"


@pytest.fixture(scope="module")
def server(database: pathlib.Path) -> t.Iterator[Process]:
    with cats(database) as running:
        yield running


@pytest.fixture
def empty(database: pathlib.Path, server: Process) -> pathlib.Path:
    """The module's database, emptied."""
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM cats")
    db.close()
    return database


def read_answer(sock: socket.socket) -> bytes:
    """One whole answer with a Content-Length, head and body, off ``sock``."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            return answer
        answer += chunk
    head, _, rest = answer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def body(value: t.Any) -> bytes:
    return json.dumps(value).encode()


def test_crud_over_http(server: Process, empty: pathlib.Path) -> None:
    port = server.port
    created = request(port, "POST", "/cats", body({"name": "Tom", "age": 3}), AUTH)
    assert created.status == 201
    cat_id = created.body["id"]
    assert created.headers["Location"].endswith(f"/cats/{cat_id}")
    assert request(port, "GET", f"/cats/{cat_id}").body["name"] == "Tom"
    listed = request(port, "GET", "/cats")
    assert (listed.status, listed.headers["X-Total-Count"]) == (200, "1")
    put = request(port, "PUT", f"/cats/{cat_id}", body({"name": "Tim", "age": 4}), AUTH)
    assert (put.status, put.body["name"], put.body["age"]) == (200, "Tim", 4)
    patch = request(port, "PATCH", f"/cats/{cat_id}", body({"age": 5}), AUTH)
    assert (patch.status, patch.body["age"]) == (200, 5)
    assert request(port, "DELETE", f"/cats/{cat_id}", None, AUTH).status == 204
    gone = request(port, "GET", f"/cats/{cat_id}")
    assert gone.status == 404
    assert gone.body["message"]
    assert rows(empty) == []


def test_bad_requests_are_4xx_in_json(server: Process, empty: pathlib.Path) -> None:
    port = server.port
    unauthorised = request(port, "POST", "/cats", body({"name": "Tom"}))
    assert unauthorised.status == 401
    malformed = request(port, "POST", "/cats", b'{"name": ', AUTH)
    assert malformed.status == 400
    assert malformed.body["message"]
    invalid = request(port, "POST", "/cats", body({"age": "old"}), AUTH)
    assert invalid.status in (400, 422)
    assert rows(empty) == []


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"X-Big: " + b"a" * 100_000 + b"\r\n", b"431"),
        (b"".join(b"X-%d: a\r\n" % n for n in range(200)), b"431"),
        (b"Bad header line\r\n", b"400"),
    ],
    ids=["100 KB header", "200 headers", "malformed"],
)
def test_bad_request_heads_are_refused_by_granian(
    server: Process, head: bytes, status: bytes
) -> None:
    """Heads the app should never see are answered by granian itself."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /cats HTTP/1.1\r\nHost: localhost\r\n" + head + b"\r\n")
        answer = sock.recv(1024)
    assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:200]
    assert request(server.port, "GET", "/cats?per_page=1").status == 200


def test_a_huge_content_length_is_413_at_once(
    server: Process, empty: pathlib.Path
) -> None:
    """granian hands the body on as it comes: a 1 GiB Content-Length is
    answered 413 by the app without waiting for the body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /cats HTTP/1.1\r\nHost: localhost\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: 1073741824\r\n\r\n" + b'{"name": "Tom"' + b" " * 1000
        )
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"message"' in answer
    assert rows(empty) == []


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "length"])
def test_body_over_the_limit_is_413_with_nothing_written(
    server: Process, empty: pathlib.Path, chunked: bool
) -> None:
    data = b'{"name": "Tom", "age": 3}' + b" " * 20_000
    sent = iter([data[:10_000], data[10_000:]]) if chunked else data
    reply = request(server.port, "POST", "/cats", sent, AUTH, timeout=10)
    assert reply.status == 413
    assert reply.body["message"]
    assert rows(empty) == []


def test_idle_and_slow_headed_sockets_do_not_lock_clients_out(
    server: Process,
) -> None:
    """200 connections that send nothing, or half a request head (a slowloris
    attack), are held by granian's I/O threads, not by the app's: a real
    client still gets its answer at once."""
    idle = []
    try:
        for number in range(200):
            sock = socket.create_connection(("127.0.0.1", server.port))
            idle.append(sock)
            if number % 2:
                sock.sendall(b"GET /cats HTTP/1.1\r\nHost: localhost\r\n")
        reply = request(server.port, "GET", "/cats", timeout=10)
        assert reply.status == 200
    finally:
        for sock in idle:
            sock.close()


def start_post(port: int, name: str) -> tuple[socket.socket, bytes]:
    """Send the head and the first byte of a POST; the rest is returned."""
    data = body({"name": name, "age": 1})
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(
        b"POST /cats HTTP/1.1\r\nHost: localhost\r\n"
        b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data[:1]
    )
    return sock, data[1:]


@pytest.mark.servers
def test_graceful_shutdown_finishes_requests_under_way(
    tmp_path: pathlib.Path,
) -> None:
    """SIGTERM while two requests are in the middle of their bodies: both are
    answered and written, then granian exits cleanly."""
    database = tmp_path / "cats.db"
    with cats(database, workers=1) as server:
        under_way = [start_post(server.port, f"late-{n}") for n in range(2)]
        # One worker accepts in turn: once a later request is answered, both
        # connections are the worker's, their requests in the app's threads.
        assert request(server.port, "GET", "/cats?per_page=1").status == 200
        server.process.send_signal(signal.SIGTERM)
        answers = []
        for sock, rest in under_way:
            with sock:
                sock.sendall(rest)
                answers.append(read_answer(sock))
        assert all(a.startswith(b"HTTP/1.1 201 ") for a in answers), answers
        assert all(b'"late-' in a for a in answers), answers
        assert server.process.wait(30) == 0, server.output()
    assert sorted(name for _, name in rows(database)) == ["late-0", "late-1"]


@pytest.mark.servers
def test_granian_on_sqlite_loses_no_write(tmp_path: pathlib.Path) -> None:
    """16 clients x 50 writes to granian with 4 workers started at once on an
    empty SQLite database, then again with a worker killed mid-load: it is
    replaced, and the others serve meanwhile."""
    database = tmp_path / "cats.db"
    with cats(database, "--respawn-interval", "0.1", workers=4) as server:
        before = set(worker_pids(server.process.pid))
        run_loads(server, lambda: sqlite_rows(database), "granian -w 4, SQLite")
        after = set(worker_pids(server.process.pid))
    assert len(after) == 4
    assert len(before - after) == 1


# -- the launcher's command line -------------------------------------------------


def test_launcher_settings_win_over_granian_defaults() -> None:
    args = granian_server.command_line((), {"WEB_CONCURRENCY": "3"})
    assert args[-2:] == ["--factory", "samples.cats:create_app"]
    assert args[args.index("--interface") + 1] == "wsgi"
    assert args[args.index("--workers") + 1] == "3"
    assert args[args.index("--blocking-threads") + 1] == "4"
    assert "--respawn-failed-workers" in args


def test_command_line_and_environment_win_over_launcher_settings() -> None:
    environ = {"GRANIAN_BLOCKING_THREADS": "2", "GRANIAN_LOG_ACCESS_ENABLED": "0"}
    args = granian_server.command_line(["--workers", "5"], environ)
    assert "--blocking-threads" not in args
    assert "--access-log" not in args
    # granian takes the last of an option given twice.
    assert args[len(args) - 1 - args[::-1].index("--workers") + 1] == "5"


def test_launcher_names_the_extra_without_granian(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "granian.cli", None)
    with pytest.raises(SystemExit, match=r"flask-resources\[granian\]"):
        granian_server.main([])


def test_workers_default_to_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert granian_server.settings({})["--workers"] == "6"


@pytest.mark.servers
def test_nginx_keeps_slow_bodies_away_from_granian(tmp_path: pathlib.Path) -> None:
    """200 sockets that send a whole head and one byte of the body, against
    the sample's nginx in front of granian with 2 workers: new clients are
    served. granian alone hands such a request to an app thread at once,
    where it waits for the rest of the body."""
    with cats(tmp_path / "cats.db") as server, nginx(server.port) as proxy:
        slow = []
        try:
            for number in range(200):
                sock, _ = start_post(proxy.port, f"slow-{number}")
                slow.append(sock)
            statuses = [
                request(proxy.port, "GET", "/cats?per_page=1", timeout=10).status
                for _ in range(4)
            ]
            assert statuses == [200] * 4
            reply = request(proxy.port, "POST", "/cats", body({"name": "Tom"}), AUTH)
            assert reply.status == 201
        finally:
            for sock in slow:
                sock.close()
    assert [name for _, name in rows(tmp_path / "cats.db")] == ["Tom"]
