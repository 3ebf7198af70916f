"""Api: binding to apps and blueprints, registration, url_for, rendering."""

from __future__ import annotations

import functools
import sys
import typing as t

import pytest
from flask import Blueprint, Flask, Response, request
from flask.views import MethodView, View
from werkzeug.exceptions import HTTPException, NotFound, Unauthorized

from flask_resources import Api, FlaskResourcesError, Resource, abort


class Hello(Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}


class Item(Resource):
    def get(self, item_id: int) -> t.Any:
        return {"id": item_id}


def test_quickstart(app: Flask) -> None:
    api = Api(app)
    api.add_resource(Hello, "/")
    resp = app.test_client().get("/")
    assert resp.status_code == 200
    assert resp.get_json() == {"hello": "world"}


def test_init_app_later_registers_earlier_resources() -> None:
    api = Api()
    api.add_resource(Hello, "/")

    def create_app() -> Flask:
        app = Flask(__name__)
        api.init_app(app)
        return app

    first, second = create_app(), create_app()
    assert first.test_client().get("/").get_json() == {"hello": "world"}
    assert second.test_client().get("/").get_json() == {"hello": "world"}
    assert api.app is None
    assert "flask-resources" in first.extensions


def test_resource_added_after_init_app_reaches_every_app() -> None:
    api = Api()
    apps = [Flask(__name__), Flask(__name__)]
    for app in apps:
        api.init_app(app)
    api.add_resource(Hello, "/late")
    for app in apps:
        assert app.test_client().get("/late").status_code == 200


def test_several_apis_on_one_app(app: Flask) -> None:
    v1 = Api(app, prefix="/v1")
    v2 = Api(app, prefix="/v2", default_mediatype=None)
    v1.add_resource(Hello, "/hello", endpoint="v1_hello")
    v2.add_resource(Hello, "/hello", endpoint="v2_hello")
    client = app.test_client()
    assert client.get("/v1/hello").get_json() == {"hello": "world"}
    assert client.get("/v1/hello", headers={"Accept": "text/x-nope"}).status_code == 200
    assert client.get("/v2/hello", headers={"Accept": "text/x-nope"}).status_code == 406
    assert v1.owns_endpoint("v1_hello")
    assert not v1.owns_endpoint("v2_hello")


