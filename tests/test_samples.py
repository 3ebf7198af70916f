"""Every sample app, through the test client and over real HTTP."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import pathlib
import sqlite3
import sys
import threading
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

# The samples live in the checkout, not in the wheel tox installs.
ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.append(ROOT)

import cats_idempotency  # noqa: E402
from servers import waitress_server  # noqa: E402

import samples.cats.__main__ as cats_main  # noqa: E402
import samples.restx_todo  # noqa: E402
import samples.todo  # noqa: E402
from samples.cats import create_app, repository_of  # noqa: E402
from samples.cats.storage import CatRepository  # noqa: E402

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TOM = {"name": "Tom", "age": 3, "born": "2021-04-01"}


# -- the cats API --------------------------------------------------------------


@pytest.fixture
def cats_app(tmp_path: t.Any) -> t.Iterator[Flask]:
    app = create_app(
        {"CATS_API_TOKEN": TOKEN, "TESTING": True},
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    repository_of(app).close()


@pytest.fixture
def cats(cats_app: Flask) -> FlaskClient:
    return cats_app.test_client()


@pytest.fixture
def repository(cats_app: Flask) -> CatRepository:
    return repository_of(cats_app)


def rows(repository: CatRepository) -> list[t.Any]:
    return list(repository.listing().slice(0, 1000))


def add(client: FlaskClient, **cat: t.Any) -> dict[str, t.Any]:
    resp = client.post("/cats", json=cat or TOM, headers=AUTH)
    assert resp.status_code == 201, resp.json
    return t.cast(dict[str, t.Any], resp.json)


def test_default_database_is_sqlite_in_wal_mode_under_the_instance_folder(
    cats_app: Flask, cats: FlaskClient
) -> None:
    path = os.path.join(cats_app.instance_path, "cats.sqlite3")
    assert cats_app.config["DATABASE_URL"] == f"sqlite:///{path}"
    add(cats)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT name FROM cats").fetchall() == [("Tom",)]
    db.close()


def test_config_comes_from_the_environment(
    tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'cats.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CATS_API_TOKEN", "from-env")
    app = create_app(instance_path=str(tmp_path / "instance"))
    try:
        assert app.config["DATABASE_URL"] == url
        client = app.test_client()
        resp = client.post(
            "/cats", json=TOM, headers={"Authorization": "Bearer from-env"}
        )
        assert resp.status_code == 201
        assert (tmp_path / "elsewhere" / "cats.db").exists()
    finally:
        repository_of(app).close()


def test_crud(cats: FlaskClient) -> None:
    resp = cats.post("/cats", json=TOM, headers=AUTH)
    assert resp.status_code == 201
    assert resp.json == {"id": 1, **TOM}
    assert resp.headers["Location"] == "/cats/1"

    assert cats.get("/cats/1").json == {"id": 1, **TOM}

    resp = cats.patch("/cats/1", json={"age": 4}, headers=AUTH)
    assert resp.status_code == 200
    assert resp.json == {"id": 1, "name": "Tom", "age": 4, "born": "2021-04-01"}

    # PUT replaces: the fields left out become null.
    resp = cats.put("/cats/1", json={"name": "Thomas"}, headers=AUTH)
    assert resp.json == {"id": 1, "name": "Thomas", "age": None, "born": None}
    resp = cats.patch("/cats/1", json={}, headers=AUTH)
    assert resp.json == {"id": 1, "name": "Thomas", "age": None, "born": None}

    resp = cats.delete("/cats/1", headers=AUTH)
    assert resp.status_code == 204
    assert resp.data == b""
    assert cats.get("/cats/1").status_code == 404
    # Ids are not handed out again.
    assert add(cats)["id"] == 2


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_unknown_cat_is_404(cats: FlaskClient, method: str) -> None:
    body = {"name": "Tom"} if method in ("PUT", "PATCH") else None
    resp = cats.open("/cats/7", method=method, json=body, headers=AUTH)
    assert resp.status_code == 404
    assert resp.json == {"message": "Cat 7 doesn't exist."}


def test_pagination(cats: FlaskClient) -> None:
    for number in range(5):
        add(cats, name=f"Cat {number}")
    resp = cats.get("/cats?page=2&per_page=2")
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
    # The defaults: page 1, 20 a page.
    resp = cats.get("/cats")
    assert len(resp.json) == 5
    assert resp.headers["Link"] == (
        '</cats?page=1&per_page=20>; rel="first", '
        '</cats?page=1&per_page=20>; rel="last"'
    )
    # Past the end: an empty page, whatever the number.
    resp = cats.get(f"/cats?page={10**30}")
    assert resp.status_code == 200
    assert resp.json == []
    assert resp.headers["X-Total-Count"] == "5"


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=two", "per_page=0", "page=1.5", "page=%00"]
)
def test_bad_pagination_is_400(cats: FlaskClient, query: str) -> None:
    resp = cats.get(f"/cats?{query}")
    assert resp.status_code == 400
    assert "query" in resp.json["errors"]


def test_page_size_is_clamped(cats: FlaskClient) -> None:
    add(cats)
    resp = cats.get("/cats?per_page=1000")
    assert resp.status_code == 200
    assert resp.headers["Link"] == (
        '</cats?page=1&per_page=100>; rel="first", '
        '</cats?page=1&per_page=100>; rel="last"'
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/cats"),
        ("PUT", "/cats/1"),
        ("PATCH", "/cats/1"),
        ("DELETE", "/cats/1"),
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-token",
        f"Basic {TOKEN}",
        "Bearer ",
        f"Bearer {TOKEN}x",
        "Bearer t\u00e9st",
        "Bearer",
        "",
    ],
)
def test_writes_need_the_token(
    cats: FlaskClient,
    repository: CatRepository,
    method: str,
    path: str,
    authorization: str | None,
) -> None:
    add(cats)
    before = rows(repository)
    headers = {} if authorization is None else {"Authorization": authorization}
    resp = cats.open(path, method=method, json={"name": "Jerry"}, headers=headers)
    assert resp.status_code == 401
    assert resp.json == {
        "message": "Writes need an API token: send 'Authorization: Bearer <token>'."
    }
    assert resp.headers.getlist("WWW-Authenticate") == ['Bearer realm="cats"']
    assert rows(repository) == before


def test_etag_and_304(cats: FlaskClient) -> None:
    add(cats)
    resp = cats.get("/cats/1")
    etag = resp.headers["ETag"]
    again = cats.get("/cats/1", headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == etag
    cats.patch("/cats/1", json={"age": 4}, headers=AUTH)
    changed = cats.get("/cats/1", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_if_match_stops_a_lost_update(
    cats: FlaskClient, repository: CatRepository
) -> None:
    add(cats)
    etag = cats.get("/cats/1").headers["ETag"]
    first = cats.patch("/cats/1", json={"age": 4}, headers={**AUTH, "If-Match": etag})
    assert first.status_code == 200
    second = cats.put(
        "/cats/1", json={"name": "Jerry"}, headers={**AUTH, "If-Match": etag}
    )
    assert second.status_code == 412
    assert second.json["message"].startswith("Precondition failed")
    # Without the token it is a 401 first, whatever If-Match says.
    anonymous = cats.put("/cats/1", json={"name": "Jerry"}, headers={"If-Match": etag})
    assert anonymous.status_code == 401
    assert cats.delete("/cats/1", headers={**AUTH, "If-Match": etag}).status_code == 412
    assert rows(repository)[0]["age"] == 4
    fresh = cats.get("/cats/1").headers["ETag"]
    assert first.headers.get("ETag") is None
    assert (
        cats.delete("/cats/1", headers={**AUTH, "If-Match": fresh}).status_code == 204
    )
    assert cats.delete("/cats/1", headers={**AUTH, "If-Match": "*"}).status_code == 404


def race_on_one_cat(app: Flask, rows: t.Callable[[], list[t.Any]]) -> None:
    """Two clients read cat 1, then both write it at once with If-Match: one
    write wins, the other gets 412, and the cat is the winner's. Ten times."""
    for round_ in range(10):
        etag = app.test_client().get("/cats/1").headers["ETag"]
        barrier = threading.Barrier(2)
        results: dict[str, int] = {}

        def write(
            name: str,
            etag: str,
            barrier: threading.Barrier,
            results: dict[str, int],
        ) -> None:
            client = app.test_client()
            barrier.wait()
            resp = client.put(
                "/cats/1", json={"name": name}, headers={**AUTH, "If-Match": etag}
            )
            results[name] = resp.status_code

        threads = [
            threading.Thread(
                target=write, args=(f"{who} {round_}", etag, barrier, results)
            )
            for who in ("Alice", "Bob")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results.values()) == [200, 412], results
        (winner,) = [name for name, status in results.items() if status == 200]
        assert rows()[0]["name"] == winner


