"""The browsable API: negotiation, pages, escaping, forms and the root."""

from __future__ import annotations

import html.parser
import json
import pathlib
import sys
import typing as t

import pytest
from flask import Blueprint, Flask, request
from flask.testing import FlaskClient
from marshmallow import Schema, fields
from werkzeug.datastructures import Headers

from flask_resources import Api, Resource, abort, marshal_with, use_args

BROWSER = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
    "image/webp,*/*;q=0.8"
)
HTML = {"Accept": BROWSER}
XSS = "<script>alert(1)</script>"
HOSTILE_URL = '/cats/1"onmouseover="alert(2)'


class CatSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True)
    age = fields.Int()


CATS: dict[int, dict[str, t.Any]] = {}


class CatList(Resource):
    """All the cats.

    A second paragraph with <b>markup</b>.
    """

    def get(self) -> t.Any:
        return (
            [{**cat, "url": f"/cats/{cat['id']}"} for cat in CATS.values()],
            200,
            {"X-Total-Count": str(len(CATS))},
        )

    @use_args(CatSchema)
    @marshal_with(CatSchema)
    def post(self, cat: dict[str, t.Any]) -> t.Any:
        """Add a cat."""
        if request.headers.get("Authorization") != "Bearer token":
            abort(401, message="Writes need a token.")
        cat = {"id": len(CATS) + 1, **cat}
        CATS[cat["id"]] = cat
        return cat, 201, {"Location": f"/cats/{cat['id']}"}


class Cat(Resource):
    def get(self, cat_id: int) -> t.Any:
        if cat_id not in CATS:
            abort(404, message=f"No cat {cat_id}. {XSS}")
        return CATS[cat_id]

    @use_args(CatSchema(partial=True), arg_name="values")
    def patch(self, cat_id: int, values: dict[str, t.Any]) -> t.Any:
        CATS[cat_id].update(values)
        return CATS[cat_id]

    def delete(self, cat_id: int) -> t.Any:
        CATS.pop(cat_id, None)
        return "", 204


def build(app: Flask, **options: t.Any) -> Api:
    api = Api(app, **options)
    api.add_resource(CatList, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")
    return api


@pytest.fixture(autouse=True)
def cats() -> t.Iterator[None]:
    CATS.clear()
    CATS[1] = {"id": 1, "name": "Tom", "age": 3}
    yield
    CATS.clear()


@pytest.fixture
def browsable() -> FlaskClient:
    app = Flask(__name__)
    app.config["TESTING"] = True
    build(app, browsable=True)
    return app.test_client()


@pytest.fixture
def plain() -> FlaskClient:
    app = Flask(__name__)
    app.config["TESTING"] = True
    build(app)
    return app.test_client()


class Page(html.parser.HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str | None] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(attrs)
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(resp: t.Any) -> Page:
    assert resp.mimetype == "text/html"
    return Page(resp.get_data(as_text=True))


def assert_inert(parsed: Page) -> None:
    """Only the page's own script; no handler attributes; links only to
    paths and http(s)."""
    assert parsed.scripts == [{"src": "/_flask_resources/browsable.js", "defer": None}]
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    for href in parsed.links:
        assert href is not None
        assert href.startswith("/") or href.startswith(("http://", "https://"))
        assert not href.startswith("//")


# -- negotiation --------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "*/*"},
        {"Accept": "application/json"},
        {},
        {"Accept": "text/html, application/json"},
        {"Accept": "application/json, text/html;q=0.9"},
        {"Accept": "application/vnd.api+json"},
    ],
)
@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("get", "/cats", {}),
        ("get", "/cats/1", {}),
        ("get", "/cats/9", {}),
        ("post", "/cats", {"json": {"name": "Felix"}}),
        ("post", "/cats", {"json": {"name": 1}}),
        ("delete", "/cats", {}),
        ("get", "/nowhere", {}),
    ],
)
def test_json_clients_get_byte_for_byte_the_json_of_a_plain_api(
    browsable: FlaskClient,
    plain: FlaskClient,
    headers: dict[str, str],
    method: str,
    url: str,
    kwargs: dict[str, t.Any],
) -> None:
    got = getattr(browsable, method)(url, headers=headers, **kwargs)
    CATS.pop(2, None)
    expected = getattr(plain, method)(url, headers=headers, **kwargs)
    assert got.status_code == expected.status_code
    assert got.get_data() == expected.get_data()
    assert Headers(got.headers) == Headers(expected.headers)


