"""Idempotency-Key: replay, 422 for another request, 409 while running, 400
for bad keys, scopes, expiry, the OpenAPI document and threads."""

from __future__ import annotations

import itertools
import threading
import typing as t

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient
from threaded import run_in_threads

from flask_resources import Api, Resource, abort, marshal_with, use_args
from flask_resources.idempotency import (
    IdempotencyStore,
    MemoryStore,
    StoredResponse,
    idempotent,
)


class CatSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.Str(required=True)


class Counter:
    """Counts the writes a view makes, as a database would hold them."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.made: list[dict[str, t.Any]] = []
        self.lock = threading.Lock()

    def add(self, values: dict[str, t.Any]) -> dict[str, t.Any]:
        with self.lock:
            cat = {"id": next(self.ids), **values}
            self.made.append(cat)
        return cat


def make_app(
    store: IdempotencyStore | None = None, **options: t.Any
) -> tuple[Flask, Counter]:
    app = Flask(__name__)
    app.config["TESTING"] = True
    api = Api(app)
    counter = Counter()

    class CatList(Resource):
        @idempotent(store, **options)
        @use_args(CatSchema)
        @marshal_with(CatSchema, code=201)
        def post(self, values: dict[str, t.Any]) -> t.Any:
            if values["name"] == "boom":
                abort(409, message="Not this name.")
            if values["name"] == "fail":
                return {"message": "down"}, 503
            cat = counter.add(values)
            return cat, 201, {"Location": f"/cats/{cat['id']}", "X-Write": "1"}

    class Cat(Resource):
        @idempotent(store, **options)
        def patch(self, cat_id: int) -> t.Any:
            counter.add({"patched": cat_id})
            return {"id": cat_id, "writes": len(counter.made)}

    api.add_resource(CatList, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")
    return app, counter


KEY = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"'}


@pytest.fixture
def cats() -> tuple[FlaskClient, Counter]:
    app, counter = make_app(MemoryStore())
    return app.test_client(), counter


def test_retry_is_replayed(cats: tuple[FlaskClient, Counter]) -> None:
    client, counter = cats
    first = client.post("/cats", json={"name": "Tom"}, headers=KEY)
    again = client.post("/cats", json={"name": "Tom"}, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert first.data == again.data
    assert again.json == {"id": 1, "name": "Tom"}
    for name in ("Location", "X-Write", "Content-Type"):
        assert again.headers[name] == first.headers[name]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(counter.made) == 1


def test_bare_key_and_quoted_key_are_one_key(
    cats: tuple[FlaskClient, Counter],
) -> None:
    client, counter = cats
    client.post("/cats", json={"name": "Tom"}, headers={"Idempotency-Key": "k1"})
    again = client.post(
        "/cats", json={"name": "Tom"}, headers={"Idempotency-Key": '"k1"'}
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(counter.made) == 1


def test_other_keys_and_no_key_write_again(cats: tuple[FlaskClient, Counter]) -> None:
    client, counter = cats
    for headers in ({"Idempotency-Key": "a"}, {"Idempotency-Key": "b"}, {}, {}):
        assert client.post("/cats", json={"name": "Tom"}, headers=headers).status_code
    assert [cat["id"] for cat in counter.made] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/cats", {"name": "Felix"}),
        ("patch", "/cats/1", {"name": "Tom"}),
        ("post", "/cats?x=1", {"name": "Tom"}),
    ],
)
def test_same_key_for_another_request_is_422(
    cats: tuple[FlaskClient, Counter], method: str, path: str, body: t.Any
) -> None:
    client, counter = cats
    assert client.post("/cats", json={"name": "Tom"}, headers=KEY).status_code == 201
    resp = getattr(client, method)(path, json=body, headers=KEY)
    assert resp.status_code == 422
    assert "Idempotency-Key" in resp.json["message"]
    assert len(counter.made) == 1


def test_patch_is_replayed(cats: tuple[FlaskClient, Counter]) -> None:
    client, counter = cats
    first = client.patch("/cats/3", json={}, headers=KEY)
    again = client.patch("/cats/3", json={}, headers=KEY)
    assert first.json == again.json == {"id": 3, "writes": 1}
    assert len(counter.made) == 1


def test_errors_and_5xx_are_not_kept(cats: tuple[FlaskClient, Counter]) -> None:
    client, counter = cats
    for name, status in (("boom", 409), ("fail", 503)):
        headers = {"Idempotency-Key": name}
        for _ in range(2):
            resp = client.post("/cats", json={"name": name}, headers=headers)
            assert resp.status_code == status
            assert "Idempotent-Replayed" not in resp.headers
    # Validation errors neither: the same key then works with a fixed body.
    headers = {"Idempotency-Key": "v"}
    assert client.post("/cats", json={}, headers=headers).status_code == 400
    assert client.post("/cats", json={}, headers=headers).status_code == 400
    assert counter.made == []
    assert client.post("/cats", json={"name": "T"}, headers=headers).status_code == 201
    assert len(counter.made) == 1


@pytest.mark.parametrize(
    "value",
    [
        "",
        '""',
        "x" * 256,
        '"' + "x" * 256 + '"',
        "caf\u00e9",
        "tab\there",
        '"a"b"',
    ],
)
def test_bad_key_is_400(cats: tuple[FlaskClient, Counter], value: str) -> None:
    client, counter = cats
    resp = client.post(
        "/cats", json={"name": "Tom"}, headers={"Idempotency-Key": value}
    )
    assert resp.status_code == 400
    assert resp.is_json
    assert resp.json["message"].startswith("The Idempotency-Key header must be")
    assert counter.made == []


def test_longest_key_is_taken(cats: tuple[FlaskClient, Counter]) -> None:
    client, _ = cats
    headers = {"Idempotency-Key": "k" * 255}
    assert client.post("/cats", json={"name": "T"}, headers=headers).status_code == 201
    again = client.post("/cats", json={"name": "T"}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_required_key() -> None:
    app, counter = make_app(MemoryStore(), required=True)
    client = app.test_client()
    resp = client.post("/cats", json={"name": "Tom"})
    assert resp.status_code == 400
    message = "This request needs an Idempotency-Key header."
    assert resp.json == {
        "message": message,
        "errors": {"headers": {"Idempotency-Key": [message]}},
    }
    assert client.post("/cats", json={"name": "T"}, headers=KEY).status_code == 201
    assert len(counter.made) == 1


def test_keys_are_scoped_per_client(cats: tuple[FlaskClient, Counter]) -> None:
    client, counter = cats
    for token in ("a", "b", "a"):
        headers = {**KEY, "Authorization": f"Bearer {token}"}
        client.post("/cats", json={"name": "Tom"}, headers=headers)
    assert len(counter.made) == 2
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.2"):
        client.post(
            "/cats",
            json={"name": "Tom"},
            headers=KEY,
            environ_base={"REMOTE_ADDR": address},
        )
    assert len(counter.made) == 4


def test_client_hook_names_the_scope() -> None:
    app, counter = make_app(
        MemoryStore(), client=lambda: __import__("flask").request.headers["X-User"]
    )
    client = app.test_client()
    for user in ("ann", "bob", "ann"):
        client.post("/cats", json={"name": "T"}, headers={**KEY, "X-User": user})
    assert len(counter.made) == 2


def test_answers_expire() -> None:
    store = MemoryStore(ttl=0)
    app, counter = make_app(store)
    client = app.test_client()
    for _ in range(2):
        resp = client.post("/cats", json={"name": "Tom"}, headers=KEY)
        assert "Idempotent-Replayed" not in resp.headers
    assert len(counter.made) == 2
    assert store.expire() == 1
    assert len(store) == 0


def test_store_keeps_at_most_max_entries() -> None:
    store = MemoryStore(max_entries=3)
    app, counter = make_app(store)
    client = app.test_client()
    for number in range(5):
        headers = {"Idempotency-Key": f"k{number}"}
        client.post("/cats", json={"name": "T"}, headers=headers)
    assert len(store) == 3
    # The newest are kept, the oldest forgotten.
    kept = client.post("/cats", json={"name": "T"}, headers={"Idempotency-Key": "k4"})
    assert kept.headers["Idempotent-Replayed"] == "true"
    gone = client.post("/cats", json={"name": "T"}, headers={"Idempotency-Key": "k0"})
    assert "Idempotent-Replayed" not in gone.headers


def test_default_store_is_the_apis_then_the_apps() -> None:
    app, counter = make_app(None)
    client = app.test_client()
    client.post("/cats", json={"name": "Tom"}, headers=KEY)
    client.post("/cats", json={"name": "Tom"}, headers=KEY)
    assert len(counter.made) == 1

    store = MemoryStore()
    app = Flask(__name__)
    api = Api(app, idempotency_store=store)

    class Things(Resource):
        @idempotent()
        def post(self) -> t.Any:
            return {"ok": True}, 201

    api.add_resource(Things, "/things")
    app.test_client().post("/things", headers=KEY)
    assert len(store) == 1


class BlockingStore(MemoryStore):
    """A memory store whose first save waits until told to go on: the first
    request is then still running while the others arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.reserved = threading.Event()
        self.go_on = threading.Event()

    def reserve(self, scope: str, key: str, fingerprint: str) -> t.Any:
        found = super().reserve(scope, key, fingerprint)
        if found is None:
            self.reserved.set()
        return found

    def save(self, scope: str, key: str, response: StoredResponse) -> None:
        assert self.go_on.wait(30)
        super().save(scope, key, response)


