"""Conditional requests: ETag, Last-Modified, 304, 412 and 428."""

from __future__ import annotations

import datetime
import threading
import typing as t

import pytest
from flask import Flask
from werkzeug.http import http_date

from flask_resources import Api, Resource, abort
from flask_resources.conditional import check_preconditions, etag_for

UTC = datetime.UTC
CHANGED = datetime.datetime(2024, 5, 1, 12, 0, 0, 500, tzinfo=UTC)


class Store:
    def __init__(self) -> None:
        self.items: dict[int, dict[str, t.Any]] = {1: {"id": 1, "name": "Tom"}}
        self.lock = threading.Lock()

    def get(self, item_id: int) -> dict[str, t.Any]:
        item = self.items.get(item_id)
        if item is None:
            abort(404, message=f"No item {item_id}.")
        return dict(item)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def items(api: Api, store: Store) -> Api:
    class Item(Resource):
        etag = True

        def get(self, item_id: int) -> t.Any:
            return store.get(item_id)

        def current_etag(self, item_id: int) -> str:
            return etag_for(store.get(item_id))

        def last_modified(self, item_id: int) -> datetime.datetime:
            return CHANGED

        def put(self, item_id: int) -> t.Any:
            store.items[item_id] = {"id": item_id, "name": "Thomas"}
            return store.items[item_id]

        def delete(self, item_id: int) -> t.Any:
            del store.items[item_id]
            return "", 204

    api.add_resource(Item, "/items/<int:item_id>")
    return api


def test_etag_and_304(client: t.Any, items: Api) -> None:
    resp = client.get("/items/1")
    etag = resp.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert "Accept" in resp.headers["Vary"]
    assert resp.headers["Last-Modified"] == "Wed, 01 May 2024 12:00:00 GMT"
    again = client.get("/items/1", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "Content-Type" not in again.headers
    assert (
        "Content-Length" not in again.headers or again.headers["Content-Length"] == "0"
    )
    head = client.head("/items/1", headers={"If-None-Match": etag})
    assert head.status_code == 304


@pytest.mark.parametrize(
    "header",
    ['W/"{etag}"', '"nope", "{etag}"', "*", ' "{etag}" , "x"'],
)
def test_if_none_match_forms(client: t.Any, items: Api, header: str) -> None:
    etag = client.get("/items/1").headers["ETag"].strip('"')
    resp = client.get("/items/1", headers={"If-None-Match": header.format(etag=etag)})
    assert resp.status_code == 304


@pytest.mark.parametrize("header", ['"nope"', "garbage", "", 'W/"x", ,,'])
def test_if_none_match_no_match(client: t.Any, items: Api, header: str) -> None:
    resp = client.get("/items/1", headers={"If-None-Match": header})
    assert resp.status_code == 200
    assert resp.get_json() == {"id": 1, "name": "Tom"}


def test_two_media_types_two_etags(app: Flask, client: t.Any, items: Api) -> None:
    @items.representation("text/csv")
    def csv(data: t.Any, code: int, headers: t.Any = None) -> t.Any:
        return app.response_class(f"{data['id']},{data['name']}\n", code, headers)

    json_etag = client.get("/items/1").headers["ETag"]
    csv_resp = client.get("/items/1", headers={"Accept": "text/csv"})
    assert csv_resp.data == b"1,Tom\n"
    assert csv_resp.headers["ETag"] != json_etag
    stale = client.get(
        "/items/1", headers={"Accept": "text/csv", "If-None-Match": json_etag}
    )
    assert stale.status_code == 200


def test_etag_changes_with_content(client: t.Any, items: Api, store: Store) -> None:
    before = client.get("/items/1").headers["ETag"]
    store.items[1]["name"] = "Felix"
    resp = client.get("/items/1", headers={"If-None-Match": before})
    assert resp.status_code == 200
    assert resp.headers["ETag"] != before


def test_errors_get_no_etag(client: t.Any, items: Api) -> None:
    resp = client.get("/items/9", headers={"If-None-Match": "*"})
    assert resp.status_code == 404
    assert "ETag" not in resp.headers


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (CHANGED, 304),
        (CHANGED + datetime.timedelta(days=1), 304),
        (CHANGED - datetime.timedelta(seconds=1), 200),
        # A date in the future is invalid and ignored.
        (datetime.datetime.now(UTC) + datetime.timedelta(days=1), 200),
        ("yesterday", 200),
        ("", 200),
    ],
)
def test_if_modified_since(
    client: t.Any, items: Api, header: t.Any, status: int
) -> None:
    value = header if isinstance(header, str) else http_date(header)
    resp = client.get("/items/1", headers={"If-Modified-Since": value})
    assert resp.status_code == status


