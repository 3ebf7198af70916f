"""The docs page in a real browser: Debian's chromium, driven by Playwright,
loads /docs of the cats sample served by waitress on 127.0.0.1."""

from __future__ import annotations

import os
import typing as t

import pytest

pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
pytest.importorskip("flask_swagger_ui", reason="needs the 'docs' extra")
pytest.importorskip("sqlalchemy", reason="the cats sample needs the samples extra")
pytest.importorskip("waitress", reason="needs waitress")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs Playwright's Python package"
)

from servers import CHROMIUM, waitress_server  # noqa: E402
from servers import CHROMIUM_ARGS as FLAGS  # noqa: E402

from samples.cats import create_app  # noqa: E402

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"no browser: Debian's chromium package ({CHROMIUM}) is not installed",
)


@pytest.fixture
def base_url(tmp_path: t.Any) -> t.Iterator[str]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cats.sqlite3'}",
            "CATS_API_TOKEN": "browser-token",
        }
    )
    app.test_client().post(
        "/cats", json={"name": "Tom"}, headers={"Authorization": "Bearer browser-token"}
    )
    with waitress_server(app, threads=2) as port:
        yield f"http://127.0.0.1:{port}"


def test_docs_page_renders_and_tries_an_operation(base_url: str) -> None:
    requested: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{base_url}/docs")
            # Every operation of the sample is rendered.
            page.wait_for_selector(".opblock", timeout=30_000)
            summaries = page.locator(".opblock-summary-path").all_inner_texts()
            assert {s.replace("\u200b", "") for s in summaries} == {
                "/cats",
                "/cats/{cat_id}",
            }
            assert page.locator(".opblock").count() == 6
            assert page.locator("button.authorize").count() == 1
            # "Try it out" on GET /cats, then Execute.
            operation = page.locator("#operations-CatList-get_cats")
            operation.locator(".opblock-summary").click()
            operation.locator("button.try-out__btn").click()
            with page.expect_response(
                lambda r: "/cats?" in r.url or r.url.endswith("/cats")
            ) as info:
                operation.locator("button.execute").click()
            assert info.value.status == 200
            body = operation.locator(".responses-wrapper .live-responses-table")
            body.wait_for(timeout=30_000)
            assert '"name": "Tom"' in body.inner_text()
            # The Authorize button takes the Bearer token, and a write then
            # carries it.
            page.locator("button.authorize").click()
            page.locator(".auth-container input").fill("browser-token")
            page.locator(".auth-btn-wrapper button.authorize").click()
            page.locator("button.btn-done").click()
            post = page.locator("#operations-CatList-post_cats")
            post.locator(".opblock-summary").click()
            post.locator("button.try-out__btn").click()
            post.locator("textarea.body-param__text").fill('{"name": "Felix"}')
            with page.expect_response(
                lambda r: r.request.method == "POST" and r.url.endswith("/cats")
            ) as info:
                post.locator("button.execute").click()
            assert info.value.status == 201
            assert info.value.request.headers["authorization"] == "Bearer browser-token"
        finally:
            browser.close()
    # Nothing left the machine: the page, its assets and the spec are ours.
    assert requested
    assert all(url.startswith(base_url) for url in requested), requested
