"""Field masks: parsing ``"{a,b{c}}"``, applying a mask to data and to
fields, and the 400 answers for a mask that is malformed or does not fit."""

from __future__ import annotations

import typing as t
from collections import OrderedDict

import pytest
from flask import Flask
from werkzeug.exceptions import BadRequest

from flask_resources import Api, Resource
from flask_resources.restx import Mask, fields, marshal, mask
from flask_resources.restx.errors import RestError


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", {}),
        ("field_name", {"field_name": True}),
        ("field1, field2", {"field1": True, "field2": True}),
        ("{field1,field2}", {"field1": True, "field2": True}),
        ("nested{a,b}", {"nested": {"a": True, "b": True}}),
        (
            "a, nested{b, sub{c}}, d",
            {"a": True, "nested": {"b": True, "sub": {"c": True}}, "d": True},
        ),
        ("nested{a},*", {"nested": {"a": True}, "*": True}),
        ("field:name, field-name", {"field:name": True, "field-name": True}),
        ("a b\nc", {"a": True, "bc": True}),  # line breaks are dropped first
        ("   ", {}),
    ],
)
def test_parse(text: str, parsed: dict[str, t.Any]) -> None:
    assert Mask(text) == parsed


def test_parse_keeps_order_and_prints_back() -> None:
    parsed = Mask("f_3, nested{f_1, f_2}, f_1")
    assert list(parsed) == ["f_3", "nested", "f_1"]
    assert isinstance(parsed["nested"], Mask)
    assert str(parsed) == "{f_3,nested{f_1,f_2},f_1}"
    assert Mask(parsed) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nested{", "Missing closing bracket"),
        ("{field", "Missing closing bracket"),
        ("field,,", "Unexpected comma"),
        ("nested{,}", "Unexpected comma"),
        ("field,{}", "Unexpected opening bracket"),
        ("{{field}}", "Unexpected opening bracket"),
        ("{field}}", "Unexpected closing bracket"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(mask.ParseError) as info:
        Mask(text)
    assert str(info.value) == message
    assert isinstance(info.value, mask.MaskError)
    assert isinstance(info.value, RestError)
    assert isinstance(info.value, BadRequest)  # so every Api answers 400


DATA = {"integer": 42, "string": "a string", "nested": {"integer": 1, "string": "s"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{}", {}),
        ("{integer}", {"integer": 42}),
        ("*", DATA),
        ("{nested}", {"nested": DATA["nested"]}),
        ("{nested{integer}}", {"nested": {"integer": 1}}),
        (
            "{nested{integer},*}",
            {"nested": {"integer": 1}, "integer": 42, "string": "a string"},
        ),
        ("{missing}", {"missing": None}),
    ],
)
def test_apply_to_data(text: str, expected: dict[str, t.Any]) -> None:
    assert mask.apply(DATA, text) == expected


class DObject:
    def __init__(self, data: dict[str, t.Any]) -> None:
        self.__dict__.update(data)


def test_apply_to_objects_lists_and_skipping() -> None:
    assert mask.apply(DObject(DATA), "integer") == {"integer": 42}
    assert mask.apply(OrderedDict(DATA), "integer") == {"integer": 42}
    assert mask.apply([DATA, DATA], "integer") == [{"integer": 42}] * 2
    assert mask.apply({"list": [DATA]}, "list{integer}") == {"list": [{"integer": 42}]}
    assert mask.apply({"nested": None}, "nested{a}") == {"nested": None}
    assert mask.apply({}, "{integer}", skip=True) == {}
    assert mask.apply({}, "nested{integer}", skip=True) == {}


PERSON = {"name": fields.String, "age": fields.Integer}
FAMILY = {"name": "Doe", "father": {"name": "John", "age": 42}, "members": ["a"]}


def test_apply_to_fields() -> None:
    family = {
        "father": fields.Nested(PERSON),
        "mother": fields.Raw,
        "children": fields.List(fields.Nested(PERSON)),
        "members": fields.List(fields.String),
        "name": fields.String,
    }
    masked = mask.apply(family, "father{name},mother{age},children{age},members")
    assert list(masked) == ["father", "mother", "children", "members"]
    assert list(masked["father"].nested) == ["name"]
    assert list(masked["children"].container.nested) == ["age"]
    assert masked["members"].container is family["members"].container  # type: ignore[attr-defined]
    data = {
        "father": {"name": "John", "age": 42},
        "mother": {"name": "Jane", "age": 40},
        "children": [{"name": "Jack", "age": 5}],
        "members": ["a"],
    }
    assert marshal(data, masked) == {
        "father": {"name": "John"},
        "mother": {"age": 40},
        "children": [{"age": 5}],
        "members": ["a"],
    }
    # The fields themselves are left as they were.
    assert list(family["father"].nested) == ["name", "age"]  # type: ignore[attr-defined]


def test_apply_to_a_list_of_raw_values() -> None:
    masked = mask.apply({"free": fields.List(fields.Raw)}, "free{key}")
    data = {"free": [{"key": 1, "other": 2}, {"key": 3}]}
    assert marshal(data, masked) == {"free": [{"key": 1}, {"key": 3}]}


@pytest.mark.parametrize(
    ("model", "text"),
    [
        ({"name": fields.String}, "name{first}"),
        ({"name": fields.String()}, "name{first}"),
        ({"tags": fields.List(fields.String)}, "tags{first}"),
    ],
)
def test_mask_into_a_field_without_keys(model: dict[str, t.Any], text: str) -> None:
    with pytest.raises(mask.MaskError, match="Mask is inconsistent with model"):
        mask.apply(model, text)


def test_the_core_fields_take_masks_too() -> None:
    from flask_resources import fields as core

    masked = mask.apply(
        {"a": core.Nested({"b": core.String, "c": core.String}), "d": core.Raw},
        "a{b},d{e}",
    )
    assert marshal({"a": {"b": 1, "c": 2}, "d": {"e": 3, "f": 4}}, masked) == {
        "a": {"b": "1"},
        "d": {"e": 3},
    }


def mask_app(raise_: Exception) -> Flask:
    app = Flask(__name__)
    api = Api(app)

    class Broken(Resource):
        def get(self) -> t.Any:
            raise raise_

    api.add_resource(Broken, "/broken")
    return app


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (
            mask.ParseError("Unexpected comma"),
            {"message": "Mask parse error: Unexpected comma"},
        ),
        (
            mask.MaskError("Mask is inconsistent with model"),
            {"message": "Mask error: Mask is inconsistent with model"},
        ),
    ],
)
def test_mask_errors_answer_400_with_flask_restx_body(
    error: Exception, body: dict[str, str]
) -> None:
    response = mask_app(error).test_client().get("/broken")
    assert response.status_code == 400
    assert response.get_json() == body
