"""The per-operation record: what each decorator records, and how readers
see a resource's verbs."""

from __future__ import annotations

import functools
import threading
import typing as t

import marshmallow as ma
import pytest
from flask.testing import FlaskClient

from flask_resources import (
    Api,
    Resource,
    doc,
    fields,
    marshal_with,
    marshal_with_field,
    reqparse,
    use_args,
    use_kwargs,
)
from flask_resources.operations import (
    Arguments,
    Operation,
    ResponseDoc,
    amend,
    get_operation,
    resource_operations,
    set_operation,
)


class CatSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    name = ma.fields.Str(required=True)


def test_use_args_records_schema_location_and_policy() -> None:
    @use_args(CatSchema, location="args", unknown="raise", arg_name="cat")
    def get(cat: t.Any) -> t.Any: ...

    record = get_operation(get)
    assert record is not None
    (arguments,) = record.arguments
    assert isinstance(arguments.source, CatSchema)
    assert arguments.location == "query"
    assert arguments.unknown == "raise"
    assert arguments.arg_name == "cat"
    assert arguments.parses and not arguments.as_kwargs


def test_use_kwargs_records_dict_of_fields_as_schema() -> None:
    @use_kwargs({"page": ma.fields.Int(load_default=1)}, location="query")
    def get(page: int) -> t.Any: ...

    record = get_operation(get)
    assert record is not None
    (arguments,) = record.arguments
    assert isinstance(arguments.source, ma.Schema)
    assert set(arguments.source.fields) == {"page"}
    assert arguments.as_kwargs and arguments.unknown == "location"


def test_use_args_records_parser_with_its_own_locations() -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("q", location="args")

    @use_args(parser)
    def get(args: t.Any) -> t.Any: ...

    record = get_operation(get)
    assert record is not None
    assert record.arguments == (Arguments(parser, location=None),)


def test_stacked_arguments_are_recorded_top_first() -> None:
    @use_args(CatSchema, location="query")
    @use_args(CatSchema)
    def post(query: t.Any, body: t.Any) -> t.Any: ...

    record = get_operation(post)
    assert record is not None
    assert [a.location for a in record.arguments] == ["query", "json"]


def test_marshal_with_records_success_response() -> None:
    @marshal_with(CatSchema, envelope="data", code=201)
    def post() -> t.Any: ...

    record = get_operation(post)
    assert record is not None
    success = record.success
    assert success is not None
    assert success.status == 201 and success.envelope == "data"
    assert isinstance(success.source, CatSchema)
    assert list(record.responses) == [201]


def test_marshal_with_fields_dict_and_field() -> None:
    todo = {"task": fields.String}

    @marshal_with(todo)
    def get() -> t.Any: ...

    @marshal_with_field(fields.List(fields.Integer))
    def numbers() -> t.Any: ...

    record = get_operation(get)
    assert record is not None and record.responses[200].source is todo
    record = get_operation(numbers)
    assert record is not None
    assert isinstance(record.responses[200].source, fields.List)


def test_async_methods_are_recorded() -> None:
    @use_args(CatSchema)
    @marshal_with(CatSchema)
    async def post(cat: t.Any) -> t.Any: ...

    record = get_operation(post)
    assert record is not None
    assert len(record.arguments) == 1 and record.success is not None


def test_doc_merges_with_other_decorators_in_any_order() -> None:
    @doc(summary="Add a cat", responses={201: "Created", 409: "Taken"})
    @marshal_with(CatSchema, code=201)
    @doc(tags=["cats"], deprecated=True)
    def post() -> t.Any: ...

    record = get_operation(post)
    assert record is not None
    assert record.summary == "Add a cat"
    assert record.tags == ("cats",) and record.deprecated is True
    created = record.responses[201]
    assert created.description == "Created" and created.success
    assert isinstance(created.source, CatSchema)
    assert record.responses[409] == ResponseDoc(409, description="Taken")


def test_doc_response_dict_and_unknown_keys() -> None:
    @doc(responses={404: {"description": "No such cat", "schema": CatSchema}})
    def get() -> t.Any: ...

    record = get_operation(get)
    assert record is not None
    assert isinstance(record.responses[404].source, CatSchema)
    with pytest.raises(TypeError, match="unknown keys body"):
        doc(responses={404: {"body": 1}})


def test_wrappers_of_one_function_do_not_share_additions() -> None:
    @use_args(CatSchema)
    def base(cat: t.Any) -> t.Any: ...

    first = doc(summary="first")(functools.wraps(base)(lambda *a: base(*a)))
    second = marshal_with(CatSchema)(base)
    first_record, second_record = get_operation(first), get_operation(second)
    base_record = get_operation(base)
    assert first_record is not None and second_record is not None
    assert base_record is not None
    assert first_record.summary == "first" and not first_record.responses
    assert second_record.summary is None and second_record.success is not None
    assert base_record.summary is None and not base_record.responses


def test_records_are_read_only() -> None:
    record = Operation(summary="x")
    with pytest.raises(AttributeError):
        record.summary = "y"  # type: ignore[misc]


def test_set_operation_tolerates_objects_without_attributes() -> None:
    set_operation(len, Operation(summary="x"))
    amend(len, Operation(summary="x"))
    assert get_operation(len) is None


def test_doc_args_documents_without_changing_parsing(
    api: Api, client: FlaskClient
) -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("name", required=True, location="json")

    class Cats(Resource):
        @doc(args=parser)
        def post(self) -> t.Any:
            return parser.parse_args(), 201

    api.add_resource(Cats, "/cats")
    (arguments,) = resource_operations(Cats)["post"].arguments
    assert arguments.source is parser and arguments.location is None
    assert not arguments.parses
    assert client.post("/cats", json={"name": "Tom"}).get_json() == {"name": "Tom"}
    assert client.post("/cats", json={}).status_code == 400


