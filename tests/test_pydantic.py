"""pydantic models wherever a marshmallow schema works: arguments from every
location, the error shape, response dumping, the OpenAPI document, the lazy
import and the shared adapter cache."""

from __future__ import annotations

import datetime
import html.parser
import json
import subprocess
import sys
import threading
import typing as t
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_resources import (
    Api,
    Resource,
    ResponseValidationError,
    doc,
    marshal,
    marshal_with,
)
from flask_resources.exceptions import OpenAPIError
from flask_resources.schemas import use_args, use_kwargs

pydantic = pytest.importorskip("pydantic", reason="needs the 'pydantic' extra")

from pydantic import (  # noqa: E402
    BaseModel,
    ConfigDict,
    Field,
    computed_field,
)

from flask_resources.pydantic import type_adapter  # noqa: E402

SECRET = "hunter2-do-not-echo"


class Owner(BaseModel):
    name: str = Field(min_length=1, max_length=20)


class Cat(BaseModel):
    """One cat, as the request sends it and the response shows it."""

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(min_length=1, max_length=20)
    age: int = 1
    owner: Owner | None = None
    tags: list[str] = []
    nick: str | None = Field(default=None, alias="nickName")


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str
    password: str = Field(min_length=8)


class Search(BaseModel):
    tag: list[str] = []
    limit: int = 10
    exact: bool = False


class Priced(BaseModel):
    """Validation and serialization differ: a computed field, a Decimal."""

    name: str
    price: Decimal

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return f"{self.name} ({self.price})"


class Row:
    """What an ORM hands back: attributes, one of them not in the model."""

    def __init__(self, name: str, age: int) -> None:
        self.name = name
        self.age = age
        self.owner = None
        self.tags = ["orm"]
        self.nick = "row"
        self.password_hash = "pbkdf2$secret"


def route(api: Api, resource: type, url: str = "/r") -> None:
    api.add_resource(resource, url)


def errors_of(response: t.Any) -> t.Any:
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"message", "errors"}
    return body["errors"]


# -- arguments ---------------------------------------------------------------


def test_json_body_loads_a_model_instance(api: Api, client: FlaskClient) -> None:
    seen: list[Cat] = []

    class Cats(Resource):
        @use_args(Cat)
        def post(self, cat: Cat) -> t.Any:
            seen.append(cat)
            return {"ok": True}, 201

    route(api, Cats)
    body = {"name": "Tom", "owner": {"name": "Ann"}, "nickName": "T", "age": "3"}
    assert client.post("/r", json=body).status_code == 201
    (cat,) = seen
    assert isinstance(cat, Cat) and isinstance(cat.owner, Owner)
    # Lax mode: "3" is an int; the alias is read.
    assert (cat.age, cat.nick, cat.owner.name) == (3, "T", "Ann")


def test_use_kwargs_passes_the_fields(api: Api, client: FlaskClient) -> None:
    class Cats(Resource):
        @use_kwargs(Cat)
        def post(self, **kwargs: t.Any) -> t.Any:
            owner = kwargs.pop("owner")
            return {"kwargs": kwargs, "owner": type(owner).__name__}

    route(api, Cats)
    body = {"name": "Tom", "nickName": "T", "owner": {"name": "Ann"}}
    assert client.post("/r", json=body).get_json() == {
        "kwargs": {"name": "Tom", "age": 1, "tags": [], "nick": "T"},
        "owner": "Owner",
    }


def test_a_list_of_models_reads_a_json_array(api: Api, client: FlaskClient) -> None:
    class Cats(Resource):
        @use_args(list[Cat])
        def post(self, cats: list[Cat]) -> t.Any:
            return {"names": [cat.name for cat in cats]}

    route(api, Cats)
    ok = client.post("/r", json=[{"name": "A"}, {"name": "B"}])
    assert ok.get_json() == {"names": ["A", "B"]}
    bad = client.post("/r", json=[{"name": "A"}, {"name": 5}])
    assert bad.status_code == 400
    # The item index nests as marshmallow nests it (an int key, in JSON a string).
    assert errors_of(bad) == {
        "json": {"1": {"name": ["Input should be a valid string"]}}
    }
    assert client.post("/r", json={"name": "A"}).status_code == 400
    assert client.post("/r").status_code == 400


