"""The OpenAPI 3.1 document of a Flask-RESTX style Api, from the one builder,
and the routes serving it where Flask-RESTX serves its Swagger 2.0 one."""

from __future__ import annotations

import json
import typing as t

import pytest
from flask import Blueprint, Flask, url_for

from flask_resources.exceptions import OpenAPIError
from flask_resources.restx import (
    Api,
    Model,
    Namespace,
    Resource,
    apidoc,
    fields,
    reqparse,
)
from flask_resources.restx.swagger import (
    Swagger,
    extract_path,
    extract_path_params,
    parse_docstring,
    security_schemes,
)

pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
pytest.importorskip("flask_swagger_ui", reason="needs the 'docs' extra")
validator = pytest.importorskip(
    "openapi_spec_validator", reason="needs openapi-spec-validator"
)


def document(api: Api, app: Flask) -> dict[str, t.Any]:
    """The document, after checking that it is valid OpenAPI 3.1."""
    with app.app_context():
        spec = api.openapi()
    assert spec["openapi"] == "3.1.0"
    validator.validate(spec)
    assert json.loads(json.dumps(spec)) == spec
    return spec


todo = Model("Todo", {"id": fields.Integer, "task": fields.String})
todo_page = Model("TodoPage", {"items": fields.List(fields.Nested(todo))})


# -- the Flask-RESTX README's todo app ----------------------------------------


def todo_app() -> tuple[Flask, Api, Namespace]:
    app = Flask(__name__)
    api = Api(
        app,
        version="1.0",
        title="TodoMVC API",
        description="A simple TodoMVC API",
    )
    ns = api.namespace("todos", description="TODO operations", path="/")
    store: dict[int, dict[str, t.Any]] = {1: {"id": 1, "task": "Build an API"}}

    class TodoList(Resource):
        """Shows a list of all todos, and lets you POST to add new tasks"""

        @ns.doc("list_todos")
        @ns.response(200, "Success", [todo])
        def get(self) -> t.Any:
            """List all tasks"""
            return list(store.values())

        @ns.doc("create_todo")
        @ns.expect(todo)
        @ns.response(201, "Created", todo)
        def post(self) -> t.Any:
            """Create a new task"""
            return {"id": 2}, 201

    @ns.response(404, "Todo not found")
    @ns.param("id", "The task identifier")
    class Todo(Resource):
        """Show a single todo item and lets you delete them"""

        @ns.doc("get_todo")
        @ns.response(200, "Success", todo)
        def get(self, id: int) -> t.Any:
            """Fetch a given resource"""
            return store[id]

        @ns.doc("delete_todo")
        @ns.response(204, "Todo deleted")
        def delete(self, id: int) -> t.Any:
            """Delete a task given its identifier"""
            return "", 204

        @ns.expect(todo)
        @ns.response(200, "Success", todo)
        def put(self, id: int) -> t.Any:
            """Update a task given its identifier"""
            return store[id]

    ns.route("/todos/", endpoint="todos_todo_list")(TodoList)
    ns.route("/todos/<int:id>", endpoint="todos_todo")(Todo)
    return app, api, ns


def test_todo_app_document() -> None:
    app, api, _ = todo_app()
    spec = document(api, app)
    assert spec["info"] == {
        "title": "TodoMVC API",
        "version": "1.0",
        "description": "A simple TodoMVC API",
    }
    assert spec["tags"] == [{"name": "todos", "description": "TODO operations"}]
    ref = {"$ref": "#/components/schemas/Todo"}
    todos = spec["paths"]["/todos/"]
    assert todos["get"]["operationId"] == "list_todos"
    assert todos["get"]["tags"] == ["todos"]
    assert todos["get"]["summary"] == "List all tasks"
    assert todos["get"]["responses"]["200"] == {
        "description": "Success",
        "content": {"application/json": {"schema": {"type": "array", "items": ref}}},
    }
    assert todos["post"]["requestBody"] == {
        "content": {"application/json": {"schema": ref}},
        "required": True,
    }
    one = spec["paths"]["/todos/{id}"]
    # @ns.param names the URL variable: it describes the path parameter.
    assert one["get"]["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
            "description": "The task identifier",
        }
    ]
    assert one["delete"]["responses"]["404"]["description"] == "Todo not found"
    assert "content" not in one["delete"]["responses"]["204"]
    # The model is a component (its fields' schemas are the fields' own).
    assert set(spec["components"]["schemas"]["Todo"]["properties"]) == {"id", "task"}


