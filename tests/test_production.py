"""The cats sample as it runs in production: secrets, server settings,
concurrent starts, database outages, and gunicorn under concurrent writers
with a worker killed, on SQLite. PostgreSQL: tests/test_production_postgres.py.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import pathlib
import signal
import socket
import sqlite3
import subprocess
import sys
import typing as t

import pytest
from flask import Flask

# The samples live in the checkout, not in the wheel tox installs.
ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.append(ROOT)

from servers import (  # noqa: E402
    Load,
    Process,
    gunicorn,
    nginx,
    request,
    waitress_server,
    worker_pids,
    write_load,
)

import samples.cats.__main__ as cats_main  # noqa: E402
from samples.cats import create_app, repository_of  # noqa: E402
from samples.cats.resources import RETRY_AFTER  # noqa: E402

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
GUNICORN_CONF = os.path.join(ROOT, "samples", "cats", "gunicorn.conf.py")


def sqlite_url(path: pathlib.Path) -> str:
    return f"sqlite:///{path}"


# -- secrets -------------------------------------------------------------------


def test_banner_hides_the_database_password(
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("psycopg", reason="the URL names the psycopg driver")
    url = "postgresql+psycopg://cats:s3cr3t-pw@127.0.0.1:1/cats"
    monkeypatch.setenv("DATABASE_URL", url)
    # No connection is made: the table is left to `init-db`.
    monkeypatch.setenv("CATS_CREATE_SCHEMA", "0")
    monkeypatch.setenv("CATS_API_TOKEN", TOKEN)
    served: dict[str, t.Any] = {}
    monkeypatch.setattr(cats_main.waitress, "serve", lambda app, **o: served.update(o))
    monkeypatch.setattr(cats_main.signal, "signal", lambda *args: None)
    monkeypatch.setattr(
        cats_main, "create_app", lambda: create_app(instance_path=str(tmp_path))
    )
    cats_main.main([])
    out = capsys.readouterr().out
    assert "s3cr3t-pw" not in out
    assert "postgresql+psycopg://cats:***@127.0.0.1:1/cats" in out
    # main serves with the production settings.
    assert 16 * 1024 < served["max_request_body_size"] <= 128 * 1024
    assert served["connection_limit"] > 200


def test_existing_token_file_is_made_private(tmp_path: pathlib.Path) -> None:
    app = Flask(__name__, instance_path=str(tmp_path))
    path = tmp_path / cats_main.TOKEN_FILE
    path.write_text("kept-token\n")
    path.chmod(0o644)
    assert cats_main.dev_token(app) == "kept-token"
    assert path.stat().st_mode & 0o777 == 0o600


# -- waitress settings ---------------------------------------------------------


@pytest.fixture
def cats_app(tmp_path: pathlib.Path) -> t.Iterator[Flask]:
    app = create_app(
        {"CATS_API_TOKEN": TOKEN, "DATABASE_URL": sqlite_url(tmp_path / "cats.db")},
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    repository_of(app).close()


@pytest.fixture
def waitress_port(cats_app: Flask) -> t.Iterator[int]:
    with waitress_server(cats_app, **cats_main.serve_options(cats_app)) as port:
        yield port


def test_idle_sockets_do_not_lock_clients_out(waitress_port: int) -> None:
    """200 connections that send nothing (idle keep-alives, or a slowloris
    attack) and a real client still gets its answer at once."""
    idle = [socket.create_connection(("127.0.0.1", waitress_port)) for _ in range(200)]
    try:
        reply = request(waitress_port, "GET", "/cats", timeout=10)
        assert reply.status == 200
    finally:
        for sock in idle:
            sock.close()


def test_waitress_refuses_a_big_body_before_reading_it(waitress_port: int) -> None:
    """A Content-Length of 1 GiB is answered 413 without waiting for the body
    (waitress's default limit buffers up to 1 GiB first)."""
    with socket.create_connection(("127.0.0.1", waitress_port), timeout=10) as sock:
        sock.sendall(
            b"POST /cats HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: 1073741824\r\n\r\n" + b"{" * 1000
        )
        head = sock.recv(1024)
    assert head.startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize("chunked", [True, False])
def test_body_just_over_the_limit_gets_the_apps_json_413(
    waitress_port: int, chunked: bool
) -> None:
    body = b'{"name": "Tom", "age": 3}' + b" " * 20_000
    sent = iter([body[:10_000], body[10_000:]]) if chunked else body
    reply = request(waitress_port, "POST", "/cats", sent, AUTH, timeout=10)
    assert reply.status == 413
    assert reply.body["message"]


# -- schema creation -----------------------------------------------------------


def _start_app(url: str, barrier: t.Any, rounds: int, results: t.Any) -> None:
    """In a child process: in each round, wait for the others, then create the
    app on that round's database; report the error, if any."""
    import tempfile

    for number in range(rounds):
        barrier.wait()
        try:
            app = create_app(
                {"DATABASE_URL": url.format(number)},
                instance_path=tempfile.mkdtemp(),
            )
            repository_of(app).close()
            results.put(None)
        except Exception:
            import traceback

            results.put(traceback.format_exc())


def start_at_once(url: str, *, processes: int = 6, rounds: int = 3) -> list[str]:
    """Create the app in ``processes`` processes at the same moment, on each
    of ``rounds`` empty databases (``url.format(round)``); the errors."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    children = [
        context.Process(target=_start_app, args=(url, barrier, rounds, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    errors = []
    for _ in range(processes * rounds):
        error = results.get(timeout=120)
        if error is not None:
            errors.append(error)
    for child in children:
        child.join(30)
    results.close()
    results.join_thread()
    return errors


@pytest.mark.servers
def test_processes_starting_at_once_on_an_empty_sqlite_database(
    tmp_path: pathlib.Path,
) -> None:
    url = sqlite_url(tmp_path) + "/cats-{}.db"
    assert start_at_once(url) == []
    for number in range(3):
        with sqlite3.connect(tmp_path / f"cats-{number}.db") as db:
            assert db.execute("SELECT count(*) FROM cats").fetchone() == (0,)
        db.close()


def test_init_db_command(tmp_path: pathlib.Path) -> None:
    """``flask --app samples.cats init-db``, for an app that does not create
    its table itself (``CATS_CREATE_SCHEMA=0``)."""
    database = tmp_path / "cats.db"
    env = {
        **os.environ,
        "DATABASE_URL": sqlite_url(database),
        "CATS_CREATE_SCHEMA": "0",
        "PYTHONPATH": ROOT,
    }
    command = [sys.executable, "-m", "flask", "--app", "samples.cats", "init-db"]

    def init_db() -> str:
        result = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert init_db() == f"Created the cats table in {sqlite_url(database)}\n"
    assert init_db() == f"Found the cats table in {sqlite_url(database)}\n"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM cats").fetchone() == (0,)
    db.close()


def test_no_schema_creation_when_told_not_to(tmp_path: pathlib.Path) -> None:
    app = create_app(
        {"DATABASE_URL": sqlite_url(tmp_path / "cats.db"), "CATS_CREATE_SCHEMA": False},
        instance_path=str(tmp_path),
    )
    repository_of(app).close()
    with sqlite3.connect(tmp_path / "cats.db") as db:
        tables = db.execute("SELECT name FROM sqlite_master").fetchall()
    db.close()
    assert tables == []


# -- a database that cannot answer ---------------------------------------------


def test_locked_database_is_503_with_retry_after_then_recovers(
    tmp_path: pathlib.Path,
) -> None:
    database = tmp_path / "cats.db"
    app = create_app(
        {
            "CATS_API_TOKEN": TOKEN,
            "DATABASE_URL": sqlite_url(database),
            "DATABASE_STATEMENT_TIMEOUT": 0.1,
        },
        instance_path=str(tmp_path),
    )
    client = app.test_client()
    try:
        # Another process holds the write lock (a long migration, a backup).
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        resp = client.post("/cats", json={"name": "Tom"}, headers=AUTH)
        assert resp.status_code == 503
        assert resp.headers["Retry-After"] == str(RETRY_AFTER)
        assert resp.json == {"message": "The database is unavailable; try again later."}
        holder.rollback()
        holder.close()
        resp = client.post("/cats", json={"name": "Tom"}, headers=AUTH)
        assert resp.status_code == 201
        assert client.get("/cats").headers["X-Total-Count"] == "1"
    finally:
        repository_of(app).close()


def test_write_refused_by_the_database_stays_500(tmp_path: pathlib.Path) -> None:
    """Only unavailability is a 503: a write the database refuses is not."""
    database = tmp_path / "cats.db"
    app = create_app(
        {"CATS_API_TOKEN": TOKEN, "DATABASE_URL": sqlite_url(database)},
        instance_path=str(tmp_path),
    )
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON cats"
            " BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    db.close()
    try:
        resp = app.test_client().post("/cats", json={"name": "Tom"}, headers=AUTH)
        assert resp.status_code == 500
        assert "Retry-After" not in resp.headers
    finally:
        repository_of(app).close()


# -- gunicorn, four workers, sixteen writers -----------------------------------


def check_load(load: Load, rows: dict[str, list[int]], killed: bool) -> None:
    """Every acknowledged write is in the table once, under the id its answer
    gave; every request got a 201 or no answer at all (none without a kill);
    and no write is in the table twice."""
    for name, cat_id in load.created.items():
        assert rows.get(name) == [cat_id], name
    assert not load.statuses, load.statuses
    if not killed:
        assert load.failures == 0
    assert len(load.created) + load.failures == load.requests
    # A killed worker may have committed a write it could not acknowledge,
    # but only one of those whose request failed.
    written = [name for name in rows if name.startswith(load.prefix)]
    assert len(load.created) <= len(written) <= len(load.created) + load.failures
    assert all(len(ids) == 1 for ids in rows.values())


def kill_a_worker(server: Process) -> t.Callable[[], None]:
    def kill() -> None:
        victim = worker_pids(server.process.pid)[0]
        os.kill(victim, signal.SIGKILL)

    return kill


def sqlite_rows(database: pathlib.Path) -> dict[str, list[int]]:
    with sqlite3.connect(database) as db:
        found = db.execute("SELECT name, id FROM cats ORDER BY id").fetchall()
    db.close()
    rows: dict[str, list[int]] = {}
    for name, cat_id in found:
        rows.setdefault(name, []).append(cat_id)
    return rows


def run_loads(
    server: Process, read_rows: t.Callable[[], dict[str, list[int]]], label: str
) -> None:
    """A clean run, then a run with a worker killed at a third, on ``server``."""
    clean = write_load([server.port], TOKEN, prefix="a")
    rows = read_rows()
    print(clean.summary(label, rows))
    if clean.failures:
        # The server's own account of what went wrong, for the report.
        print(server.output())
    check_load(clean, rows, killed=False)
    assert len(rows) == clean.requests

    killed = write_load([server.port], TOKEN, prefix="b", halfway=kill_a_worker(server))
    rows = read_rows()
    print(killed.summary(f"{label}, a worker SIGKILLed", rows))
    check_load(killed, rows, killed=True)
    # The master replaced the worker; the server still answers.
    assert request(server.port, "GET", "/cats?per_page=1").status == 200


@pytest.mark.servers
def test_gunicorn_on_sqlite_loses_no_write(tmp_path: pathlib.Path) -> None:
    """16 clients x 50 writes to gunicorn with 4 workers started at once on
    an empty SQLite database, then again with a worker killed mid-load."""
    database = tmp_path / "cats.db"
    env = {"DATABASE_URL": sqlite_url(database), "CATS_API_TOKEN": TOKEN}
    with gunicorn(
        "samples.cats:create_app()",
        *("-c", GUNICORN_CONF, "--workers", "4"),
        env=env,
        cwd=ROOT,
    ) as server:
        run_loads(server, lambda: sqlite_rows(database), "gunicorn -w 4, SQLite")


# -- nginx in front of gunicorn ------------------------------------------------


@pytest.mark.servers
def test_nginx_keeps_slow_clients_away_from_gunicorn(tmp_path: pathlib.Path) -> None:
    """200 slowloris sockets (a request head sent in part, then nothing)
    held open against the sample's nginx in front of gunicorn with the
    production config and 2 workers: new clients are served, as nginx
    passes gunicorn only whole requests."""
    env = {
        "DATABASE_URL": sqlite_url(tmp_path / "cats.sqlite3"),
        "CATS_API_TOKEN": TOKEN,
    }
    with (
        gunicorn(
            "samples.cats:create_app()",
            *("-c", GUNICORN_CONF, "--workers", "2"),
            env=env,
            cwd=ROOT,
        ) as server,
        nginx(server.port) as proxy,
    ):
        slow = []
        try:
            for _ in range(200):
                sock = socket.create_connection(("127.0.0.1", proxy.port))
                sock.sendall(b"POST /cats HTTP/1.1\r\nHost: cats\r\nContent-Le")
                slow.append(sock)
            statuses = [
                request(proxy.port, "GET", path, timeout=10).status
                for path in ["/health/live", "/health/ready", "/cats"] * 4
            ]
            assert statuses == [200] * 12
            reply = request(proxy.port, "POST", "/cats", b'{"name": "Tom"}', AUTH)
            assert reply.status == 201
            # A body over the limit is refused by nginx, never read by gunicorn.
            conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
            try:
                conn.request("POST", "/cats", body=b"x" * 20_000, headers=AUTH)
                assert conn.getresponse().status == 413
            finally:
                conn.close()
        finally:
            for sock in slow:
                sock.close()
