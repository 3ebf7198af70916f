"""The cats sample on a real PostgreSQL server, started for these tests.

The server is a throwaway cluster (Debian's ``postgresql`` package, or any
``initdb`` on ``PATH``) listening on a free loopback port with trust
authentication. As root it runs as the ``postgres`` user, since ``initdb``
refuses to run as root. Without an ``initdb`` the tests skip.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import itertools
import os
import pathlib
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

# psycopg is in the `test` extra; a machine without it skips these tests
# instead of failing to collect them.
psycopg = pytest.importorskip("psycopg", reason="psycopg (the test extra) is missing")

# The samples live in the checkout, not in the wheel tox installs.
ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.append(ROOT)

import cats_idempotency  # noqa: E402

from samples.cats import create_app, repository_of  # noqa: E402
from samples.cats.idempotency import _lock_key  # noqa: E402
from samples.cats.storage import MAX_ID  # noqa: E402

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TOM = {"name": "Tom", "age": 3, "born": "2021-04-01"}
# Generous for a slow CI machine; a healthy server is up in well under a second.
TIMEOUT = 30


# -- the server ----------------------------------------------------------------


class PostgresServer(t.NamedTuple):
    port: int
    #: Runs one of the server's programs (pg_ctl...), as its user.
    run: t.Callable[..., subprocess.CompletedProcess[str]]
    data: str
    log: str
    options: tuple[str, ...]

    def stop(self) -> None:
        """Stop the server (fast: connections are cut), as an outage."""
        self._check(self.run("pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w"))

    def start(self) -> None:
        """Start the server again, on the same port."""
        self._check(
            self.run(
                "pg_ctl",
                *("start", "-D", self.data, "-l", self.log, "-w", "-t", str(TIMEOUT)),
                *("-o", shlex.join(self.options)),
            )
        )

    def pids(self) -> list[int]:
        """The postmaster's pid and its children's (the backends)."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            master = int(f.readline())
        pids = [master]
        for task in os.listdir(f"/proc/{master}/task"):
            with open(f"/proc/{master}/task/{task}/children") as f:
                pids.extend(int(pid) for pid in f.read().split())
        return pids

    def signal(self, number: int) -> None:
        """Send every process of the server ``number`` (SIGSTOP freezes it
        as a hung host would: the kernel still accepts and acknowledges)."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    @staticmethod
    def _check(result: subprocess.CompletedProcess[str]) -> None:
        if result.returncode != 0:
            pytest.fail(f"{shlex.join(result.args)}: {result.stdout}{result.stderr}")

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[t.Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
            connect_timeout=TIMEOUT,
        )

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"


def find_initdb() -> str | None:
    """``initdb`` on ``PATH``, else the newest in Debian's
    ``/usr/lib/postgresql/<version>/bin``, which Debian keeps off ``PATH``."""
    found = shutil.which("initdb")
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path))

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    return candidates[-1] if candidates else None


def as_postgres_user() -> list[str]:
    """The command prefix running a program as the ``postgres`` user when we
    are root (``initdb`` and ``postgres`` refuse to run as root), else none;
    skip when root cannot switch to ``postgres``."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if runuser is None:
        pytest.skip("running as root without runuser to switch to 'postgres'")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to switch to")
    prefix = [runuser, "-u", "postgres", "--"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root and cannot switch to the 'postgres' user")
    return prefix


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> t.Iterator[PostgresServer]:
    initdb = find_initdb()
    if initdb is None:
        pytest.skip(
            "no initdb on PATH or in /usr/lib/postgresql/*/bin: "
            "install Debian's postgresql package"
        )
    # /usr/local/bin/initdb may be a symlink; pg_ctl, postgres and pg_isready
    # sit beside the real one.
    bindir = os.path.dirname(os.path.realpath(initdb))
    prefix = as_postgres_user()

    # Not pytest's tmp_path: its parent is private to root, out of the
    # postgres user's reach.
    base = tempfile.mkdtemp(prefix="flask-resources-pg-")
    data = os.path.join(base, "data")
    sockets = os.path.join(base, "sockets")
    log = os.path.join(base, "server.log")
    os.mkdir(sockets)
    if prefix:
        postgres_user = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, postgres_user.pw_uid, postgres_user.pw_gid)

    def run(program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, os.path.join(bindir, program), *args],
            cwd=base,
            capture_output=True,
            text=True,
            timeout=TIMEOUT + 30,
        )

    def check(result: subprocess.CompletedProcess[str]) -> None:
        if result.returncode != 0:
            server_log = ""
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as f:
                    server_log = f.read()
            pytest.fail(
                f"{shlex.join(result.args)} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{server_log}"
            )

    started = False
    try:
        check(
            run(
                "initdb",
                *("-D", data, "-U", "postgres", "-A", "trust"),
                *("-E", "UTF8", "--locale=C", "--no-sync"),
            )
        )
        port = free_port()
        options = [
            *("-c", "listen_addresses=127.0.0.1", "-p", str(port), "-k", sockets),
            # A throwaway cluster: durability only costs time.
            *("-c", "fsync=off", "-c", "synchronous_commit=off"),
            *("-c", "full_page_writes=off"),
        ]
        started = True
        # -w: pg_ctl returns once the server accepts connections, or fails
        # after -t seconds.
        check(
            run(
                "pg_ctl",
                *("start", "-D", data, "-l", log, "-w", "-t", str(TIMEOUT)),
                *("-o", shlex.join(options)),
            )
        )
        # pg_ctl may have checked the Unix socket; make sure TCP answers too.
        check(run("pg_isready", "-h", "127.0.0.1", "-p", str(port), "-t", str(TIMEOUT)))
        yield PostgresServer(port, run, data, log, tuple(options))
    finally:
        stopped = True
        if started:
            stop = run("pg_ctl", "stop", "-D", data, "-m", "fast", "-w")
            stopped = stop.returncode == 0
        shutil.rmtree(base)
    assert stopped, f"pg_ctl stop failed: {stop.stdout}{stop.stderr}"