def test_todo_app_still_answers() -> None:
    app, _, _ = todo_app()
    client = app.test_client()
    assert client.get("/todos/").get_json() == [{"id": 1, "task": "Build an API"}]
    assert client.post("/todos/", json={"task": "x"}).status_code == 201
    assert client.get("/todos/1").get_json()["task"] == "Build an API"


# -- tags ---------------------------------------------------------------------


def test_namespaces_are_tags_in_order_and_empty_ones_are_left_out() -> None:
    app = Flask(__name__)
    api = Api(app, tags=[("extra", "Said with Api(tags=...)")])
    cats = api.namespace("cats", "Cats", path="/")
    dogs = api.namespace("dogs", "Dogs", path="/")

    @dogs.hide
    class Dog(Resource):
        def get(self) -> t.Any:
            return {}

    class Cat(Resource):
        def get(self) -> t.Any:
            return {}

    dogs.route("/dogs", endpoint="dogs_dog")(Dog)  # every resource hidden
    cats.route("/cats", endpoint="cats_cat")(Cat)
    spec = document(api, app)
    assert spec["tags"] == [
        {"name": "extra", "description": "Said with Api(tags=...)"},
        {"name": "cats", "description": "Cats"},
    ]


def test_one_class_on_two_routes_with_their_own_doc() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("things", path="/")

    class Thing(Resource):
        def get(self) -> t.Any:
            return {}

        def delete(self) -> t.Any:
            return "", 204

    ns.route("/bar", endpoint="things_thing", doc={"description": "an endpoint"})(Thing)
    ns.route(
        "/foo/bar",
        endpoint="things_thing_2",
        doc={"description": "the same endpoint", "delete": False},
    )(Thing)
    ns.route("/hidden", endpoint="things_thing_3", doc=False)(Thing)
    paths = document(api, app)["paths"]
    assert paths["/bar"]["get"]["description"] == "an endpoint"
    assert "delete" in paths["/bar"]
    assert paths["/foo/bar"]["get"]["description"] == "the same endpoint"
    assert "delete" not in paths["/foo/bar"]
    assert "/hidden" not in paths
    ids = {paths[p]["get"]["operationId"] for p in ("/bar", "/foo/bar")}
    assert ids == {"get_thing", "get_thing_2"}


# -- requests -----------------------------------------------------------------


