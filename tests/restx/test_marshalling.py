"""``flask_resources.restx.marshal``, ``marshal_with`` and
``marshal_with_field``: Flask-RESTX's output, masks from the ``X-Fields``
header, the operation record, and the caches under threads."""

from __future__ import annotations

import asyncio
import typing as t
from collections import OrderedDict

import pytest
from flask import Flask, Response
from threaded import run_in_threads

from flask_resources import Api, Resource, operations
from flask_resources.restx import (
    Mask,
    Model,
    fields,
    marshal,
    marshal_with,
    marshal_with_field,
)

PERSON = {"name": fields.String, "age": fields.Integer, "boolean": fields.Boolean}
JOHN = {"name": "John Doe", "age": 42, "boolean": True}


def test_marshal() -> None:
    model = OrderedDict([("foo", fields.Raw)])
    data = OrderedDict([("foo", "bar"), ("bat", "baz")])
    output = marshal(data, model)
    assert output == {"foo": "bar"} and type(output) is dict
    assert marshal(data, model, envelope="hey") == {"hey": {"foo": "bar"}}
    assert marshal((data,), model) == [{"foo": "bar"}]
    assert marshal((data,), model, envelope="hey") == {"hey": [{"foo": "bar"}]}
    assert marshal(None, model) == {"foo": None}


def test_skip_none() -> None:
    model = {
        "foo": fields.Raw,
        "bat": fields.Raw,
        "inner": {"a": fields.Raw, "b": {"c": fields.Raw}},
        "empty": fields.Nested({"x": fields.Raw}, skip_none=True),
        "kept": fields.Nested({"x": fields.Raw, "y": fields.Raw}),
        "list": fields.List(fields.Raw),
    }
    data = {"foo": "bar", "bat": None, "empty": {}, "kept": {"x": 1}, "list": []}
    expected = {"foo": "bar", "kept": {"x": 1, "y": None}, "list": []}
    for _ in range(3):  # by the fields, then compiled
        assert marshal(data, model, skip_none=True) == expected
        assert marshal([data, data], model, skip_none=True) == [expected, expected]


def test_ordered() -> None:
    model = OrderedDict(
        [
            ("foo", fields.Raw),
            ("fee", fields.Nested({"fye": fields.String})),
            ("in", {"a": fields.Raw}),
        ]
    )
    output = marshal({"foo": 1, "fee": {"fye": "fum"}}, model, ordered=True)
    assert output == {"foo": 1, "fee": {"fye": "fum"}, "in": {"a": None}}
    assert isinstance(output, OrderedDict)
    assert isinstance(output["fee"], OrderedDict)
    assert isinstance(output["in"], OrderedDict)
    enveloped = marshal({}, model, envelope="e", ordered=True)
    assert isinstance(enveloped, OrderedDict)
    assert not isinstance(marshal({}, model), OrderedDict)


def test_mask_argument_and_model_mask() -> None:
    assert marshal(JOHN, PERSON, mask="{name,age}") == {"name": "John Doe", "age": 42}
    assert marshal(JOHN, PERSON, mask=Mask("name")) == {"name": "John Doe"}
    # A key the fields do not have is left out.
    assert marshal(JOHN, PERSON, mask="name,missing") == {"name": "John Doe"}
    model = Model("Person", PERSON, mask="{name,boolean}")
    assert marshal(JOHN, model) == {"name": "John Doe", "boolean": True}
    assert marshal(JOHN, model, mask="age") == {"age": 42}
    nested = {"person": fields.Nested(model)}
    assert marshal({"person": JOHN}, nested) == {
        "person": {"name": "John Doe", "boolean": True}
    }


def test_masked_fields_follow_changes_to_the_fields() -> None:
    model = {"name": fields.String, "age": fields.Integer}
    assert marshal(JOHN, model, mask="name") == {"name": "John Doe"}
    model["name"] = fields.Integer
    with pytest.raises(fields.MarshallingError):
        marshal(JOHN, model, mask="name")


def wildcard_models() -> dict[str, t.Any]:
    mod5 = OrderedDict(
        [
            ("toto", fields.Integer),
            ("bob", fields.Integer),
            ("*", fields.Wildcard(fields.String)),
        ]
    )
    return {
        "1": {"*": fields.Wildcard(fields.String)},
        "2": {"j*": fields.Wildcard(fields.Integer)},
        "4": {"*": fields.Wildcard(fields.String, default="x")},
        "5": mod5,
        "6": {
            "nested": {
                "f1": fields.String(default="12"),
                "f2": fields.Integer(default=13),
            },
            "a*": fields.Wildcard(fields.Integer),
        },
    }