def test_browser_gets_a_page(browsable: FlaskClient) -> None:
    resp = browsable.get("/cats", headers=HTML)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/html"
    assert resp.headers["X-Total-Count"] == "1"
    assert resp.headers["Vary"] == "Accept"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    parsed = page(resp)
    assert_inert(parsed)
    text = "".join(parsed.text)
    assert "HTTP 200 OK" in text
    assert "All the cats." in text
    assert "A second paragraph with <b>markup</b>." in text
    assert "Allowed methods: GET, HEAD, OPTIONS, POST" in text
    assert "X-Total-Count" in text
    assert '"name": "Tom"' in text
    assert "/cats/1" in parsed.links
    assert "/cats?format=json" in parsed.links


def test_plain_api_answers_browsers_with_json(plain: FlaskClient) -> None:
    resp = plain.get("/cats", headers=HTML)
    assert resp.mimetype == "application/json"
    assert plain.get("/", headers=HTML).status_code == 404
    assert plain.get("/_flask_resources/browsable.js").status_code == 404


@pytest.mark.parametrize("accept", [BROWSER, "text/html"])
def test_format_json_shows_the_json(
    browsable: FlaskClient, plain: FlaskClient, accept: str
) -> None:
    for url in ("/cats?format=json", "/cats/9?format=json"):
        got = browsable.get(url, headers={"Accept": accept})
        expected = plain.get(url)
        assert got.mimetype == "application/json"
        assert got.status_code == expected.status_code
        assert got.get_data() == expected.get_data()


def test_format_param_is_configurable(browsable: FlaskClient) -> None:
    app = t.cast(Flask, browsable.application)
    app.config["RESOURCES_BROWSABLE_FORMAT_PARAM"] = "as"
    assert browsable.get("/cats?format=json", headers=HTML).mimetype == "text/html"
    assert browsable.get("/cats?as=json", headers=HTML).mimetype == "application/json"
    resp = browsable.get("/cats?page=2", headers=HTML)
    assert "/cats?page=2&as=json" in page(resp).links
    app.config["RESOURCES_BROWSABLE_FORMAT_PARAM"] = None
    resp = browsable.get("/cats?as=json", headers=HTML)
    assert resp.mimetype == "text/html"
    assert not [link for link in page(resp).links if "json" in (link or "")]


@pytest.mark.parametrize(
    ("option", "config", "expected"),
    [
        (None, None, "application/json"),
        (None, True, "text/html"),
        (False, True, "application/json"),
        (True, False, "text/html"),
    ],
)
def test_config_key_turns_it_on_unless_the_api_says(
    option: bool | None, config: bool | None, expected: str
) -> None:
    app = Flask(__name__)
    if config is not None:
        app.config["RESOURCES_BROWSABLE"] = config
    build(app, browsable=option)
    assert app.test_client().get("/cats", headers=HTML).mimetype == expected


def test_apps_own_html_representation_wins(app: Flask) -> None:
    api = build(app, browsable=True)

    @api.representation("text/html")
    def output_html(data: t.Any, code: int, headers: t.Any = None) -> t.Any:
        return app.response_class("<p>mine</p>", status=code, headers=headers)

    api.representations["text/html"] = output_html
    resp = app.test_client().get("/cats", headers=HTML)
    assert resp.get_data() == b"<p>mine</p>"


# -- escaping -----------------------------------------------------------------