def test_query_reads_repeated_keys_for_list_fields(
    api: Api, client: FlaskClient
) -> None:
    class Cats(Resource):
        @use_args(Search, location="query")
        def get(self, search: Search) -> t.Any:
            return search.model_dump()

    route(api, Cats)
    got = client.get("/r?tag=a&tag=b&limit=3&exact=true&limit=4")
    # A list field takes every value; another field the first one.
    assert got.get_json() == {"tag": ["a", "b"], "limit": 3, "exact": True}
    assert client.get("/r?tag=only").get_json()["tag"] == ["only"]
    bad = client.get("/r?limit=many")
    assert bad.status_code == 400
    assert errors_of(bad) == {
        "query": {
            "limit": [
                "Input should be a valid integer, unable to parse string as an integer"
            ]
        }
    }


def test_form_reads_repeated_keys(api: Api, client: FlaskClient) -> None:
    class Cats(Resource):
        @use_args(Cat, location="form")
        def post(self, cat: Cat) -> t.Any:
            return cat.model_dump(by_alias=True)

    route(api, Cats)
    got = client.post("/r", data={"name": "Tom", "tags": ["a", "b"], "age": "2"})
    assert got.get_json() == {
        "name": "Tom",
        "age": 2,
        "owner": None,
        "tags": ["a", "b"],
        "nickName": None,
    }
    # JSON sent where a form is read: 415, as for a schema.
    assert client.post("/r", json={"name": "Tom"}).status_code == 415