def test_two_clients_racing_on_one_cat(
    cats_app: Flask, repository: CatRepository
) -> None:
    add(cats_app.test_client())
    race_on_one_cat(cats_app, lambda: rows(repository))


def test_reads_are_open(cats: FlaskClient) -> None:
    add(cats)
    assert cats.get("/cats").status_code == 200
    assert cats.get("/cats/1").status_code == 200


def test_no_token_configured_refuses_every_write(tmp_path: t.Any) -> None:
    app = create_app(
        {"CATS_API_TOKEN": None, "TESTING": True}, instance_path=str(tmp_path)
    )
    try:
        client = app.test_client()
        for authorization in ("Bearer ", "Bearer None", "Bearer x"):
            resp = client.post(
                "/cats", json=TOM, headers={"Authorization": authorization}
            )
            assert resp.status_code == 401
        assert repository_of(app).count() == 0
    finally:
        repository_of(app).close()


BIG = "x" * (17 * 1024)

#: (method, path, request keyword arguments, status)
HOSTILE: list[tuple[str, str, dict[str, t.Any], int]] = [
    # Malformed bodies.
    (
        "POST",
        "/cats",
        {"data": '{"name": "Tom"', "content_type": "application/json"},
        400,
    ),
    ("POST", "/cats", {"data": "null", "content_type": "application/json"}, 400),
    ("POST", "/cats", {"json": ["Tom"]}, 400),
    ("POST", "/cats", {"json": "Tom"}, 400),
    (
        "POST",
        "/cats",
        {"data": b'{"name": "\xff"}', "content_type": "application/json"},
        400,
    ),
    ("POST", "/cats", {"data": "[" * 100_000, "content_type": "application/json"}, 413),
    (
        "POST",
        "/cats",
        {"data": '{"a":' * 2000 + "1" + "}" * 2000, "content_type": "application/json"},
        400,
    ),
    ("PATCH", "/cats/1", {"data": "{,}", "content_type": "application/json"}, 400),
    # Not JSON.
    ("POST", "/cats", {"data": {"name": "Tom"}}, 415),
    ("POST", "/cats", {"data": "name=Tom", "content_type": "text/plain"}, 415),
    (
        "POST",
        "/cats",
        {"data": "<cat><name>Tom</name></cat>", "content_type": "application/xml"},
        415,
    ),
    ("POST", "/cats", {"data": '{"name": "Tom"}'}, 415),
    ("PUT", "/cats/1", {"data": {"name": "Tom"}}, 415),
    ("PATCH", "/cats/1", {"data": "<cat/>", "content_type": "text/xml"}, 415),
    # Oversized.
    ("POST", "/cats", {"json": {"name": BIG}}, 413),
    ("PUT", "/cats/1", {"json": {"name": BIG}}, 413),
    # Missing and mistyped fields.
    ("POST", "/cats", {"json": {}}, 400),
    ("POST", "/cats", {"json": {"age": 3}}, 400),
    ("POST", "/cats", {"json": {"name": ""}}, 400),
    ("POST", "/cats", {"json": {"name": "   "}}, 400),
    ("POST", "/cats", {"json": {"name": "x" * 51}}, 400),
    ("POST", "/cats", {"json": {"name": None}}, 400),
    ("POST", "/cats", {"json": {"name": 7}}, 400),
    ("POST", "/cats", {"json": {"name": ["Tom"]}}, 400),
    ("POST", "/cats", {"json": {"name": {"first": "Tom"}}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom\x00"}}, 400),
    ("POST", "/cats", {"json": {"name": "\ud800"}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": "3"}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 3.5}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": True}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": -1}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 41}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "age": 10**100}}, 400),
    (
        "POST",
        "/cats",
        {"data": '{"name": "Tom", "age": 1e999}', "content_type": "application/json"},
        400,
    ),
    (
        "POST",
        "/cats",
        {"data": '{"name": "Tom", "age": NaN}', "content_type": "application/json"},
        400,
    ),
    ("POST", "/cats", {"json": {"name": "Tom", "born": "yesterday"}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "born": "2021-02-30"}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "born": "2021-04-01T12:00:00"}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "born": 20210401}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "born": "9999-12-31"}}, 400),
    ("PUT", "/cats/1", {"json": {"age": 4}}, 400),
    ("PATCH", "/cats/1", {"json": {"name": None}}, 400),
    ("PATCH", "/cats/1", {"json": {"age": "old"}}, 400),
    # Mass assignment: fields the client does not own.
    ("POST", "/cats", {"json": {"name": "Tom", "id": 99}}, 400),
    ("POST", "/cats", {"json": {"name": "Tom", "is_admin": True}}, 400),
    ("PUT", "/cats/1", {"json": {"name": "Tom", "id": 2}}, 400),
    ("PATCH", "/cats/1", {"json": {"id": 2}}, 400),
    # Path traversal and odd ids.
    ("GET", "/cats/../etc/passwd", {}, 404),
    ("GET", "/cats/%2e%2e", {}, 404),
    ("GET", "/cats/%2e%2e/%2e%2e/etc/passwd", {}, 404),
    ("GET", "/cats/..%2f..%2fetc%2fpasswd", {}, 404),
    ("DELETE", "/cats/%2e%2e", {}, 404),
    ("GET", "/cats/1%00", {}, 404),
    ("GET", "/cats/-1", {}, 404),
    ("GET", "/cats/0", {}, 404),
    ("GET", "/cats/1.0", {}, 404),
    ("GET", f"/cats/{10**30}", {}, 404),
    ("PUT", f"/cats/{2**63}", {"json": {"name": "Tom"}}, 404),
    ("DELETE", f"/cats/{2**64}", {}, 404),
    # Unknown methods and URLs.
    ("POST", "/cats/1", {"json": {"name": "Tom"}}, 405),
    ("PUT", "/cats", {"json": {"name": "Tom"}}, 405),
    ("DELETE", "/cats", {}, 405),
    ("BREW", "/cats", {}, 405),
    ("TRACE", "/cats/1", {}, 405),
    # "/" lists the resources (the browsable root); it takes no writes.
    ("POST", "/", {"json": {"name": "Tom"}}, 405),
    ("GET", "/cats/", {}, 404),
    ("GET", "/dogs", {}, 404),
    ("POST", "/admin", {"json": {"name": "Tom"}}, 404),
    ("GET", "/static/../../etc/passwd", {}, 404),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    HOSTILE,
    ids=[f"{m} {p[:30]} {s}" for m, p, _, s in HOSTILE],
)
def test_hostile_requests_get_a_json_4xx_and_change_nothing(
    cats: FlaskClient,
    repository: CatRepository,
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    status: int,
) -> None:
    add(cats)
    before = rows(repository)
    resp = cats.open(path, method=method, headers=AUTH, **kwargs)
    assert resp.status_code == status, resp.data[:300]
    assert resp.mimetype == "application/json"
    body = json.loads(resp.data)
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in resp.get_data(as_text=True)
    assert rows(repository) == before


