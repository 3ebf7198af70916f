"""marshal, marshal_with and marshal_with_field, compiled and not.

Expected values are Flask-RESTful 0.3.10's output for the same input. Each
table runs through both the fields' own ``output`` methods and the compiled
function, which must agree.
"""

from __future__ import annotations

import datetime
import logging
import typing as t
from collections import OrderedDict
from decimal import Decimal

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from threaded import run_in_threads

from flask_resources import Api, Resource, fields
from flask_resources.fields import MarshallingException, marshal_slow
from flask_resources.marshalling import (
    _compile,
    marshal,
    marshal_with,
    marshal_with_field,
)


class Obj:
    def __init__(self, **kwargs: t.Any) -> None:
        self.__dict__.update(kwargs)


class Upper(fields.Raw):
    def format(self, value: t.Any) -> str:
        return str(value).upper()


class Constant(fields.Raw):
    def output(self, key: t.Any, obj: t.Any) -> str:
        return f"constant {key}"


class Shouting(fields.String):
    """A subclass that only adds behaviour on top of String.format."""

    def format(self, value: t.Any) -> str:
        return super().format(value) + "!"


def compiled(data: t.Any, fields_: t.Any) -> t.Any:
    return _compile(fields_, {})(data)


def public(data: t.Any, fields_: t.Any) -> t.Any:
    first = marshal(data, fields_)
    assert marshal(data, fields_) == first  # the second call is compiled
    return first


@pytest.fixture(params=[marshal_slow, compiled, public])
def run(request: pytest.FixtureRequest) -> t.Callable[[t.Any, t.Any], t.Any]:
    return request.param  # type: ignore[no-any-return]


AUTHOR = {"name": fields.String, "born": fields.Integer}

# A missing key naming a dict method reads that (bound) method.
_DICT_WITH_METHODS = {"a": 1}