def test_concurrent_duplicate_is_409() -> None:
    store = BlockingStore()
    app, counter = make_app(store)
    statuses: list[int] = []

    def first() -> None:
        resp = app.test_client().post("/cats", json={"name": "Tom"}, headers=KEY)
        statuses.append(resp.status_code)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert store.reserved.wait(30)
        client = app.test_client()
        duplicate = client.post("/cats", json={"name": "Tom"}, headers=KEY)
        assert duplicate.status_code == 409
        assert "still being processed" in duplicate.json["message"]
        other = client.post("/cats", json={"name": "Felix"}, headers=KEY)
        assert other.status_code == 422
    finally:
        store.go_on.set()
        thread.join(30)
    assert statuses == [201]
    again = app.test_client().post("/cats", json={"name": "Tom"}, headers=KEY)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(counter.made) == 1


def test_many_threads_one_key_one_write() -> None:
    app, counter = make_app(MemoryStore())
    seen: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def work() -> None:
        client = app.test_client()
        for number in range(20):
            headers = {"Idempotency-Key": f"key-{number}"}
            resp = client.post("/cats", json={"name": f"c{number}"}, headers=headers)
            with lock:
                seen.append((resp.status_code, resp.data))

    run_in_threads(work)
    # Each key wrote once; every other answer was the replay or a 409.
    assert sorted(cat["name"] for cat in counter.made) == sorted(
        f"c{number}" for number in range(20)
    )
    assert {status for status, _ in seen} <= {201, 409}
    created = {data for status, data in seen if status == 201}
    assert len(created) == 20


def test_openapi_documents_the_header_and_answers() -> None:
    pytest.importorskip("apispec", reason="apispec is in the openapi extra")
    app, _ = make_app(MemoryStore(), required=True)
    api = app.extensions["flask-resources"].apis[0]
    with app.app_context():
        spec = api.openapi()
    post = spec["paths"]["/cats"]["post"]
    (header,) = [p for p in post["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header"
    assert header["required"] is True
    assert header["schema"]["maxLength"] == 255
    assert {"409", "422"} <= set(post["responses"])
    patch = spec["paths"]["/cats/{cat_id}"]["patch"]
    assert any(p["name"] == "Idempotency-Key" for p in patch["parameters"])