def test_validation_errors_name_the_field(cats: FlaskClient) -> None:
    resp = cats.post("/cats", json={"name": "Tom", "id": 5, "age": 99}, headers=AUTH)
    assert resp.status_code == 400
    assert resp.json["message"] == (
        "Invalid JSON body: invalid field 'age'; unknown field 'id'."
    )
    assert resp.json["errors"] == {
        "json": {
            "age": ["Must be greater than or equal to 0 and less than or equal to 40."],
            "id": ["Unknown field."],
        }
    }


def test_born_may_be_today(cats: FlaskClient) -> None:
    today = datetime.date.today().isoformat()
    assert add(cats, name="Kit", born=today)["born"] == today


def test_resources_get_the_repository_injected(cats_app: Flask) -> None:
    """resource_class_kwargs hands the same repository to the resources
    that use it."""
    resources = cats_app.extensions["flask-resources"].apis[0].resources
    [cat_list, cat, live, ready] = resources
    repository = repository_of(cats_app)
    assert cat_list.kwargs == {"repository": repository}
    assert cat.kwargs == {"repository": repository}
    assert live.kwargs == {}
    assert ready.kwargs == {"repository": repository}


def test_health(cats: FlaskClient) -> None:
    assert (cats.get("/health/live").status_code, cats.get("/health/live").json) == (
        200,
        {"status": "ok"},
    )
    assert cats.get("/health/ready").json == {"status": "ok"}


