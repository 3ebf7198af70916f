"""Flask-RESTX's fields in ``flask_resources.restx.fields``: each field's
output (Flask-RESTX 1.3.2's for the same input), its errors, and its JSON
Schema."""

from __future__ import annotations

import datetime
import typing as t
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import Flask

from flask_resources import Api, Resource
from flask_resources import fields as core
from flask_resources.exceptions import OpenAPIError
from flask_resources.restx import Model, fields, marshal, marshal_with
from flask_resources.restx.errors import RestError

UTC = datetime.UTC
CET = datetime.timezone(datetime.timedelta(hours=1))


def out(field: fields.Raw, value: t.Any) -> t.Any:
    return field.output("foo", {"foo": value})


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (fields.Raw(), 3, 3),
        (fields.Raw(default="aaa"), None, "aaa"),
        (fields.Raw(default=lambda: "aaa"), None, "aaa"),
        (fields.String(), 42, "42"),
        (fields.String(default=5), None, "5"),  # a truthy default is formatted
        (fields.Integer(), None, None),  # not 0, as in Flask-RESTful
        (fields.Integer(), "42", 42),
        (fields.Integer(), 66.6, 66),
        (fields.Integer(default=42), None, 42),
        (fields.Float(), "-3.13", -3.13),
        (fields.Float(), 3, 3.0),
        (fields.Boolean(), "false", False),
        (fields.Boolean(), "0", False),
        (fields.Boolean(), "on", True),
        (fields.Boolean(), {}, False),
        (fields.Fixed(4), 3, "3.0000"),
        (fields.Fixed(), "0", "0.00000"),
        (fields.Arbitrary(), Decimal("1.50"), "1.50"),
        (fields.DateTime(), datetime.date(2011, 1, 1), "2011-01-01T00:00:00"),
        (
            fields.DateTime(),
            datetime.datetime(2011, 1, 1, 23, 59, 59, 1000, tzinfo=UTC),
            "2011-01-01T23:59:59.001000+00:00",
        ),
        (fields.DateTime(), "2014-08-25", "2014-08-25T00:00:00"),
        (fields.DateTime(default="2014-08-25"), None, "2014-08-25T00:00:00"),
        (
            fields.DateTime(dt_format="rfc822"),
            datetime.datetime(2011, 1, 1, 23, 59, 59, tzinfo=CET),
            "Sat, 01 Jan 2011 22:59:59 -0000",
        ),
        (
            fields.DateTime(dt_format="rfc822"),
            datetime.date(2011, 1, 1),
            "Sat, 01 Jan 2011 00:00:00 -0000",
        ),
        (fields.Date(), datetime.datetime(2011, 1, 1, 23, 59), "2011-01-01"),
        (fields.Date(default=datetime.datetime(2014, 8, 25)), None, "2014-08-25"),
        (fields.List(fields.String), ("a", 1), ["a", "1"]),
        (fields.List(fields.String), None, None),
        (fields.List(fields.Raw), [{"a": 1}, 2], [{"a": 1}, 2]),
        (fields.List(fields.Integer(attribute="a")), [{"a": "1"}, {"a": 2}], [1, 2]),
        (fields.List(fields.Nested({"a": fields.Integer})), {"a": "1"}, [{"a": 1}]),
        (fields.Nested({"a": fields.Integer}), None, {"a": None}),
        (fields.Nested({"a": fields.Integer}, allow_null=True), None, None),
        (fields.Nested({"a": fields.Integer}, default={"d": 1}), None, {"d": 1}),
        (
            fields.Nested({"a": fields.Raw, "b": fields.Raw}, skip_none=True),
            {"b": 2},
            {"b": 2},
        ),
    ],
)
def test_output(field: fields.Raw, value: t.Any, expected: t.Any) -> None:
    assert out(field, value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (fields.Integer(), "an int"),
        (fields.Integer(), {"a": "dict"}),
        (fields.Float(), "bar"),
        (fields.Fixed(), "+inf"),
        (fields.Fixed(), "NaN"),
        (fields.DateTime(dt_format="raw"), datetime.datetime.now()),
        (fields.DateTime(), "xxx"),
        (fields.Date(), "xxx"),
    ],
)
def test_output_errors(field: fields.Raw, value: t.Any) -> None:
    with pytest.raises(fields.MarshallingError) as info:
        out(field, value)
    # Flask-RESTX's error, and the core's too, so the core's handlers apply.
    assert isinstance(info.value, RestError)
    assert isinstance(info.value, core.MarshallingException)
    assert "foo" in str(info.value)