_numbers = itertools.count()


@pytest.fixture
def database_url(postgres: PostgresServer) -> str:
    """A URL to a new, empty database: each test gets its own."""
    name = f"cats_{next(_numbers)}"
    with postgres.connect() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres.url(name)


@pytest.fixture
def cats_app(database_url: str, tmp_path: pathlib.Path) -> t.Iterator[Flask]:
    app = create_app(
        {"CATS_API_TOKEN": TOKEN, "TESTING": True, "DATABASE_URL": database_url},
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    repository_of(app).close()


@pytest.fixture
def cats(cats_app: Flask) -> FlaskClient:
    return cats_app.test_client()


def table(cats_app: Flask) -> list[tuple[t.Any, ...]]:
    """Every row of the table, read with SQL beside the app."""
    with repository_of(cats_app).engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM cats ORDER BY id").all()
    return [tuple(row) for row in rows]


def add(client: FlaskClient, **cat: t.Any) -> dict[str, t.Any]:
    resp = client.post("/cats", json=cat or TOM, headers=AUTH)
    assert resp.status_code == 201, resp.json
    return t.cast(dict[str, t.Any], resp.json)


# -- the tests -----------------------------------------------------------------


def test_table_is_made_on_postgresql(cats_app: Flask) -> None:
    repository = repository_of(cats_app)
    assert repository.engine.dialect.name == "postgresql"
    with repository.engine.connect() as conn:
        columns = conn.exec_driver_sql(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_name = 'cats' ORDER BY ordinal_position"
        ).all()
    assert [tuple(column) for column in columns] == [
        ("id", "bigint", "NO"),
        ("name", "character varying", "NO"),
        ("age", "integer", "YES"),
        ("born", "date", "YES"),
    ]


def test_crud(cats: FlaskClient, cats_app: Flask) -> None:
    resp = cats.post("/cats", json=TOM, headers=AUTH)
    assert (resp.status_code, resp.json) == (201, {"id": 1, **TOM})
    assert resp.headers["Location"] == "/cats/1"
    assert cats.get("/cats/1").json == {"id": 1, **TOM}

    resp = cats.patch("/cats/1", json={"age": 4}, headers=AUTH)
    assert (resp.status_code, resp.json) == (200, {**TOM, "id": 1, "age": 4})
    # PUT replaces: the fields left out become null.
    resp = cats.put("/cats/1", json={"name": "Thomas"}, headers=AUTH)
    assert (resp.status_code, resp.json) == (
        200,
        {"id": 1, "name": "Thomas", "age": None, "born": None},
    )
    assert table(cats_app) == [(1, "Thomas", None, None)]

    resp = cats.delete("/cats/1", headers=AUTH)
    assert (resp.status_code, resp.data) == (204, b"")
    assert cats.get("/cats/1").status_code == 404
    assert table(cats_app) == []
    # The sequence does not hand a deleted cat's id out again.
    assert add(cats)["id"] == 2


def test_names_are_counted_in_characters(cats: FlaskClient, cats_app: Flask) -> None:
    # VARCHAR(50) on PostgreSQL counts characters, as the schema does: fifty
    # four-byte characters fit.
    name = "\N{CAT}" * 50
    assert add(cats, name=name)["name"] == name
    assert table(cats_app)[0][1] == name


def test_pagination(cats: FlaskClient) -> None:
    for number in range(5):
        add(cats, name=f"Cat {number}")
    resp = cats.get("/cats?page=2&per_page=2")
    assert resp.status_code == 200
    assert [cat["name"] for cat in resp.json] == ["Cat 2", "Cat 3"]
    assert resp.headers["X-Total-Count"] == "5"
    assert resp.headers["Link"] == (
        '</cats?page=1&per_page=2>; rel="first", '
        '</cats?page=1&per_page=2>; rel="prev", '
        '</cats?page=3&per_page=2>; rel="next", '
        '</cats?page=3&per_page=2>; rel="last"'
    )
    resp = cats.get("/cats?page=3&per_page=2")
    assert [cat["name"] for cat in resp.json] == ["Cat 4"]
    assert 'rel="next"' not in resp.headers["Link"]


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_unknown_cat_is_404(cats: FlaskClient, method: str) -> None:
    add(cats)
    body = {"name": "Tom"} if method in ("PUT", "PATCH") else None
    resp = cats.open("/cats/7", method=method, json=body, headers=AUTH)
    assert (resp.status_code, resp.json) == (404, {"message": "Cat 7 doesn't exist."})


#: (method, path, request keyword arguments, status): NUL bytes, which
#: PostgreSQL refuses in text, and numbers past BIGINT, which psycopg cannot bind.
EDGES: list[tuple[str, str, dict[str, t.Any], int]] = [
    ("POST", "/cats", {"json": {"name": "Tom\x00"}}, 400),
    ("POST", "/cats", {"json": {"name": "\x00"}}, 400),
    ("PUT", "/cats/1", {"json": {"name": "T\x00m"}}, 400),
    ("PATCH", "/cats/1", {"json": {"name": "Tom\x00"}}, 400),
    ("GET", "/cats/1%00", {}, 404),
    ("GET", "/cats?page=1%00", {}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 2**31}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 2**63}}, 400),
    ("GET", f"/cats/{MAX_ID}", {}, 404),
    ("PATCH", f"/cats/{MAX_ID}", {"json": {"age": 4}}, 404),
    ("GET", f"/cats/{MAX_ID + 1}", {}, 404),
    ("PUT", f"/cats/{MAX_ID + 1}", {"json": {"name": "Tom"}}, 404),
    ("PATCH", f"/cats/{2**64}", {"json": {"age": 4}}, 404),
    ("DELETE", f"/cats/{10**30}", {}, 404),
    ("GET", f"/cats?page={2**63}&per_page=0", {}, 400),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    EDGES,
    ids=[f"{m} {p[:30]} {s}" for m, p, _, s in EDGES],
)
def test_nul_bytes_and_huge_numbers_are_4xx_and_change_nothing(
    cats: FlaskClient,
    cats_app: Flask,
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    status: int,
) -> None:
    add(cats)
    before = table(cats_app)
    resp = cats.open(path, method=method, headers=AUTH, **kwargs)
    assert resp.status_code == status, resp.data[:300]
    assert resp.mimetype == "application/json"
    assert resp.json["message"]
    assert table(cats_app) == before


