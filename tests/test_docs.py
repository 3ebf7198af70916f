"""The examples of the docs pages run, and answer what the pages show."""

from __future__ import annotations

import pathlib
import re
import typing as t

import pytest
from flask import Flask

DOCS = pathlib.Path(__file__).parent.parent / "docs"


def page_app(page: pathlib.Path, blocks: slice) -> Flask:
    """Run some of a page's Python blocks as one module; return its app."""
    sources = re.findall(r"```python\n(.*?)```", page.read_text(), re.S)[blocks]
    namespace: dict[str, t.Any] = {"__name__": "docs_example"}
    exec(compile("\n".join(sources), str(page), "exec"), namespace)
    return t.cast(Flask, namespace["app"])


def console_answers(page: pathlib.Path) -> list[bytes]:
    """The answers the page's console blocks show after each curl."""
    answers = []
    for block in re.findall(r"```console\n(.*?)```", page.read_text(), re.S):
        for line in block.splitlines():
            if line and not line.startswith("$"):
                answers.append(line.encode() + b"\n")
    return answers


@pytest.fixture
def quickstart() -> Flask:
    # The first block is the minimal API, which the others start over from.
    return page_app(DOCS / "quickstart.md", slice(1, None))


def test_quickstart_answers_what_the_page_shows(quickstart: Flask) -> None:
    client = quickstart.test_client()
    answers = [
        client.post("/cats", json={"age": 2}),
        client.post("/v2/cats", json={"age": -1}),
        client.get("/cats/1"),
        client.get("/v2/cats/1"),
        client.get("/cats/9"),
    ]
    assert [r.status_code for r in answers] == [400, 400, 200, 200, 404]
    shown = console_answers(DOCS / "quickstart.md")
    # The first console block is the minimal API's.
    assert [r.data for r in answers] == shown[1:]


def test_quickstart_writes(quickstart: Flask) -> None:
    client = quickstart.test_client()
    created = client.post("/cats", json={"name": "Kit", "age": 2})
    assert (created.status_code, created.get_json()) == (
        201,
        {"id": 2, "name": "Kit", "age": 2},
    )
    again = client.post("/v2/cats", json={"name": "Kat"})
    assert (again.status_code, again.get_json()) == (
        201,
        {"id": 3, "name": "Kat", "age": 0},
    )
    assert client.get("/cats/3").get_json() == {
        "id": 3,
        "name": "Kat",
        "uri": "/cats/3",
    }


def test_minimal_api() -> None:
    client = page_app(DOCS / "quickstart.md", slice(0, 1)).test_client()
    assert client.get("/").data == console_answers(DOCS / "quickstart.md")[0]