def test_errors_flask_restx_lets_through() -> None:
    # Flask-RESTX raises these as they are; so do its fields here.
    with pytest.raises(ValueError, match="Invalid literal for boolean"):
        out(fields.Boolean(), "yes")
    with pytest.raises(ArithmeticError):
        out(fields.Arbitrary(), "abc")
    with pytest.raises(KeyError):
        fields.FormattedString("{missing}").output("x", {})
    with pytest.raises(fields.MarshallingError):
        fields.FormattedString("{foo}").output("x", None)


def test_get_value_indexes_lists_with_numbers() -> None:
    assert fields.get_value("bar.0", {"bar": [42]}) == 42
    assert fields.get_value("bar.0.val", {"bar": ({"val": 1},)}) == 1
    assert fields.get_value("bar.abc", {"bar": [42]}) is None
    assert fields.Raw(attribute="a.1").output("x", {"a": [1, 2]}) == 2


def test_class_name() -> None:
    class FakeClass:
        pass

    assert fields.ClassName().output("x", FakeClass()) == "FakeClass"
    assert fields.ClassName(dash=True).output("x", FakeClass()) == "fake_class"
    assert fields.ClassName().output("x", {}) == "object"


def test_url() -> None:
    app = Flask(__name__)
    app.add_url_rule("/<foo>", "foobar", view_func=lambda foo: foo)
    with app.test_request_context("/"):
        assert fields.Url("foobar").output("x", {"foo": 42}) == "/42"
        absolute = fields.Url("foobar", absolute=True, scheme="https")
        assert absolute.output("x", SimpleNamespace(foo=1)) == "https://localhost/1"
        with pytest.raises(fields.MarshallingError):
            fields.Url("foobar").output("x", None)


def test_arguments_in_flask_restx_order_and_unknown_ones_ignored() -> None:
    field = fields.Raw("d", "a", "Title", "Text", True, True, "ex")
    assert (field.default, field.attribute, field.title) == ("d", "a", "Title")
    assert (field.description, field.required, field.readonly) == ("Text", True, True)
    assert field.example == "ex"
    assert fields.String(help="ignored", min=3).__schema__ == {"type": "string"}


def test_option_attributes() -> None:
    number = fields.Integer(min=0, max=9, exclusiveMin=True, multiple=3)
    assert (number.minimum, number.maximum, number.exclusiveMinimum) == (0, 9, True)
    assert (number.min, number.multiple) == (0, 3)
    text = fields.String(min_length=1, max_length=2, pattern="a", enum=["a"])
    assert (text.min_length, text.max_length, text.pattern, text.enum) == (
        1,
        2,
        "a",
        ["a"],
    )
    listed = fields.List(fields.String, min_items=1, max_items=2, unique=True)
    assert (listed.min_items, listed.max_items, listed.unique) == (1, 2, True)
    assert fields.String(discriminator=True, required=False).required is True
    assert isinstance(fields.String(), core.String)  # the core's dispatch applies


@pytest.mark.parametrize("bad", [object, object(), "String"])
def test_containers_need_a_field(bad: t.Any) -> None:
    with pytest.raises(fields.MarshallingError):
        fields.List(bad)
    with pytest.raises(fields.MarshallingError):
        fields.Wildcard(bad)


def test_wildcard_output_gives_the_next_match_each_call() -> None:
    field = fields.Wildcard(fields.String)
    data = {"a": 1, "b": 2, "c": 3}
    seen = {}
    for _ in range(3):
        value = field.output("*", data)
        seen[field.key] = value
    assert seen == {"a": "1", "b": "2", "c": "3"}
    field.reset()
    assert field.output("b*", data) == "2"


def polymorph_models() -> tuple[Model, dict[type, Model]]:
    parent = Model("Person", {"name": fields.String})
    child1 = parent.inherit("Child1", {"extra1": fields.String})
    child2 = parent.inherit("Child2", {"extra2": fields.String})
    return parent, {Child1: child1, Child2: child2}


class Child1:
    name = "child1"
    extra1 = "extra1"


class Child2:
    name = "child2"
    extra2 = "extra2"


def test_polymorph() -> None:
    parent, mapping = polymorph_models()
    thing = {"owner": fields.Polymorph(mapping)}
    assert marshal({"owner": Child1()}, thing) == {
        "owner": {"name": "child1", "extra1": "extra1"}
    }
    assert marshal({"owner": Child2()}, thing) == {
        "owner": {"name": "child2", "extra2": "extra2"}
    }
    assert marshal({}, thing) == {"owner": None}
    with pytest.raises(ValueError, match="Unknown class"):
        marshal({"owner": object()}, thing)
    required = {"owner": fields.Polymorph(mapping, required=True, default={"d": 1})}
    assert marshal({}, required) == {"owner": {"d": 1}}