def test_several_urls_one_resource(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/", "/hello", "/hi")
    for url in ("/", "/hello", "/hi"):
        assert client.get(url).get_json() == {"hello": "world"}
    assert api.urls == {"/": "hello", "/hello": "hello", "/hi": "hello"}


def test_same_resource_added_twice_keeps_both_urls(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/a")
    api.add_resource(Hello, "/b")
    assert client.get("/a").status_code == client.get("/b").status_code == 200


def test_endpoint_clash_is_an_error(api: Api) -> None:
    class Other(Resource):
        def get(self) -> t.Any:
            return {}

    api.add_resource(Hello, "/hello", endpoint="shared")
    with pytest.raises(ValueError, match=r"This endpoint \(shared\) is already set"):
        api.add_resource(Other, "/other", endpoint="shared")


def test_endpoint_taken_by_plain_view_is_an_error(app: Flask, api: Api) -> None:
    app.add_url_rule("/plain", "hello", lambda: "plain")
    with pytest.raises(ValueError, match="already taken"):
        api.add_resource(Hello, "/")


def test_add_resource_needs_a_url(api: Api) -> None:
    with pytest.raises(TypeError):
        api.add_resource(Hello)


def test_resource_decorator(client: t.Any, api: Api) -> None:
    @api.resource("/items/<int:item_id>", endpoint="thing")
    class Thing(Resource):
        def get(self, item_id: int) -> t.Any:
            return {"id": item_id}

    assert client.get("/items/3").get_json() == {"id": 3}
    assert Thing.endpoint == "thing"  # type: ignore[attr-defined]


def test_rule_options_reach_flask(client: t.Any, api: Api) -> None:
    api.add_resource(Hello, "/items/", strict_slashes=False)

    class Paged(Resource):
        def get(self, page: int) -> t.Any:
            return {"page": page}

    api.add_resource(Paged, "/pages/", defaults={"page": 1})
    api.add_resource(Paged, "/pages/<int:page>")
    assert client.get("/pages/").get_json() == {"page": 1}
    assert client.get("/pages/5").get_json() == {"page": 5}
    assert client.get("/items").status_code == 200


def test_url_for(app: Flask, api: Api) -> None:
    api.add_resource(Item, "/items/<int:item_id>")
    api.add_resource(Hello, "/hi", endpoint="greeting")
    with app.test_request_context():
        assert api.url_for(Item, item_id=4) == "/items/4"
        assert api.url_for(Hello) == "/hi"
        assert (
            api.url_for(Item, item_id=4, _external=True) == "http://localhost/items/4"
        )


def test_prefix(app: Flask) -> None:
    api = Api(app, prefix="/api")
    api.add_resource(Hello, "/hello")
    assert app.test_client().get("/api/hello").status_code == 200
    assert app.test_client().get("/hello").status_code == 404


def test_blueprint_api(app: Flask) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    api = Api(bp, prefix="/api")
    api.add_resource(Hello, "/hello")
    api.add_resource(Item, "/items/<int:item_id>")
    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/bp/api/hello").get_json() == {"hello": "world"}
    with app.test_request_context():
        assert api.url_for(Item, item_id=2) == "/bp/api/items/2"
    assert "bp.hello" in app.view_functions
    assert api.owns_endpoint("bp.hello")
    assert not api.owns_endpoint("hello")
    # Errors in the blueprint's API routes are JSON too.
    resp = client.post("/bp/api/hello")
    assert resp.status_code == 405
    assert resp.is_json


def test_blueprint_init_app_and_registration_prefix(app: Flask) -> None:
    bp = Blueprint("bp", __name__)
    api = Api()
    api.add_resource(Hello, "/hello")
    api.init_app(bp)
    app.register_blueprint(bp, url_prefix="/mounted")
    assert app.test_client().get("/mounted/hello").status_code == 200


@pytest.mark.parametrize(
    ("order", "url"),
    [("bae", "/bp/api/hello"), ("abe", "/api/bp/hello"), ("eab", "/hello/api/bp")],
)
def test_url_part_order(app: Flask, order: str, url: str) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    api = Api(bp, prefix="/api", url_part_order=order)
    api.add_resource(Hello, "/hello")
    app.register_blueprint(bp)
    assert app.test_client().get(url).status_code == 200


def test_url_part_order_is_checked() -> None:
    with pytest.raises(ValueError, match="url_part_order"):
        Api(url_part_order="bax")


def test_api_decorators_wrap_every_view(app: Flask) -> None:
    def add_header(view: t.Callable[..., Response]) -> t.Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
            resp = view(*args, **kwargs)
            resp.headers["X-Api"] = "decorated"
            return resp

        return wrapper

    api = Api(app, decorators=[add_header])
    api.add_resource(Hello, "/")
    api.add_resource(Item, "/items/<int:item_id>")
    client = app.test_client()
    assert client.get("/").headers["X-Api"] == "decorated"
    assert client.get("/items/1").headers["X-Api"] == "decorated"


def test_api_decorator_without_wraps_keeps_methods(app: Flask) -> None:
    def bare(view: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return view(*args, **kwargs)

        return wrapper

    class Poster(Resource):
        def post(self) -> t.Any:
            return {"posted": True}

    api = Api(app, decorators=[bare])
    api.add_resource(Poster, "/post")
    assert app.test_client().post("/post").get_json() == {"posted": True}


def test_representation_decorator(client: t.Any, api: Api) -> None:
    @api.representation("text/csv")
    def output_csv(data: t.Any, code: int, headers: t.Any = None) -> Response:
        body = ",".join(str(value) for value in data.values())
        return Response(body, status=code, headers=headers)

    api.add_resource(Hello, "/")
    resp = client.get("/", headers={"Accept": "text/csv"})
    assert resp.data == b"world"
    assert resp.headers["Content-Type"] == "text/csv"
    assert client.get("/", headers={"Accept": "application/json"}).is_json


def test_representations_replaced_wholesale(app: Flask) -> None:
    def output_text(data: t.Any, code: int, headers: t.Any = None) -> Response:
        return Response(repr(data), status=code, headers=headers)

    app.config["TESTING"] = False
    api = Api(app)
    api.representations = {"text/x-repr": output_text}
    api.add_resource(Hello, "/")
    client = app.test_client()
    resp = client.get("/", headers={"Accept": "text/x-repr"})
    assert resp.data == b"{'hello': 'world'}"
    assert resp.headers["Content-Type"] == "text/x-repr"
    # The default media type has no representation left: as in
    # Flask-RESTful that is a 500, rendered in a representation there is.
    resp = client.get("/")
    assert resp.status_code == 500
    assert resp.headers["Content-Type"] == "text/x-repr"


def _output_csv(data: t.Any, code: int, headers: t.Any = None) -> Response:
    return Response(",".join(map(str, data.values())), status=code, headers=headers)


@pytest.mark.parametrize(
    "change",
    [
        lambda reps: reps.__setitem__("text/csv", _output_csv),
        lambda reps: reps.update({"text/csv": _output_csv}),
        lambda reps: reps.setdefault("text/csv", _output_csv),
        lambda reps: reps.__ior__({"text/csv": _output_csv}),
    ],
)
def test_representations_changed_after_requests(
    client: t.Any, api: Api, change: t.Callable[[t.Any], t.Any]
) -> None:
    # Negotiation keeps the tuple of media types between requests; every
    # change to the dict must show in the next response.
    api.add_resource(Hello, "/")
    csv = {"Accept": "text/csv"}

    def served() -> tuple[bytes, str]:
        resp = client.get("/", headers=csv)
        return resp.data, resp.headers["Content-Type"]

    as_json = (b'{"hello": "world"}\n', "application/json")
    as_csv = (b"world", "text/csv")
    assert served() == as_json
    change(api.representations)
    assert served() == as_csv
    for remove in (
        lambda reps: reps.pop("text/csv"),
        lambda reps: reps.__delitem__("text/csv"),
        lambda reps: reps.popitem(),
    ):
        remove(api.representations)
        assert served() == as_json
        api.representations["text/csv"] = _output_csv
        assert served() == as_csv
    api.representations.clear()
    assert client.get("/", headers=csv).status_code == 500  # nothing to render
    api.representations["text/csv"] = _output_csv
    assert served() == as_csv


def test_each_app_encodes_with_its_own_config() -> None:
    # One Api on two apps: the encoder is chosen per app, at its first
    # response, from that app's config.
    api = Api()
    api.add_resource(Hello, "/")
    compact, debug = Flask("compact"), Flask("debug")
    compact.config["RESTFUL_JSON"] = {"separators": (",", ":")}
    debug.debug = True
    api.init_app(compact)
    api.init_app(debug)
    for _ in range(2):
        assert compact.test_client().get("/").data == b'{"hello":"world"}\n'
        assert debug.test_client().get("/").data == b'{\n    "hello": "world"\n}\n'


def test_text_plain_default_mediatype(app: Flask) -> None:
    api = Api(app, default_mediatype="text/plain")
    api.add_resource(Hello, "/")
    resp = app.test_client().get("/", headers={"Accept": "text/plain"})
    assert resp.headers["Content-Type"] == "text/plain"
    assert resp.data == b"{'hello': 'world'}"


def test_unknown_default_mediatype_is_a_500(app: Flask) -> None:
    app.config["TESTING"] = False
    api = Api(app, default_mediatype="application/x-unknown")
    api.add_resource(Hello, "/")
    resp = app.test_client().get("/", headers={"Accept": "application/x-unknown"})
    assert resp.status_code == 500
    assert resp.get_json()["message"].startswith("The server encountered an internal")


def test_make_response_and_mediatypes(app: Flask, api: Api) -> None:
    headers = {"Accept": "text/html;q=0.5, application/json"}
    with app.test_request_context(headers=headers):
        resp = api.make_response({"a": 1}, 201, {"X-A": "b"})
        assert resp.status_code == 201
        assert resp.headers["X-A"] == "b"
        assert resp.get_json() == {"a": 1}
        assert api.mediatypes() == ["application/json", "text/html"]


def test_restful_json_settings(app: Flask, api: Api) -> None:
    app.config["RESTFUL_JSON"] = {"sort_keys": True, "separators": (",", ":")}

    class Unsorted(Resource):
        def get(self) -> t.Any:
            return {"b": 1, "a": 2}

    api.add_resource(Unsorted, "/")
    assert app.test_client().get("/").data == b'{"a":2,"b":1}\n'


def test_debug_indents(app: Flask, api: Api) -> None:
    app.debug = True
    api.add_resource(Hello, "/")
    assert app.test_client().get("/").data == b'{\n    "hello": "world"\n}\n'


def test_orjson_encoder(app: Flask, api: Api) -> None:
    app.config["RESOURCES_JSON_ENCODER"] = "orjson"

    class Mixed(Resource):
        def get(self) -> t.Any:
            return {"b": [1, 2.5, None, True], "a": "é"}

        def post(self) -> t.Any:
            # orjson rejects non-string keys; the stdlib encoder takes over.
            return {1: "one"}

    api.add_resource(Mixed, "/")
    client = app.test_client()
    resp = client.get("/")
    assert resp.data == '{"b":[1,2.5,null,true],"a":"é"}\n'.encode()
    assert resp.headers["Content-Type"] == "application/json"
    assert client.post("/").get_json() == {"1": "one"}


def test_add_resource_instance_serves_its_class(client: t.Any, api: Api) -> None:
    api.add_resource(Hello(), "/inst", endpoint="inst")
    assert client.get("/inst").get_json() == {"hello": "world"}


class ViewFactory:
    """Not a class, but has as_view: Flask-RESTful took such objects (its
    own suite registers a Mock)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[t.Any, ...], dict[str, t.Any]]] = []

    def as_view(self, name: str, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self.calls.append((name, args, kwargs))

        def view() -> t.Any:
            return {"made_by": name}

        view.__name__ = name
        return view


@pytest.mark.parametrize("register_first", [False, True])
def test_add_resource_takes_any_object_with_as_view(
    app: Flask, register_first: bool
) -> None:
    blueprint = Blueprint("bp", __name__)
    api = Api(blueprint)
    factory = ViewFactory()
    if register_first:
        app.register_blueprint(blueprint)
    api.add_resource(factory, "/foo", endpoint="bar")  # type: ignore[arg-type]
    if not register_first:
        app.register_blueprint(blueprint)
    assert factory.calls == [("bar", (), {})]
    resp = app.test_client().get("/foo")
    assert resp.status_code == 200
    assert resp.data == b'{"made_by": "bar"}\n'
    with app.test_request_context():
        assert api.url_for(factory, _external=False) == "/foo"  # type: ignore[arg-type]


def test_view_decorators_hook(app: Flask) -> None:
    seen: list[str] = []

    class Tagging(Api):
        def view_decorators(self, endpoint: str) -> t.Iterable[t.Any]:
            def tag(view: t.Callable[..., Response]) -> t.Callable[..., Response]:
                @functools.wraps(view)
                def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
                    resp = view(*args, **kwargs)
                    resp.headers["X-Endpoint"] = endpoint
                    return resp

                return wrapper

            seen.append(endpoint)
            return [tag, *super().view_decorators(endpoint)]

    api = Tagging(app)
    api.add_resource(Hello, "/", endpoint="hi")
    assert seen == ["hi"]
    assert app.test_client().get("/").headers["X-Endpoint"] == "hi"


def test_add_resource_rejects_non_resources(api: Api) -> None:
    with pytest.raises(TypeError, match="view class with as_view"):
        api.add_resource(dict, "/dict")  # type: ignore[arg-type]


class PlainCats(MethodView):
    """Cats, as a plain MethodView."""

    def __init__(self, store: dict[int, str] | None = None) -> None:
        self.store = store if store is not None else {}

    def get(self, cat_id: int) -> t.Any:
        if cat_id not in self.store:
            abort(404, message=f"No cat {cat_id}")
        return {"id": cat_id, "name": self.store[cat_id]}, 200, {"X-Cat": "yes"}

    def delete(self, cat_id: int) -> t.Any:
        self.store.pop(cat_id, None)
        return "", 204


def test_add_resource_takes_a_plain_method_view(client: t.Any, api: Api) -> None:
    store = {1: "Tom"}
    api.add_resource(
        PlainCats, "/cats/<int:cat_id>", resource_class_kwargs={"store": store}
    )
    resp = client.get("/cats/1")
    assert resp.status_code == 200
    assert resp.data == b'{"id": 1, "name": "Tom"}\n'
    assert resp.headers["X-Cat"] == "yes"
    assert resp.headers["Content-Type"] == "application/json"
    missing = client.get("/cats/2")
    assert missing.status_code == 404
    assert missing.get_json() == {"message": "No cat 2"}
    assert client.delete("/cats/1").status_code == 204
    assert store == {}
    post = client.post("/cats/1")
    assert post.status_code == 405
    assert set(post.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "DELETE",
        "OPTIONS",
    }
    assert post.get_json()["message"].startswith("The method is not allowed")
    with client.application.test_request_context():
        assert api.url_for(PlainCats, cat_id=3) == "/cats/3"


def test_add_resource_takes_a_plain_view(client: t.Any, api: Api) -> None:
    class Ping(View):
        methods: t.ClassVar[list[str]] = ["GET", "POST"]

        def dispatch_request(self) -> t.Any:
            return {"method": request.method}, 202

    api.add_resource(Ping, "/ping")
    resp = client.post("/ping")
    assert resp.status_code == 202
    assert resp.get_json() == {"method": "POST"}


def test_plain_view_async_verbs_need_the_async_extra(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    class AsyncCats(MethodView):
        async def trace(self) -> t.Any:
            return {}

    monkeypatch.setitem(sys.modules, "asgiref.sync", None)
    with pytest.raises(FlaskResourcesError, match=r"\(trace\).*'async' extra"):
        api.add_resource(AsyncCats, "/async")


@pytest.mark.parametrize("view_class", [Hello, PlainCats])
def test_view_function_carries_what_as_view_sets(
    app: Flask, api: Api, view_class: type[View]
) -> None:
    def tagged(f: t.Any) -> t.Any:
        @functools.wraps(f)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return f(*args, **kwargs)

        return wrapper

    api.decorators.append(tagged)
    api.add_resource(view_class, "/v/<int:cat_id>", endpoint="v")
    flask_view = view_class.as_view("v")
    ours = app.view_functions["v"]
    for attribute in (
        "view_class",
        "__name__",
        "__doc__",
        "__module__",
        "methods",
        "provide_automatic_options",
    ):
        assert getattr(ours, attribute) == getattr(flask_view, attribute), attribute


def test_resource_mediatypes(client: t.Any, api: Api) -> None:
    class Types(Resource):
        def get(self) -> t.Any:
            return self.mediatypes()  # type: ignore[attr-defined]

    api.add_resource(Types, "/types")
    headers = {"Accept": "application/xml;q=0.5, text/csv"}
    assert client.get("/types", headers=headers).get_json() == [
        "text/csv",
        "application/xml",
        "application/json",
    ]


def test_output_wraps_plain_views(app: Flask, api: Api) -> None:
    def plain() -> t.Any:
        return {"plain": True}, 201

    app.add_url_rule("/plain", "plain", api.output(plain))
    resp = app.test_client().get("/plain")
    assert (resp.status_code, resp.get_json()) == (201, {"plain": True})
    assert resp.data == b'{"plain": true}\n'


class Nested(Resource):
    def get(self, cat_id: int) -> t.Any:
        if cat_id == 0:
            raise LookupError("no such cat")
        return {"url": nested_api.url_for(Nested, cat_id=cat_id)}


nested_api: Api


@pytest.fixture
def nested_app(production: Flask) -> Flask:
    """An Api on a blueprint registered inside another one, and again on
    its own under another name."""
    global nested_api
    child = Blueprint("child", __name__, url_prefix="/child")
    nested_api = Api(child, errors={"LookupError": {"message": "gone", "status": 410}})
    nested_api.add_resource(Nested, "/cats/<int:cat_id>")
    parent = Blueprint("parent", __name__, url_prefix="/parent")
    parent.register_blueprint(child)
    production.register_blueprint(parent)
    production.register_blueprint(child, name="other", url_prefix="/other")
    return production


@pytest.mark.parametrize("prefix", ["/parent/child", "/other"])
def test_nested_blueprint_url_for_and_errors(nested_app: Flask, prefix: str) -> None:
    client = nested_app.test_client()
    resp = client.get(f"{prefix}/cats/5")
    assert (resp.status_code, resp.get_json()) == (200, {"url": f"{prefix}/cats/5"})
    gone = client.get(f"{prefix}/cats/0")
    assert gone.status_code == 410
    assert gone.get_json() == {"message": "gone", "status": 410}
    not_allowed = client.post(f"{prefix}/cats/5")
    assert not_allowed.status_code == 405
    assert not_allowed.is_json


def test_nested_blueprint_owns_endpoint(nested_app: Flask) -> None:
    with nested_app.app_context():
        assert nested_api.owns_endpoint("parent.child.nested")
        assert nested_api.owns_endpoint("other.nested")
        assert not nested_api.owns_endpoint("child.nested")
        assert not nested_api.owns_endpoint("parent.nested")
        assert not nested_api.owns_endpoint("nested")
        # Outside a request, url_for builds the first registration's URL.
        with nested_app.test_request_context("/"):
            assert nested_api.url_for(Nested, cat_id=1) == "/parent/child/cats/1"


def test_resource_added_after_registering_a_blueprint_twice(app: Flask) -> None:
    blueprint = Blueprint("bp", __name__)
    api = Api(blueprint)
    app.register_blueprint(blueprint, url_prefix="/one")
    app.register_blueprint(blueprint, name="two", url_prefix="/two")
    api.add_resource(Hello, "/hello")
    client = app.test_client()
    assert client.get("/one/hello").get_json() == {"hello": "world"}
    assert client.get("/two/hello").get_json() == {"hello": "world"}


def test_public_hooks_called_directly(app: Flask) -> None:
    """Flask-RESTful code calls these itself, inside a request context."""
    api = Api(app, serve_challenge_on_401=True)

    class Conflicting(Resource):
        def get(self) -> t.Any:
            return {"hello": "world"}

        def post(self) -> t.Any:
            abort(409, message="exists")

    with app.test_request_context("/anywhere", headers={"Accept": "application/json"}):
        resp = api.handle_error(NotFound())
        assert resp.status_code == 404
        assert resp.get_json()["message"].startswith("The requested URL")
        resp = api.handle_error(Unauthorized())
        assert resp.status_code == 401
        assert resp.headers["WWW-Authenticate"] == 'Basic realm="flask-restful"'
        resp = api.make_response({"a": 1}, 201, {"X-A": "b"})
        assert (resp.status_code, resp.data, resp.headers["X-A"]) == (
            201,
            b'{"a": 1}\n',
            "b",
        )
        resp = api.output(lambda: ({"b": 2}, 202))()
        assert (resp.status_code, resp.data) == (202, b'{"b": 2}\n')
        assert Conflicting().dispatch_request() == {"hello": "world"}
    with app.test_request_context("/anywhere", method="POST"):
        with pytest.raises(HTTPException) as info:
            Conflicting().dispatch_request()
        resp = api.handle_error(info.value)
        assert (resp.status_code, resp.data) == (409, b'{"message": "exists"}\n')