def test_every_value_on_the_page_is_escaped(app: Flask) -> None:
    class Hostile(Resource):
        """Docstring with <script>alert(3)</script> and <img src=x onerror=alert(4)>."""

        def get(self) -> t.Any:
            return (
                {
                    "name": XSS,
                    "url": HOSTILE_URL,
                    "path": '/cats/"><script>alert(10)</script>',
                    "next": "javascript:alert(5)",
                    "home": 'https://example.com/"onmouseover="alert(6)',
                    XSS: "key",
                },
                200,
                {
                    "X-Note": "<script>alert(7)</script>",
                    "Link": '<javascript:x>; rel="a"',
                },
            )

        def post(self) -> t.Any:
            abort(400, message="<img src=x onerror=alert(8)>")

    class Named(Resource):
        def get(self, name: str) -> t.Any:
            return {"name": name}

    api = Api(app, browsable=True)
    api.add_resource(Hostile, "/hostile")
    api.add_resource(Named, "/cats/<name>")
    client = app.test_client()
    for resp in (
        client.get("/hostile", headers=HTML),
        client.get('/hostile?q="><script>alert(9)</script>', headers=HTML),
        client.post("/hostile", headers=HTML),
    ):
        text = resp.get_data(as_text=True)
        parsed = page(resp)
        assert_inert(parsed)
        assert "<script>alert" not in text
        assert "<img" not in text
        assert 'onmouseover="' not in text
        assert "javascript:" not in "".join(link or "" for link in parsed.links)
    text = "".join(page(client.get("/hostile", headers=HTML)).text)
    # The payloads are shown, as text.
    assert XSS in text
    assert "<script>alert(3)</script>" in text
    assert "<script>alert(7)</script>" in text
    assert "javascript:alert(5)" in text
    # (JSON-escaped, as the JSON body has it)
    assert '/cats/\\"><script>alert(10)</script>' in text
    error = "".join(page(client.post("/hostile", headers=HTML)).text)
    assert "<img src=x onerror=alert(8)>" in error
    parsed = page(client.get("/hostile", headers=HTML))
    # A route's URL with a quote in it is still a link, its quote escaped.
    assert HOSTILE_URL in parsed.links


# -- links and hostile data ----------------------------------------------------


def test_links_only_to_this_sites_routes(app: Flask) -> None:
    shown = [
        "/cats/1",
        "/cats",
        "/cats/1?x=1",
        "http://localhost/cats/1",
        "/\\evil.example",
        "/\\/evil.example/cats",
        "//evil.example/cats",
        "http://evil.example/cats/1",
        "https://localhost.evil.example/cats/1",
        "http://localhost//evil.example",
        "/nowhere",
        "/cats/x",
        "/cats/1\t",
        "/" + "c" * 3000,
    ]

    class Data(Resource):
        def get(self) -> t.Any:
            links = ", ".join(f"<{url}>; rel=item" for url in shown)
            return shown, 200, {"Link": links, "Location": "/\\evil.example"}

    api = build(app, browsable=True)
    api.add_resource(Data, "/data")
    resp = app.test_client().get("/data", headers=HTML)
    body = [link for link in page(resp).links if link not in ("/", "/data?format=json")]
    linked = ["/cats/1", "/cats", "/cats/1?x=1", "http://localhost/cats/1"]
    assert body == linked + linked  # the body's, then the Link header's
    text = "".join(page(resp).text)
    # Shown as text: in the body (JSON-escaped), the Link and the Location.
    assert text.count('"/\\\\evil.example"') == 1
    assert text.count("</\\evil.example>") == 1
    assert "/\\evil.example" in [value.strip() for value in page(resp).text]
    assert not [link for link in page(resp).links if link and "evil" in link]


def test_links_under_a_script_root(app: Flask) -> None:
    class Data(Resource):
        def get(self) -> t.Any:
            return ["/app/cats/1", "/cats/1", "/application/cats/1"]

    api = build(app, browsable=True)
    api.add_resource(Data, "/data")
    client = app.test_client()
    resp = client.get("/data", headers=HTML, environ_overrides={"SCRIPT_NAME": "/app"})
    assert "/app/cats/1" in page(resp).links
    assert not {"/cats/1", "/application/cats/1"} & set(page(resp).links)


def test_links_are_bounded(app: Flask) -> None:
    class Many(Resource):
        def get(self) -> t.Any:
            return ["/cats/1"] * 2000

    api = build(app, browsable=True)
    api.add_resource(Many, "/many")
    links = page(app.test_client().get("/many", headers=HTML)).links
    assert links.count("/cats/1") == 500


