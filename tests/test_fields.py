"""Output fields: each field's output for good and bad values.

Expected values are Flask-RESTful 0.3.10's output for the same input.
"""

from __future__ import annotations

import datetime
import typing as t
from decimal import Decimal

import pytest
import pytz
from flask import Flask

from flask_resources import fields
from flask_resources.exceptions import FlaskResourcesError
from flask_resources.fields import MarshallingException

PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459")


class Obj:
    def __init__(self, **kwargs: t.Any) -> None:
        self.__dict__.update(kwargs)


class Marshallable:
    def __marshallable__(self) -> dict[str, t.Any]:
        return {"hey": 3}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (fields.Raw(), 3, 3),
        (fields.Raw(), [1, "a"], [1, "a"]),
        (fields.Raw(default="d"), None, "d"),
        (fields.String(), 3, "3"),
        (fields.String(), "é", "é"),
        (fields.String(), None, None),
        (fields.String(default="x"), None, "x"),
        (fields.Integer(), 3, 3),
        (fields.Integer(), "42", 42),
        (fields.Integer(), 3.9, 3),
        (fields.Integer(), None, 0),
        (fields.Integer(default=1), None, 1),
        (fields.Integer(5), None, 5),
        (fields.Float(), 3, 3.0),
        (fields.Float(), "-3.13", -3.13),
        (fields.Float(), None, None),
        (fields.Boolean(), True, True),
        (fields.Boolean(), {}, False),
        (fields.Boolean(), "false", True),
        (fields.Boolean(), "0", True),
        (fields.Boolean(), 0, False),
        (fields.Arbitrary(), "-3.13", "-3.13"),
        (fields.Arbitrary(), 3, "3"),
        (fields.Arbitrary(), PI, str(PI)),
        (fields.Arbitrary(), 0.5, "0.5"),
        (fields.Fixed(), PI, "3.14159"),
        (fields.Fixed(4), PI, "3.1416"),
        (fields.Fixed(4), "3", "3.0000"),
        (fields.Fixed(4), "03.0", "3.0000"),
        (fields.Fixed(), 0, "0.00000"),
        (fields.Fixed(2), "2.675", "2.68"),
        (fields.Fixed(2), "2.665", "2.66"),
        (fields.Fixed(2), 10.125, "10.12"),
        (fields.Price(2), Decimal("19.999"), "20.00"),
        (fields.Fixed(), None, None),
        (
            fields.DateTime(),
            datetime.datetime(2011, 1, 1),
            "Sat, 01 Jan 2011 00:00:00 -0000",
        ),
        (
            fields.DateTime(),
            datetime.datetime(2011, 8, 22, 20, 58, 45),
            "Mon, 22 Aug 2011 20:58:45 -0000",
        ),
        (
            fields.DateTime(),
            pytz.timezone("America/New_York").localize(
                datetime.datetime(2011, 1, 1, 19, 0)
            ),
            "Sun, 02 Jan 2011 00:00:00 -0000",
        ),
        (
            fields.DateTime(dt_format="rfc822"),
            datetime.datetime(1969, 12, 31, 23, 59, 59, 999),
            "Wed, 31 Dec 1969 23:59:59 -0000",
        ),
        (
            fields.DateTime(dt_format="iso8601"),
            datetime.datetime(2011, 1, 1),
            "2011-01-01T00:00:00",
        ),
        (
            fields.DateTime(dt_format="iso8601"),
            datetime.datetime(2011, 1, 1, 1, 2, 3, 4),
            "2011-01-01T01:02:03.000004",
        ),
        (
            fields.DateTime(dt_format="iso8601"),
            datetime.datetime(2011, 1, 1, tzinfo=pytz.utc),
            "2011-01-01T00:00:00+00:00",
        ),
        (
            fields.DateTime(dt_format="iso8601"),
            datetime.date(2011, 1, 1),
            "2011-01-01",
        ),
        (fields.DateTime(), None, None),
    ],
)
def test_format_good_values(field: fields.Raw, value: t.Any, expected: t.Any) -> None:
    assert field.output("a", {"a": value}) == expected
    assert type(field.output("a", {"a": value})) is type(expected)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (fields.Integer(), "abc"),
        (fields.Integer(), [1]),
        (fields.Float(), "Explode!"),
        (fields.Float(), object()),
        (fields.Arbitrary(), "pi"),
        (fields.Fixed(), "+inf"),
        (fields.Fixed(), "-inf"),
        (fields.Fixed(), "NaN"),
        (fields.Fixed(), "abc"),
        (fields.Fixed(), Decimal("1e-1000000")),
        (fields.DateTime(), 3),
        (fields.DateTime(), datetime.date(2011, 1, 1)),
        (fields.DateTime(dt_format="iso8601"), "2011-01-01"),
        (fields.DateTime(dt_format="unknown"), datetime.datetime(2011, 1, 1)),
    ],
)
def test_format_bad_values(field: fields.Raw, value: t.Any) -> None:
    with pytest.raises(MarshallingException) as info:
        field.output("a", {"a": value})
    assert info.value.field is None
    assert isinstance(info.value, FlaskResourcesError)


