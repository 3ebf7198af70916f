"""The cats sample in production on PostgreSQL: timeouts, outages, workers
starting at once, gunicorn under concurrent writers with a worker killed,
and two hosts on one database with one of them killed.

The server is the throwaway cluster of tests/test_samples_postgres.py; the
tests skip where PostgreSQL or psycopg is missing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import typing as t

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is in the test extra")

import test_samples_postgres  # noqa: E402
from flask import Flask  # noqa: E402
from servers import (  # noqa: E402
    Process,
    free_port,
    granian,
    gunicorn,
    request,
    retrying_write_load,
    worker_pids,
    write_load,
)
from test_production import (  # noqa: E402
    AUTH,
    GUNICORN_CONF,
    ROOT,
    TOKEN,
    check_load,
    run_loads,
    start_at_once,
)

from samples.cats import create_app, repository_of  # noqa: E402
from samples.cats.resources import RETRY_AFTER  # noqa: E402

PostgresServer = test_samples_postgres.PostgresServer
# The fixtures giving a throwaway server (one per module) and a new database.
postgres = test_samples_postgres.postgres
database_url = test_samples_postgres.database_url

TOM = {"name": "Tom"}
UNAVAILABLE = {"message": "The database is unavailable; try again later."}


def plain_url(url: str) -> str:
    """The SQLAlchemy URL as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def rows_of(url: str) -> dict[str, list[int]]:
    with psycopg.connect(plain_url(url)) as db:
        found = db.execute("SELECT name, id FROM cats ORDER BY id").fetchall()
    rows: dict[str, list[int]] = {}
    for name, cat_id in found:
        rows.setdefault(name, []).append(cat_id)
    return rows