# Work on a 100,000-character string is bounded by its size. The scanner's
# reads are counted rather than timed: each match of a JSON string is made
# from a quote the scanner has not yet passed, so what it reads (at most to
# the end of the text for the one match that fails) adds up to the length.
HOSTILE_STRINGS = [
    '\\"' * 50_000,
    '"' * 100_000,
    "\\" * 100_000,
    "/" * 100_000,
    "/\\" * 50_000,
    "<" * 100_000,
    "<a" * 50_000,
    "\\u" * 50_000,
]


class CountingPattern:
    """The renderer's JSON string pattern, counting the characters each of
    its matches may read."""

    def __init__(self, pattern: t.Any) -> None:
        self.pattern = pattern
        self.read = 0
        self.texts: set[int] = set()

    def match(self, text: str, position: int) -> t.Any:
        found = self.pattern.match(text, position)
        self.texts.add(len(text))
        self.read += (found.end() if found else len(text)) - position
        return found


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingPattern:
    from flask_resources.browsable import renderer

    pattern = CountingPattern(renderer._JSON_STRING)
    monkeypatch.setattr(renderer, "_JSON_STRING", pattern)
    return pattern


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_strings_on_a_page(
    app: Flask, value: str, counting: CountingPattern
) -> None:
    class Stored(Resource):
        def get(self) -> t.Any:
            return [{"name": value, "url": "/cats/1"}], 200, {"Link": value}

    api = build(app, browsable=True)
    api.add_resource(Stored, "/stored")
    resp = app.test_client().get("/stored", headers=HTML)
    assert resp.status_code == 200
    assert "/cats/1" in page(resp).links
    assert value in "".join(page(resp).text)  # the Link header, as text
    # One pretty-printed body, read once; the escaped value is at most
    # twice as long as the value.
    assert len(counting.texts) == 1
    assert counting.read <= max(counting.texts) <= 2 * len(value) + 100


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_text_that_is_not_json(value: str, counting: CountingPattern) -> None:
    from flask_resources.browsable.renderer import json_tokens

    asked: list[str] = []

    def accept(candidate: str) -> bool:
        asked.append(candidate)
        return True

    for text in (value, f'["x", {value}', f'"{value}', f'["/cats/1", "{value}'):
        counting.read = 0
        tokens = list(json_tokens(text, accept))
        assert "".join(token.text for token in tokens) == text
        assert counting.read <= len(text)
        # Only strings short enough to be URLs are decoded and asked about.
        assert all(len(candidate) <= 2000 for candidate in asked)


# -- errors -------------------------------------------------------------------


def test_errors_are_pages_with_the_same_status(browsable: FlaskClient) -> None:
    resp = browsable.get("/cats/9", headers=HTML)
    assert resp.status_code == 404
    text = "".join(page(resp).text)
    assert "HTTP 404 Not Found" in text
    assert f"No cat 9. {XSS}" in text
    resp = browsable.put("/cats", headers=HTML)
    assert resp.status_code == 405
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "HTTP 405 Method Not Allowed" in "".join(page(resp).text)


def test_form_post_without_token_gets_the_same_401_as_curl(
    browsable: FlaskClient,
) -> None:
    # What the page's script sends: the editor's JSON, Accept JSON, no token.
    form = browsable.post(
        "/cats",
        data=json.dumps({"name": "Felix"}),
        headers={"Accept": "application/json", "Content-Type": "application/json"},
    )
    curl = browsable.post(
        "/cats",
        data='{"name": "Felix"}',
        headers={"Accept": "*/*"},
        content_type="application/json",
    )
    assert form.status_code == curl.status_code == 401
    assert form.get_data() == curl.get_data()
    assert 2 not in CATS
    page_resp = browsable.post("/cats", json={"name": "Felix"}, headers=HTML)
    assert page_resp.status_code == 401
    assert "Writes need a token." in "".join(page(page_resp).text)


def test_catch_all_404_is_a_page(app: Flask) -> None:
    build(app, browsable=True, catch_all_404s=True)
    resp = app.test_client().get("/nowhere/<b>", headers=HTML)
    assert resp.status_code == 404
    parsed = page(resp)
    assert_inert(parsed)
    assert "HTTP 404 Not Found" in "".join(parsed.text)


# -- forms --------------------------------------------------------------------