def test_doc_args_schema_location() -> None:
    @doc(args={"q": ma.fields.Str()}, location="query")
    def get() -> t.Any: ...

    record = get_operation(get)
    assert record is not None
    (arguments,) = record.arguments
    assert arguments.location == "query" and isinstance(arguments.source, ma.Schema)


def guarded(func: t.Any) -> t.Any:
    @functools.wraps(func)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return func(*args, **kwargs)

    amend(wrapper, Operation(security=({"bearer": []},)))
    return wrapper


@doc(tags=["animals"], responses={500: "Oops"})
class Base(Resource):
    pass


@doc(tags=["cats"])
class Cats(Base):
    """All the cats."""

    method_decorators = {"post": [guarded]}

    def get(self) -> t.Any:
        return []

    @doc(tags=["writes"])
    def post(self) -> t.Any:
        return {}, 201


def test_resource_operations_merge_class_doc_and_method_decorators() -> None:
    operations = resource_operations(Cats)
    assert set(operations) == {"get", "post"}
    assert operations["get"].tags == ("cats",)
    assert operations["get"].security is None
    assert operations["post"].tags == ("writes",)
    assert operations["post"].security == ({"bearer": []},)
    assert operations["get"].responses[500].description == "Oops"
    assert get_operation(Cats) is not None
    assert get_operation(Cats).tags == ("cats",)  # type: ignore[union-attr]


def test_method_decorators_stay_applied_per_request(
    api: Api, client: FlaskClient
) -> None:
    calls = []

    def count(func: t.Any) -> t.Any:
        @functools.wraps(func)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            calls.append(1)
            return func(*args, **kwargs)

        return wrapper

    class Counted(Resource):
        method_decorators = [count]

        def get(self) -> t.Any:
            return {}

    api.add_resource(Counted, "/counted")
    resource_operations(Counted)
    assert calls == []
    client.get("/counted")
    assert calls == [1]


def test_resource_operations_cached_and_refreshed() -> None:
    class One(Resource):
        def get(self) -> t.Any:
            return {}

    first = resource_operations(One)
    assert resource_operations(One) is first
    doc(summary="now documented")(One)
    assert resource_operations(One)["get"].summary == "now documented"


def test_resource_operations_from_many_threads() -> None:
    classes = [
        type(f"R{i}", (Cats,), {"get": marshal_with(CatSchema)(lambda self: {})})
        for i in range(20)
    ]
    results: list[dict[str, Operation]] = []
    barrier = threading.Barrier(8)

    def read() -> None:
        barrier.wait()
        for cls in classes:
            results.append(resource_operations(cls))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 160
    for record in results:
        assert record["get"].success is not None
        assert record["post"].security == ({"bearer": []},)


# -- parameters, response headers, media types, one verb, one route ------------


def test_doc_parameters_merge_by_place_and_name() -> None:
    @doc(
        parameters=[{"name": "q", "description": "Old", "schema": {"type": "integer"}}]
    )
    class Search(Resource):
        @doc(parameters=[{"name": "q", "description": "New"}])
        @doc(parameters=[{"name": "X-Id", "in": "header", "required": True}])
        def get(self) -> t.Any:
            return []

    record = resource_operations(Search)["get"]
    assert record.parameters == {
        ("query", "q"): {
            "name": "q",
            "in": "query",
            "description": "New",
            "schema": {"type": "integer"},
        },
        ("header", "X-Id"): {"name": "X-Id", "in": "header", "required": True},
    }


@pytest.mark.parametrize(
    ("parameter", "match"),
    [({"in": "query"}, "needs a name"), ({"name": "q", "in": "body"}, "'in' must")],
)
def test_doc_parameters_refused(parameter: dict[str, t.Any], match: str) -> None:
    with pytest.raises(TypeError, match=match):
        doc(parameters=[parameter])


def test_doc_response_headers_and_content_types() -> None:
    @doc(response_headers={"X-Rate": "Requests left"})
    class Report(Resource):
        @doc(response_headers={"X-Id": "An id"}, content_types=["text/csv"])
        def get(self) -> t.Any:
            return ""

    record = resource_operations(Report)["get"]
    assert record.response_headers == {"X-Rate": "Requests left", "X-Id": "An id"}
    assert record.content_types == ("text/csv",)


def test_class_record_for_one_verb_and_route_record() -> None:
    class Base(Resource):
        def get(self) -> t.Any:
            return {}

        def put(self) -> t.Any:
            return {}

    set_operation(
        Base, Operation(tags=("base",), verbs={"get": Operation(summary="Base get")})
    )

    class Child(Base):
        @doc(description="Own")
        def get(self) -> t.Any:
            return {}

    set_operation(Child, Operation(verbs={"get": Operation(deprecated=True)}))
    records = resource_operations(Child)
    assert records["get"].summary == "Base get"
    assert records["get"].deprecated is True
    assert records["get"].description == "Own"
    assert records["get"].verbs == {}
    assert records["put"].summary is None and records["put"].tags == ("base",)
    route = Operation(tags=("route",), verbs={"put": Operation(hide=True)})
    on_route = resource_operations(Child, route=route)
    assert on_route["get"].tags == ("route",) and on_route["put"].hide is True
    # The route's record is not kept for the class.
    assert resource_operations(Child)["put"].hide is None