def within(seconds: float, func: t.Callable[[], t.Any]) -> t.Any:
    """Call ``func`` in a thread; fail if it has not returned in ``seconds``
    (a request the app lets hang on a frozen database)."""
    result: list[t.Any] = []
    thread = threading.Thread(target=lambda: result.append(func()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"no answer in {seconds} s"
    return result[0]


@pytest.fixture
def production_app(database_url: str, tmp_path: t.Any) -> t.Iterator[Flask]:
    app = create_app(
        {
            "CATS_API_TOKEN": TOKEN,
            "DATABASE_URL": database_url,
            "DATABASE_STATEMENT_TIMEOUT": 0.5,
        },
        instance_path=str(tmp_path),
    )
    yield app
    repository_of(app).close()


@pytest.mark.servers
def test_processes_starting_at_once_on_an_empty_postgresql_database(
    postgres: PostgresServer,
) -> None:
    with postgres.connect() as db:
        for number in range(3):
            db.execute(f"CREATE DATABASE race_{number}")
    assert start_at_once(postgres.url("race_{}")) == []
    for number in range(3):
        assert rows_of(postgres.url(f"race_{number}")) == {}


def test_frozen_statement_is_503_after_statement_timeout(
    production_app: Flask, database_url: str
) -> None:
    """A table locked by someone else (a migration, a stuck transaction):
    the request gives up after DATABASE_STATEMENT_TIMEOUT instead of hanging
    until gunicorn kills the worker."""
    client = production_app.test_client()
    with psycopg.connect(plain_url(database_url)) as locker:
        locker.execute("LOCK TABLE cats IN ACCESS EXCLUSIVE MODE")
        resp = within(20, lambda: client.get("/cats"))
        assert (resp.status_code, resp.json) == (503, UNAVAILABLE)
        assert resp.headers["Retry-After"] == str(RETRY_AFTER)
        resp = within(20, lambda: client.post("/cats", json=TOM, headers=AUTH))
        assert resp.status_code == 503
        locker.rollback()
    assert client.get("/cats").headers["X-Total-Count"] == "0"
    assert client.post("/cats", json={"name": "Tom"}, headers=AUTH).status_code == 201


def test_unresponsive_server_is_503_after_connect_timeout(tmp_path: t.Any) -> None:
    """A server that accepts the TCP connection and then says nothing (a
    frozen host): connecting gives up after DATABASE_CONNECT_TIMEOUT."""
    with socket.socket() as frozen:
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)
        port = frozen.getsockname()[1]
        app = create_app(
            {
                "DATABASE_URL": f"postgresql+psycopg://cats@127.0.0.1:{port}/cats",
                "CATS_CREATE_SCHEMA": False,
                "DATABASE_CONNECT_TIMEOUT": 2,
            },
            instance_path=str(tmp_path),
        )
        try:
            resp = within(30, lambda: app.test_client().get("/cats/1"))
        finally:
            repository_of(app).close()
    assert (resp.status_code, resp.json) == (503, UNAVAILABLE)
    assert resp.headers["Retry-After"] == str(RETRY_AFTER)


def test_lost_database_is_503_then_recovers(
    production_app: Flask, postgres: PostgresServer, database_url: str
) -> None:
    client = production_app.test_client()
    assert client.post("/cats", json={"name": "Tom"}, headers=AUTH).status_code == 201
    name = database_url.rsplit("/", 1)[1]
    with postgres.connect() as admin:
        # The database goes away under the app: its connections are cut and
        # new ones refused.
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
        for method, path, body in [
            ("GET", "/cats", None),
            ("GET", "/cats/1", None),
            ("POST", "/cats", {"name": "Jerry"}),
            ("PATCH", "/cats/1", {"age": 3}),
            ("DELETE", "/cats/1", None),
        ]:
            resp = client.open(path, method=method, json=body, headers=AUTH)
            assert (resp.status_code, resp.json) == (503, UNAVAILABLE), path
            assert resp.headers["Retry-After"] == str(RETRY_AFTER)
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    # Back: the pool reconnects, nothing was written meanwhile.
    assert client.get("/cats/1").json["name"] == "Tom"
    assert client.patch("/cats/1", json={"age": 3}, headers=AUTH).status_code == 200
    assert rows_of(database_url) == {"Tom": [1]}


@pytest.mark.servers
def test_gunicorn_on_postgresql_loses_no_write(database_url: str) -> None:
    """16 clients x 50 writes to gunicorn with 4 workers started at once on
    an empty database, then again with a worker killed mid-load."""
    env = {"DATABASE_URL": database_url, "CATS_API_TOKEN": TOKEN}
    with gunicorn(
        "samples.cats:create_app()",
        *("-c", GUNICORN_CONF, "--workers", "4"),
        env=env,
        cwd=ROOT,
    ) as server:
        run_loads(server, lambda: rows_of(database_url), "gunicorn -w 4, PostgreSQL")


@contextlib.contextmanager
def two_hosts(database_url: str) -> t.Iterator[tuple[Process, Process]]:
    """Two gunicorn instances of the sample, 2 workers each, on their own
    loopback ports ("hosts") sharing one database."""
    env = {"DATABASE_URL": database_url, "CATS_API_TOKEN": TOKEN}
    options = ("-c", GUNICORN_CONF, "--workers", "2")
    app = "samples.cats:create_app()"
    with (
        gunicorn(app, *options, env=env, cwd=ROOT) as first,
        gunicorn(app, *options, env=env, cwd=ROOT) as second,
    ):
        yield first, second


@pytest.mark.servers
def test_two_hosts_on_one_database_one_killed(database_url: str) -> None:
    """Two gunicorn instances ("hosts" on two loopback ports) share one
    database; writers spread over both; one instance is killed outright at a
    third of the load. Every acknowledged write is in the database exactly
    once, and the survivor answered every request sent to it."""
    with two_hosts(database_url) as (first, second):

        def kill_first_host() -> None:
            # The whole instance, master and workers, as a host that dies.
            os.killpg(first.process.pid, signal.SIGKILL)

        load = write_load(
            [first.port, second.port], TOKEN, prefix="h", halfway=kill_first_host
        )
        rows = rows_of(database_url)
        print(load.summary("two hosts, gunicorn -w 2 each, one SIGKILLed", rows))
        check_load(load, rows, killed=True)
        assert load.failed[second.port] == 0
        assert load.failed[first.port] > 0
        reply = request(second.port, "GET", "/cats?per_page=1")
        assert reply.status == 200
        assert reply.headers["X-Total-Count"] == str(len(rows))


# -- outages: start while down, one log line, readiness, a frozen server -------


def outage_app(url: str, tmp_path: t.Any, **config: t.Any) -> Flask:
    return create_app(
        {
            "CATS_API_TOKEN": TOKEN,
            "DATABASE_URL": url,
            "DATABASE_CONNECT_TIMEOUT": 2,
            "DATABASE_STATEMENT_TIMEOUT": 2,
            **config,
        },
        instance_path=str(tmp_path),
    )


def unavailable_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "database is unavailable" in r.getMessage()]