@pytest.mark.parametrize("page", [10**6, 2**63, 10**30])
def test_huge_page_is_an_empty_page(cats: FlaskClient, page: int) -> None:
    # Past the end is an empty page, as on SQLite, even where the offset
    # would not fit in a BIGINT.
    add(cats)
    resp = cats.get(f"/cats?page={page}&per_page=100")
    assert (resp.status_code, resp.json) == (200, [])
    assert resp.headers["X-Total-Count"] == "1"


def test_huge_page_size_is_clamped(cats: FlaskClient) -> None:
    # A size past BIGINT is served at the maximum, never bound as is.
    add(cats)
    resp = cats.get(f"/cats?per_page={2**63}")
    assert (resp.status_code, len(resp.json)) == (200, 1)
    assert "per_page=100" in resp.headers["Link"]


def test_two_clients_racing_on_one_cat(cats: FlaskClient, cats_app: Flask) -> None:
    # The row lock the write takes before its If-Match check is PostgreSQL's
    # here, not SQLite's database lock.
    from test_samples import race_on_one_cat

    add(cats)
    repository = repository_of(cats_app)
    race_on_one_cat(cats_app, lambda: list(repository.listing().slice(0, 10)))


REFUSE_TEST_NAME = """
CREATE FUNCTION refuse_test_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'Refused' THEN
        RAISE EXCEPTION 'the name Refused is refused';
    END IF;
    RETURN NEW;
END $$;
CREATE CONSTRAINT TRIGGER refuse_test_name AFTER INSERT OR UPDATE ON cats
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_test_name();
"""


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/cats"), ("PUT", "/cats/1"), ("PATCH", "/cats/1")]
)
def test_write_refused_at_commit_is_rolled_back(
    cats: FlaskClient, cats_app: Flask, database_url: str, method: str, path: str
) -> None:
    """A write the database refuses only at COMMIT, after the repository has
    written and read back the row, answers 500 and leaves the table as it
    was; the pooled connection then serves the next requests."""
    # As in production: the error is answered, not raised into the test.
    cats_app.config["TESTING"] = False
    add(cats)
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as db:
        db.execute(REFUSE_TEST_NAME)
    before = table(cats_app)
    resp = cats.open(path, method=method, json={"name": "Refused"}, headers=AUTH)
    assert resp.status_code == 500
    assert resp.json["message"]
    assert "Refused" not in resp.get_data(as_text=True)
    assert table(cats_app) == before
    assert cats.get("/cats/1").json == {"id": 1, **TOM}
    assert cats.patch("/cats/1", json={"age": 5}, headers=AUTH).status_code == 200