class Dummy:
    john = 12
    bob = "42"
    alice = None


def test_wildcard() -> None:
    models = wildcard_models()
    data = {"John": 12, "bob": 42, "Jane": "68"}
    # Each result twice: a Wildcard keeps nothing between calls.
    for _ in range(2):
        assert marshal(data, models["1"]) == {"John": "12", "bob": "42", "Jane": "68"}
        assert marshal(data, models["2"]) == {"John": 12, "Jane": 68}
        assert marshal(Dummy(), models["1"], skip_none=True) == {
            "john": "12",
            "bob": "42",
        }
        assert marshal(object(), models["4"]) == {"*": "x"}
        assert marshal({**data, "toto": "72"}, models["5"]) == {
            "John": "12",
            "bob": 42,
            "Jane": "68",
            "toto": 72,
        }
        assert marshal(
            {"nested": {"f1": 12, "f2": 13}, "alice": "14"}, models["6"]
        ) == {
            "nested": {"f1": "12", "f2": 13},
            "alice": 14,
        }
        assert marshal(None, models["1"], skip_none=True) == {}


def test_wildcard_in_nested_and_keys_in_reverse_order() -> None:
    nest = fields.Nested(
        OrderedDict([("thumbnail", fields.String), ("video", fields.String)])
    )
    model = {"preview": fields.Nested({"*": fields.Wildcard(nest)})}
    data = {
        "preview": {
            "9:16": {"thumbnail": 24, "video": 12},
            "1:1": {"thumbnail": 26, "video": 10},
        }
    }
    output = marshal(data, model)
    assert output == {
        "preview": {
            "9:16": {"thumbnail": "24", "video": "12"},
            "1:1": {"thumbnail": "26", "video": "10"},
        }
    }
    # Flask-RESTX gives the object's keys last first, unless ordered.
    assert list(output["preview"]) == ["1:1", "9:16"]
    assert list(marshal(data, model, ordered=True)["preview"]) == ["9:16", "1:1"]


def test_marshal_with() -> None:
    model = OrderedDict([("foo", fields.Raw), ("bat", fields.Raw)])

    @marshal_with(model)
    def plain() -> t.Any:
        return {"foo": "bar", "baz": 1}

    @marshal_with(model, envelope="hey", skip_none=True)
    def tupled() -> t.Any:
        return {"foo": "bar"}, 201, {"X-test": 123}

    @marshal_with(model)
    def short() -> t.Any:
        return ({"foo": 1},)

    assert plain() == {"foo": "bar", "bat": None}
    assert tupled() == ({"hey": {"foo": "bar"}}, 201, {"X-test": 123})
    assert short() == ({"foo": 1, "bat": None}, 200, {})


def test_marshal_with_field() -> None:
    @marshal_with_field(fields.List(fields.Integer))
    def numbers() -> t.Any:
        return ["1", 2, 3.0]

    @marshal_with_field(fields.Raw)
    def tupled() -> t.Any:
        return "foo", 200, {"X-test": 123}

    assert numbers() == [1, 2, 3]
    assert tupled() == ("foo", 200, {"X-test": 123})
    record = operations.get_operation(numbers)
    assert record is not None and record.success is not None


def person_app(
    *, mask: str | None = None, model: t.Any = PERSON, body: t.Any = JOHN
) -> Flask:
    app = Flask(__name__)
    api = Api(app)

    class Person(Resource):
        @marshal_with(model, mask=mask)
        def get(self) -> t.Any:
            return body

    api.add_resource(Person, "/person")
    return app


def test_x_fields_header() -> None:
    client = person_app().test_client()
    response = client.get("/person", headers={"X-Fields": "{name,age}"})
    assert response.status_code == 200
    assert response.get_json() == {"name": "John Doe", "age": 42}
    assert client.get("/person").get_json() == JOHN
    assert client.get("/person", headers={"X-Fields": ""}).get_json() == JOHN
    listed = person_app(body=[JOHN, JOHN]).test_client()
    assert (
        listed.get("/person", headers={"X-Fields": "age"}).get_json()
        == [{"age": 42}] * 2
    )


def test_default_mask_and_header() -> None:
    client = person_app(mask="{name,age}").test_client()
    assert client.get("/person").get_json() == {"name": "John Doe", "age": 42}
    assert client.get("/person", headers={"X-Fields": "boolean"}).get_json() == {
        "boolean": True
    }
    model = Model("Person", PERSON, mask="{name,boolean}")
    client = person_app(model=model).test_client()
    assert client.get("/person").get_json() == {"name": "John Doe", "boolean": True}
    assert client.get("/person", headers={"X-Fields": "age"}).get_json() == {"age": 42}
    client = person_app(model=model, mask="name").test_client()
    assert client.get("/person").get_json() == {"name": "John Doe"}