def test_app_starts_without_the_database(
    tmp_path: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing listens where the database should be: the app starts, logs
    one line, answers 503 in the API's format, and logs one line (no
    traceback) for many failed requests."""
    url = f"postgresql+psycopg://cats@127.0.0.1:{free_port()}/cats"
    app = outage_app(url, tmp_path)
    try:
        [start] = unavailable_lines(caplog)
        assert start.levelname == "WARNING" and start.exc_info is None
        assert "Connection refused" in start.getMessage()
        caplog.clear()
        client = app.test_client()
        assert client.get("/health/live").status_code == 200
        for path in ["/cats", "/cats/1", "/health/ready"] * 20:
            resp = client.get(path)
            assert (resp.status_code, resp.json) == (503, UNAVAILABLE), path
            assert resp.headers["Retry-After"] == str(RETRY_AFTER)
        resp = client.post("/cats", json=TOM, headers=AUTH)
        assert resp.status_code == 503
        # 61 failures in well under the log interval: one line.
        [line] = unavailable_lines(caplog)
        assert line.exc_info is None and line.levelname == "WARNING"
        assert "GET /cats" in line.getMessage()
        assert not [r for r in caplog.records if r.exc_info]
    finally:
        repository_of(app).close()


def test_app_started_while_down_serves_once_it_is_back(
    postgres: PostgresServer, tmp_path: t.Any
) -> None:
    """Started while the database refuses connections, before its table
    exists: 503 (ready too) until it is back, then the table is created on
    the first request and everything works."""
    name = "boot_while_down"
    with postgres.connect() as admin:
        admin.execute(f"CREATE DATABASE {name} ALLOW_CONNECTIONS false")
        app = outage_app(postgres.url(name), tmp_path)
        try:
            client = app.test_client()
            assert client.get("/health/ready").status_code == 503
            assert client.post("/cats", json=TOM, headers=AUTH).status_code == 503
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
            assert client.get("/health/ready").status_code == 200
            assert client.post("/cats", json=TOM, headers=AUTH).status_code == 201
            assert client.get("/cats").json == [
                {"id": 1, "name": "Tom", "age": None, "born": None}
            ]
        finally:
            repository_of(app).close()


def test_app_starts_on_an_unresponsive_server(tmp_path: t.Any) -> None:
    """A server that accepts and never answers: start-up gives up after the
    connect timeout instead of hanging the worker's boot."""
    with socket.socket() as frozen:
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)
        port = frozen.getsockname()[1]
        url = f"postgresql+psycopg://cats@127.0.0.1:{port}/cats"
        app = within(30, lambda: outage_app(url, tmp_path))
        try:
            resp = within(30, lambda: app.test_client().get("/health/ready"))
        finally:
            repository_of(app).close()
    assert resp.status_code == 503