def test_dev_token_is_made_once_and_kept_private(tmp_path: t.Any) -> None:
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    token = cats_main.dev_token(app)
    assert len(token) >= 32
    assert cats_main.dev_token(app) == token
    path = tmp_path / "instance" / cats_main.TOKEN_FILE
    assert path.stat().st_mode & 0o777 == 0o600


def test_main_serves_on_loopback_port_5000(
    tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, t.Any] = {}

    def serve(app: Flask, **options: t.Any) -> None:
        served.update(options, app=app)
        # The app works, with the token main wrote.
        token = app.config["CATS_API_TOKEN"]
        resp = app.test_client().post(
            "/cats", json=TOM, headers={"Authorization": f"Bearer {token}"}
        )
        assert resp.status_code == 201

    monkeypatch.delenv("CATS_API_TOKEN", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(cats_main.waitress, "serve", serve)
    monkeypatch.setattr(cats_main.signal, "signal", lambda *args: None)
    monkeypatch.setattr(
        cats_main,
        "create_app",
        lambda: create_app(instance_path=str(tmp_path / "instance")),
    )
    cats_main.main([])
    assert served["host"] == "127.0.0.1"
    assert served["port"] == 5000
    assert (tmp_path / "instance" / "cats.sqlite3").exists()
    assert (tmp_path / "instance" / cats_main.TOKEN_FILE).exists()
    assert "cats-api-token" in capsys.readouterr().out


def test_cats_writes_are_limited_when_asked(tmp_path: t.Any) -> None:
    app = create_app(
        {"CATS_API_TOKEN": TOKEN, "TESTING": True, "CATS_WRITE_LIMIT": "2/minute"},
        instance_path=str(tmp_path / "instance"),
    )
    try:
        client = app.test_client()
        add(client)
        add(client, name="Felix")
        refused = client.post("/cats", json=TOM, headers=AUTH)
        assert refused.status_code == 429
        assert refused.json == {"message": "2 per 1 minute"}
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        # Reads are not limited; nothing was written by the refused POST.
        assert [cat["name"] for cat in client.get("/cats").json] == ["Tom", "Felix"]
        paths = client.get("/openapi.json").json["paths"]
        assert "429" in paths["/cats"]["post"]["responses"]
        assert "429" in paths["/cats/{cat_id}"]["delete"]["responses"]
        assert "429" not in paths["/cats"]["get"]["responses"]
    finally:
        repository_of(app).close()


def test_cats_writes_are_not_limited_by_default(cats: FlaskClient) -> None:
    for n in range(30):
        add(cats, name=f"cat {n}")


# -- the cats API over real HTTP -----------------------------------------------


class Served(t.NamedTuple):
    port: int

    def request(
        self,
        method: str,
        path: str,
        body: t.Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPMessage, t.Any]:
        headers = dict(headers or {})
        data: bytes | None = None
        if isinstance(body, bytes):
            data = body
        elif body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, resp.headers, json.loads(raw) if raw else None
        finally:
            conn.close()


@pytest.fixture
def served(cats_app: Flask) -> t.Iterator[Served]:
    cats_app.config["TESTING"] = False
    with waitress_server(cats_app, threads=2) as port:
        yield Served(port)


def test_crud_over_http_with_waitress(
    served: Served, repository: CatRepository
) -> None:
    status, headers, body = served.request("POST", "/cats", TOM, AUTH)
    assert (status, body) == (201, {"id": 1, **TOM})
    assert headers["Location"] == "/cats/1"

    status, headers, body = served.request("GET", "/cats")
    assert (status, body) == (200, [{"id": 1, **TOM}])
    assert headers["X-Total-Count"] == "1"
    assert headers["Content-Type"] == "application/json"

    status, _, body = served.request("PATCH", "/cats/1", {"age": 4}, AUTH)
    assert (status, body["age"]) == (200, 4)
    status, _, body = served.request("PUT", "/cats/1", {"name": "Jerry"}, AUTH)
    assert (status, body) == (
        200,
        {"id": 1, "name": "Jerry", "age": None, "born": None},
    )
    assert served.request("GET", "/cats/1")[2]["name"] == "Jerry"

    # Refused writes change nothing.
    before = rows(repository)
    status, headers, body = served.request("DELETE", "/cats/1")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")
    status, _, body = served.request(
        "POST", "/cats", b"name=Tom", {**AUTH, "Content-Type": "text/plain"}
    )
    assert status == 415 and body["message"]
    status, _, body = served.request("POST", "/cats", {"name": "x" * 20_000}, AUTH)
    assert status == 413 and body["message"]
    status, _, body = served.request(
        "POST", "/cats", b"{", {**AUTH, "Content-Type": "application/json"}
    )
    assert status == 400 and body["message"]
    status, _, body = served.request("GET", "/cats/%2e%2e/%2e%2e/etc/passwd")
    assert status == 404 and body["message"]
    assert rows(repository) == before

    status, _, body = served.request("DELETE", "/cats/1", headers=AUTH)
    assert (status, body) == (204, None)
    assert served.request("GET", "/cats/1")[0] == 404


# -- the Flask-RESTful TODO example --------------------------------------------


@pytest.fixture
def todo() -> t.Iterator[FlaskClient]:
    saved = {key: dict(value) for key, value in samples.todo.TODOS.items()}
    yield samples.todo.app.test_client()
    samples.todo.TODOS.clear()
    samples.todo.TODOS.update(saved)


def test_todo_list(todo: FlaskClient) -> None:
    resp = todo.get("/todos")
    assert resp.status_code == 200
    assert resp.json == {
        "todo1": {"task": "build an API"},
        "todo2": {"task": "?????"},
        "todo3": {"task": "profit!"},
    }


@pytest.mark.parametrize(
    "kwargs", [{"data": {"task": "something new"}}, {"json": {"task": "something new"}}]
)
def test_todo_post_form_or_json(todo: FlaskClient, kwargs: dict[str, t.Any]) -> None:
    resp = todo.post("/todos", **kwargs)
    assert resp.status_code == 201
    assert resp.json == {"task": "something new"}
    assert todo.get("/todos/todo4").json == {"task": "something new"}


def test_todo_item(todo: FlaskClient) -> None:
    assert todo.get("/todos/todo3").json == {"task": "profit!"}
    resp = todo.put("/todos/todo3", data={"task": "done"})
    assert (resp.status_code, resp.json) == (201, {"task": "done"})
    assert todo.delete("/todos/todo2").status_code == 204
    resp = todo.get("/todos/todo2")
    assert resp.status_code == 404
    assert resp.json == {"message": "Todo todo2 doesn't exist"}
    assert todo.delete("/todos/todo2").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/todos", {"data": "{", "content_type": "application/json"}, 400),
        ("POST", "/todos", {"data": "[1]", "content_type": "application/json"}, 400),
        ("PATCH", "/todos/todo1", {"json": {"task": "x"}}, 405),
    ],
)
def test_todo_errors_are_json(
    todo: FlaskClient, method: str, path: str, kwargs: dict[str, t.Any], status: int
) -> None:
    resp = todo.open(path, method=method, **kwargs)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    assert resp.json["message"]