def test_polymorph_needs_one_common_ancestor() -> None:
    mapping = {Child1: Model("A", {}), Child2: Model("B", {})}
    with pytest.raises(ValueError, match="common ancestor"):
        fields.Polymorph(mapping)


# -- the compiled marshallers give each field's own output --------------------


class Thing:
    def __init__(self, **kwargs: t.Any) -> None:
        self.__dict__.update(kwargs)


ALL_FIELDS: dict[str, t.Any] = {
    "raw": fields.Raw,
    "text": fields.String(default="none"),
    "int": fields.Integer,
    "num": fields.Float(default=0.5),
    "bool": fields.Boolean,
    "fixed": fields.Fixed(2),
    "big": fields.Arbitrary,
    "when": fields.DateTime,
    "day": fields.Date,
    "tags": fields.List(fields.String),
    "raws": fields.List(fields.Raw),
    "owner": fields.Nested({"name": fields.String, "age": fields.Integer}),
    "owners": fields.List(fields.Nested({"name": fields.String})),
    "maybe": fields.Nested({"name": fields.String}, allow_null=True),
    "first": fields.Raw(attribute="tags.0"),
    "by": fields.Integer(attribute=lambda o: 7),
    "inline": {"text": fields.String, "again": {"int": fields.Integer}},
    "kind": fields.ClassName(dash=True),
}

ROWS = [
    {
        "raw": {"x": 1},
        "text": 3,
        "int": "4",
        "num": "1.5",
        "bool": "false",
        "fixed": "3.14159",
        "big": Decimal("1.10"),
        "when": datetime.date(2020, 1, 2),
        "day": "2020-01-02",
        "tags": ["a", 1],
        "raws": [{"a": 1}],
        "owner": {"name": "n", "age": "3"},
        "owners": [{"name": "m"}],
        "maybe": None,
    },
    Thing(text=None, int=None, tags=("b",), owner=None, maybe=Thing(name=1)),
    {},
]


def test_compiled_output_is_each_fields_output() -> None:
    by_field = []
    for row in ROWS:
        result: dict[str, t.Any] = {}
        for key, value in ALL_FIELDS.items():
            if isinstance(value, dict):
                # ordered=True takes the field-by-field path.
                result[key] = marshal(row, value, ordered=True)
            else:
                field = value() if isinstance(value, type) else value
                result[key] = field.output(key, row)
        by_field.append(result)
    assert by_field[0]["when"] == "2020-01-02T00:00:00"
    for _ in range(3):  # by the fields, then compiled
        assert marshal(ROWS, ALL_FIELDS) == by_field
        assert [marshal(row, ALL_FIELDS) for row in ROWS] == by_field


# -- JSON Schema -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "schema"),
    [
        (fields.Raw(), {"type": "object"}),
        (fields.String(), {"type": "string"}),
        (fields.Integer(default=42), {"type": "integer", "default": 42}),
        (fields.Float(), {"type": "number"}),
        (fields.Fixed(), {"type": "number"}),
        (fields.Arbitrary(default=0.5), {"type": "number", "default": 0.5}),
        (
            fields.Boolean(default=True, example=False),
            {"type": "boolean", "default": True, "examples": [False]},
        ),
        (fields.DateTime(), {"type": "string", "format": "date-time"}),
        (
            fields.DateTime(default=datetime.date(2014, 8, 25)),
            {"type": "string", "format": "date-time", "default": "2014-08-25T00:00:00"},
        ),
        (
            fields.Date(default="2014-08-25"),
            {"type": "string", "format": "date", "default": "2014-08-25"},
        ),
        (fields.Url("endpoint"), {"type": "string"}),
        (fields.FormattedString("{a}"), {"type": "string"}),
        (fields.ClassName(), {"type": "string"}),
        (
            fields.String(enum=["A", "B"]),
            {"type": "string", "enum": ["A", "B"], "examples": ["A"]},
        ),
        (
            fields.String(enum=lambda: ["A"]),
            {"type": "string", "enum": ["A"], "examples": ["A"]},
        ),
        (fields.String(enum=[]), {"type": "string"}),
        (fields.String(nullable=True), {"type": ["string", "null"]}),
        (
            fields.String(min_length=lambda: 1, max_length=42, pattern="[a-z]"),
            {"type": "string", "minLength": 1, "maxLength": 42, "pattern": "[a-z]"},
        ),
        (
            fields.Integer(min=0, exclusiveMin=True, max=lambda: 9),
            {"type": "integer", "exclusiveMinimum": 0, "maximum": 9},
        ),
        (
            fields.Float(multiple=5, title="T", description="D", readonly=True),
            {
                "type": "number",
                "multipleOf": 5,
                "title": "T",
                "description": "D",
                "readOnly": True,
            },
        ),
        (
            fields.List(fields.String, min_items=1, max_items=3, unique=True),
            {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": 3,
                "uniqueItems": True,
            },
        ),
        (
            fields.Wildcard(fields.String),
            {"type": "object", "additionalProperties": {"type": "string"}},
        ),
        (
            fields.DateTime(
                min="1984-06-07T00:00:00",
                max=datetime.date(1984, 6, 8),
                exclusiveMax=True,
            ),
            {
                "type": "string",
                "format": "date-time",
                "formatMinimum": "1984-06-07T00:00:00",
                "formatExclusiveMaximum": "1984-06-08T00:00:00",
            },
        ),
        (
            fields.Date(min=datetime.datetime(1984, 6, 7, 1, 2)),
            {"type": "string", "format": "date", "formatMinimum": "1984-06-07"},
        ),
    ],
)
def test_schema(field: fields.Raw, schema: dict[str, t.Any]) -> None:
    assert field.__schema__ == schema
    assert field.schema() == schema