class Forms(html.parser.HTMLParser):
    """Each form's data attributes, fields and pre-filled body."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.forms: list[dict[str, t.Any]] = []
        self._in_textarea = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({**attributes, "fields": [], "body": None, "types": []})
        elif tag in ("input", "textarea", "select") and self.forms:
            self.forms[-1]["fields"].append(attributes["name"])
            self._in_textarea = tag == "textarea"

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data: str) -> None:
        if self._in_textarea:
            self.forms[-1]["body"] = (self.forms[-1]["body"] or "") + data
        elif self.lasttag == "option" and self.forms and data.strip():
            self.forms[-1]["types"].append(data.strip())


def test_forms_for_each_other_verb(browsable: FlaskClient) -> None:
    forms = Forms(browsable.get("/cats", headers=HTML).get_data(as_text=True)).forms
    assert [form["data-method"] for form in forms] == ["POST"]
    post = forms[0]
    assert post["data-url"] == "/cats"
    assert post["fields"] == ["content-type", "body", "authorization"]
    # Pre-filled from the schema use_args recorded; dump_only id left out.
    assert json.loads(post["body"]) == {"name": "string", "age": 0}
    # use_args reads JSON: the picker offers what the verb takes.
    assert post["types"] == ["application/json"]

    forms = Forms(browsable.get("/cats/1", headers=HTML).get_data(as_text=True)).forms
    assert [form["data-method"] for form in forms] == ["PATCH", "DELETE"]
    patch, delete = forms
    # The current values, for the fields the schema loads.
    assert json.loads(patch["body"]) == {"name": "Tom", "age": 3}
    assert delete["fields"] == ["authorization"]
    assert delete["body"] is None


def test_form_content_types_are_the_resources_parsers(app: Flask) -> None:
    class Upload(Resource):
        parsers = {"text/csv": lambda body, mimetype, options: body}

        def put(self) -> t.Any:
            return ""

    api = Api(app, browsable=True)
    api.add_resource(Upload, "/upload")
    resp = app.test_client().get("/upload", headers=HTML)
    # PUT only: GET answers 405, as a page with the form still there.
    assert resp.status_code == 405
    forms = Forms(resp.get_data(as_text=True)).forms
    assert [(form["data-method"], form["types"]) for form in forms] == [
        ("PUT", ["text/csv"])
    ]
    assert forms[0]["body"] == "{}"


# -- the root -----------------------------------------------------------------


def test_root_lists_the_resources(browsable: FlaskClient) -> None:
    resp = browsable.get("/")
    assert resp.status_code == 200
    assert resp.json == {
        "resources": [
            {
                "name": "catlist",
                "urls": ["/cats"],
                "methods": ["GET", "POST"],
                "description": "All the cats.",
            },
            {
                "name": "cat",
                "urls": ["/cats/<int:cat_id>"],
                "methods": ["DELETE", "GET", "PATCH"],
                "description": None,
            },
        ]
    }
    parsed = page(browsable.get("/", headers=HTML))
    assert "/cats" in parsed.links
    assert "/cats/<int:cat_id>" not in parsed.links
    # Every page links the root.
    assert "/" in page(browsable.get("/cats/1", headers=HTML)).links


@pytest.mark.parametrize("before_bind", [True, False])
def test_a_resource_at_the_root_wins_over_the_listing(before_bind: bool) -> None:
    class Home(Resource):
        def get(self) -> t.Any:
            return {"home": True}

    app = Flask(__name__)
    if before_bind:
        api = Api(browsable=True)
        api.add_resource(Home, "/")
        api.init_app(app)
    else:
        api = Api(app, browsable=True)
        api.add_resource(Home, "/")
    assert app.test_client().get("/").json == {"home": True}


def test_under_a_blueprint_and_a_prefix() -> None:
    app = Flask(__name__)
    blueprint = Blueprint("v1", __name__, url_prefix="/bp")
    api = Api(blueprint, prefix="/api", browsable=True)
    api.add_resource(CatList, "/cats")
    api.add_resource(Cat, "/cats/<int:cat_id>")
    other = Api(app, prefix="/other", browsable=True)
    other.add_resource(Cat, "/cat/<int:cat_id>")
    app.register_blueprint(blueprint)
    client = app.test_client()
    listing = client.get("/bp/api/")
    assert [entry["urls"] for entry in listing.json["resources"]] == [
        ["/bp/api/cats"],
        ["/bp/api/cats/<int:cat_id>"],
    ]
    assert [e["urls"] for e in client.get("/other/").json["resources"]] == [
        ["/other/cat/<int:cat_id>"]
    ]
    resp = client.get("/bp/api/cats", headers=HTML)
    parsed = page(resp)
    assert_inert(parsed)
    assert "/bp/api/" in parsed.links
    assert "/bp/api/cats?format=json" in parsed.links
    assert Forms(resp.get_data(as_text=True)).forms[0]["data-url"] == "/bp/api/cats"
    assert "/other/" in page(client.get("/other/cat/1", headers=HTML)).links
    css = client.get("/_flask_resources/browsable.css")
    assert css.status_code == 200
    css.close()


def test_under_a_script_root(browsable: FlaskClient) -> None:
    resp = browsable.get(
        "/cats", headers=HTML, environ_overrides={"SCRIPT_NAME": "/app"}
    )
    parsed = page(resp)
    assert "/app/cats?format=json" in parsed.links
    assert "/app/" in parsed.links
    forms = Forms(resp.get_data(as_text=True)).forms
    assert forms[0]["data-url"] == "/app/cats"


def test_assets_ship_in_the_package(browsable: FlaskClient) -> None:
    for name, mimetype in (
        ("browsable.js", "text/javascript"),
        ("browsable.css", "text/css"),
    ):
        resp = browsable.get(f"/_flask_resources/{name}")
        assert resp.status_code == 200
        assert resp.mimetype == mimetype
        resp.close()


def test_openapi_leaves_the_pages_and_the_root_out() -> None:
    pytest.importorskip("apispec", reason="OpenAPI needs the 'openapi' extra")
    app = Flask(__name__)
    api = build(app, browsable=True)
    with app.app_context():
        document = api.openapi()
    assert sorted(document["paths"]) == ["/cats", "/cats/{cat_id}"]
    responses = document["paths"]["/cats"]["post"]["responses"]
    for response in responses.values():
        assert "text/html" not in response.get("content", {})


def test_root_links_the_docs_page() -> None:
    pytest.importorskip(
        "flask_swagger_ui", reason="the docs page needs the 'docs' extra"
    )
    app = Flask(__name__)
    build(app, browsable=True, docs_url="/docs")
    client = app.test_client()
    assert client.get("/").json["docs"] == "/docs"
    assert "/docs" in page(client.get("/", headers=HTML)).links
    docs = client.get("/docs")
    assert docs.status_code == 200
    docs.close()


def test_cats_sample_is_browsable(tmp_path: t.Any) -> None:
    # The samples live in the checkout, not in the wheel tox installs.
    root = str(pathlib.Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.append(root)
    from samples.cats import create_app, repository_of

    app = create_app({"CATS_API_TOKEN": "token"}, instance_path=str(tmp_path))
    try:
        client = app.test_client()
        assert client.get("/cats").mimetype == "application/json"
        resp = client.get("/cats", headers=HTML)
        forms = Forms(resp.get_data(as_text=True)).forms
        assert [form["data-method"] for form in forms] == ["POST"]
        assert json.loads(forms[0]["body"])["name"] == "string"
        listing = client.get("/").json
        assert [entry["name"] for entry in listing["resources"]] == [
            "cats",
            "cat",
            "live",
            "ready",
        ]
    finally:
        repository_of(app).close()


def test_form_prefilled_from_a_request_parser(app: Flask) -> None:
    from flask_resources import doc, reqparse

    parser = reqparse.RequestParser()
    parser.add_argument("task", required=True)
    parser.add_argument("priority", type=int, default=3)
    parser.add_argument("tags", action="append")
    parser.add_argument("page", type=int, location="args")

    class Todos(Resource):
        @use_args(parser)
        def post(self, args: t.Any) -> t.Any:
            return dict(args), 201

        @doc(args=parser)
        def put(self) -> t.Any:
            return parser.parse_args()

    api = Api(app, browsable=True)
    api.add_resource(Todos, "/todos")
    resp = app.test_client().get("/todos", headers=HTML)
    forms = Forms(resp.get_data(as_text=True)).forms
    expected = {"task": "string", "priority": 3, "tags": ["string"]}
    assert [json.loads(form["body"]) for form in forms] == [expected, expected]
    # reqparse reads JSON and form values by default.
    assert forms[0]["types"] == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]


def test_form_content_types_of_a_body_location_are_the_parsers(app: Flask) -> None:
    class Notes(Resource):
        @use_args({"text": fields.Str()}, location="body")
        def post(self, note: t.Any) -> t.Any:
            return note

    api = Api(app, browsable=True)

    @api.parser("text/csv")
    def parse_csv(body: bytes, mimetype: str, options: t.Mapping[str, str]) -> t.Any:
        return {}

    api.add_resource(Notes, "/notes")
    resp = app.test_client().get("/notes", headers=HTML)
    forms = Forms(resp.get_data(as_text=True)).forms
    assert forms[0]["types"] == [*api.parsers]
    assert forms[0]["types"][-1] == "text/csv"


def test_blueprint_registered_twice_links_each_registrations_root() -> None:
    app = Flask(__name__)
    blueprint = Blueprint("v", __name__)
    api = Api(blueprint, browsable=True)
    api.add_resource(CatList, "/cats")
    app.register_blueprint(blueprint, url_prefix="/v1")
    app.register_blueprint(blueprint, url_prefix="/v2", name="v2")
    client = app.test_client()
    for version in ("v1", "v2"):
        links = page(client.get(f"/{version}/cats", headers=HTML)).links
        assert f"/{version}/" in links
        listing = client.get(f"/{version}/").json
        assert listing["resources"][0]["urls"] == [f"/{version}/cats"]


# -- docstrings, headers, favicon -----------------------------------------------


class HeadersTable(html.parser.HTMLParser):
    """The ``(name, value)`` rows of the page's headers table."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.cell: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dl" and dict(attrs).get("class") == "headers":
            self.inside = True
        elif self.inside and tag in ("dt", "dd"):
            if tag == "dt":
                self.rows.append([])
            self.rows[-1].append("")
            self.cell = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "dl":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.cell:
            self.rows[-1][-1] += data