def test_todo_unknown_url_is_flasks_own_404(todo: FlaskClient) -> None:
    # As with Flask-RESTful: without catch_all_404s, URLs outside the Api
    # are Flask's own.
    resp = todo.get("/nowhere")
    assert (resp.status_code, resp.mimetype) == (404, "text/html")


# -- the Flask-RESTX to-do sample ---------------------------------------------


@pytest.fixture
def restx_todo() -> t.Iterator[FlaskClient]:
    samples.restx_todo.store.reset("build an API", "?????", "profit!")
    yield samples.restx_todo.app.test_client()
    samples.restx_todo.store.reset("build an API", "?????", "profit!")


def test_restx_todo_crud(restx_todo: FlaskClient) -> None:
    resp = restx_todo.get("/todos/")
    assert resp.status_code == 200
    assert resp.json[0] == {"id": 1, "task": "build an API", "done": False}
    assert len(resp.json) == 3
    resp = restx_todo.post("/todos/", json={"task": "write the docs"})
    assert (resp.status_code, resp.json) == (
        201,
        {"id": 4, "task": "write the docs", "done": False},
    )
    resp = restx_todo.put("/todos/4", json={"task": "docs written", "done": True})
    assert (resp.status_code, resp.json) == (
        200,
        {"id": 4, "task": "docs written", "done": True},
    )
    assert restx_todo.delete("/todos/4").status_code == 204
    resp = restx_todo.get("/todos/4")
    assert (resp.status_code, resp.json) == (404, {"message": "Todo 4 doesn't exist"})