def test_mask_header_setting() -> None:
    app = person_app()
    app.config["RESTX_MASK_HEADER"] = "X-Mask"
    client = app.test_client()
    assert client.get("/person", headers={"X-Mask": "name"}).get_json() == {
        "name": "John Doe"
    }
    assert client.get("/person", headers={"X-Fields": "name"}).get_json() == JOHN
    app.config["RESTX_MASK_HEADER"] = None  # masks off
    assert client.get("/person", headers={"X-Mask": "name"}).get_json() == JOHN


class Person:
    def __init__(self) -> None:
        self.name = "John Doe"
        self.age = 42

    @property
    def boolean(self) -> bool:
        raise AssertionError("a masked-out attribute is not read")


def test_masked_out_attributes_are_not_read() -> None:
    client = person_app(body=Person()).test_client()
    response = client.get("/person", headers={"X-Fields": "{name,age}"})
    assert response.get_json() == {"name": "John Doe", "age": 42}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("name{,missing}", "Mask parse error: Unexpected comma"),
        ("name{", "Mask parse error: Missing closing bracket"),
        ("{name}}", "Mask parse error: Unexpected closing bracket"),
        ("name{first}", "Mask error: Mask is inconsistent with model"),
    ],
)
def test_bad_mask_header_answers_400(header: str, message: str) -> None:
    response = person_app().test_client().get("/person", headers={"X-Fields": header})
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert response.get_json() == {"message": message}


def test_value_that_cannot_be_formatted_answers_500() -> None:
    app = person_app(body={"age": "not a number"})
    response = app.test_client().get("/person")
    assert response.status_code == 500
    assert response.get_json() == {"message": "Internal Server Error"}


def test_response_and_async_views() -> None:
    @marshal_with(PERSON)
    def ready() -> t.Any:
        return Response("as is")

    @marshal_with(PERSON, mask="name")
    async def later() -> t.Any:
        return JOHN

    assert ready().get_data() == b"as is"
    assert asyncio.run(later()) == {"name": "John Doe"}


def test_operation_record() -> None:
    model = Model("Person", PERSON)

    @marshal_with(model, envelope="data", mask="name", code=201, description="Made")
    def post() -> t.Any:
        return {}

    record = operations.get_operation(post)
    assert record is not None
    response = record.responses[201]
    assert (response.source, response.envelope, response.success) == (
        model,
        "data",
        True,
    )
    assert response.description == "Made"
    assert record.extensions == {"restx_mask": True, "restx_mask_default": "{name}"}
    plain = operations.get_operation(marshal_with(PERSON)(lambda: {}))
    assert plain is not None and plain.extensions == {"restx_mask": True}
    assert plain.responses[200].source is PERSON


class Counted(fields.Integer):
    """An Integer of one's own: compiled as the core's, unless changed."""

    calls = 0

    def format(self, value: t.Any) -> t.Any:
        Counted.calls += 1
        return super().format(value)


def test_built_in_fields_are_compiled() -> None:
    model = {"n": fields.Integer, "t": fields.String, "l": fields.List(fields.Float)}
    rows = [{"n": "1", "t": 2, "l": ["1.5"]}, {"n": None}]
    expected = [{"n": 1, "t": "2", "l": [1.5]}, {"n": None, "t": None, "l": None}]
    for _ in range(3):
        assert marshal(rows, model) == expected
    # A subclass with a format of its own is called, compiled or not.
    counted = {"n": Counted()}
    for _ in range(3):
        assert marshal([{"n": "1"}, {"n": "2"}], counted) == [{"n": 1}, {"n": 2}]
    assert Counted.calls == 6


def test_masks_and_wildcards_are_safe_under_threads() -> None:
    # More masks than the cache keeps, so threads evict each other's; and
    # one Wildcard shared by all of them.
    model = {f"k{i}": fields.Integer for i in range(40)}
    model["*"] = fields.Wildcard(fields.String)
    row = {f"k{i}": str(i) for i in range(40)}
    row.update(x1="a", x2="b")
    plain = {f"k{i}": fields.Integer for i in range(40)}

    def work() -> None:
        for i in range(300):
            keys = [f"k{(i + j) % 40}" for j in range(3)]
            masked = marshal([row, row], plain, mask=",".join(keys))
            assert masked == [{key: int(row[key]) for key in keys}] * 2
            assert marshal(row, model)["x2"] == "b"

    run_in_threads(work)