class Trace(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(alias="X-Request-Id")
    accept: list[str] = Field(default=[], alias="Accept-Language")


def test_headers_by_alias_even_when_extras_are_forbidden(
    api: Api, client: FlaskClient
) -> None:
    class Traced(Resource):
        @use_args(Trace, location="headers")
        def get(self, trace: Trace) -> t.Any:
            return trace.model_dump()

    route(api, Traced)
    got = client.get("/r", headers={"x-request-id": "abc", "Accept-Language": "en, fr"})
    assert got.get_json() == {"request_id": "abc", "accept": ["en", "fr"]}
    missing = client.get("/r")
    assert missing.status_code == 400
    assert errors_of(missing) == {"headers": {"X-Request-Id": ["Field required"]}}


class Session(BaseModel):
    session: str
    theme: str = "light"


def test_cookies_and_path(api: Api, client: FlaskClient) -> None:
    class Item(BaseModel):
        item_id: int

    class Items(Resource):
        @use_args(Session, location="cookies")
        @use_args(Item, location="path", arg_name="item")
        def get(self, session: Session, item: Item, item_id: int) -> t.Any:
            return {
                "session": session.session,
                "theme": session.theme,
                "id": item.item_id,
            }

    api.add_resource(Items, "/items/<int:item_id>")
    client.set_cookie("session", "s1")
    client.set_cookie("theme", "dark")
    assert client.get("/items/7").get_json() == {
        "session": "s1",
        "theme": "dark",
        "id": 7,
    }
    client.delete_cookie("session")
    bad = client.get("/items/7")
    assert errors_of(bad) == {"cookies": {"session": ["Field required"]}}


def test_unknown_does_not_apply_to_a_model() -> None:
    with pytest.raises(ValueError, match="extra setting"):
        use_args(Cat, unknown="raise")


@pytest.mark.parametrize("status", [400, 422])
def test_validation_status_follows_the_config(
    app: Flask, api: Api, client: FlaskClient, status: int
) -> None:
    app.config["RESOURCES_VALIDATION_ERROR_STATUS"] = status

    class Cats(Resource):
        @use_args(Cat)
        def post(self, cat: Cat) -> t.Any:
            return {}

    route(api, Cats)
    response = client.post("/r", json={})
    assert response.status_code == status
    assert response.get_json() == {
        "message": "Invalid JSON body: invalid field 'name'.",
        "errors": {"json": {"name": ["Field required"]}},
    }


def test_the_problem_format_too(app: Flask, api: Api, client: FlaskClient) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"

    class Cats(Resource):
        @use_args(Cat)
        def post(self, cat: Cat) -> t.Any:
            return {}

    route(api, Cats)
    response = client.post("/r", json={"name": 3})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {
        "json": {"name": ["Input should be a valid string"]}
    }


async def _nothing() -> None:
    return None


def test_async_verbs(api: Api, client: FlaskClient) -> None:
    pytest.importorskip("asgiref", reason="Flask's async views need asgiref")

    class Cats(Resource):
        @use_args(Cat)
        @marshal_with(Cat, code=201)
        async def post(self, cat: Cat) -> t.Any:
            await _nothing()
            return Row(cat.name, cat.age)

    route(api, Cats)
    response = client.post("/r", json={"name": "Tom", "age": 4})
    assert response.status_code == 201
    assert response.get_json() == {
        "name": "Tom",
        "age": 4,
        "owner": None,
        "tags": ["orm"],
        "nickName": "row",
    }
    assert client.post("/r", json={"age": "x"}).status_code == 400


# -- bad input ---------------------------------------------------------------


def hostile_cases() -> list[tuple[str, t.Any, str | None]]:
    """(description, body, content type) that must all answer a JSON 400."""
    deep = '{"login": "a", "password": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return [
        ("malformed JSON", "{", "application/json"),
        ("not UTF-8", b"\xff\xfe{", "application/json"),
        ("an array", "[1, 2]", "application/json"),
        ("a string", '"x"', "application/json"),
        ("null", "null", "application/json"),
        ("no body", None, None),
        ("wrong types", json.dumps({"login": 1, "password": [SECRET]}), None),
        ("missing field", json.dumps({"password": SECRET}), None),
        ("extra field", json.dumps({"login": "a", "password": SECRET, "x": 1}), None),
        ("too short", json.dumps({"login": "a", "password": "short"}), None),
        ("oversized", json.dumps({"login": "a" * 100_000, "password": 5}), None),
        ("deep nesting", deep, "application/json"),
        (
            "nested secret",
            json.dumps({"login": {"p": SECRET}, "password": SECRET}),
            None,
        ),
    ]


@pytest.mark.parametrize(
    ("case", "body", "content_type"), hostile_cases(), ids=lambda v: str(v)[:20]
)
def test_hostile_bodies_answer_400_without_echoing(
    production: Flask,
    api: Api,
    client: FlaskClient,
    case: str,
    body: t.Any,
    content_type: str | None,
) -> None:
    calls: list[Account] = []

    class Accounts(Resource):
        @use_args(Account)
        def post(self, account: Account) -> t.Any:
            calls.append(account)
            return {}, 201

    route(api, Accounts)
    response = client.post(
        "/r", data=body, content_type=content_type or "application/json"
    )
    assert response.status_code == 400, case
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == {"message", "errors"}
    assert SECRET.encode() not in response.data
    assert b"Traceback" not in response.data
    assert calls == []


def test_password_never_reflected(api: Api, client: FlaskClient) -> None:
    class Accounts(Resource):
        @use_args(Account)
        def post(self, account: Account) -> t.Any:
            return {}, 201

    route(api, Accounts)
    response = client.post("/r", json={"login": "a", "password": "short1"})
    assert response.status_code == 400
    assert b"short1" not in response.data
    assert errors_of(response) == {
        "json": {"password": ["String should have at least 8 characters"]}
    }
    # Nested messages keep their path, never the value.
    extra = client.post("/r", json={"login": "a", "password": SECRET, "token": SECRET})
    assert SECRET.encode() not in extra.data
    assert errors_of(extra) == {"json": {"token": ["Extra inputs are not permitted"]}}