CASES: list[tuple[t.Any, t.Any, t.Any]] = [
    ({"a": 100, "b": "foo"}, {"a": fields.Raw}, {"a": 100}),
    (Obj(a=100, b="foo"), {"a": fields.Raw}, {"a": 100}),
    ({}, {"a": fields.Raw, "n": fields.Integer}, {"a": None, "n": 0}),
    (None, {"a": fields.String, "n": fields.Integer}, {"a": None, "n": 0}),
    (
        {"z": 1, "a": 2, "m": 3},
        {"m": fields.Raw, "z": fields.Raw, "a": fields.Raw},
        {"m": 3, "z": 1, "a": 2},
    ),
    (
        {"a": 1, "b": 2},
        OrderedDict([("b", fields.Raw), ("a", fields.Raw)]),
        {"b": 2, "a": 1},
    ),
    ([{"a": "1"}, Obj(a=2)], {"a": fields.Integer}, [{"a": 1}, {"a": 2}]),
    (({"a": "1"},), {"a": fields.Integer}, [{"a": 1}]),
    ([], {"a": fields.Integer}, []),
    ([[{"a": 1}], {"a": 2}], {"a": fields.Raw}, [[{"a": 1}], {"a": 2}]),
    # keys that are attributes of dict read those attributes, as before
    ({"items": 1}, {"items": fields.Raw}, {"items": 1}),
    (
        _DICT_WITH_METHODS,
        {"copy": fields.Raw(default="none"), "a": fields.Raw},
        {"copy": _DICT_WITH_METHODS.copy, "a": 1},
    ),
    (
        {"name": "x", "price": "3.14159", "when": datetime.datetime(2011, 1, 1)},
        {
            "name": fields.String,
            "price": fields.Fixed(2),
            "cost": fields.Price(attribute="price"),
            "exact": fields.Arbitrary(attribute="price"),
            "float": fields.Float(attribute="price"),
            "when": fields.DateTime,
            "iso": fields.DateTime(dt_format="iso8601", attribute="when"),
            "yes": fields.Boolean(attribute="name"),
            "no": fields.Boolean(default=False),
        },
        {
            "name": "x",
            "price": "3.14",
            "cost": "3.14159",
            "exact": "3.14159",
            "float": 3.14159,
            "when": "Sat, 01 Jan 2011 00:00:00 -0000",
            "iso": "2011-01-01T00:00:00",
            "yes": True,
            "no": False,
        },
    ),
    # attribute forms: name, dotted path, callable, index
    (
        {"user": {"profile": {"name": "ann"}}, "n": 2, "seq": ["a", "b"]},
        {
            "name": fields.String(attribute="user.profile.name"),
            "missing": fields.String(attribute="user.nope.name"),
            "double": fields.Integer(attribute=lambda o: o["n"] * 2),
            "seq": fields.Raw,
            "n2": fields.Raw(attribute="n"),
        },
        {
            "name": "ann",
            "missing": None,
            "double": 4,
            "seq": ["a", "b"],
            "n2": 2,
        },
    ),
    (
        Obj(user=Obj(name="bob"), n=1),
        {
            "name": fields.String(attribute="user.name"),
            "plus": fields.Integer(attribute=lambda o: o.n + 1),
        },
        {"name": "bob", "plus": 2},
    ),
    # inline dicts read from the same object
    (
        {"a": 1, "b": 2},
        {"a": fields.Raw, "inner": {"b": fields.Raw, "deeper": {"a": fields.String}}},
        {"a": 1, "inner": {"b": 2, "deeper": {"a": "1"}}},
    ),
    # Nested: values, None with and without allow_null/default, lists
    (
        {"author": {"name": "ann", "born": "1970"}},
        {"author": fields.Nested(AUTHOR)},
        {"author": {"name": "ann", "born": 1970}},
    ),
    (
        Obj(author=Obj(name="ann", born=1970)),
        {"author": fields.Nested(AUTHOR)},
        {"author": {"name": "ann", "born": 1970}},
    ),
    (
        {"author": None},
        {
            "author": fields.Nested(AUTHOR),
            "null": fields.Nested(AUTHOR, allow_null=True, attribute="author"),
            "dflt": fields.Nested(AUTHOR, default={}, attribute="author"),
        },
        {"author": {"name": None, "born": 0}, "null": None, "dflt": {}},
    ),
    (
        {"authors": [{"name": "a"}, {"name": "b", "born": 2}]},
        {"authors": fields.Nested(AUTHOR)},
        {"authors": [{"name": "a", "born": 0}, {"name": "b", "born": 2}]},
    ),
    # List: of plain fields, of Nested, of List, with defaults
    (
        {"tags": ("a", 1, None), "ids": ["1", None], "raw": [None, {"x": 1}]},
        {
            "tags": fields.List(fields.String),
            "ids": fields.List(fields.Integer(default=-1)),
            "raw": fields.List(fields.Raw),
            "rawd": fields.List(fields.Raw(default=0), attribute="raw"),
            "none": fields.List(fields.String),
            "empty": fields.List(fields.String, default=[]),
        },
        {
            "tags": ["a", "1", None],
            "ids": [1, -1],
            "raw": [None, {"x": 1}],
            "rawd": [0, {"x": 1}],
            "none": None,
            "empty": [],
        },
    ),
    (
        Obj(books=[Obj(author=Obj(name="x", born=1)), Obj(author=None)]),
        {
            "books": fields.List(
                fields.Nested({"author": fields.Nested(AUTHOR, allow_null=True)})
            )
        },
        {"books": [{"author": {"name": "x", "born": 1}}, {"author": None}]},
    ),
    (
        {"one": {"name": "solo"}, "maybe": [None, {"name": "y"}]},
        {
            "one": fields.List(fields.Nested(AUTHOR)),
            "maybe": fields.List(fields.Nested(AUTHOR, allow_null=True)),
        },
        {
            "one": [{"name": "solo", "born": 0}],
            "maybe": [None, {"name": "y", "born": 0}],
        },
    ),
    (
        {"grid": [[1, "2"], (3,)], "s": {"7"}},
        {
            "grid": fields.List(fields.List(fields.Integer)),
            "s": fields.List(fields.Integer),
        },
        {"grid": [[1, 2], [3]], "s": [7]},
    ),
    (
        {"people": [{"name": "a"}, Obj(name="b"), Obj()]},
        {"people": fields.List(fields.String(attribute="name"))},
        {"people": ["a", "b", None]},
    ),
    # FormattedString and custom fields
    (
        {"first": "Ada", "last": "Lovelace"},
        {
            "full": fields.FormattedString("{first} {last}"),
            "loud": Upper(attribute="first"),
            "const": Constant,
            "bang": Shouting(attribute="last"),
            "tags": fields.List(Upper, attribute="items_"),
        },
        {
            "full": "Ada Lovelace",
            "loud": "ADA",
            "const": "constant const",
            "bang": "Lovelace!",
            "tags": None,
        },
    ),
    (
        {"words": ["a", "b"]},
        {"words": fields.List(Upper)},
        {"words": ["A", "B"]},
    ),
]


