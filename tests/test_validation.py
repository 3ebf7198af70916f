"""Responses checked against the OpenAPI document (flask_resources.validation)."""

from __future__ import annotations

import logging
import sys
import threading
import typing as t

import pytest
from flask import Flask, make_response

pytest.importorskip("apispec", reason="needs the 'validation' extra")
pytest.importorskip("jsonschema", reason="needs the 'validation' extra")

import marshmallow as ma  # noqa: E402

from flask_resources import (  # noqa: E402
    Api,
    Resource,
    ResponseValidationError,
    abort,
    doc,
    fields,
    marshal_with,
    reqparse,
)

CAT = {"id": fields.Integer, "name": fields.String}


class CatSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)


def make(app: Flask, resource: type, url: str = "/cats", **options: t.Any) -> Api:
    api = Api(app, **options)
    api.add_resource(resource, url)
    return api


def test_missing_required_field_raises_out_of_the_test_client(app: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CatSchema)
        def get(self) -> t.Any:
            return {"id": 1}  # marshmallow dumps it without the name

    make(app, Cats)
    with pytest.raises(ResponseValidationError) as info:
        app.test_client().get("/cats")
    message = str(info.value)
    assert "GET /cats (get_cats) answered 200 application/json" in message
    assert "missing required 'name'" in message
    assert info.value.errors == [{"loc": [], "msg": "missing required 'name'"}]


def test_wrong_type_names_the_place_not_the_value(app: Flask) -> None:
    class Cats(Resource):
        @doc(responses={200: {"schema": CatSchema}})
        def get(self) -> t.Any:
            return {"id": "secret-value", "name": "Tom"}

    make(app, Cats)
    with pytest.raises(ResponseValidationError) as info:
        app.test_client().get("/cats")
    assert "body.id: is not of type 'integer'" in str(info.value)
    assert "secret-value" not in str(info.value)


def test_fields_render_what_the_document_says(app: Flask) -> None:
    # Missing attributes are null, Integer's default 0: all documented.
    class Cats(Resource):
        @marshal_with({**CAT, "age": fields.Integer(default=0)})
        def get(self) -> t.Any:
            return object()

    make(app, Cats)
    response = app.test_client().get("/cats")
    assert response.get_json() == {"id": 0, "name": None, "age": 0}


def test_a_list_marshal_with_formats_item_by_item(app: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CAT)
        def get(self) -> t.Any:
            return [{"id": 1, "name": "Tom"}, {"id": 2, "name": "Felix"}]

    make(app, Cats)
    assert len(app.test_client().get("/cats").get_json()) == 2


def test_undocumented_2xx_where_a_code_is_stated(app: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CAT, code=201)
        def post(self) -> t.Any:
            return {"id": 1, "name": "Tom"}, 202

    make(app, Cats)
    with pytest.raises(ResponseValidationError, match="status 202 is not documented"):
        app.test_client().post("/cats")


def test_unstated_code_only_has_its_body_checked(app: Flask) -> None:
    # Flask-RESTful style: marshal_with(fields) and a status in the return.
    class Cats(Resource):
        @marshal_with(CAT)
        def post(self) -> t.Any:
            return {"id": 1, "name": "Tom"}, 201

        @marshal_with(CatSchema)
        def put(self) -> t.Any:
            return {"id": 1}, 201

    make(app, Cats)
    client = app.test_client()
    assert client.post("/cats").status_code == 201
    with pytest.raises(ResponseValidationError, match="answered 201"):
        client.put("/cats")


def test_204_has_no_body_to_check(app: Flask) -> None:
    class Cat(Resource):
        @doc(responses={204: "Gone"})
        def delete(self) -> t.Any:
            return "", 204

    make(app, Cat)
    assert app.test_client().delete("/cats").status_code == 204


@pytest.mark.parametrize("status", [404, 400])
def test_errors_validate_against_the_error_schema(app: Flask, status: int) -> None:
    class Cat(Resource):
        def get(self) -> t.Any:
            abort(status, message="No such cat")

    make(app, Cat)
    response = app.test_client().get("/cats")
    assert response.status_code == status