def test_frozen_server_is_503_within_the_bound(
    production_app: Flask, postgres: PostgresServer
) -> None:
    """SIGSTOP on the whole server, as a hung host: the kernel still accepts
    and acknowledges, so neither the server's statement_timeout nor TCP
    keepalives fire. Requests on pooled connections (the watchdog cuts
    them) and on new ones (connect_timeout) answer 503 within the bound;
    once the server thaws, the next request succeeds."""
    production_app.config["DATABASE_STATEMENT_TIMEOUT"] = 0.5
    client = production_app.test_client()
    assert client.post("/cats", json=TOM, headers=AUTH).status_code == 201
    postgres.signal(signal.SIGSTOP)
    try:
        for _ in range(3):
            resp = within(20, lambda: client.get("/cats/1"))
            assert (resp.status_code, resp.json) == (503, UNAVAILABLE)
            resp = within(20, lambda: client.post("/cats", json=TOM, headers=AUTH))
            assert resp.status_code == 503
    finally:
        postgres.signal(signal.SIGCONT)
    assert client.get("/cats/1").json["name"] == "Tom"


# -- outages under gunicorn with the production config --------------------------

#: The app's bounds in these tests: 2 s to connect, 2 s per statement (the
#: watchdog cuts at 3 s); a request is answered well within REQUEST_BOUND.
OUTAGE_ENV = {
    "CATS_API_TOKEN": TOKEN,
    "DATABASE_CONNECT_TIMEOUT": "2",
    "DATABASE_STATEMENT_TIMEOUT": "2",
}
REQUEST_BOUND = 15
# Workers recycled every few requests, so some are replaced mid-outage.
RECYCLING = ("--workers", "2", "--max-requests", "10", "--max-requests-jitter", "0")