@pytest.mark.parametrize(("data", "fields_", "expected"), CASES)
def test_marshal(
    run: t.Callable[[t.Any, t.Any], t.Any],
    data: t.Any,
    fields_: t.Any,
    expected: t.Any,
) -> None:
    assert run(data, fields_) == expected
    result = run(data, fields_)
    if isinstance(result, dict):
        assert list(result) == list(fields_)


def test_dict_attribute_keys_follow_flask_restful() -> None:
    # A missing key that names a dict method reads that method, as
    # Flask-RESTful's lookup did; the compiled code must not differ.
    data = {"a": 1}
    result = compiled(data, {"copy": fields.Raw})
    assert result["copy"] == data.copy
    assert result["copy"]() == {"a": 1}


@pytest.mark.parametrize("envelope", ["data", "items"])
def test_envelope(envelope: str) -> None:
    mfields = {"a": fields.Raw}
    assert marshal({"a": 100, "b": "foo"}, mfields, envelope=envelope) == {
        envelope: {"a": 100}
    }
    assert marshal([{"a": 1}, {"a": 2}], mfields, envelope) == {
        envelope: [{"a": 1}, {"a": 2}]
    }
    assert marshal({"a": 1}, mfields, envelope=None) == {"a": 1}


ERRORS: list[tuple[t.Any, t.Any, str]] = [
    ({"id": "abc"}, {"id": fields.Integer}, "id"),
    (Obj(id="abc"), {"id": fields.Integer}, "id"),
    ({"p": "x"}, {"p": fields.Fixed(2)}, "p"),
    ({"p": "inf"}, {"p": fields.Price}, "p"),
    ({"f": "x"}, {"f": fields.Float}, "f"),
    ({"d": 3}, {"d": fields.DateTime}, "d"),
    ({"d": 3}, {"d": fields.DateTime(dt_format="iso8601")}, "d"),
    ({"a": "pi"}, {"a": fields.Arbitrary}, "a"),
    ({"b": {"id": "x"}}, {"b": fields.Nested({"id": fields.Integer})}, "b.id"),
    ({"id": "x"}, {"inner": {"id": fields.Integer}}, "inner.id"),
    ({"ids": [1, "x"]}, {"ids": fields.List(fields.Integer)}, "ids"),
    (
        {"bs": [{"id": 1}, {"id": "x"}]},
        {"bs": fields.List(fields.Nested({"id": fields.Integer}))},
        "bs.id",
    ),
    ({}, {"greet": fields.FormattedString("{name}")}, "greet"),
    ({"s": "text"}, {"s": fields.List(fields.String)}, "s"),
]


@pytest.mark.parametrize(("data", "fields_", "path"), ERRORS)
def test_errors_name_the_field(
    run: t.Callable[[t.Any, t.Any], t.Any], data: t.Any, fields_: t.Any, path: str
) -> None:
    with pytest.raises(MarshallingException) as info:
        run(data, fields_)
    assert info.value.field == path
    assert str(info.value).startswith(f"cannot marshal field {path!r}: ")


def test_list_of_dicts_into_plain_field_raises_as_before() -> None:
    # Flask-RESTful looked an item dict up by its list index; keep that.
    field = {"a": fields.List(fields.String)}
    with pytest.raises(TypeError):
        compiled({"a": [{"x": 1}]}, field)
    assert compiled({"a": [{0: "zero"}]}, field) == {"a": ["zero"]}


def test_custom_field_errors_pass_through() -> None:
    class Failing(fields.Raw):
        def format(self, value: t.Any) -> t.Any:
            raise KeyError("own error")

    with pytest.raises(KeyError):
        compiled({"a": 1}, {"a": Failing})


def test_getter_errors_pass_through() -> None:
    def explode(obj: t.Any) -> t.Any:
        raise ValueError("from attribute callable")

    with pytest.raises(ValueError):
        compiled({}, {"a": fields.Integer(attribute=explode)})


def test_object_with_getattr() -> None:
    class Dynamic:
        def __getattr__(self, name: str) -> str:
            return f"dyn-{name}"

    assert compiled(Dynamic(), {"a": fields.String, "b": fields.Raw}) == {
        "a": "dyn-a",
        "b": "dyn-b",
    }