def test_if_none_match_wins_over_if_modified_since(client: t.Any, items: Api) -> None:
    headers = {"If-None-Match": '"other"', "If-Modified-Since": http_date(CHANGED)}
    assert client.get("/items/1", headers=headers).status_code == 200


def test_if_match_write(client: t.Any, items: Api, store: Store) -> None:
    etag = client.get("/items/1").headers["ETag"]
    resp = client.put("/items/1", headers={"If-Match": etag})
    assert resp.status_code == 200
    # The item changed: the old ETag is stale.
    resp = client.put("/items/1", headers={"If-Match": etag})
    assert resp.status_code == 412
    assert resp.headers["Content-Type"] == "application/json"
    assert "If-Match" in resp.get_json()["message"]
    # No If-Match: not required here, so the write goes through.
    assert client.put("/items/1").status_code == 200


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("*", 204),
        ('W/"{etag}"', 412),  # If-Match compares strongly
        ('"a", "{etag}"', 204),
        ('"a", "b"', 412),
        ("garbage", 412),
        ("", 412),
    ],
)
def test_if_match_forms(client: t.Any, items: Api, header: str, status: int) -> None:
    etag = client.get("/items/1").headers["ETag"].strip('"')
    resp = client.delete("/items/1", headers={"If-Match": header.format(etag=etag)})
    assert resp.status_code == status


def test_if_match_missing_item(client: t.Any, items: Api) -> None:
    # current_etag aborts 404: the write answers as it would without If-Match.
    assert client.delete("/items/9", headers={"If-Match": "*"}).status_code == 404


def test_if_none_match_star_on_write(client: t.Any, items: Api) -> None:
    assert client.put("/items/1", headers={"If-None-Match": "*"}).status_code == 412


def test_if_unmodified_since(client: t.Any, items: Api) -> None:
    before = http_date(CHANGED - datetime.timedelta(days=1))
    resp = client.put("/items/1", headers={"If-Unmodified-Since": before})
    assert resp.status_code == 412
    after = http_date(CHANGED)
    assert client.put("/items/1", headers={"If-Unmodified-Since": after}).status_code
    assert (
        client.put("/items/1", headers={"If-Unmodified-Since": "nonsense"}).status_code
        == 200
    )


def test_require_if_match(api: Api, client: t.Any, store: Store) -> None:
    class Item(Resource):
        require_if_match = True

        def get(self, item_id: int) -> t.Any:
            return store.get(item_id)

        def current_etag(self, item_id: int) -> str:
            return etag_for(store.get(item_id))

        def patch(self, item_id: int) -> t.Any:
            return store.get(item_id)

    api.add_resource(Item, "/items/<int:item_id>")
    resp = client.patch("/items/1")
    assert resp.status_code == 428
    assert "If-Match" in resp.get_json()["message"]
    # No `etag = True`: GET carries no ETag, but etag_for gives the one it
    # would have.
    assert "ETag" not in client.get("/items/1").headers
    ok = client.patch("/items/1", headers={"If-Match": "*"})
    assert ok.status_code == 200


def test_require_if_match_needs_current_etag(api: Api) -> None:
    class Item(Resource):
        require_if_match = True

        def get(self) -> t.Any:
            return {}

    with pytest.raises(TypeError, match="current_etag"):
        api.add_resource(Item, "/i")


def test_api_wide_etag(app: Flask, client: t.Any) -> None:
    api = Api(app, etag=True)

    class On(Resource):
        def get(self) -> t.Any:
            return [1, 2]

    class Off(Resource):
        etag = False

        def get(self) -> t.Any:
            return [1, 2]

    api.add_resource(On, "/on")
    api.add_resource(Off, "/off")
    assert "ETag" in client.get("/on").headers
    assert "ETag" not in client.get("/off").headers


def test_resource_sets_its_own_etag(api: Api, client: t.Any) -> None:
    class Versioned(Resource):
        etag = True

        def get(self) -> t.Any:
            return {"v": 7}, 200, {"ETag": '"v7"'}

    api.add_resource(Versioned, "/v")
    assert client.get("/v").headers["ETag"] == '"v7"'
    assert client.get("/v", headers={"If-None-Match": '"v7"'}).status_code == 304


