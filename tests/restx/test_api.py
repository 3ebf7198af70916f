"""restx.Api: RESTX's constructor, namespaces, endpoints, blueprints, the
document's routes and the payload."""

from __future__ import annotations

import functools
import typing as t

import pytest
from flask import Blueprint, Flask, Response, url_for
from flask.testing import FlaskClient

from flask_resources import restx


class Hello(restx.Resource):
    def get(self) -> t.Any:
        return {"hello": "world"}


class TodoList(restx.Resource):
    def get(self) -> t.Any:
        return []


def test_constructor_keeps_restx_settings(app: Flask) -> None:
    api = restx.Api(
        app,
        version="2.0",
        description="Todos",
        terms_url="https://example.com/terms",
        license="MIT",
        license_url="https://example.com/mit",
        contact="Ann",
        contact_url="https://example.com",
        contact_email="ann@example.com",
        authorizations={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        tags=["extra"],
        ordered=True,
        url_scheme="https",
        unknown_option=True,  # ignored, as Flask-RESTX ignores it
    )
    assert api.version == "2.0"
    assert api.api_version == "2.0"
    assert api.title == "API"
    assert api.description == "Todos"
    assert api.terms_url == "https://example.com/terms"
    assert (api.license, api.license_url) == ("MIT", "https://example.com/mit")
    assert (api.contact, api.contact_url, api.contact_email) == (
        "Ann",
        "https://example.com",
        "ann@example.com",
    )
    assert api.authorizations == {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
    }
    assert api.tags == ["extra"]
    assert api.ordered is True
    assert api.urls == {}
    assert api.prefix == ""
    assert api.default_mediatype == "application/json"
    assert api.default_namespace.name == "default"
    assert api.default_namespace.description == "Default namespace"
    assert api.namespaces == [api.default_namespace]


def test_core_options_are_passed_on(app: Flask) -> None:
    class Teapot(Exception):
        pass

    api = restx.Api(app, errors={"Teapot": {"message": "short", "status": 418}})

    @api.route("/tea")
    class Tea(restx.Resource):
        def get(self) -> t.Any:
            raise Teapot()

    resp = app.test_client().get("/tea")
    assert resp.status_code == 418
    assert resp.get_json() == {"message": "short", "status": 418}


@pytest.mark.parametrize(
    ("security", "requirements"),
    [
        (None, None),
        ("apikey", [{"apikey": []}]),
        (["apikey", {"oauth": "read"}], [{"apikey": []}, {"oauth": ["read"]}]),
        ({"oauth": ["read", "write"]}, [{"oauth": ["read", "write"]}]),
    ],
)
def test_security_becomes_requirements(security: t.Any, requirements: t.Any) -> None:
    assert restx.Api(security=security).security == requirements


def test_endpoints_are_named_as_restx_names_them(app: Flask, api: restx.Api) -> None:
    ns = api.namespace("todos", "Todo operations")

    @api.route("/hello2/")
    @api.route("/hello/")
    class HelloWorld(restx.Resource):
        def get(self) -> t.Any:
            return {}

    ns.add_resource(TodoList, "/")
    ns.add_resource(TodoList, "/all")
    ns.add_resource(Hello, "/named", endpoint="custom")
    with app.test_request_context():
        assert url_for("hello_world") == "/hello/"
        assert url_for("hello_world_2") == "/hello2/"
        assert url_for("todos_todo_list") == "/todos/"
        assert url_for("todos_todo_list_2") == "/todos/all"
        assert url_for("custom") == "/todos/named"
        assert api.url_for(Hello) == "/todos/named"
    assert TodoList.endpoint == "todos_todo_list_2"  # type: ignore[attr-defined]


def test_camel_to_dash_and_default_id() -> None:
    assert restx.api.camel_to_dash("TodoList") == "todo_list"
    assert restx.api.camel_to_dash("HTTPResource") == "http_resource"
    assert restx.api.default_id("TodoList", "get") == "get_todo_list"


def test_lazy_init_with_namespaces_added_before_and_after(app: Flask) -> None:
    api = restx.Api()
    early = restx.Namespace("early")
    early.add_resource(Hello, "/")
    api.add_namespace(early, path="/first")
    api.add_resource(TodoList, "/todos")
    api.init_app(app)
    late = api.namespace("late")

    @late.route("/x")
    class Late(restx.Resource):
        def get(self) -> t.Any:
            return "late"

    client = app.test_client()
    assert client.get("/first/").get_json() == {"hello": "world"}
    assert client.get("/todos").get_json() == []
    assert client.get("/late/x").get_json() == "late"
    assert api.get_ns_path(early) == "/first"
    assert api.ns_urls(late, ["/a", "/b"]) == ["/late/a", "/late/b"]


def test_namespace_resources_added_after_it_joined(app: Flask, api: restx.Api) -> None:
    ns = restx.Namespace("cats")
    api.add_namespace(ns)
    ns.add_resource(Hello, "/tom")
    assert app.test_client().get("/cats/tom").get_json() == {"hello": "world"}
    assert api.namespace_of(Hello) is ns
    route = api.route_of("cats_hello")
    assert route is not None
    assert route[0] is ns
    assert route[1].urls == ("/tom",)


def test_blueprint_with_prefixes(app: Flask) -> None:
    blueprint = Blueprint("api", __name__, url_prefix="/api")
    api = restx.Api(blueprint, prefix="/v1")
    ns = api.namespace("ns")
    ns.add_resource(Hello, "/hello")
    app.register_blueprint(blueprint)
    with app.test_request_context():
        assert url_for("api.ns_hello") == "/api/v1/ns/hello"
        assert api.specs_url == "/api/v1/swagger.json"
        assert api.base_path == "/api/v1"
        assert api.base_url == "http://localhost/api/v1"
    assert app.test_client().get("/api/v1/ns/hello").status_code == 200


def test_blueprint_with_subdomain(app: Flask) -> None:
    app.config["SERVER_NAME"] = "localhost"
    app.subdomain_matching = True
    blueprint = Blueprint("api", __name__, subdomain="api", url_prefix="/api")
    api = restx.Api(blueprint)
    api.add_resource(Hello, "/hello")
    app.register_blueprint(blueprint)
    with app.test_request_context():
        assert url_for("api.root") == "http://api.localhost/api/"
        assert url_for("api.hello") == "http://api.localhost/api/hello"
    resp = app.test_client().get("/api/hello", base_url="http://api.localhost")
    assert resp.get_json() == {"hello": "world"}


def test_resource_gets_the_api_then_its_arguments(app: Flask, api: restx.Api) -> None:
    class Greeter(restx.Resource):
        def __init__(self, api: restx.Api, greeting: str, *, name: str) -> None:
            super().__init__(api)
            self.text = f"{greeting} {name}"

        def get(self) -> t.Any:
            assert self.api is api
            return self.text

    api.add_resource(
        Greeter,
        "/greet",
        resource_class_args=("Hello",),
        resource_class_kwargs={"name": "Tom"},
    )
    assert app.test_client().get("/greet").get_json() == "Hello Tom"


def _header(name: str, value: str) -> t.Callable[..., t.Any]:
    def decorator(view: t.Callable[..., Response]) -> t.Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
            resp = view(*args, **kwargs)
            resp.headers.add("X-Order", value)
            resp.headers[name] = value
            return resp

        return wrapper

    return decorator


def test_namespace_decorators_inside_the_apis(app: Flask) -> None:
    api = restx.Api(decorators=[_header("X-Api", "api")])
    ns = api.namespace("ns", decorators=[_header("X-Ns", "ns")])
    ns.add_resource(Hello, "/hello")
    api.add_resource(TodoList, "/todos")
    api.init_app(app)
    client = app.test_client()
    resp = client.get("/ns/hello")
    assert resp.headers.getlist("X-Order") == ["ns", "api"]
    assert client.get("/todos").headers.getlist("X-Order") == ["api"]


def test_specs_url_serves_the_openapi_document(app: Flask, api: restx.Api) -> None:
    ns = api.namespace("todos", description="Todo operations")
    ns.add_resource(TodoList, "/")
    resp = app.test_client().get("/swagger.json")
    assert resp.status_code == 200
    document = resp.get_json()
    assert document["info"]["title"] == "API"
    assert document["info"]["version"] == "1.0"
    assert list(document["paths"]) == ["/todos/"]
    assert document["paths"]["/todos/"]["get"]["tags"] == ["todos"]
    with app.test_request_context():
        assert api.specs_url == "/swagger.json"
        assert api.__schema__ == document
    assert "specs" in api.endpoints


def test_add_specs_false_serves_no_document(app: Flask) -> None:
    api = restx.Api()
    api.init_app(app, add_specs=False, title="Quiet")
    assert api.title == "Quiet"
    assert "specs" not in api.endpoints
    assert "specs" not in app.view_functions
    assert app.test_client().get("/swagger.json").status_code == 404


def test_url_scheme_makes_urls_absolute(app: Flask) -> None:
    api = restx.Api(app, url_scheme="https", default_swagger_filename="openapi.json")
    with app.test_request_context():
        assert api.specs_url == "https://localhost/openapi.json"
        assert api.base_url == "https://localhost/"


def test_documentation_decorator_serves_the_docs_page(app: Flask) -> None:
    api = restx.Api(app, doc="/doc/")

    @api.documentation
    def custom_ui() -> str:
        return "<h1>docs</h1>"

    resp = app.test_client().get("/doc/")
    assert resp.status_code == 200
    assert resp.data == b"<h1>docs</h1>"


def test_doc_false_registers_no_docs_page(app: Flask) -> None:
    restx.Api(app, doc=False)
    assert "doc" not in app.view_functions
    assert app.test_client().get("/").status_code == 404
    # The document is still served.
    with app.test_request_context():
        assert url_for("specs") == "/swagger.json"
    assert app.test_client().get("/swagger.json").status_code == 200


def test_config_defaults_set_when_bound(app: Flask, api: restx.Api) -> None:
    assert app.config["RESTX_MASK_HEADER"] == "X-Fields"
    assert app.config["RESTX_MASK_SWAGGER"] is True
    assert app.config["RESTX_INCLUDE_ALL_MODELS"] is False


def test_restx_json_settings(app: Flask, api: restx.Api) -> None:
    app.config["RESTX_JSON"] = {"indent": 2, "sort_keys": True}

    @api.route("/sorted")
    class Sorted(restx.Resource):
        def get(self) -> t.Any:
            return {"b": 1, "a": 2}

    assert app.test_client().get("/sorted").data == b'{\n  "a": 2,\n  "b": 1\n}\n'


def test_parser_with_a_media_type_registers_a_body_parser(
    app: Flask, api: restx.Api
) -> None:
    @api.parser("text/csv")
    def parse_csv(body: bytes, mimetype: str, options: t.Any) -> t.Any:
        return body.decode().split(",")

    assert api.parsers["text/csv"] is parse_csv


def test_schema_name_of_a_model_is_its_name(api: restx.Api) -> None:
    model = restx.Model("Todo")
    assert api.schema_name_of(model) == "Todo"
    plain = {"id": object()}
    api.schema_name("Plain", plain)
    assert api.schema_name_of(plain) == "Plain"
    assert api.schema_name_of({}) is None


def test_models_of_namespaces_reach_the_api(api: restx.Api) -> None:
    ns = restx.Namespace("cats")
    cat = ns.add_model("Cat", restx.Model("Cat"))
    api.add_namespace(ns)
    dog = ns.add_model("Dog", restx.Model("Dog"))
    owner = api.add_model("Owner", restx.Model("Owner"))
    # Identity: empty models are equal dicts.
    assert {name: id(model) for name, model in api.models.items()} == {
        "Cat": id(cat),
        "Dog": id(dog),
        "Owner": id(owner),
    }
    assert list(api.default_namespace.models) == ["Owner"]
    assert api.default_namespace.models["Owner"] is owner


def test_refresolver_holds_every_model(api: restx.Api) -> None:
    cat = restx.Model("Cat")
    api.add_model("Cat", cat)
    registry = api.refresolver
    root = "http://localhost/schema.json"
    assert list(registry) == [root]
    assert registry.contents(root) == {
        "$id": root,
        "definitions": {"Cat": cat.__schema__},
    }
    assert api.refresolver is registry
    api.add_model("Dog", restx.Model("Dog"))
    assert api.refresolver is not registry
    assert set(api.refresolver.contents(root)["definitions"]) == {"Cat", "Dog"}


def test_operations_are_tagged_with_their_namespace(app: Flask) -> None:
    blueprint = Blueprint("api", __name__)
    api = restx.Api(blueprint, tags=["extra", ("todos", "Said first")])
    todos = api.namespace("todos", description="Todo operations")
    api.namespace("empty", description="No resources")
    todos.add_resource(TodoList, "/")
    api.add_resource(Hello, "/hello")
    # One class in two namespaces: each route is tagged with its own.
    api.namespace("lists").add_resource(TodoList, "/")
    app.register_blueprint(blueprint)
    with app.app_context():
        document = api.openapi()
    paths = document["paths"]
    assert paths["/todos/"]["get"]["tags"] == ["todos"]
    assert paths["/hello"]["get"]["tags"] == ["default"]
    assert paths["/lists/"]["get"]["tags"] == ["lists"]
    assert document["tags"] == [
        {"name": "extra"},
        {"name": "todos", "description": "Todo operations"},
        {"name": "default", "description": "Default namespace"},
        {"name": "lists"},
    ]


def test_route_doc_documents_one_route(app: Flask, api: restx.Api) -> None:
    ns = api.namespace("things")
    ns.add_resource(TodoList, "/", route_doc={"description": "All of them"})
    ns.route("/hidden", doc=False)(Hello)
    with app.app_context():
        document = api.openapi()
    assert document["paths"]["/things/"]["get"]["description"] == "All of them"
    assert "/things/hidden" not in document["paths"]


def test_bad_tags_are_refused() -> None:
    with pytest.raises(ValueError, match="Unsupported tag format"):
        restx.Api(tags=[42])


def test_payload(app: Flask, api: restx.Api, client: FlaskClient) -> None:
    @api.route("/echo")
    class Echo(restx.Resource):
        def post(self) -> t.Any:
            assert api.payload is api.payload  # decoded once
            return {"got": api.payload}

    assert client.post("/echo", json={"a": [1]}).get_json() == {"got": {"a": [1]}}
    assert client.post("/echo", json=[1, 2]).get_json() == {"got": [1, 2]}


@pytest.mark.parametrize(
    ("data", "content_type", "status", "message"),
    [
        ("{bad", "application/json", 400, "Failed to decode JSON object: "),
        ("", "application/json", 400, "Failed to decode JSON object: "),
        ('"\\ud800"', "application/json", 400, "Failed to decode JSON object: "),
        ("[" * 100_000, "application/json", 400, "Failed to decode JSON object: "),
        ("a=b", "application/x-www-form-urlencoded", 415, "Did not attempt"),
    ],
)
def test_bad_payloads_are_json_errors(
    app: Flask,
    api: restx.Api,
    client: FlaskClient,
    data: str,
    content_type: str,
    status: int,
    message: str,
) -> None:
    @api.route("/echo")
    class Echo(restx.Resource):
        def post(self) -> t.Any:
            return {"got": api.payload}

    resp = client.post("/echo", data=data, content_type=content_type)
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.get_json()["message"].startswith(message)