def test_restx_todo_masks(restx_todo: FlaskClient) -> None:
    resp = restx_todo.get("/todos/1", headers={"X-Fields": "task"})
    assert resp.json == {"task": "build an API"}
    resp = restx_todo.get("/todos/", headers={"X-Fields": "id,done"})
    assert resp.json[2] == {"id": 3, "done": False}
    resp = restx_todo.get("/todos/1", headers={"X-Fields": "{task"})
    assert (resp.status_code, resp.json) == (
        400,
        {"message": "Mask parse error: Missing closing bracket"},
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"task": "'task' is a required property"}),
        ({"task": ""}, {"task": "'' should be non-empty"}),
        ({"task": 5}, {"task": "5 is not of type 'string'"}),
        ([1], {"": "[1] is not of type 'object'"}),
    ],
)
def test_restx_todo_validation(
    restx_todo: FlaskClient, body: t.Any, errors: dict[str, str]
) -> None:
    resp = restx_todo.post("/todos/", json=body)
    assert resp.status_code == 400
    assert resp.json == {"errors": errors, "message": "Input payload validation failed"}
    # Nothing was written.
    assert len(restx_todo.get("/todos/").json) == 3


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/todos/", {"data": "{", "content_type": "application/json"}, 400),
        ("POST", "/todos/", {"data": "x", "content_type": "text/csv"}, 415),
        ("PATCH", "/todos/1", {"json": {"task": "x"}}, 405),
    ],
)
def test_restx_todo_errors_are_json(
    restx_todo: FlaskClient,
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    status: int,
) -> None:
    resp = restx_todo.open(path, method=method, **kwargs)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    assert resp.json["message"]
    if status == 405:
        assert set(resp.headers["Allow"].split(", ")) == {
            "GET",
            "HEAD",
            "OPTIONS",
            "PUT",
            "DELETE",
        }