def test_not_opted_in_is_untouched(api: Api, client: t.Any) -> None:
    class Plain(Resource):
        def get(self) -> t.Any:
            return {"a": 1}

    api.add_resource(Plain, "/p")
    view = client.application.view_functions["plain"]
    assert "conditional" not in view.__qualname__
    resp = client.get("/p", headers={"If-None-Match": "*"})
    assert resp.status_code == 200
    assert "ETag" not in resp.headers


def test_etag_for_outside_opted_in_request(app: Flask) -> None:
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError, match="etag_for"):
            etag_for({})


def test_check_preconditions_directly(app: Flask) -> None:
    with app.test_request_context("/", method="PUT", headers={"If-Match": '"a"'}):
        check_preconditions("a")
        check_preconditions('"a"')
        with pytest.raises(Exception) as info:
            check_preconditions("b")
        assert getattr(info.value, "code", None) == 412
        with pytest.raises(Exception) as info:
            check_preconditions('W/"a"')
        assert getattr(info.value, "code", None) == 412
    with app.test_request_context("/", method="PUT"):
        with pytest.raises(Exception) as info:
            check_preconditions("a", require_if_match=True)
        assert getattr(info.value, "code", None) == 428


def test_problem_format_412(app: Flask, client: t.Any, items: Api) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    resp = client.put("/items/1", headers={"If-Match": '"stale"'})
    assert resp.status_code == 412
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.get_json()["title"] == "Precondition Failed"


def test_records_for_readers(items: Api) -> None:
    from flask_resources.conditional import verb_operation
    from flask_resources.operations import resource_operations

    resource = items.resources[0].resource
    records = resource_operations(resource)
    settings = records["get"].extensions["conditional"]
    assert settings == {
        "etag": True,
        "if_match": True,
        "last_modified": True,
        "require_if_match": False,
    }
    assert records["put"].extensions["conditional"] == settings
    get = verb_operation("get", settings)
    assert set(get.arguments[0].source.fields) == {"If-None-Match", "If-Modified-Since"}
    assert get.arguments[0].location == "headers"
    assert set(get.responses) == {200, 304}
    assert set(get.responses[200].headers) == {"ETag", "Last-Modified"}
    put = verb_operation("put", {**settings, "require_if_match": True})
    fields = put.arguments[0].source.fields
    assert fields["If-Match"].required
    assert set(put.responses) == {412, 428}
    assert verb_operation("post", settings) == verb_operation("post", {})


def test_authentication_answers_before_preconditions(api: Api, client: t.Any) -> None:
    calls: list[int] = []

    def login_required(func: t.Any) -> t.Any:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            abort(401, message="Log in.")

        return wrapper

    class Item(Resource):
        method_decorators = [login_required]

        def current_etag(self, item_id: int) -> str:
            calls.append(item_id)
            return "x"

        def put(self, item_id: int) -> t.Any:
            return {}

    api.add_resource(Item, "/items/<int:item_id>")
    resp = client.put("/items/1", headers={"If-Match": '"stale"'})
    # Without the precondition the answer is a 401, so the precondition is
    # ignored (RFC 9110, section 13.2.1), and the item is not even read.
    assert resp.status_code == 401
    assert calls == []


def test_async_write_is_checked(api: Api, client: t.Any) -> None:
    pytest.importorskip("asgiref")

    class Item(Resource):
        def current_etag(self, item_id: int) -> str:
            return "v1"

        async def put(self, item_id: int) -> t.Any:
            return {"ok": True}

    api.add_resource(Item, "/items/<int:item_id>")
    assert client.put("/items/1", headers={"If-Match": '"v0"'}).status_code == 412
    resp = client.put("/items/1", headers={"If-Match": '"v1"'})
    assert (resp.status_code, resp.get_json()) == (200, {"ok": True})


def test_hooks_get_the_url_variables_only(api: Api, client: t.Any) -> None:
    import marshmallow as ma

    from flask_resources import use_args

    seen: list[t.Any] = []

    class Item(Resource):
        method_decorators = [use_args({"name": ma.fields.Str()}, arg_name="body")]

        def current_etag(self, item_id: int) -> str:
            seen.append(item_id)
            return "v1"

        def patch(self, item_id: int, body: t.Any) -> t.Any:
            return body

    api.add_resource(Item, "/items/<int:item_id>")
    resp = client.patch("/items/4", json={"name": "x"}, headers={"If-Match": '"v1"'})
    assert (resp.status_code, resp.get_json(), seen) == (200, {"name": "x"}, [4])
