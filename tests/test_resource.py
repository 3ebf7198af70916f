"""Resource dispatch: return values, decorators, representations, async."""

from __future__ import annotations

import functools
import json
import sys
import typing as t

import pytest
from flask import Flask, Response, make_response
from werkzeug.datastructures import Headers

from flask_resources import Api, FlaskResourcesError, Resource


class Hello(Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}


@pytest.mark.parametrize(
    ("returned", "status", "headers", "body"),
    [
        ({"a": 1}, 200, {}, {"a": 1}),
        (["a", 1], 200, {}, ["a", 1]),
        ("text", 200, {}, "text"),
        (None, 200, {}, None),
        (({"a": 1}, 201), 201, {}, {"a": 1}),
        (({"a": 1}, 202, {"X-Extra": "yes"}), 202, {"X-Extra": "yes"}, {"a": 1}),
        (({"a": 1}, 200, [("X-Extra", "list")]), 200, {"X-Extra": "list"}, {"a": 1}),
        (({"a": 1}, {"X-Extra": "no-status"}), 200, {"X-Extra": "no-status"}, {"a": 1}),
        (({"a": 1}, "418 I'M A TEAPOT"), 418, {}, {"a": 1}),
        ((1, 2, 3, 4), 200, {}, [1, 2, 3, 4]),
    ],
)
def test_return_values(
    app: Flask,
    api: Api,
    returned: t.Any,
    status: int,
    headers: dict[str, str],
    body: t.Any,
) -> None:
    class Thing(Resource):
        def get(self) -> t.Any:
            return returned

    api.add_resource(Thing, "/thing")
    resp = app.test_client().get("/thing")
    assert resp.status_code == status
    assert resp.content_type == "application/json"
    for name, value in headers.items():
        assert resp.headers[name] == value
    assert resp.get_json() == body