def test_reqparse_errors_fit_their_schema(app: Flask) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("name", required=True, location="json")

    class Cats(Resource):
        @doc(args=parser)
        @marshal_with(CAT, code=201)
        def post(self) -> t.Any:
            parser.parse_args()
            return {"id": 1, "name": "Tom"}

    make(app, Cats)
    assert app.test_client().post("/cats", json={}).status_code == 400


def test_an_error_body_that_does_not_fit_is_caught(app: Flask) -> None:
    class Cat(Resource):
        @doc(responses={404: {"schema": CatSchema}})
        def get(self) -> t.Any:
            abort(404, message="No such cat")

    make(app, Cat)
    with pytest.raises(ResponseValidationError, match="answered 404"):
        app.test_client().get("/cats")


def test_production_answers_500_in_the_api_format(
    production: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    class Cats(Resource):
        @marshal_with(CatSchema)
        def get(self) -> t.Any:
            return {"id": 1}

    make(production, Cats, validate_responses=True)
    with caplog.at_level(logging.ERROR):
        response = production.test_client().get("/cats")
    assert response.status_code == 500
    assert set(response.get_json()) == {"message"}
    assert b"name" not in response.data
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1
    assert "missing required 'name'" in str(t.cast(t.Any, logged[0].exc_info)[1])


def test_off_outside_testing_unless_asked(production: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CatSchema)
        def get(self) -> t.Any:
            return {"id": 1}

    make(production, Cats)
    assert production.test_client().get("/cats").status_code == 200


@pytest.mark.parametrize(
    ("config", "option", "checked"),
    [
        (None, None, True),
        (False, None, False),
        (True, False, False),
        (False, True, True),
    ],
)
def test_the_config_switch(
    app: Flask, config: bool | None, option: bool | None, checked: bool
) -> None:
    if config is not None:
        app.config["RESOURCES_VALIDATE_RESPONSES"] = config

    class Cats(Resource):
        @marshal_with(CatSchema)
        def get(self) -> t.Any:
            return {"id": 1}

    api = make(app, Cats, validate_responses=option)
    assert api.validates_responses(app) is checked
    if checked:
        with pytest.raises(ResponseValidationError):
            app.test_client().get("/cats")
    else:
        assert app.test_client().get("/cats").status_code == 200


def test_a_document_that_cannot_be_built_is_reported_once(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    class Odd(Resource):
        @doc(responses={200: {"schema": 42}})
        def get(self) -> t.Any:
            return make_response("ok")

    make(app, Odd)
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert client.get("/cats").status_code == 200
    reports = [r for r in caplog.records if "not checked" in r.getMessage()]
    assert len(reports) == 1
    assert "Odd.get" in reports[0].getMessage()


def test_csv_is_documented_as_text_and_not_checked_as_json(app: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CAT)
        def get(self) -> t.Any:
            return {"id": 1, "name": "Tom"}

    api = make(app, Cats)

    @api.representation("text/csv")
    def output_csv(data: t.Any, code: int, headers: t.Any = None) -> t.Any:
        return make_response(",".join(map(str, data.values())), code, headers)

    response = app.test_client().get("/cats", headers={"Accept": "text/csv"})
    assert response.data == b"1,Tom"
    with app.app_context():
        content = api.openapi()["paths"]["/cats"]["get"]["responses"]["200"]["content"]
    assert content["text/csv"] == {"schema": {"type": "string"}}
    assert content["application/json"]["schema"]["type"] == "object"


def test_a_representation_declares_its_schema(app: Flask) -> None:
    api = Api(app)

    def output_csv(data: t.Any, code: int, headers: t.Any = None) -> t.Any:
        return make_response("", code, headers)

    output_csv.openapi_schema = {"type": "string", "pattern": "^[^\\n]*\\n"}  # type: ignore[attr-defined]
    api.representations["text/csv"] = output_csv

    class Cats(Resource):
        @marshal_with(CAT)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Cats, "/cats")
    with app.app_context():
        content = api.openapi()["paths"]["/cats"]["get"]["responses"]["200"]["content"]
    assert content["text/csv"]["schema"]["pattern"] == "^[^\\n]*\\n"


def test_values_location_is_query_and_form(app: Flask) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("q", location="values", required=True)

    class Search(Resource):
        @doc(args=parser)
        def get(self) -> t.Any:
            return {}

        @doc(args=parser)
        def post(self) -> t.Any:
            return {}

    api = make(app, Search)
    with app.app_context():
        path = api.openapi()["paths"]["/cats"]
    get_params = {(p["in"], p["name"]): p for p in path["get"]["parameters"]}
    assert get_params["query", "q"]["required"] is True
    post_params = {(p["in"], p["name"]): p for p in path["post"]["parameters"]}
    assert post_params["query", "q"]["required"] is False
    form = path["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert "q" in form["schema"]["properties"]


def test_validators_become_keywords(app: Flask) -> None:
    def no_x(value: str) -> None:
        if "x" in value:
            raise ma.ValidationError("No x.")

    no_x.openapi_schema = {"pattern": "^[^x]*$"}  # type: ignore[attr-defined]

    class Pet(ma.Schema):
        name = ma.fields.Str(validate=[ma.validate.Length(1, 9), no_x])
        kind = ma.fields.Str(validate=ma.validate.OneOf(["cat", "dog"]))
        tag = ma.fields.Str(validate=ma.validate.Regexp("^[a-z]+$"))
        age = ma.fields.Int(validate=ma.validate.Range(0, 40))

    class Pets(Resource):
        @marshal_with(Pet)
        def get(self) -> t.Any:
            return {}

    api = make(app, Pets)
    with app.app_context():
        properties = api.openapi()["components"]["schemas"]["Pet"]["properties"]
    assert properties["name"]["pattern"] == "^[^x]*$"
    assert (properties["name"]["minLength"], properties["name"]["maxLength"]) == (1, 9)
    assert properties["kind"]["enum"] == ["cat", "dog"]
    assert properties["tag"]["pattern"] == "^[a-z]+$"
    assert (properties["age"]["minimum"], properties["age"]["maximum"]) == (0, 40)


def test_the_cats_sample_states_its_name_rule(tmp_path: t.Any) -> None:
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("flask_swagger_ui")
    from samples.cats import create_app
    from samples.cats.schemas import NAME_PATTERN

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    document = app.test_client().get("/openapi.json").get_json()
    name = document["components"]["schemas"]["Cat"]["properties"]["name"]
    assert name["pattern"] == NAME_PATTERN


def test_checked_from_many_threads(app: Flask) -> None:
    class Cats(Resource):
        @marshal_with(CatSchema)
        def get(self) -> t.Any:
            return {"id": 1, "name": "Tom"}

        @marshal_with(CatSchema)
        def put(self) -> t.Any:
            return {"id": 1}

    make(app, Cats)
    results: list[object] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        client = app.test_client()
        for _ in range(10):
            try:
                outcome: object = (
                    client.get("/cats").status_code if n % 2 else client.put("/cats")
                )
            except ResponseValidationError:
                outcome = "refused"
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == ["200"] * 40 + ["refused"] * 40


def test_asked_for_without_jsonschema_names_the_extra(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask_resources.api import responses

    monkeypatch.setitem(sys.modules, "jsonschema", None)
    responses._validation_installed.cache_clear()
    try:
        with pytest.raises(
            ImportError, match=r"pip install 'flask-resources\[validation\]'"
        ):
            Api(app, validate_responses=True)
        # Only on by default (testing): responses are simply not checked.
        other = Flask("other")
        other.testing = True
        assert not Api(other).validates_responses(other)
    finally:
        responses._validation_installed.cache_clear()