def shown_headers(resp: t.Any) -> list[tuple[str, str]]:
    rows = HeadersTable(resp.get_data(as_text=True)).rows
    return [(name.strip(), value.strip()) for name, value in rows]


class Documented(Resource):
    """The cats of the shelter, a :class:`~flask_resources.Resource` with
    ``etag = True``.

    Send a **JSON** body; see `RFC 9110 <https://www.rfc-editor.org/rfc/rfc9110>`_
    and `this <javascript:alert(1)>`_. Example::

        curl -X POST /docs -d '{"name": "<Tom>"}'

    - a list item with :meth:`get`

    :param name: the cat's name.

    .. versionadded:: 0.2
    """

    def get(self) -> t.Any:
        return {"name": "Tom"}


def test_docstrings_rest_is_rendered() -> None:
    app = Flask(__name__)
    api = Api(app, browsable=True)
    api.add_resource(Documented, "/documented")
    client = app.test_client()
    body = client.get("/documented", headers=HTML).get_data(as_text=True)
    description = body.split('aria-label="Description">', 1)[1].split("</section>")[0]
    assert description.startswith(
        "<p>The cats of the shelter, a <code>Resource</code> with\n"
        "<code>etag = True</code>.</p>"
    )
    assert ":class:" not in description and "``" not in description
    assert (
        '<a href="https://www.rfc-editor.org/rfc/rfc9110">RFC 9110</a>' in description
    )
    assert "javascript:" not in description and "and this. Example:</p>" in description
    assert (
        "<pre>curl -X POST /docs -d &#39;{&#34;name&#34;: &#34;&lt;Tom&gt;&#34;}&#39;"
        "</pre>" in description
    )
    assert "<li><p>a list item with <code>get</code></p></li>" in description
    assert "<dt>name</dt><dd><p>the cat&#39;s name.</p></dd>" in description
    assert "<p>Added in version 0.2.</p>" in description
    # The root's JSON gives the first paragraph as plain text.
    (listed,) = client.get("/").json["resources"]
    assert listed["description"] == (
        "The cats of the shelter, a Resource with etag = True."
    )