def test_recursive_fields() -> None:
    tree: dict[str, t.Any] = {"name": fields.String}
    tree["children"] = fields.List(fields.Nested(tree))
    data = {"name": "root", "children": [{"name": "leaf", "children": []}]}
    expected = {"name": "root", "children": [{"name": "leaf", "children": []}]}
    assert marshal_slow(data, tree) == expected
    assert compiled(data, tree) == expected


def test_inline_dict_containing_itself() -> None:
    loop: dict[str, t.Any] = {"a": fields.Raw}
    loop["self"] = loop
    with pytest.raises(ValueError, match="contain itself"):
        _compile(loop, {})


@pytest.mark.parametrize(
    "mutate",
    [
        lambda f: f.__setitem__("extra", fields.String),
        lambda f: f.pop("b"),
        lambda f: f.__setitem__("a", fields.String),
        lambda f: setattr(f["a"], "default", 7),
        lambda f: f["n"].nested.__setitem__("z", fields.Raw(default="z")),
    ],
)
def test_changed_fields_are_recompiled(mutate: t.Callable[[t.Any], t.Any]) -> None:
    mfields: dict[str, t.Any] = {
        "a": fields.Integer(),
        "b": fields.Raw,
        "n": fields.Nested({"x": fields.Raw}),
    }
    data = [{"b": 1, "n": {"x": 2}}, {"a": "3", "extra": 4}]
    marshal(data, mfields)
    marshal(data, mfields)
    mutate(mfields)
    assert marshal(data, mfields) == marshal_slow(data, mfields)


def test_marshal_many_times_through_cache() -> None:
    for n in range(3):
        # a dict built on every call, as some Flask-RESTful code does
        assert marshal({"a": n}, {"a": fields.Integer}) == {"a": n}


# -- marshal_with ----------------------------------------------------------------

MFIELDS = {"a": fields.Raw}


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ({"a": 100, "b": "foo"}, {"a": 100}),
        (({"a": 100, "b": "foo"}, 201), ({"a": 100}, 201, {})),
        (({"a": 1}, 201, {"X-Test": "1"}), ({"a": 1}, 201, {"X-Test": "1"})),
        (({"a": 1}, {"X-Test": "1"}), ({"a": 1}, 200, {"X-Test": "1"})),
        ([{"a": 1}, {"a": 2, "b": 3}], [{"a": 1}, {"a": 2}]),
    ],
)
def test_marshal_with(returned: t.Any, expected: t.Any) -> None:
    @marshal_with(MFIELDS)
    def get() -> t.Any:
        return returned

    assert get() == expected
    assert get() == expected


def test_marshal_with_envelope() -> None:
    @marshal_with(MFIELDS, envelope="data")
    def get() -> t.Any:
        return {"a": 100, "b": "foo"}, 202

    assert get() == ({"data": {"a": 100}}, 202, {})


def test_marshal_with_keeps_name_and_passes_arguments() -> None:
    @marshal_with(MFIELDS)
    def get(a: int, *, b: int) -> dict[str, int]:
        """Doc."""
        return {"a": a + b}

    assert get(1, b=2) == {"a": 3}
    assert get.__name__ == "get"
    assert get.__doc__ == "Doc."


def test_marshal_with_passes_responses() -> None:
    response = Response("raw")

    @marshal_with(MFIELDS)
    def get() -> Response:
        return response

    assert get() is response


def test_marshal_with_sees_later_changes() -> None:
    mfields: dict[str, t.Any] = {"a": fields.Raw}

    @marshal_with(mfields)
    def get() -> dict[str, int]:
        return {"a": 1, "b": 2}

    assert get() == {"a": 1}
    mfields["b"] = fields.String
    assert get() == {"a": 1, "b": "2"}


def test_marshal_with_async() -> None:
    import asyncio

    @marshal_with(MFIELDS)
    async def get() -> t.Any:
        return {"a": 1, "b": 2}, 201

    assert asyncio.run(get()) == ({"a": 1}, 201, {})