def test_flask_restful_byte_exact_body(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/")
    resp = client.get("/")
    assert resp.data == b'{"hello": "world"}\n'
    assert resp.headers["Content-Type"] == "application/json"


def test_empty_204(client: t.Any, api: Api) -> None:
    class Gone(Resource):
        def delete(self) -> t.Any:
            return "", 204

    api.add_resource(Gone, "/gone")
    resp = client.delete("/gone")
    assert resp.status_code == 204
    assert resp.data == b""


def test_response_passes_through(client: t.Any, api: Api) -> None:
    class Raw(Resource):
        def get(self) -> t.Any:
            return Response("raw", status=203, mimetype="text/csv")

        def post(self) -> t.Any:
            return make_response("made", 202)

    api.add_resource(Raw, "/raw")
    resp = client.get("/raw")
    assert (resp.status_code, resp.data, resp.mimetype) == (203, b"raw", "text/csv")
    assert client.post("/raw").data == b"made"


def test_headers_object_is_not_mutated(client: t.Any, api: Api) -> None:
    shared = Headers({"X-Shared": "1"})

    class Shared(Resource):
        def get(self) -> t.Any:
            return {}, 200, shared

    api.add_resource(Shared, "/shared")
    assert client.get("/shared").headers["X-Shared"] == "1"
    assert "Content-Type" not in shared


def test_every_verb_and_url_variables(client: t.Any, api: Api) -> None:
    class Item(Resource):
        def get(self, item_id: int) -> t.Any:
            return {"verb": "get", "id": item_id}

        def post(self, item_id: int) -> t.Any:
            return {"verb": "post", "id": item_id}

        def put(self, item_id: int) -> t.Any:
            return {"verb": "put", "id": item_id}

        def patch(self, item_id: int) -> t.Any:
            return {"verb": "patch", "id": item_id}

        def delete(self, item_id: int) -> t.Any:
            return {"verb": "delete", "id": item_id}

    api.add_resource(Item, "/items/<int:item_id>")
    for verb in ("get", "post", "put", "patch", "delete"):
        resp = getattr(client, verb)("/items/7")
        assert resp.get_json() == {"verb": verb, "id": 7}


def test_head_is_get_without_body(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/")
    resp = client.head("/")
    assert resp.status_code == 200
    assert resp.data == b""
    assert resp.headers["Content-Length"] == str(len(client.get("/").data))


def test_options_lists_allowed_methods(client: t.Any, api: Api) -> None:
    class Two(Resource):
        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            return {}

    api.add_resource(Two, "/two")
    resp = client.options("/two")
    assert resp.status_code == 200
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_own_options_method_wins(client: t.Any, api: Api) -> None:
    class Custom(Resource):
        def options(self) -> t.Any:
            return {"custom": True}, 200, {"Allow": "GET"}

        def get(self) -> t.Any:
            return {}

    api.add_resource(Custom, "/custom")
    resp = client.options("/custom")
    assert resp.get_json() == {"custom": True}
    assert resp.headers["Allow"] == "GET"


def test_rule_methods_the_class_lacks_give_405(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/", methods=["GET", "POST"])
    resp = client.post("/")
    assert resp.status_code == 405
    assert "GET" in resp.headers["Allow"]
    assert resp.get_json() == {
        "message": "The method is not allowed for the requested URL."
    }


def _tag(tag: str) -> t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]:
    def decorator(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(func)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            data = func(*args, **kwargs)
            data.setdefault("tags", []).append(tag)
            return data

        return wrapper

    return decorator


def test_method_decorators_list(client: t.Any, api: Api) -> None:
    class Decorated(Resource):
        method_decorators = [_tag("inner"), _tag("outer")]

        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            return {}

    api.add_resource(Decorated, "/d")
    assert client.get("/d").get_json() == {"tags": ["inner", "outer"]}
    assert client.post("/d").get_json() == {"tags": ["inner", "outer"]}


def test_method_decorators_per_verb(client: t.Any, api: Api) -> None:
    class Decorated(Resource):
        method_decorators = {"get": [_tag("read")], "post": [_tag("write")]}

        def get(self) -> t.Any:
            return {}

        def post(self) -> t.Any:
            return {}

        def put(self) -> t.Any:
            return {}

    api.add_resource(Decorated, "/d")
    assert client.get("/d").get_json() == {"tags": ["read"]}
    assert client.post("/d").get_json() == {"tags": ["write"]}
    assert client.put("/d").get_json() == {}


def test_method_decorator_can_short_circuit(client: t.Any, api: Api) -> None:
    def deny(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return {"message": "denied"}, 403

        return wrapper

    class Secret(Resource):
        method_decorators = [deny]

        def get(self) -> t.Any:
            raise AssertionError("not reached")

    api.add_resource(Secret, "/secret")
    resp = client.get("/secret")
    assert resp.status_code == 403
    assert resp.get_json() == {"message": "denied"}


def test_methodview_decorators_wrap_dispatch(client: t.Any, api: Api) -> None:
    def add_header(view: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            data = view(*args, **kwargs)
            return data, 200, {"X-Decorated": "yes"}

        return wrapper

    class Wrapped(Resource):
        decorators = [add_header]

        def get(self) -> t.Any:
            return {"ok": True}

    api.add_resource(Wrapped, "/w")
    resp = client.get("/w")
    assert resp.headers["X-Decorated"] == "yes"
    assert resp.get_json() == {"ok": True}


def test_resource_representations(client: t.Any, api: Api) -> None:
    def output_text(data: t.Any, code: int, headers: t.Any = None) -> Response:
        return Response(f"text:{data['hello']}", status=code, headers=headers)

    class Texty(Resource):
        representations = {"text/x-hello": output_text}

        def get(self) -> t.Any:
            return {"hello": "world"}, 201, {"X-Extra": "1"}

    api.add_resource(Texty, "/texty")
    resp = client.get("/texty", headers={"Accept": "text/x-hello"})
    assert resp.status_code == 201
    assert resp.data == b"text:world"
    assert resp.headers["Content-Type"] == "text/x-hello"
    assert resp.headers["X-Extra"] == "1"
    # Without asking for it, the Api's representation answers.
    resp = client.get("/texty")
    assert resp.get_json() == {"hello": "world"}


def test_resource_class_args_and_kwargs(client: t.Any, api: Api) -> None:
    class Injected(Resource):
        def __init__(self, prefix: str, *, repo: dict[str, str]) -> None:
            self.prefix = prefix
            self.repo = repo

        def get(self, key: str) -> t.Any:
            return {"value": self.prefix + self.repo[key]}

    repo = {"a": "apple"}
    api.add_resource(
        Injected,
        "/inj/<key>",
        resource_class_args=("fruit:",),
        resource_class_kwargs={"repo": repo},
    )
    assert client.get("/inj/a").get_json() == {"value": "fruit:apple"}
    repo["a"] = "avocado"  # the same object is injected on every request
    assert client.get("/inj/a").get_json() == {"value": "fruit:avocado"}


def test_init_every_request_false_reuses_instance(client: t.Any, api: Api) -> None:
    class Counter(Resource):
        init_every_request = False

        def __init__(self) -> None:
            self.count = 0

        def get(self) -> t.Any:
            self.count += 1
            return {"count": self.count}

    api.add_resource(Counter, "/count")
    client.get("/count")
    assert client.get("/count").get_json() == {"count": 2}


def test_async_methods(client: t.Any, api: Api) -> None:
    class Slow(Resource):
        async def get(self, name: str) -> t.Any:
            return {"hello": name}

        async def post(self, name: str) -> t.Any:
            return {"created": name}, 201

    api.add_resource(Slow, "/slow/<name>")
    assert client.get("/slow/cat").get_json() == {"hello": "cat"}
    resp = client.post("/slow/cat")
    assert (resp.status_code, resp.get_json()) == (201, {"created": "cat"})


def test_every_flask_verb_may_be_async(client: t.Any, api: Api) -> None:
    class Traced(Resource):
        async def trace(self) -> t.Any:
            return {"traced": True}

    api.add_resource(Traced, "/traced")
    resp = client.open("/traced", method="TRACE")
    assert (resp.status_code, resp.get_json()) == (200, {"traced": True})


def test_async_method_with_decorators(client: t.Any, api: Api) -> None:
    def passthrough(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(func)
        async def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return await func(*args, **kwargs)

        return wrapper

    class Slow(Resource):
        method_decorators = [passthrough]

        async def get(self) -> t.Any:
            return {"async": True}

    api.add_resource(Slow, "/slow")
    assert client.get("/slow").get_json() == {"async": True}


def test_async_without_asgiref_fails_at_registration(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    class Slow(Resource):
        async def get(self) -> t.Any:
            return {}

    with pytest.raises(FlaskResourcesError, match=r"flask-resources\[async\]"):
        api.add_resource(Slow, "/slow")


def test_resource_as_plain_flask_view(app: Flask) -> None:
    app.add_url_rule("/plain", view_func=Hello.as_view("plain"))
    resp = app.test_client().get("/plain")
    assert json.loads(resp.data) == {"hello": "world"}
