"""Every Python block of the docs runs as printed.

Each page's blocks run in order, in one namespace, as a reader pasting
them one after the other would run them; a page may start with one block
that sets up what the others use. A few pages' apps are then asked what
the page says they answer.
"""

from __future__ import annotations

import pathlib
import re
import sys
import textwrap
import types
import typing as t

import pytest
from flask import Flask
from werkzeug.local import LocalProxy

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"

#: Pages left out, each with the reason why (none at present).
SKIPPED: set[str] = set()

_BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```", re.S | re.M)


class Block(t.NamedTuple):
    line: int  # of the fence, counting from 1
    source: str


def python_blocks(page: pathlib.Path) -> list[Block]:
    """The page's ``python`` blocks, dedented when they sit in a list."""
    text = page.read_text()
    return [
        Block(text.count("\n", 0, match.start()) + 1, textwrap.dedent(match.group(2)))
        for match in _BLOCK.finditer(text)
    ]


# The docs' pages, and the README, which a package index shows.
PAGES = sorted(
    page.relative_to(DOCS).as_posix()
    for page in DOCS.rglob("*.md")
    if "_build" not in page.parts and python_blocks(page)
) + ["../README.md"]


def run_page(name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, t.Any]:
    """Run a page's blocks; return the namespace they leave."""
    page = DOCS / name
    # One module per page, as if the reader pasted the blocks into a file
    # (SQLAlchemy resolves a model's annotations through its module).
    module = types.ModuleType("docs_" + page.stem.replace("-", "_"))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = module.__dict__
    for block in python_blocks(page):
        # Line numbers of tracebacks are the page's.
        source = "\n" * block.line + block.source
        try:
            exec(compile(source, str(page), "exec"), namespace)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] in ("flask_resources", "samples"):
                raise
            pytest.skip(f"{name} needs {exc.name}")
    return namespace


def close(namespace: dict[str, t.Any]) -> None:
    """Dispose of the database engines a page made, as an app's teardown
    would (Python 3.13 warns about connections left to the collector)."""
    try:
        import sqlalchemy as sa
    except ImportError:
        return
    for value in list(namespace.values()):
        if type(value) is LocalProxy:  # request, current_app: nothing to close
            continue
        engine = value if isinstance(value, sa.Engine) else getattr(value, "engine", 0)
        if isinstance(engine, sa.Engine):
            engine.dispose()


@pytest.fixture
def in_tmp(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever a page writes (a SQLite file) lands in a temporary folder.
    monkeypatch.chdir(tmp_path)


def test_every_page_with_python_is_run_or_said_why_not() -> None:
    assert {"quickstart.md", "guide/resources.md", "../README.md"} <= set(PAGES)
    # An exclusion names a page that exists, so it goes when the page does.
    for name in SKIPPED:
        assert (DOCS / name).is_file(), name


@pytest.mark.usefixtures("in_tmp")
@pytest.mark.parametrize("name", [page for page in PAGES if page not in SKIPPED])
def test_page_runs_as_printed(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    namespace = run_page(name, monkeypatch)
    try:
        check = CHECKS.get(name)
        if check is not None:
            check(namespace)
    finally:
        close(namespace)


# -- what some pages' apps answer ----------------------------------------------


def check_resources(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    assert client.get("/hello").json == {"hello": "world"}
    assert client.get("/todo/3").json == {"id": 3}
    assert client.get("/cats/5").json == {"id": 5}
    csv = client.get("/cats", headers={"Accept": "text/csv"})
    assert (csv.mimetype, csv.data) == ("text/csv", b"name\r\nTom\r\n")
    # The app factory's Api, which the later examples add to.
    factory = ns["create_app"]().test_client()
    assert factory.get("/").json == {"hello": "world"}
    assert factory.post("/secret").status_code == 401
    headers = {"Authorization": "Bearer s3cret"}
    assert factory.post("/secret", headers=headers).json == {"ok": True}
    assert factory.get("/health").json == {"status": "ok"}


def check_errors(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    resp = client.get("/cats/7")
    assert (resp.status_code, resp.json) == (404, {"message": "Cat 7 doesn't exist"})


def check_parsers(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    posted = client.post("/notes", data="a,b\n1,2\n", content_type="text/csv")
    assert posted.json == [{"a": "1", "b": "2"}]
    created = client.post("/cats", data={"name": "Tom", "age": "3"})
    assert (created.status_code, created.json) == (201, {"name": "Tom", "age": 3})


def check_cats(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    assert client.get("/cats").json == []
    assert client.get("/nowhere").json is not None  # catch_all_404s


def check_openapi(ns: dict[str, t.Any]) -> None:
    app = t.cast(Flask, ns["app"])  # the TODO example's
    document = app.test_client().get("/openapi.json").json
    assert "/todos/{todo_id}" in document["paths"]
    assert document["components"]["schemas"]["Todo"]["type"] == "object"


def check_http(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    resp = client.get("/cats/1")
    assert resp.json == {"id": 1, "name": "Tom"}
    assert resp.headers["Last-Modified"] == "Fri, 02 Jan 2026 00:00:00 GMT"
    etag = resp.headers["ETag"]
    assert client.get("/cats/1", headers={"If-None-Match": etag}).status_code == 304


def check_readme(ns: dict[str, t.Any]) -> None:
    client = t.cast(Flask, ns["app"]).test_client()
    assert client.get("/").data == b'{"hello": "world"}\n'


CHECKS: dict[str, t.Callable[[dict[str, t.Any]], None]] = {
    "guide/resources.md": check_resources,
    "guide/errors.md": check_errors,
    "guide/parsers.md": check_parsers,
    "guide/cats.md": check_cats,
    "guide/openapi.md": check_openapi,
    "guide/http.md": check_http,
    "../README.md": check_readme,
}