@pytest.mark.parametrize(
    ("field", "returned", "expected"),
    [
        (fields.List(fields.Integer), ["1", 2, 3.0], [1, 2, 3]),
        (fields.List(fields.Integer), (["1"], 201), ([1], 201, {})),
        (fields.Integer, "5", 5),
        (fields.String(), 5, "5"),
        (fields.Fixed(1), "2.25", "2.2"),
        (
            fields.List(fields.Nested({"n": fields.Integer})),
            [{"n": "1"}],
            [{"n": 1}],
        ),
    ],
)
def test_marshal_with_field(field: t.Any, returned: t.Any, expected: t.Any) -> None:
    @marshal_with_field(field)
    def get() -> t.Any:
        return returned

    assert get() == expected


# -- through Api and Resource ----------------------------------------------------

TODO_FIELDS = {
    "id": fields.Integer,
    "task": fields.String,
    "due": fields.DateTime(dt_format="iso8601"),
    "price": fields.Price(2),
    "uri": fields.Url("todo", absolute=True),
    "owner": fields.Nested({"name": fields.String}, allow_null=True),
    "tags": fields.List(fields.String),
}


class Todo:
    def __init__(self, id: t.Any, task: str) -> None:
        self.id = id
        self.task = task
        self.due = datetime.datetime(2011, 1, 1, 12, 30)
        self.price = Decimal("9.999")
        self.owner = None
        self.tags = ["home"]


TODOS = {1: Todo(1, "write"), 2: Todo("not-a-number", "secret-value")}


class TodoResource(Resource):
    @marshal_with(TODO_FIELDS)
    def get(self, id: int) -> t.Any:
        return TODOS[id]

    @marshal_with(TODO_FIELDS, envelope="todo")
    def put(self, id: int) -> t.Any:
        return TODOS[id], 201, {"X-Updated": "yes"}


class TodoList(Resource):
    @marshal_with(TODO_FIELDS)
    def get(self) -> t.Any:
        return [TODOS[1], TODOS[1]]


@pytest.fixture
def todo_client(app: Flask, api: Api, client: FlaskClient) -> FlaskClient:
    api.add_resource(TodoResource, "/todos/<int:id>", endpoint="todo")
    api.add_resource(TodoList, "/todos")
    return client


TODO_JSON = {
    "id": 1,
    "task": "write",
    "due": "2011-01-01T12:30:00",
    "price": "10.00",
    "uri": "http://localhost/todos/1",
    "owner": None,
    "tags": ["home"],
}


def test_resource_marshal_with(todo_client: FlaskClient) -> None:
    resp = todo_client.get("/todos/1")
    assert resp.status_code == 200
    assert resp.get_json() == TODO_JSON
    assert list(resp.get_json()) == list(TODO_FIELDS)


def test_resource_marshal_with_tuple_and_envelope(todo_client: FlaskClient) -> None:
    resp = todo_client.put("/todos/1")
    assert resp.status_code == 201
    assert resp.headers["X-Updated"] == "yes"
    assert resp.get_json() == {"todo": TODO_JSON}


def test_resource_marshal_list(todo_client: FlaskClient) -> None:
    resp = todo_client.get("/todos")
    assert resp.get_json() == [TODO_JSON, TODO_JSON]