def test_marshalling_exception_message() -> None:
    error = MarshallingException(ValueError("bad"))
    assert str(error) == "bad"
    assert error.reason == "bad"
    error.add_parent("id").add_parent("author")
    assert error.field == "author.id"
    assert str(error) == "cannot marshal field 'author.id': bad"


@pytest.mark.parametrize(
    ("key", "obj", "expected"),
    [
        ("hey", {"hey": 3}, 3),
        ("foo", {"hey": 3}, None),
        ("hey", Obj(hey=3), 3),
        ("foo", Obj(hey=3), None),
        ("a.b", {"a": {"b": 1}}, 1),
        ("a.b", Obj(a=Obj(b=2)), 2),
        ("a.b", {"a": Obj(b=3)}, 3),
        ("a.b.c", {"a": None}, None),
        ("a.b", {"a": {}}, None),
        (1, ["x", "y"], "y"),
        (lambda o: o["x"] * 2, {"x": 2}, 4),
        ("upper", "text", "text".upper),
        ("real", 3, 3),
    ],
)
def test_get_value(key: t.Any, obj: t.Any, expected: t.Any) -> None:
    value = fields.get_value(key, obj)
    if callable(expected):
        assert value() == expected()
    else:
        assert value == expected


def test_get_value_indexable_object_falls_back_to_attribute() -> None:
    class Indexable:
        foo = "hi"

        def __getitem__(self, n: t.Any) -> t.Any:
            if type(n) is int and n < 3:
                return n
            raise IndexError

        def __iter__(self) -> t.Iterator[int]:
            return iter(range(3))

    assert fields.String(attribute="foo").output("foo", Indexable()) == "hi"
    assert fields.Raw().output(1, Indexable()) == 1


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"hey": 3}, {"hey": 3}),
        (Obj(hey=3), {"hey": 3}),
        (Marshallable(), {"hey": 3}),
        (None, None),
    ],
)
def test_to_marshallable_type(obj: t.Any, expected: t.Any) -> None:
    assert fields.to_marshallable_type(obj) == expected


@pytest.mark.parametrize(
    ("field", "key", "obj", "expected"),
    [
        (fields.String(attribute="bar"), "foo", {"bar": 3}, "3"),
        (fields.String(attribute="hey"), "foo", Obj(hey=3), "3"),
        (fields.Fixed(4, attribute="bar"), "foo", {"bar": "3"}, "3.0000"),
        (fields.Raw(), "bar.value", Obj(bar=Obj(value=3)), 3),
        (fields.Raw(attribute="a.b"), "x", {"a": {"b": "deep"}}, "deep"),
        (fields.Integer(attribute=lambda o: o["n"] + 1), "x", {"n": 1}, 2),
        (fields.Raw(attribute=0), "x", ["first"], "first"),
        (fields.String(), "missing", Obj(), None),
    ],
)
def test_attribute(field: fields.Raw, key: str, obj: t.Any, expected: t.Any) -> None:
    assert field.output(key, obj) == expected


@pytest.mark.parametrize(
    ("template", "obj", "expected"),
    [
        ("/foo/{account_sid}/{sid}/", {"sid": 3, "account_sid": 4}, "/foo/4/3/"),
        ("/foo/{account_sid}/{sid}/", Obj(sid=3, account_sid=4), "/foo/4/3/"),
        ("{hey}", Marshallable(), "3"),
        ("Hello {name}", {"name": "Doug", "x": 1}, "Hello Doug"),
    ],
)
def test_formatted_string(template: str, obj: t.Any, expected: str) -> None:
    assert fields.FormattedString(template).output("ignored", obj) == expected