def test_nested_errors_nest_as_marshmallow_does(api: Api, client: FlaskClient) -> None:
    class Cats(Resource):
        @use_args(Cat)
        def post(self, cat: Cat) -> t.Any:
            return {}

    route(api, Cats)
    response = client.post(
        "/r", json={"name": "", "owner": {"name": 5}, "tags": ["a", 1, None]}
    )
    assert response.get_json() == {
        "message": "Invalid JSON body: invalid fields 'name', 'owner', 'tags'.",
        "errors": {
            "json": {
                "name": ["String should have at least 1 character"],
                "owner": {"name": ["Input should be a valid string"]},
                "tags": {
                    "1": ["Input should be a valid string"],
                    "2": ["Input should be a valid string"],
                },
            }
        },
    }


# -- responses ---------------------------------------------------------------


def test_marshal_with_reads_attributes_by_alias_and_leaks_nothing(
    api: Api, client: FlaskClient
) -> None:
    class Secret(Cat):
        password: str

    class Cats(Resource):
        @marshal_with(list[Cat])
        def get(self) -> t.Any:
            return [Row("A", 1), {"name": "B", "password": SECRET}]

        @marshal_with(Cat)
        def put(self) -> t.Any:
            # A subclass instance dumps as the declared model.
            return Secret(name="C", password=SECRET), 202, {"X-Kind": "cat"}

    route(api, Cats)
    got = client.get("/r")
    assert got.get_json() == [
        {"name": "A", "age": 1, "owner": None, "tags": ["orm"], "nickName": "row"},
        {"name": "B", "age": 1, "owner": None, "tags": [], "nickName": None},
    ]
    put = client.put("/r")
    assert (put.status_code, put.headers["X-Kind"]) == (202, "cat")
    assert SECRET.encode() not in put.data
    assert b"pbkdf2" not in got.data


def test_a_model_shared_by_request_and_response(api: Api, client: FlaskClient) -> None:
    class Prices(Resource):
        @use_args(Priced)
        @marshal_with(Priced, code=201)
        def post(self, item: Priced) -> t.Any:
            return item

    route(api, Prices)
    response = client.post("/r", json={"name": "tea", "price": "1.50"})
    assert response.status_code == 201
    # JSON mode: the Decimal as a string, the computed field included.
    assert response.get_json() == {
        "name": "tea",
        "price": "1.50",
        "label": "tea (1.50)",
    }


def test_marshal_function_and_envelope() -> None:
    assert marshal(Row("A", 2), Cat, envelope="cat") == {
        "cat": {
            "name": "A",
            "age": 2,
            "owner": None,
            "tags": ["orm"],
            "nickName": "row",
        }
    }
    assert marshal([{"name": "A"}, {"name": "B"}], Owner) == [
        {"name": "A"},
        {"name": "B"},
    ]
    assert marshal([{"name": "A"}], list[Owner]) == [{"name": "A"}]
    dated = pydantic.create_model("Dated", when=(datetime.date, ...))
    assert marshal({"when": datetime.date(2024, 1, 2)}, dated) == {"when": "2024-01-02"}


def test_a_body_that_does_not_fit_is_a_response_validation_error() -> None:
    with pytest.raises(ResponseValidationError) as info:
        marshal({"age": SECRET}, Cat)
    error = info.value
    assert "does not fit Cat" in str(error)
    assert SECRET not in str(error)
    assert {"loc": ["name"], "msg": "Field required"} in error.errors
    assert SECRET not in json.dumps(error.errors)


def test_response_validation_error_is_a_500_in_production(
    production: Flask, api: Api, client: FlaskClient
) -> None:
    class Cats(Resource):
        @marshal_with(Cat)
        def get(self) -> t.Any:
            return {"nick": SECRET}

    route(api, Cats)
    response = client.get("/r")
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert SECRET.encode() not in response.data
    assert "message" in response.get_json()


