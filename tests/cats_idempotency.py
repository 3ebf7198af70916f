"""The cats sample's Idempotency-Key checks, run on SQLite by
tests/test_samples.py and on PostgreSQL by tests/test_samples_postgres.py."""

from __future__ import annotations

import threading
import typing as t

import sqlalchemy as sa
from flask import Flask
from threaded import run_in_threads

from samples.cats import repository_of
from samples.cats.idempotency import SQLStore
from samples.cats.storage import idempotency_keys

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TOM = {"name": "Tom", "age": 3, "born": "2021-04-01"}


def with_key(key: str) -> dict[str, str]:
    return {**AUTH, "Idempotency-Key": f'"{key}"'}


def store_of(app: Flask) -> SQLStore:
    api = app.extensions["flask-resources"].apis[0]
    return t.cast(SQLStore, api.idempotency_store)


def counts(app: Flask) -> tuple[int, int]:
    """(cats, stored answers) in the database."""
    repository = repository_of(app)
    with repository.engine.connect() as conn:
        keys = conn.execute(
            sa.select(sa.func.count()).select_from(idempotency_keys)
        ).scalar_one()
    return repository.count(), keys


def check_post_is_replayed(app: Flask) -> None:
    client = app.test_client()
    first = client.post("/cats", json=TOM, headers=with_key("post-1"))
    again = client.post("/cats", json=TOM, headers=with_key("post-1"))
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert counts(app) == (1, 1)
    # The same key with another body: 422, nothing written.
    other = client.post("/cats", json={"name": "Felix"}, headers=with_key("post-1"))
    assert other.status_code == 422
    assert counts(app) == (1, 1)
    # No key: a plain write, no answer kept.
    assert client.post("/cats", json=TOM, headers=AUTH).status_code == 201
    assert counts(app) == (2, 1)
    # Not authenticated: 401 before the key is looked at, nothing replayed.
    anonymous = client.post("/cats", json=TOM, headers={"Idempotency-Key": '"post-1"'})
    assert anonymous.status_code == 401


def check_patch_with_if_match_is_replayed(app: Flask) -> None:
    client = app.test_client()
    cat = client.post("/cats", json=TOM, headers=AUTH).json
    etag = client.get(f"/cats/{cat['id']}").headers["ETag"]
    headers = {**with_key("patch-1"), "If-Match": etag}
    first = client.patch(f"/cats/{cat['id']}", json={"age": 4}, headers=headers)
    assert first.status_code == 200
    # The cat changed, so the ETag did: still the retry gets the first answer.
    again = client.patch(f"/cats/{cat['id']}", json={"age": 4}, headers=headers)
    assert (again.status_code, again.json) == (200, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    # A new key with the stale ETag is refused as before.
    stale = {**with_key("patch-2"), "If-Match": etag}
    assert (
        client.patch(f"/cats/{cat['id']}", json={"age": 5}, headers=stale).status_code
        == 412
    )
    assert client.get(f"/cats/{cat['id']}").json["age"] == 4


def check_errors_are_not_kept(app: Flask) -> None:
    client = app.test_client()
    headers = with_key("bad-1")
    assert client.post("/cats", json={"name": ""}, headers=headers).status_code == 400
    assert client.patch("/cats/99", json={"age": 1}, headers=headers).status_code
    assert counts(app) == (0, 0)
    # The key is free again: the corrected request goes through.
    assert client.post("/cats", json=TOM, headers=headers).status_code == 201
    assert counts(app) == (1, 1)
    bad = client.post("/cats", json=TOM, headers={**AUTH, "Idempotency-Key": "é"})
    assert bad.status_code == 400
    assert counts(app) == (1, 1)


def check_threads_write_each_key_once(app: Flask) -> None:
    """8 threads send the same 10 keyed POSTs at once: 10 cats, and every
    answer is the write, its replay, or a 409 while it ran."""
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        client = app.test_client()
        for number in range(10):
            body = {"name": f"cat-{number}"}
            resp = client.post("/cats", json=body, headers=with_key(f"t-{number}"))
            with lock:
                seen.append(resp.status_code)

    run_in_threads(work)
    assert set(seen) <= {201, 409}
    assert counts(app) == (10, 10)
    names = sorted(cat["name"] for cat in repository_of(app).listing().slice(0, 100))
    assert names == sorted(f"cat-{number}" for number in range(10))


def check_answers_expire(app: Flask) -> None:
    client = app.test_client()
    store = store_of(app)
    client.post("/cats", json=TOM, headers=with_key("old"))
    assert store.expire() == 0
    store.ttl = 0
    # Expired: the key runs again, and its old answer is replaced.
    again = client.post("/cats", json=TOM, headers=with_key("old"))
    assert "Idempotent-Replayed" not in again.headers
    assert counts(app) == (2, 1)
    assert store.expire() == 1
    assert counts(app) == (2, 0)


#: Every check above, for the database test modules to run on their app.
CHECKS = [
    check_post_is_replayed,
    check_patch_with_if_match_is_replayed,
    check_errors_are_not_kept,
    check_threads_write_each_key_once,
    check_answers_expire,
]