@pytest.mark.parametrize(
    ("template", "obj"),
    [
        ("{hey}", None),
        ("/foo/{0[account_sid]}/{0[sid]}/", {}),
        ("/foo/{0[account_sid]}/{0[sid]}/", (3, 4)),
        ("{missing}", {"hey": 1}),
    ],
)
def test_formatted_string_bad_values(template: str, obj: t.Any) -> None:
    with pytest.raises(MarshallingException):
        fields.FormattedString(template).output("a", obj)


@pytest.fixture
def url_app() -> Flask:
    app = Flask(__name__)
    app.add_url_rule("/<hey>", "foobar", view_func=lambda hey: hey)
    return app


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (fields.Url("foobar"), "/3"),
        (fields.Url("foobar", absolute=True), "http://localhost/3"),
        (fields.Url("foobar", absolute=True, scheme="https"), "https://localhost/3"),
        (fields.Url(endpoint=None), "/3"),
    ],
)
def test_url(url_app: Flask, field: fields.Url, expected: str) -> None:
    with url_app.test_request_context("/5"):
        assert field.output("hey", Obj(hey=3)) == expected
        # Values the rule does not use become a query string, which is dropped.
        assert field.output("hey", {"hey": 3, "extra": 1}) == expected


def test_url_bad_object(url_app: Flask) -> None:
    with url_app.test_request_context("/"):
        with pytest.raises(MarshallingException):
            fields.Url("foobar").output("hey", None)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (fields.List(fields.String), ["a", "b", "c"], ["a", "b", "c"]),
        (fields.List(fields.Integer), ["1", 2, 3.0], [1, 2, 3]),
        (fields.List(fields.Integer), ("1", None), [1, 0]),
        (fields.List(fields.String), None, None),
        (fields.List(fields.String, default=[]), None, []),
        (fields.List(fields.Raw), [{"a": 1}, None], [{"a": 1}, None]),
        (fields.List(fields.String(attribute="name")), [{"name": 1}], ["1"]),
        (
            fields.List(fields.String(attribute="name")),
            [Obj(name="n"), Obj()],
            ["n", None],
        ),
        (fields.List(fields.Nested({"n": fields.Integer})), [{"n": "1"}], [{"n": 1}]),
        (fields.List(fields.Nested({"n": fields.Integer})), {"n": "2"}, [{"n": 2}]),
        (
            fields.List(fields.Nested({"n": fields.Integer}, allow_null=True)),
            [None, {"n": 3}],
            [None, {"n": 3}],
        ),
        (fields.List(fields.List(fields.Integer)), [["1"], [2, 3]], [[1], [2, 3]]),
    ],
)
def test_list(field: fields.List, value: t.Any, expected: t.Any) -> None:
    assert field.output("a", {"a": value}) == expected
    assert field.output("a", Obj(a=value)) == expected


def test_list_of_set() -> None:
    assert fields.List(fields.Integer).output("a", {"a": {"1"}}) == [1]


@pytest.mark.parametrize("item", [int, "String", None])
def test_list_needs_a_field(item: t.Any) -> None:
    with pytest.raises(MarshallingException, match="subclass of"):
        fields.List(item)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (fields.Nested({"b": fields.Integer}), {"b": "2"}, {"b": 2}),
        (fields.Nested({"b": fields.Integer}), None, {"b": 0}),
        (fields.Nested({"b": fields.String}), None, {"b": None}),
        (fields.Nested({"b": fields.String}, allow_null=True), None, None),
        (fields.Nested({"b": fields.String}, default={}), None, {}),
        (
            fields.Nested({"b": fields.String}, allow_null=True, default={}),
            None,
            None,
        ),
        (
            fields.Nested({"b": fields.Integer}),
            [{"b": 1}, {"b": 2}],
            [{"b": 1}, {"b": 2}],
        ),
        (fields.Nested({"b": fields.String}, allow_null=True), {}, {"b": None}),
    ],
)
def test_nested(field: fields.Nested, value: t.Any, expected: t.Any) -> None:
    assert field.output("a", {"a": value}) == expected


class Upper(fields.Raw):
    def format(self, value: t.Any) -> str:
        return str(value).upper()


class Constant(fields.Raw):
    def output(self, key: t.Any, obj: t.Any) -> str:
        return "constant"


def test_custom_fields() -> None:
    assert Upper().output("a", {"a": "shout"}) == "SHOUT"
    assert Upper(default="none").output("a", {}) == "none"
    assert Constant().output("a", {}) == "constant"


# -- documentation options ---------------------------------------------------