def test_response_validation_error_raises_while_testing(
    api: Api, client: FlaskClient
) -> None:
    class Cats(Resource):
        @marshal_with(Cat)
        def get(self) -> t.Any:
            return {}

    route(api, Cats)
    with pytest.raises(ResponseValidationError):
        client.get("/r")


# -- OpenAPI -----------------------------------------------------------------


@pytest.fixture
def openapi() -> None:
    """The OpenAPI tests need the 'openapi' extra and the validator."""
    pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
    pytest.importorskip("openapi_spec_validator", reason="needs the validator")


def document(api: Api, app: Flask, version: str = "3.1.0") -> dict[str, t.Any]:
    import openapi_spec_validator as validator

    with app.app_context():
        spec = api.openapi()
    assert spec["openapi"] == version
    if version.startswith("3.0"):
        validator.OpenAPIV30SpecValidator(spec).validate()
    else:
        validator.validate(spec)
    assert json.loads(json.dumps(spec)) == spec
    return spec


def cats_api(api: Api) -> None:
    class Cats(Resource):
        @use_args(Search, location="query")
        @marshal_with(list[Cat])
        def get(self, search: Search) -> t.Any:
            return []

        @use_args(Cat)
        @marshal_with(Cat, code=201)
        @doc(responses={409: Owner})
        def post(self, cat: Cat) -> t.Any:
            return cat

    class Prices(Resource):
        @use_args(Priced)
        @marshal_with(Priced)
        def put(self, item: Priced) -> t.Any:
            return item

    api.add_resource(Cats, "/cats")
    api.add_resource(Prices, "/prices")


@pytest.mark.usefixtures("openapi")
def test_openapi_31_document(app: Flask, api: Api) -> None:
    cats_api(api)
    spec = document(api, app)
    schemas = spec["components"]["schemas"]
    get = spec["paths"]["/cats"]["get"]
    assert [(p["name"], p["in"]) for p in get["parameters"]] == [
        ("tag", "query"),
        ("limit", "query"),
        ("exact", "query"),
    ]
    ok = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"type": "array", "items": {"$ref": "#/components/schemas/Cat"}}
    post = spec["paths"]["/cats"]["post"]
    request = post["requestBody"]["content"]["application/json"]["schema"]
    assert post["requestBody"]["required"] is True
    conflict = post["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/Owner"}
    assert "400" in post["responses"]
    # Cat reads and writes alike: one component, by its wire alias.
    assert request == {"$ref": "#/components/schemas/Cat"}
    assert "nickName" in schemas["Cat"]["properties"]
    # Nested models are hoisted into components.
    assert schemas["Cat"]["properties"]["owner"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Owner"
    }
    assert "$defs" not in json.dumps(spec)
    # Priced differs: two components.
    put = spec["paths"]["/prices"]["put"]
    read = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    written = put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert read != written
    read_schema = schemas[read.rpartition("/")[2]]
    written_schema = schemas[written.rpartition("/")[2]]
    assert "label" not in read_schema["properties"]
    assert "label" in written_schema["properties"]
    assert written_schema["properties"]["price"]["type"] == "string"


@pytest.mark.usefixtures("openapi")
def test_a_name_taken_by_a_marshmallow_schema(app: Flask, api: Api) -> None:
    import marshmallow as ma

    class OwnerSchema(ma.Schema):
        nickname = ma.fields.Str()

    class Owners(Resource):
        @marshal_with(OwnerSchema)
        def get(self) -> t.Any:
            return {}

        @use_args(Cat)
        def post(self, cat: Cat) -> t.Any:
            return {}

    api.add_resource(Owners, "/owners")
    spec = document(api, app)
    schemas = spec["components"]["schemas"]
    owner_refs = {
        name
        for name, value in schemas.items()
        if value.get("title") == "Owner" and "name" in value.get("properties", {})
    }
    assert len(owner_refs) == 1
    (owner_name,) = owner_refs
    assert schemas["Cat"]["properties"]["owner"]["anyOf"][0] == {
        "$ref": f"#/components/schemas/{owner_name}"
    }