def test_restx_todo_openapi_document(restx_todo: FlaskClient) -> None:
    from openapi_spec_validator import validate

    spec = restx_todo.get("/swagger.json").json
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "To-do API"
    assert spec["tags"] == [{"name": "todos", "description": "Things to do"}]
    todo = spec["components"]["schemas"]["Todo"]
    assert todo["required"] == ["task"]
    assert todo["properties"]["id"]["readOnly"] is True
    post = spec["paths"]["/todos/"]["post"]
    assert post["operationId"] == "create_todo"
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Todo"
    }
    assert "201" in post["responses"]
    get_one = spec["paths"]["/todos/{id}"]["get"]
    assert "404" in get_one["responses"]
    assert any(p["name"] == "X-Fields" for p in get_one["parameters"])
    assert restx_todo.get("/").status_code == 200  # the docs page


# -- the pydantic pets sample ------------------------------------------------


@pytest.fixture
def pets() -> t.Iterator[FlaskClient]:
    pytest.importorskip("pydantic", reason="needs the 'pydantic' extra")
    import samples.pydantic_pets as sample

    sample.store.reset()
    yield sample.app.test_client()
    sample.store.reset()


def test_pets_crud(pets: FlaskClient) -> None:
    listed = pets.get("/pets")
    assert [pet["label"] for pet in listed.json] == ["Tom the cat", "Rex the dog"]
    created = pets.post(
        "/pets", json={"name": "Bun", "species": "rabbit", "born": "2020-02-03"}
    )
    assert created.status_code == 201
    assert created.json == {
        "id": 3,
        "name": "Bun",
        "species": "rabbit",
        "born": "2020-02-03",
        "tags": [],
        "label": "Bun the rabbit",
    }
    # What the store keeps beside the model's fields never goes out.
    assert b"internal_note" not in created.data
    assert b"kept private" not in pets.get("/pets/3").data
    replaced = pets.put("/pets/3", json={"name": "Bunny", "tags": ["lazy"]})
    assert replaced.json["label"] == "Bunny the cat"
    assert pets.delete("/pets/3").status_code == 204
    gone = pets.get("/pets/3")
    assert (gone.status_code, gone.json) == (404, {"message": "Pet 3 doesn't exist"})


