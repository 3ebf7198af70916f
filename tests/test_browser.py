"""The browsable cats API in a real browser: Debian's Chromium via Playwright,
against the sample served by waitress on 127.0.0.1.

Screenshots go to ``test-artifacts/browser/`` (ignored by git), or to the
folder ``BROWSER_ARTIFACTS`` names.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import typing as t

import pytest
import servers
from test_samples import TOKEN, Served, cats_app, served  # noqa: F401

CHROMIUM, CHROMIUM_ARGS = servers.CHROMIUM, servers.CHROMIUM_ARGS
ARTIFACTS = pathlib.Path(
    os.environ.get("BROWSER_ARTIFACTS")
    or pathlib.Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"
)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the 'test' extra)"
)
if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"no browser at {CHROMIUM}: apt-get install chromium", allow_module_level=True
    )

# Cat names that would run script if the page let them.
XSS_NAMES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=window.pwned=1>",
    '"><svg onload=alert(2)>',
]


@pytest.fixture
def browser() -> t.Iterator[t.Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: t.Any) -> t.Iterator[t.Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []

    def on_dialog(dialog: t.Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs
    yield page
    context.close()


def shoot(page: t.Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_no_script_ran(page: t.Any) -> None:
    assert page.dialogs == []
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_create_follow_and_delete_a_cat_through_the_page(
    served: Served,  # noqa: F811
    page: t.Any,
) -> None:
    for name in XSS_NAMES:
        status, _, _ = served.request(
            "POST", "/cats", {"name": name}, {"Authorization": f"Bearer {TOKEN}"}
        )
        assert status == 201
    base = f"http://127.0.0.1:{served.port}"

    response = page.goto(f"{base}/cats")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    body = page.locator("#body")
    for name in XSS_NAMES:
        # Shown as text (JSON-escaped quotes aside), never run.
        assert name.replace('"', '\\"') in body.inner_text()
    assert_no_script_ran(page)
    shoot(page, "cats-list")

    form = page.locator("#form-post")
    result = form.locator("xpath=following-sibling::div[1]")
    form.locator("textarea[name=body]").fill('{"name": "Felix", "age": 2}')

    # Without the token: the same 401 curl gets.
    form.locator("button").click()
    expect = sync_api.expect
    expect(result.locator(".result-status")).to_have_text(
        re.compile(r"^HTTP 401\b"), timeout=30_000
    )
    assert "Writes need an API token" in result.locator(".result-body").inner_text()

    form.locator("input[name=authorization]").fill(f"Bearer {TOKEN}")
    form.locator("button").click()
    expect(result.locator(".result-status")).to_have_text(
        re.compile(r"^HTTP 201\b"), timeout=30_000
    )
    created = result.locator(".result-body").inner_text()
    assert '"name": "Felix"' in created
    shoot(page, "cats-created")

    page.reload()
    assert '"name": "Felix"' in page.locator("#body").inner_text()
    assert_no_script_ran(page)

    # Follow the new cat's Location.
    location = re.search(r'"id": (\d+)', created)
    assert location is not None
    cat_url = f"/cats/{location.group(1)}"
    page.goto(f"{base}/cats")
    page.locator("#form-post textarea[name=body]").fill('{"name": "Tigger"}')
    page.locator("#form-post button").click()
    link = page.locator(".result-headers a").first
    expect(link).to_have_text(re.compile(r"^/cats/\d+$"), timeout=30_000)
    tigger_url = link.inner_text()
    link.click()
    page.wait_for_url(f"{base}{tigger_url}")
    assert '"name": "Tigger"' in page.locator("#body").inner_text()

    page.goto(f"{base}{cat_url}")
    assert page.locator("#status").inner_text() == "HTTP 200 OK"
    assert '"name": "Felix"' in page.locator("#body").inner_text()
    shoot(page, "cat")
    delete = page.locator("#form-delete")
    # The token typed earlier is kept for the tab.
    assert delete.locator("input[name=authorization]").input_value() == (
        f"Bearer {TOKEN}"
    )
    delete.locator("button").click()
    expect(
        delete.locator("xpath=following-sibling::div[1]").locator(".result-status")
    ).to_have_text(re.compile(r"^HTTP 204\b"), timeout=30_000)

    response = page.goto(f"{base}{cat_url}")
    assert response.status == 404
    assert page.locator("#status").inner_text() == "HTTP 404 Not Found"

    response = page.goto(f"{base}/cats?format=json")
    assert response.headers["content-type"] == "application/json"
    assert "Felix" not in response.text()
    assert_no_script_ran(page)


def test_root_lists_the_resources(served: Served, page: t.Any) -> None:  # noqa: F811
    base = f"http://127.0.0.1:{served.port}"
    response = page.goto(f"{base}/")
    assert response.status == 200
    shoot(page, "root")
    page.locator("#body a", has_text="/cats").click()
    page.wait_for_url(f"{base}/cats")
    assert page.locator("h1").inner_text() == "CatList"


def test_each_content_type_of_the_picker_sends_the_editors_body(page: t.Any) -> None:
    from flask import Flask, request
    from werkzeug.datastructures import MultiDict

    from flask_resources import Api, Resource, parsed_body

    class Echo(Resource):
        """Echo what the body parsed to."""

        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            body = parsed_body()
            if isinstance(body, MultiDict):
                body = {key: body.getlist(key) for key in body}
            return {"type": request.mimetype, "body": body}

    app = Flask(__name__)
    Api(app, browsable=True).add_resource(Echo, "/echo")
    sent = {
        "application/json": ('{"name": "Tom", "tags": ["a", "b"]}', None),
        "application/x-www-form-urlencoded": (
            '{"name": "Tom", "tags": ["a", "b"]}',
            {"name": ["Tom"], "tags": ["a", "b"]},
        ),
        "multipart/form-data": (
            '{"name": "Tom", "age": 3}',
            {"name": ["Tom"], "age": ["3"]},
        ),
        "text/plain": ("just text", "just text"),
    }
    with servers.waitress_server(app) as port:
        page.goto(f"http://127.0.0.1:{port}/echo")
        form = page.locator("#form-post")
        status = page.locator("#form-post + .result .result-status")
        for content_type, (text, expected) in sent.items():
            form.locator("select[name=content-type]").select_option(content_type)
            form.locator("textarea[name=body]").fill(text)
            form.locator("button").click()
            sync_api.expect(status).to_have_text(
                re.compile(r"^HTTP 200\b"), timeout=30_000
            )
            answer = json.loads(
                page.locator("#form-post + .result .result-body").inner_text()
            )
            if expected is None:
                expected = json.loads(text)
            assert answer == {"type": content_type, "body": expected}
            # The next answer is awaited from a blank status.
            page.evaluate(
                "document.querySelector('#form-post + .result .result-status')"
                ".textContent = ''"
            )
        # Let the server stop: the browser keeps its connections open.
        page.context.close()