def test_marshalling_error_is_a_json_500(
    todo_client: FlaskClient,
    production: Flask,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    resp = todo_client.get("/todos/2")
    assert resp.status_code == 500
    assert resp.get_json() == {"message": "Internal Server Error"}
    assert b"not-a-number" not in resp.data
    assert b"secret-value" not in resp.data
    assert "cannot marshal field 'id'" in caplog.text


class OddKey:
    """A key whose repr holds a NUL, which no file name may."""

    def __repr__(self) -> str:
        return "odd\0key"

    def __str__(self) -> str:
        return "odd\0key"


ODD_KEY = OddKey()
ODD_KEYS: list[t.Any] = [
    "nul\0key",
    "quote'key",
    'double"quote',
    "back\\slash",
    "line\u2028sep",
    "para\u2029sep",
    "new\nline",
    "}{",
    "a.b",
    "é",
    "",
    7,
    2.5,
    None,
    True,
    (1, "t"),
    ODD_KEY,
]


def outcome(func: t.Callable[[], t.Any]) -> t.Any:
    """What a call returns, or the type and text of what it raises."""
    try:
        return func()
    except Exception as e:
        return type(e), str(e)


@pytest.mark.parametrize("key", ODD_KEYS, ids=ascii)
def test_odd_keys_marshal_the_same_on_every_path(key: t.Any) -> None:
    data = {key: "v", "other": 1}
    fields_ = {key: fields.String, "other": fields.Integer}
    nested = {"inner": fields.Nested(fields_), "list": fields.List(fields.String)}
    wrapped = {"inner": data, "list": ["x"]}
    slow = outcome(lambda: marshal_slow(data, fields_))
    slow_nested = outcome(lambda: marshal_slow(wrapped, nested))
    if isinstance(key, str) and "." not in key:
        assert slow == {key: "v", "other": 1}
        assert slow_nested == {"inner": slow, "list": ["x"]}
    assert outcome(lambda: compiled(data, fields_)) == slow
    assert outcome(lambda: compiled(wrapped, nested)) == slow_nested
    # The first call runs the fields, the second the compiled code.
    for _ in range(2):
        assert outcome(lambda: marshal(data, fields_)) == slow
        assert outcome(lambda: marshal(wrapped, nested)) == slow_nested


def test_odd_key_errors_name_the_key() -> None:
    fields_ = {"nul\0key": fields.Integer}
    for _ in range(2):
        with pytest.raises(MarshallingException) as info:
            marshal({"nul\0key": "not a number"}, fields_)
        assert info.value.field == "nul\0key"


def test_compiled_cache_is_safe_under_threads() -> None:
    # A fields dict built on every call fills the cache, so each call also
    # evicts; eight threads evicting at once used to raise KeyError.
    def work() -> None:
        for i in range(400):
            fields_ = {"a": fields.Integer, "b": fields.String}
            result = marshal({"a": i, "b": i}, fields_)
            assert result == {"a": i, "b": str(i)}
            assert marshal({"a": i, "b": i}, fields_) == result

    run_in_threads(work)


def test_marshal_with_compiles_at_first_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from flask_resources.marshalling import cache

    compiled: list[object] = []

    def counting_compile(fields_: t.Any, cells: t.Any) -> t.Any:
        compiled.append(fields_)
        return original(fields_, cells)

    original = cache._compile
    monkeypatch.setattr(cache, "_compile", counting_compile)
    item = {"a": fields.Integer}
    method = marshal_with(item)(lambda: {"a": "1"})
    assert compiled == []  # defining the resource compiles nothing
    assert method() == {"a": 1}
    assert method() == {"a": 1}
    assert compiled == [item]  # the first call compiled, once


def test_marshal_with_compiles_at_first_call_safely_under_threads() -> None:
    # The fields dict is compiled at the first call, not when decorated:
    # many threads making that first call at once all get the right answer.
    methods = [
        marshal_with({"a": fields.Integer, "b": fields.String})(
            lambda n: [{"a": n, "b": n}, {"a": n + 1, "b": n}]
        )
        for _ in range(50)
    ]

    def work() -> None:
        for n, method in enumerate(methods):
            assert method(n) == [
                {"a": n, "b": str(n)},
                {"a": n + 1, "b": str(n)},
            ]

    run_in_threads(work)


class Partial:
    """Objects of one class, some without every attribute."""

    def __init__(self, **attributes: t.Any) -> None:
        self.__dict__.update(attributes)

    @property
    def broken(self) -> t.Any:
        raise AttributeError("computed from something missing")


def test_objects_missing_attributes(run: t.Callable[[t.Any, t.Any], t.Any]) -> None:
    # Compiled code reads attributes directly and redoes an object whose
    # read fails with getattr's default; the answers must not differ.
    author = {"name": fields.String, "born": fields.Integer(default=1900)}
    mfields = {
        "id": fields.Integer,
        "name": fields.String(default="?"),
        "broken": fields.Raw,
        "class": fields.String(attribute="class"),
        "author": fields.Nested(author),
    }
    items = [
        Partial(id=1, name="a", author=Partial(name="x", born=1950)),
        Partial(id=2, author=Partial(name="y")),
        Partial(name="c", author=None),
        Partial(id=4, name="d", author={"name": "z"}),
    ]
    expected = [
        {"id": 1, "name": "a", "broken": None, "class": None,
         "author": {"name": "x", "born": 1950}},
        {"id": 2, "name": "?", "broken": None, "class": None,
         "author": {"name": "y", "born": 1900}},
        {"id": 0, "name": "c", "broken": None, "class": None,
         "author": {"name": None, "born": 1900}},
        {"id": 4, "name": "d", "broken": None, "class": None,
         "author": {"name": "z", "born": 1900}},
    ]  # fmt: skip
    assert run(items, mfields) == expected
    assert [run(item, mfields) for item in items] == expected
