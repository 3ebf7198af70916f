"""What docs/guide/http.md shows is what the cats sample answers."""

from __future__ import annotations

import json
import pathlib
import re
import typing as t

import pytest
from flask import Flask

pytest.importorskip("sqlalchemy", reason="needs the 'samples' extra")
pytest.importorskip("flask_httpauth", reason="needs the 'auth' extra")

from samples.cats import create_app, repository_of  # noqa: E402

PAGE = (pathlib.Path(__file__).parent.parent / "docs" / "guide" / "http.md").read_text()
AUTH = {"Authorization": "Bearer t"}


def shown(prefix: str) -> str:
    """The first line of the page's console blocks starting with ``prefix``."""
    for block in re.findall(r"```console\n(.*?)```", PAGE, re.S):
        for line in block.splitlines():
            if line.startswith(prefix):
                return line
    raise AssertionError(f"no {prefix!r} line on the page")


@pytest.fixture
def cats(tmp_path: t.Any) -> t.Iterator[Flask]:
    app = create_app(
        {"CATS_API_TOKEN": "t", "TESTING": True}, instance_path=str(tmp_path)
    )
    yield app
    repository_of(app).close()


def test_pagination_links(cats: Flask) -> None:
    client = cats.test_client()
    for number in range(5):
        client.post("/cats", json={"name": f"Cat {number}"}, headers=AUTH)
    resp = client.get("/cats?per_page=2&page=2&utm_source=mail")
    assert f"Link: {resp.headers['Link']}" == shown("Link: ")
    assert resp.headers["X-Total-Count"] == "5"


def test_etag_304_and_412(cats: Flask) -> None:
    client = cats.test_client()
    client.post(
        "/cats", json={"name": "Tom", "age": 5, "born": "2021-04-01"}, headers=AUTH
    )
    etag = client.get("/cats/1").headers["ETag"]
    assert f"Etag: {etag}" == shown("Etag: ")
    assert client.get("/cats/1", headers={"If-None-Match": etag}).status_code == 304
    client.put(
        "/cats/1", json={"name": "Thomas", "age": 5}, headers={**AUTH, "If-Match": etag}
    )
    resp = client.patch("/cats/1", json={"age": 6}, headers={**AUTH, "If-Match": etag})
    assert resp.status_code == 412
    assert resp.get_json() == json.loads(shown('{"message": "Precondition'))


def test_problem_details(cats: Flask) -> None:
    cats.config["RESOURCES_ERROR_FORMAT"] = "problem"
    resp = cats.test_client().get("/cats/9")
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.get_json() == json.loads(shown('{"type"'))