def test_expect_parser_and_parameters() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("search", path="/")
    parser = reqparse.RequestParser()
    parser.add_argument("page", type=int, location="args", help="Page number")
    parser.add_argument("X-Token", location="headers", required=True)

    class Search(Resource):
        @ns.expect(parser)
        @ns.param("q", "What to look for", required=True, enum=["a", "b"])
        @ns.param("sort", type=[str], collectionFormat="csv", default="name")
        @ns.header("X-Total", "How many", type=int)
        def get(self) -> t.Any:
            return []

        @ns.expect([todo], validate=True)
        @ns.param("upload", "A file", _in="formData", type="file")
        def post(self) -> t.Any:
            return []

        @ns.expect((todo, "The new values"))
        @ns.param("note", _in="formData")
        def put(self) -> t.Any:
            return {}

    ns.route("/search", endpoint="search_search")(Search)
    operations = document(api, app)["paths"]["/search"]
    parameters = {p["name"]: p for p in operations["get"]["parameters"]}
    assert parameters["page"] == {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer"},
        "description": "Page number",
    }
    assert parameters["X-Token"]["in"] == "header"
    assert parameters["q"] == {
        "name": "q",
        "in": "query",
        "description": "What to look for",
        "required": True,
        "schema": {"enum": ["a", "b"], "type": "string"},
    }
    assert parameters["sort"] == {
        "name": "sort",
        "in": "query",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string"}, "default": ["name"]},
    }
    assert operations["get"]["responses"]["200"]["headers"] == {
        "X-Total": {"description": "How many", "schema": {"type": "integer"}}
    }
    assert "400" in operations["get"]["responses"]
    content = operations["post"]["requestBody"]["content"]
    assert content["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Todo"},
    }
    assert content["multipart/form-data"]["schema"]["properties"]["upload"] == {
        "type": "string",
        "format": "binary",
        "description": "A file",
    }
    body = operations["put"]["requestBody"]
    assert body["description"] == "The new values"
    assert set(body["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
    }


# -- responses ----------------------------------------------------------------


def test_responses_models_envelopes_and_media_types() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("pages", path="/")

    @ns.header("X-Request-Id", "Echoed")
    class Pages(Resource):
        @ns.response(200, "A page", todo_page, envelope="data")
        @ns.response(400, "Bad", headers={"X-Why": "Why"})
        @ns.response(202, "Count", int)
        @ns.produces(["application/json", "text/csv"])
        def get(self) -> t.Any:
            return {}

    ns.route("/pages", endpoint="pages_pages")(Pages)
    spec = document(api, app)
    responses = spec["paths"]["/pages"]["get"]["responses"]
    assert responses["200"]["content"] == {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"data": {"$ref": "#/components/schemas/TodoPage"}},
                "required": ["data"],
            }
        },
        # A CSV body is text, whatever JSON it was rendered from.
        "text/csv": {"schema": {"type": "string"}},
    }
    assert responses["200"]["headers"]["X-Request-Id"]["description"] == "Echoed"
    assert responses["400"]["headers"] == {
        "X-Request-Id": {"description": "Echoed", "schema": {"type": "string"}},
        "X-Why": {"description": "Why", "schema": {"type": "string"}},
    }
    assert responses["202"]["content"]["text/csv"]["schema"] == {"type": "string"}
    assert responses["202"]["content"]["application/json"]["schema"] == {
        "type": "integer"
    }
    # Errors keep the Api's media types.
    assert set(responses["400"]["content"]) == {"application/json"}
    # A model nested in another is a component too.
    assert {"Todo", "TodoPage"} <= set(spec["components"]["schemas"])


def test_mask_header_where_a_response_is_masked() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("masked", path="/")

    @ns.doc(__mask__=True)
    class Masked(Resource):
        def get(self) -> t.Any:
            return {}

        @ns.doc(__mask__="{id,task}")
        def put(self) -> t.Any:
            return {}

        @ns.doc(__mask__=False)
        def post(self) -> t.Any:
            return {}

    ns.route("/masked", endpoint="masked_masked")(Masked)
    operations = document(api, app)["paths"]["/masked"]
    assert operations["get"]["parameters"] == [
        {
            "name": "X-Fields",
            "in": "header",
            "description": "An optional fields mask",
            "schema": {"type": "string", "format": "mask"},
        }
    ]
    assert operations["put"]["parameters"][0]["schema"]["default"] == "{id,task}"
    assert "parameters" not in operations["post"]
    app.config["RESTX_MASK_HEADER"] = "X-Mask"
    api.describe_tag("again")  # a change: the document is built again
    operations = document(api, app)["paths"]["/masked"]
    assert operations["get"]["parameters"][0]["name"] == "X-Mask"
    app.config["RESTX_MASK_SWAGGER"] = False
    api.describe_tag("again")
    assert "parameters" not in document(api, app)["paths"]["/masked"]["get"]