def test_pets_query_reads_repeated_tags(pets: FlaskClient) -> None:
    both = pets.get("/pets?tag=indoor&tag=lazy")
    assert [pet["name"] for pet in both.json] == ["Tom"]
    assert pets.get("/pets?limit=1").json[0]["name"] == "Tom"
    bad = pets.get("/pets?limit=0")
    assert bad.status_code == 400
    assert bad.json["errors"] == {
        "query": {"limit": ["Input should be greater than or equal to 1"]}
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["Field required"]}),
        (
            {"name": "Kit", "species": "cow"},
            {"species": ["Input should be 'cat', 'dog' or 'rabbit'"]},
        ),
        ({"name": "Kit", "owner": "me"}, {"owner": ["Extra inputs are not permitted"]}),
        (
            {"name": "Kit", "tags": ["x" * 21]},
            {"tags": {"0": ["String should have at most 20 characters"]}},
        ),
        (
            {"name": "Kit", "born": "yesterday"},
            {"born": ["Input should be a valid date or datetime, input is too short"]},
        ),
    ],
)
def test_pets_refuse_bad_bodies_and_write_nothing(
    pets: FlaskClient, body: dict[str, t.Any], errors: dict[str, t.Any]
) -> None:
    response = pets.post("/pets", json=body)
    assert response.status_code == 400
    assert response.json["errors"] == {"json": errors}
    assert len(pets.get("/pets").json) == 2


def test_pets_conflict(pets: FlaskClient) -> None:
    response = pets.post("/pets", json={"name": "Tom"})
    assert (response.status_code, response.json) == (
        409,
        {"message": "A pet named Tom exists"},
    )


def test_pets_openapi_document(pets: FlaskClient) -> None:
    pytest.importorskip("apispec", reason="needs the 'openapi' extra")
    from openapi_spec_validator import validate

    spec = pets.get("/openapi.json").json
    validate(spec)
    schemas = spec["components"]["schemas"]
    assert {"Pet", "PetIn", "Problem"} <= set(schemas)
    assert schemas["Pet"]["properties"]["label"]["readOnly"] is True
    assert schemas["PetIn"]["properties"]["species"]["enum"] == ["cat", "dog", "rabbit"]
    post = spec["paths"]["/pets"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PetIn"
    }
    assert post["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    get = spec["paths"]["/pets"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["tag", "limit"]
    assert pets.get("/docs").status_code == 200


# -- Idempotency-Key, on SQLite (tests/cats_idempotency.py) ---------------------


@pytest.mark.parametrize("check", cats_idempotency.CHECKS)
def test_idempotency_key(cats_app: Flask, check: t.Callable[[Flask], None]) -> None:
    check(cats_app)


def test_idempotency_key_in_the_document(cats: FlaskClient) -> None:
    pytest.importorskip("apispec", reason="apispec is in the openapi extra")
    paths = cats.get("/openapi.json").json["paths"]
    for path, verb in (("/cats", "post"), ("/cats/{cat_id}", "patch")):
        operation = paths[path][verb]
        names = [parameter["name"] for parameter in operation["parameters"]]
        assert "Idempotency-Key" in names
        assert {"409", "422"} <= set(operation["responses"])