@pytest.mark.parametrize(
    ("doc", "text"),
    [
        ("Plain.", "Plain."),
        ("See :func:`flask.url_for` and :meth:`~Api.url_for()`.",
         "See flask.url_for and url_for()."),
        ("A :ref:`label <target>`, *emphasis*, **strong**, ``code``.",
         "A label, emphasis, strong, code."),
        ("Takes *args and **kwargs.", "Takes *args and **kwargs."),
        ("`Flask <https://flask.palletsprojects.com/>`_ views",  "Flask views"),
        ("Example::\n\n    x = 1", "Example:"),
        ("::\n\n    x = 1\n\nAfter.", "After."),
        (".. note:: Not a summary.\n\nThe summary.", "The summary."),
    ],
)  # fmt: skip
def test_first_paragraph_is_plain_text(doc: str, text: str) -> None:
    from flask_resources.browsable.docstrings import first_paragraph

    assert first_paragraph(doc) == text


def test_docstring_html_escapes_everything() -> None:
    from flask_resources.browsable.docstrings import to_html

    html_text = to_html(
        f"{XSS} ``{XSS}`` :class:`{XSS}` `x <{HOSTILE_URL}>`_\n\n"
        f".. note:: {XSS}\n\n::\n\n    {XSS}\n\n- {XSS}\n\n:param {XSS}: {XSS}"
    )
    assert "<script>" not in html_text
    assert html_text.count("&lt;script&gt;") == 8
    # A path on the site is linked, its quote escaped.
    assert 'href="/cats/1&#34;onmouseover=&#34;alert(2)"' in html_text