def test_vendor_extensions_and_deprecation() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("v", path="/")

    @ns.vendor({"x-class": 1})
    class Vendor(Resource):
        @ns.vendor(codegen="skip")
        @ns.deprecated
        def get(self) -> t.Any:
            return {}

    ns.route("/v", endpoint="v_vendor")(Vendor)
    get = document(api, app)["paths"]["/v"]["get"]
    assert get["x-class"] == 1 and get["x-codegen"] == "skip"
    assert get["deprecated"] is True


# -- security -----------------------------------------------------------------

AUTHORIZATIONS = {
    "apikey": {"type": "apiKey", "in": "header", "name": "X-API"},
    "basic": {"type": "basic"},
    "oauth2": {
        "type": "oauth2",
        "flow": "accessCode",
        "authorizationUrl": "https://example.com/authorize",
        "tokenUrl": "https://example.com/token",
        "scopes": {"read": "Grant read-only access"},
    },
}


def test_authorizations_become_security_schemes() -> None:
    assert security_schemes(AUTHORIZATIONS) == {
        "apikey": {"type": "apiKey", "in": "header", "name": "X-API"},
        "basic": {"type": "http", "scheme": "basic"},
        "oauth2": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://example.com/authorize",
                    "tokenUrl": "https://example.com/token",
                    "scopes": {"read": "Grant read-only access"},
                }
            },
        },
    }
    flows = {
        "implicit": ("implicit", {"authorizationUrl": "https://a"}),
        "password": ("password", {"tokenUrl": "https://t"}),
        "application": ("clientCredentials", {"tokenUrl": "https://t"}),
    }
    for flow, (name, urls) in flows.items():
        scheme = security_schemes({"o": {"type": "oauth2", "flow": flow, **urls}})
        assert scheme["o"]["flows"] == {name: {"scopes": {}, **urls}}
    bearer = {"type": "http", "scheme": "bearer"}
    assert security_schemes({"bearer": bearer}) == {"bearer": bearer}


@pytest.mark.parametrize(
    ("definition", "match"),
    [
        ({"type": "oauth2", "flow": "magic"}, "flow is one of"),
        ({"type": "oauth2", "flow": "accessCode", "tokenUrl": "x"}, "authorizationUrl"),
        ({"type": "digest"}, "unknown type 'digest'"),
        ("apiKey", "expected a dict"),
    ],
)
def test_bad_authorizations_name_the_scheme(definition: t.Any, match: str) -> None:
    with pytest.raises(OpenAPIError, match=f"authorization 'bad': .*{match}"):
        security_schemes({"bad": definition})


def test_security_requirements_from_the_api_namespaces_and_operations() -> None:
    app = Flask(__name__)
    api = Api(
        app,
        authorizations={"apikey": AUTHORIZATIONS["apikey"]},
        security="apikey",
    )
    ns1 = api.namespace(
        "ns1", authorizations={"oauth2": AUTHORIZATIONS["oauth2"]}, path="/"
    )
    ns2 = api.namespace(
        "ns2", authorizations={"basic": AUTHORIZATIONS["basic"]}, path="/"
    )

    class Ns1(Resource):
        def get(self) -> t.Any:
            return {}

        @ns1.doc(security={"oauth2": "read"})
        def post(self) -> t.Any:
            return {}

    class Ns2(Resource):
        @ns2.doc(security=None)
        def get(self) -> t.Any:
            return {}

        @ns2.doc(security=["basic", {"oauth2": ["read"]}])
        def post(self) -> t.Any:
            return {}

    ns1.route("/ns1/", endpoint="ns1_ns1")(Ns1)
    ns2.route("/ns2/", endpoint="ns2_ns2")(Ns2)
    spec = document(api, app)
    assert set(spec["components"]["securitySchemes"]) == {"apikey", "oauth2", "basic"}
    paths = spec["paths"]
    assert paths["/ns1/"]["get"]["security"] == [{"apikey": []}]
    assert paths["/ns1/"]["post"]["security"] == [{"oauth2": ["read"]}]
    assert paths["/ns2/"]["get"]["security"] == []
    assert paths["/ns2/"]["post"]["security"] == [{"basic": []}, {"oauth2": ["read"]}]
    assert api.security == [{"apikey": []}]