def answers(port: int, count: int, path: str = "/cats/1") -> dict[int, int]:
    """Send ``count`` requests from 4 threads (fewer than the server's 8, so
    none waits for a free thread), each given REQUEST_BOUND seconds; the
    statuses they got (a request that took longer fails)."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def one(_: int) -> None:
        reply = request(port, "GET", path, timeout=REQUEST_BOUND)
        if reply.status == 503:
            assert reply.body == UNAVAILABLE
            assert reply.headers["Retry-After"] == str(RETRY_AFTER)
        with lock:
            statuses[reply.status] = statuses.get(reply.status, 0) + 1

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(count)))
    return statuses


def ready_after(port: int) -> float:
    """Seconds until /health/ready answers 200 (polled; at most 60 s)."""
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if request(port, "GET", "/health/ready", timeout=REQUEST_BOUND).status == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail("not ready 60 s after the database came back")


@pytest.mark.servers
def test_gunicorn_survives_an_outage_and_a_freeze(
    postgres: PostgresServer, database_url: str
) -> None:
    env = {**OUTAGE_ENV, "DATABASE_URL": database_url}
    app = "samples.cats:create_app()"
    with gunicorn(app, "-c", GUNICORN_CONF, *RECYCLING, env=env, cwd=ROOT) as server:
        port = server.port
        assert request(port, "POST", "/cats", b'{"name": "Tom"}', {
            **AUTH, "Content-Type": "application/json"
        }).status == 201  # fmt: skip
        # Down: PostgreSQL stopped, connections cut and refused. More
        # requests than max_requests, so workers are recycled meanwhile.
        postgres.stop()
        try:
            assert answers(port, 60) == {503: 60}
            assert answers(port, 10, "/health/ready") == {503: 10}
            assert answers(port, 10, "/health/live") == {200: 10}
        finally:
            postgres.start()
        assert server.process.poll() is None, server.output()
        print(f"outage: ready {ready_after(port):.2f} s after PostgreSQL restarted")
        assert answers(port, 20) == {200: 20}

        # Frozen: SIGSTOP, as a hung host; no request waits past the bound.
        postgres.signal(signal.SIGSTOP)
        try:
            assert answers(port, 24) == {503: 24}
        finally:
            postgres.signal(signal.SIGCONT)
        assert server.process.poll() is None, server.output()
        print(f"freeze: ready {ready_after(port):.2f} s after PostgreSQL thawed")
        assert answers(port, 20) == {200: 20}
        log = server.output()
    assert "Traceback" not in log
    lines = log.count("the database is unavailable")
    print(f"{lines} log lines about the database for 94 failed requests")
    assert 0 < lines < 94


@pytest.mark.servers
def test_gunicorn_starts_while_the_database_is_down(
    postgres: PostgresServer, database_url: str
) -> None:
    env = {**OUTAGE_ENV, "DATABASE_URL": database_url}
    app = "samples.cats:create_app()"
    postgres.stop()
    try:
        with gunicorn(
            app, "-c", GUNICORN_CONF, *RECYCLING, env=env, cwd=ROOT
        ) as server:
            assert answers(server.port, 30, "/health/ready") == {503: 30}
            postgres.start()
            print(f"boot while down: ready {ready_after(server.port):.2f} s after")
            reply = request(server.port, "POST", "/cats", b'{"name": "Tom"}', {
                **AUTH, "Content-Type": "application/json"
            })  # fmt: skip
            assert reply.status == 201
            assert answers(server.port, 20) == {200: 20}
            assert server.process.poll() is None
            assert "Traceback" not in server.output()
    finally:
        if not os.path.exists(os.path.join(postgres.data, "postmaster.pid")):
            postgres.start()


# -- retries with an Idempotency-Key ------------------------------------------


@pytest.mark.servers
def test_two_hosts_killed_clients_retry_with_idempotency_keys(
    database_url: str,
) -> None:
    """As test_two_hosts_on_one_database_one_killed, but each client sends
    every POST with an Idempotency-Key and retries it on the other host
    when it gets no answer (or a 409 or 503). One host is killed outright
    at a quarter of the load, then a worker of the other at a half and at
    three quarters: a write committed by a process killed before it
    answered is replayed to the retry, so every key ends with exactly one
    row, the one its 201 named."""
    with two_hosts(database_url) as (first, second):

        def kill_first_host() -> None:
            os.killpg(first.process.pid, signal.SIGKILL)

        def kill_a_worker_of_the_second() -> None:
            os.kill(worker_pids(second.process.pid)[0], signal.SIGKILL)

        started = time.monotonic()
        load = retrying_write_load(
            [first.port, second.port],
            TOKEN,
            prefix="k",
            events=[
                (0.25, kill_first_host),
                (0.5, kill_a_worker_of_the_second),
                (0.75, kill_a_worker_of_the_second),
            ],
        )
        took = time.monotonic() - started
        rows = rows_of(database_url)
        label = "two hosts, retries with Idempotency-Key, 3 kills"
        print(f"{load.summary(label, rows)} in {took:.1f} s")
        # None lost: every key got its 201, under the id of its one row.
        assert len(load.created) == load.keys
        for key, cat_id in load.created.items():
            assert rows.get(key) == [cat_id], key
        # None duplicated: rows == distinct keys.
        written = [name for name in rows if name.startswith(load.prefix)]
        assert len(written) == load.keys
        assert all(len(ids) == 1 for ids in rows.values())
        # The kills did make clients retry.
        assert load.retries > 0
        with psycopg.connect(plain_url(database_url)) as db:
            (answers,) = db.execute("SELECT count(*) FROM idempotency_keys").fetchone()
        assert answers == load.keys


@pytest.mark.servers
def test_granian_survives_an_outage(
    postgres: PostgresServer, database_url: str
) -> None:
    """The sample under granian with its launcher's settings: PostgreSQL
    stopped is 503 with Retry-After, in the API's JSON, and served again once
    it is back."""
    env = {**OUTAGE_ENV, "DATABASE_URL": database_url, "PYTHONPATH": ROOT}
    launcher = ("-m", "samples.cats.granian_server", "--workers", "2")
    with granian(*launcher, env=env, cwd=ROOT) as server:
        port = server.port
        assert request(port, "POST", "/cats", b'{"name": "Tom"}', {
            **AUTH, "Content-Type": "application/json"
        }).status == 201  # fmt: skip
        postgres.stop()
        try:
            assert answers(port, 30) == {503: 30}
            assert answers(port, 10, "/health/ready") == {503: 10}
            assert answers(port, 10, "/health/live") == {200: 10}
        finally:
            postgres.start()
        assert server.process.poll() is None, server.output()
        print(f"granian: ready {ready_after(port):.2f} s after PostgreSQL restarted")
        assert answers(port, 20) == {200: 20}
        log = server.output()
    assert "Traceback" not in log