class Tagged(Resource):
    etag = True

    def get(self, cat_id: int) -> t.Any:
        return CATS[cat_id]

    def last_modified(self, cat_id: int) -> t.Any:
        import datetime

        return datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def add_header(view: t.Any) -> t.Any:
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        resp = view(*args, **kwargs)
        resp.headers["X-Decorated"] = "yes"
        return resp

    return wrapper


def test_every_response_header_is_shown() -> None:
    app = Flask(__name__)
    api = Api(app, browsable=True, decorators=[add_header])
    api.add_resource(Tagged, "/tagged/<int:cat_id>")
    client = app.test_client()
    as_json = client.get("/tagged/1")
    resp = client.get("/tagged/1", headers=HTML)
    shown = dict(shown_headers(resp))
    # What a JSON client gets, every header of it.
    for name in ("Content-Type", "Content-Length", "ETag", "Vary", "Last-Modified",
                 "X-Decorated"):  # fmt: skip
        assert shown[name] == as_json.headers[name], name
    assert shown["Vary"] == "Accept"
    # Not the page's own.
    assert "Content-Security-Policy" not in shown
    assert "X-Content-Type-Options" not in shown
    # The page has an ETag of its own, and answers it with a 304.
    assert resp.headers["ETag"] != as_json.headers["ETag"]
    again = client.get(
        "/tagged/1", headers={**HTML, "If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def test_headers_of_a_page_without_later_headers(browsable: FlaskClient) -> None:
    resp = browsable.get("/cats", headers=HTML)
    as_json = browsable.get("/cats")
    # The JSON answer's headers in its order, then the ones added after.
    assert shown_headers(resp) == [*as_json.headers.items(), ("Vary", "Accept")]


def test_a_verbs_own_etag_is_shown_as_is() -> None:
    class Own(Resource):
        etag = True

        def get(self) -> t.Any:
            return {"a": 1}, 200, {"ETag": '"mine"'}

    app = Flask(__name__)
    Api(app, browsable=True).add_resource(Own, "/own")
    resp = app.test_client().get("/own", headers=HTML)
    assert dict(shown_headers(resp))["ETag"] == '"mine"'
    assert resp.headers["ETag"] == '"mine"'


def test_favicon(browsable: FlaskClient) -> None:
    body = browsable.get("/cats", headers=HTML).get_data(as_text=True)
    assert (
        '<link rel="icon" type="image/svg+xml" href="/_flask_resources/favicon.svg">'
        in body
    )
    resp = browsable.get("/_flask_resources/favicon.svg")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert resp.get_data(as_text=True).startswith("<svg ")
    resp.close()