def test_nested_schema_refers_to_the_model() -> None:
    model = Model("NestedModel", {"name": fields.String})
    ref = {"$ref": "#/components/schemas/NestedModel"}
    assert fields.Nested(model).__schema__ == ref
    assert fields.Nested(model, as_list=True).__schema__ == {
        "type": "array",
        "items": ref,
    }
    assert fields.Nested(model, nullable=True).__schema__ == {
        "anyOf": [ref, {"type": "null"}]
    }
    assert fields.Nested(model, description="D").__schema__ == {
        **ref,
        "description": "D",
    }
    assert fields.List(fields.Nested(model)).__schema__ == {
        "type": "array",
        "items": ref,
    }


class Nullable(fields.String):
    __schema_type__ = ["string", "null"]
    __schema_example__ = "nullable string"


class Email(fields.String):
    __schema_format__ = "email"


class Time(fields.Raw):
    __schema_type__ = "string"
    __schema_format__ = "time"


class Odd(fields.Raw):
    __schema_type__ = "dict"


class Overridden(fields.Integer):
    def schema(self) -> dict[str, t.Any]:
        schema = super().schema()
        schema["format"] = "int64"
        schema["x-unset"] = None
        return schema


def test_custom_schema_type_format_and_example() -> None:
    assert Nullable().__schema__ == {
        "type": ["string", "null"],
        "examples": ["nullable string"],
    }
    assert Email(description="Mail").__schema__ == {
        "type": "string",
        "format": "email",
        "description": "Mail",
    }
    assert Time().__schema__ == {"type": "string", "format": "time"}
    with pytest.raises(OpenAPIError, match="Odd.__schema_type__ is 'dict'"):
        Odd().schema()


def spec_of(item: dict[str, t.Any], name: str = "Item") -> dict[str, t.Any]:
    validator = pytest.importorskip("openapi_spec_validator")
    pytest.importorskip("apispec")
    app = Flask(__name__)
    api = Api(app)

    class ItemResource(Resource):
        @marshal_with(item)
        def get(self) -> t.Any:
            return {}

    api.schema_name(name, item)
    api.add_resource(ItemResource, "/item")
    with app.app_context():
        spec = api.openapi()
    validator.validate(spec)
    return t.cast(dict[str, t.Any], spec["components"]["schemas"])


def test_openapi_document_uses_the_field_schemas() -> None:
    owner = {"name": fields.String(required=True)}
    schemas = spec_of(
        {
            "id": fields.Integer(readonly=True, example=1),
            "when": fields.DateTime(min=datetime.date(2000, 1, 1)),
            "owner": fields.Nested(owner, nullable=True),
            "tags": fields.List(fields.String, unique=True),
            "extra": fields.Wildcard(fields.Integer),
            "custom": Overridden(),
        }
    )
    properties = schemas["Item"]["properties"]
    assert properties["id"] == {"type": "integer", "readOnly": True, "examples": [1]}
    assert properties["when"]["formatMinimum"] == "2000-01-01T00:00:00"
    assert properties["owner"]["type"] == ["object", "null"]
    assert properties["tags"]["uniqueItems"] is True
    # A schema() of its own, less None values.
    assert properties["custom"] == {"type": "integer", "format": "int64"}