# -- info, ids, models --------------------------------------------------------


def test_info_from_restx_arguments() -> None:
    app = Flask(__name__)
    api = Api(
        app,
        version="2.0",
        title="T",
        description=lambda: "Made when asked",
        terms_url="https://example.com/terms",
        license="MIT",
        license_url="https://opensource.org/licenses/MIT",
        contact="Jane",
        contact_email="jane@example.com",
        contact_url="https://example.com",
    )
    assert document(api, app)["info"] == {
        "title": "T",
        "version": "2.0",
        "description": "Made when asked",
        "termsOfService": "https://example.com/terms",
        "license": {"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
        "contact": {
            "name": "Jane",
            "email": "jane@example.com",
            "url": "https://example.com",
        },
    }


def test_operation_ids_from_default_id() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("ids", path="/")

    class HTTPThing(Resource):
        def get(self) -> t.Any:
            return {}

    ns.route("/thing", endpoint="ids_thing")(HTTPThing)
    assert document(api, app)["paths"]["/thing"]["get"]["operationId"] == (
        "get_http_thing"
    )
    api.default_id = lambda name, verb: f"{name}.{verb}"  # type: ignore[attr-defined]
    api.describe_tag("again")
    assert document(api, app)["paths"]["/thing"]["get"]["operationId"] == (
        "HTTPThing.get"
    )


def test_include_all_models() -> None:
    app = Flask(__name__)
    api = Api(app)
    api.model("Unused", {"name": fields.String})
    assert "Unused" not in document(api, app).get("components", {}).get("schemas", {})
    app.config["RESTX_INCLUDE_ALL_MODELS"] = True
    api.describe_tag("again")
    schemas = document(api, app)["components"]["schemas"]
    assert schemas["Unused"]["properties"] == {"name": {"type": "string"}}


def test_what_cannot_be_described_is_named() -> None:
    app = Flask(__name__)
    api = Api(app)
    ns = api.namespace("bad", path="/")

    class Bad(Resource):
        @ns.expect(object())
        def post(self) -> t.Any:
            return {}

    ns.route("/bad", endpoint="bad_bad")(Bad)
    with app.app_context(), pytest.raises(OpenAPIError, match=r"Bad\.post.*object"):
        api.openapi()


# -- serving ------------------------------------------------------------------


def test_swagger_json_and_docs_page_where_flask_restx_serves_them() -> None:
    app, api, _ = todo_app()
    client = app.test_client()
    with app.test_request_context():
        assert url_for("specs") == "/swagger.json"
        assert url_for("doc") == url_for("root") == "/"
    response = client.get("/swagger.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == document(api, app)
    page = client.get("/")
    assert page.status_code == 200
    assert page.content_type == "text/html; charset=utf-8"
    html = page.get_data(as_text=True)
    assert "<title>TodoMVC API</title>" in html
    assert 'url: "/swagger.json"' in html
    assert 'docExpansion: "none"' in html
    assert "displayOperationId: false" in html
    assert "displayRequestDuration: false" in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/swaggerui/{asset}" in html
        asset_response = client.get(f"/swaggerui/{asset}")
        assert asset_response.status_code == 200
        asset_response.close()
    # The API itself still answers.
    assert client.get("/todos/1").status_code == 200


def test_docs_page_options_from_the_config() -> None:
    app, api, _ = todo_app()
    app.config.update(
        SWAGGER_VALIDATOR_URL="http://somewhere.com/validator",
        SWAGGER_UI_DOC_EXPANSION="list",
        SWAGGER_UI_OPERATION_ID=True,
        SWAGGER_UI_REQUEST_DURATION=True,
        SWAGGER_SUPPORTED_SUBMIT_METHODS=["get"],
        SWAGGER_UI_OAUTH_CLIENT_ID="client</script>",
        SWAGGER_UI_OAUTH_REALM="realm",
    )
    html = app.test_client().get("/").get_data(as_text=True)
    assert 'validatorUrl: "http://somewhere.com/validator" || null,' in html
    assert 'docExpansion: "list"' in html
    assert "displayOperationId: true" in html
    assert "displayRequestDuration: true" in html
    assert 'supportedSubmitMethods: ["get"]' in html
    assert '"clientId": "client\\u003c/script\\u003e"' in html
    assert '</script>"' not in html


def test_custom_doc_url_root_and_prefix() -> None:
    app = Flask(__name__)
    Api(app, prefix="/api", doc="/doc/")
    client = app.test_client()
    with app.test_request_context():
        assert url_for("doc") == "/doc/"
        assert url_for("root") == "/api"
        assert url_for("specs") == "/api/swagger.json"
    assert client.get("/doc/").status_code == 200
    assert client.get("/api").status_code == 404
    assert client.get("/api/swagger.json").get_json()["openapi"] == "3.1.0"


def test_on_a_blueprint() -> None:
    app = Flask(__name__)
    blueprint = Blueprint("api", __name__, url_prefix="/api")
    Api(blueprint)
    app.register_blueprint(blueprint)
    client = app.test_client()
    with app.test_request_context():
        assert url_for("api.doc") == url_for("api.root") == "/api/"
        assert url_for("api.specs") == "/api/swagger.json"
    page = client.get("/api/").get_data(as_text=True)
    assert 'url: "/api/swagger.json"' in page
    assert client.get("/api/swagger.json").get_json()["openapi"] == "3.1.0"


def test_render_doc_and_render_root_of_the_api() -> None:
    class CustomApi(Api):
        def render_doc(self) -> str:
            return "My Custom API Doc"

        def render_root(self) -> t.Any:
            return {"root": True}

    app = Flask(__name__)
    CustomApi(app, doc="/doc/")
    client = app.test_client()
    assert client.get("/doc/").get_data(as_text=True) == "My Custom API Doc"
    assert client.get("/").get_json() == {"root": True}


def test_apidoc_module() -> None:
    app = Flask(__name__)
    api = Api(app, title="Mine")
    assert apidoc.apidoc.registered
    with app.test_request_context():
        assert apidoc.swagger_static("swagger-ui.css") == "/swaggerui/swagger-ui.css"
        assert "<title>Mine</title>" in apidoc.ui_for(api)
        assert Swagger(api).as_dict() == api.openapi()
    # Registered once per app, however many Apis serve docs.
    blueprint = Blueprint("v2", __name__, url_prefix="/v2")
    Api(blueprint)
    app.register_blueprint(blueprint)
    client = app.test_client()
    assert client.get("/v2/swagger.json").status_code == 200
    assert "/swaggerui/swagger-ui.css" in client.get("/v2/").get_data(as_text=True)


def test_restx_helpers_of_the_swagger_module() -> None:
    assert extract_path("/todo/<int:id>/<string(length=2):lang>") == (
        "/todo/{id}/{lang}"
    )
    app = Flask(__name__)
    with app.app_context():
        assert extract_path_params("/<float:x>/<uuid:u>/<y>") == {
            "x": {"name": "x", "in": "path", "required": True, "type": "number"},
            "u": {"name": "u", "in": "path", "required": True, "type": "string"},
            "y": {"name": "y", "in": "path", "required": True, "type": "string"},
        }
        with pytest.raises(ValueError, match="Unsupported type converter"):
            extract_path_params("/<nope:x>")

    def documented() -> None:
        """Do something. Really.

        More words.
        :raises NotFound: when it is not there
        """

    parsed = parse_docstring(documented)
    assert parsed["summary"] == "Do something"
    assert parsed["raises"] == {"NotFound": "when it is not there"}
    assert parsed["details"] is not None and "More words." in parsed["details"]
    assert parse_docstring(lambda: None)["summary"] is None