# -- Idempotency-Key (tests/cats_idempotency.py) --------------------------------


@pytest.mark.parametrize("check", cats_idempotency.CHECKS)
def test_idempotency_key(cats_app: Flask, check: t.Callable[[Flask], None]) -> None:
    check(cats_app)


def test_key_held_by_another_host_is_409(
    cats: FlaskClient, cats_app: Flask, database_url: str
) -> None:
    """A request of another process holds the key (its advisory lock): 409,
    nothing written; once it is gone, the key runs."""
    scope = hashlib.sha256(b"authorization:" + AUTH["Authorization"].encode())
    lock = _lock_key(scope.hexdigest(), "busy")
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as db:
        db.execute("SELECT pg_advisory_lock(%s)", (lock,))
        resp = cats.post("/cats", json=TOM, headers=cats_idempotency.with_key("busy"))
        assert resp.status_code == 409
        assert table(cats_app) == []
        db.execute("SELECT pg_advisory_unlock(%s)", (lock,))
    resp = cats.post("/cats", json=TOM, headers=cats_idempotency.with_key("busy"))
    assert resp.status_code == 201
    assert cats_idempotency.counts(cats_app) == (1, 1)


def test_write_refused_at_commit_keeps_no_answer(
    cats: FlaskClient, cats_app: Flask, database_url: str
) -> None:
    """The answer is committed with the write: when the COMMIT fails, neither
    is kept, and the retry runs again rather than replaying a 201."""
    cats_app.config["TESTING"] = False
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as db:
        db.execute(REFUSE_TEST_NAME)
    headers = cats_idempotency.with_key("refused")
    for _ in range(2):
        resp = cats.post("/cats", json={"name": "Refused"}, headers=headers)
        assert resp.status_code == 500
        assert "Idempotent-Replayed" not in resp.headers
    assert cats_idempotency.counts(cats_app) == (0, 0)