@pytest.mark.usefixtures("openapi")
def test_openapi_30_conversion(app: Flask) -> None:
    api = Api(app, openapi_version="3.0.3")
    cats_api(api)
    spec = document(api, app, "3.0.3")
    cat = spec["components"]["schemas"]["Cat"]["properties"]
    assert cat["nickName"]["nullable"] is True
    assert cat["nickName"]["type"] == "string"
    assert cat["owner"]["nullable"] is True
    assert cat["owner"]["allOf"] == [{"$ref": "#/components/schemas/Owner"}]
    assert "anyOf" not in json.dumps(spec["components"]["schemas"]["Cat"])


@pytest.mark.usefixtures("openapi")
def test_openapi_30_refuses_what_it_cannot_say(app: Flask) -> None:
    class Pair(BaseModel):
        point: tuple[int, int]

    class Pairs(Resource):
        @use_args(Pair)
        def post(self, pair: Pair) -> t.Any:
            return {}

    api = Api(app, openapi_version="3.0.3")
    api.add_resource(Pairs, "/pairs")
    with app.app_context(), pytest.raises(OpenAPIError, match="3.1"):
        api.openapi()
    # The same in 3.1 is fine.
    app31 = Flask("other")
    api31 = Api(app31)
    api31.add_resource(Pairs, "/pairs")
    document(api31, app31)


# -- the module and its cache ------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )


def test_import_flask_resources_never_imports_pydantic() -> None:
    result = run_python(
        "import sys, flask_resources, flask_resources.schemas,"
        " flask_resources.marshalling, flask_resources.operations\n"
        "from flask_resources import marshal, fields\n"
        "marshal({'a': 1}, {'a': fields.Raw})\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    assert result.returncode == 0, result.stderr


def test_a_missing_extra_names_the_pip_install() -> None:
    result = run_python(
        "import sys\nsys.modules['pydantic'] = None\nimport flask_resources.pydantic\n"
    )
    assert result.returncode != 0
    assert "pip install 'flask-resources[pydantic]'" in result.stderr


def test_the_adapter_cache_under_threads() -> None:
    """Threads asking for adapters of new and old types at once: each type
    gets one adapter, shared by all."""
    models = [pydantic.create_model(f"Threaded{i}", n=(int, 0)) for i in range(20)]
    count = 6
    start = threading.Barrier(count)
    found: list[list[t.Any]] = []
    failures: list[BaseException] = []

    def work() -> None:
        start.wait()
        try:
            mine = []
            for model in models:
                adapter = type_adapter(model)
                assert adapter.validate_python({"n": "2"}).n == 2
                mine.append(adapter)
                mine.append(type_adapter(list[model]))  # type: ignore[valid-type]
            found.append(mine)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    first = found[0]
    assert all(all(a is b for a, b in zip(mine, first, strict=True)) for mine in found)


# -- the browsable API's forms ------------------------------------------------


class Textareas(html.parser.HTMLParser):
    """The text of each ``textarea`` on a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self._inside = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: t.Any) -> None:
        if tag == "textarea":
            self._inside = True
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.found[-1] += data


class Visit(BaseModel):
    when: datetime.date
    note: str = Field(examples=["Checked the claws"])
    vet: Owner
    weight: float | None = None
    kind: t.Literal["check", "shot"] = "check"


def test_the_browsable_form_starts_from_the_model(app: Flask) -> None:
    class Visits(Resource):
        @use_args(Visit)
        def post(self, visit: Visit) -> t.Any:
            return {}, 201

        def get(self) -> t.Any:
            return []

    Api(app, browsable=True).add_resource(Visits, "/visits")
    page = app.test_client().get("/visits", headers={"Accept": "text/html"})
    assert page.status_code == 200
    (body,) = Textareas(page.get_data(as_text=True)).found
    assert json.loads(body) == {
        "when": "2024-01-01",
        "note": "Checked the claws",
        "vet": {"name": "string"},
        "weight": 0.0,
        "kind": "check",
    }