def test_documentation_options_are_attributes() -> None:
    field = fields.String(
        description="The name",
        title="Name",
        required=True,
        readonly=True,
        example="Tom",
        pattern="^[A-Z]",
        enum=["Tom", "Ann"],
        min_length=1,
        max_length=9,
        discriminator=True,
    )
    assert (field.description, field.title, field.example) == (
        "The name",
        "Name",
        "Tom",
    )
    assert field.required is True and field.readonly is True
    assert (field.pattern, field.enum) == ("^[A-Z]", ["Tom", "Ann"])
    assert (field.min_length, field.max_length, field.discriminator) == (1, 9, True)
    number = fields.Float(
        min=0, max=10, exclusiveMin=True, exclusiveMax=False, multiple=2
    )
    assert (number.min, number.max, number.multiple) == (0, 10, 2)
    assert (number.exclusiveMin, number.exclusiveMax) == (True, False)
    items = fields.List(fields.Integer, min_items=1, max_items=3, unique=True)
    assert (items.min_items, items.max_items, items.unique) == (1, 3, True)


def test_unset_documentation_options_are_none_and_cost_nothing() -> None:
    field = fields.Integer()
    for name in ("description", "title", "required", "readonly", "example", "min"):
        assert getattr(field, name) is None
    # Only what is set lives on the instance, which compiled marshallers
    # compare on every call.
    assert set(vars(field)) == {"attribute", "default"}
    assert set(vars(fields.Integer(description="n"))) == {
        "attribute",
        "default",
        "description",
    }


@pytest.mark.parametrize(
    ("field", "default", "attribute"),
    [
        (fields.Raw("d", "a"), "d", "a"),
        (fields.String("d", "a"), "d", "a"),
        (fields.Float(1.5, "a"), 1.5, "a"),
        (fields.Boolean(True, "a"), True, "a"),
        (fields.Arbitrary(1, "a"), 1, "a"),
        (fields.Integer(7, attribute="a"), 7, "a"),
    ],
)
def test_flask_restful_positional_order_is_kept(
    field: fields.Raw, default: t.Any, attribute: str
) -> None:
    assert (field.default, field.attribute) == (default, attribute)


def test_documentation_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        fields.String(None, None, "^a")  # type: ignore[misc]
    with pytest.raises(TypeError):
        fields.Fixed(2, None)  # type: ignore[misc]


def test_documentation_options_change_no_output() -> None:
    plain = {"n": fields.Integer, "s": fields.String, "l": fields.List(fields.String)}
    documented = {
        "n": fields.Integer(min=0, description="n", example=3),
        "s": fields.String(enum=["a"], pattern="a", readonly=True),
        "l": fields.List(fields.String, min_items=2, unique=True),
    }
    rows = [{"n": "1", "s": 2, "l": ["a", 1]}, Obj(n=None, s=None, l=None)]
    from flask_resources import marshal

    for _ in range(2):  # the first call runs the fields, the next compiled code
        assert marshal(rows, documented) == marshal(rows, plain)


class Doubled(fields.Raw):
    """A field whose ``output`` a core field can give, so it says so."""

    calls = 0

    def output(self, key: t.Any, obj: t.Any) -> t.Any:
        Doubled.calls += 1
        return fields.Integer(attribute=self.attribute).output(key, obj)

    def compiled_as(self, key: t.Any) -> fields.Raw:
        return fields.Integer(attribute=self.attribute)


def test_compiled_as_lets_a_field_be_written_out() -> None:
    from flask_resources import marshal

    item_fields = {"n": Doubled(attribute="m"), "all": fields.List(Doubled())}
    rows = [{"m": "4", "all": [1, "2"]}, {"m": None, "all": ["3"]}]
    expected = [{"n": 4, "all": [1, 2]}, {"n": 0, "all": [3]}]
    assert marshal(rows, item_fields) == expected
    Doubled.calls = 0
    assert marshal(rows, item_fields) == expected
    assert Doubled.calls == 0  # compiled as Integer: its output never ran


def test_simple_namespace_objects() -> None:
    from types import SimpleNamespace

    from flask_resources import marshal

    item_fields = {"a": fields.Integer, "b": fields.String}
    rows = [SimpleNamespace(a="1", b=2), SimpleNamespace(a=None)]
    for _ in range(2):
        assert marshal(rows, item_fields) == [{"a": 1, "b": "2"}, {"a": 0, "b": None}]
