"""Flask-RESTX's models: names, inheritance, copies and their JSON Schema,
in ``__schema__`` and in the OpenAPI document."""

from __future__ import annotations

import copy
import typing as t
from collections import OrderedDict

import pytest
from flask import Flask

from flask_resources import Api, Resource, doc, marshal_with
from flask_resources import fields as core
from flask_resources.exceptions import OpenAPIError
from flask_resources.openapi.convert.fields import COMPONENTS, with_ref_prefix
from flask_resources.restx import Model, OrderedModel, SchemaModel, fields, model


def person_model() -> Model:
    return Model("Person", {"name": fields.String, "age": fields.Integer})


STRING = {"type": "string"}
INTEGER = {"type": "integer"}


def test_models_are_the_dicts_flask_restx_has() -> None:
    person = person_model()
    assert isinstance(person, dict)
    assert not isinstance(person, OrderedDict)
    assert person.name == "Person"
    assert person.__parents__ == []
    assert person.__apidoc__ == {"name": "Person"}
    ordered = OrderedModel("Person", [("b", fields.String), ("a", fields.String)])
    assert isinstance(ordered, OrderedDict)
    assert list(ordered) == ["b", "a"]
    assert list(ordered.__schema__["properties"]) == ["b", "a"]
    assert model.Model is Model
    assert str(person) == "Model(Person,{name,age})"


def test_schema_of_a_flat_model() -> None:
    assert person_model().__schema__ == {
        "type": "object",
        "properties": {"name": STRING, "age": INTEGER},
    }


def test_nested_models_are_referenced_by_name() -> None:
    address = Model("Address", {"road": fields.String})
    person = Model(
        "Person",
        {
            "address": fields.Nested(address),
            "addresses": fields.List(fields.Nested(address)),
            "inline": {"x": fields.Integer},
        },
    )
    properties = person.__schema__["properties"]
    assert properties["address"] == {"$ref": "#/definitions/Address"}
    assert properties["addresses"]["items"] == {"$ref": "#/definitions/Address"}
    # A plain dict inside a model is inlined, every key required as usual.
    assert properties["inline"] == {
        "type": "object",
        "properties": {"x": INTEGER},
        "required": ["x"],
    }


def test_required_lists_the_fields_that_say_so_sorted() -> None:
    person = Model(
        "Person",
        {
            "name": fields.String(required=True),
            "age": fields.Integer,
            "birthdate": fields.DateTime(required=True),
        },
    )
    assert person.__schema__["required"] == ["birthdate", "name"]


def test_a_discriminator_is_required_and_named() -> None:
    person = Model(
        "Person", {"kind": fields.String(discriminator=True), "age": fields.Integer}
    )
    schema = person.__schema__
    assert schema["discriminator"] == "kind"  # Flask-RESTX's spelling
    assert schema["required"] == ["kind"]


@pytest.mark.parametrize("from_class", [False, True])
def test_inherit_is_all_of_the_parents_and_own_fields(from_class: bool) -> None:
    grand = Model("GrandParent", {"grand": fields.String})
    parent = person_model()
    extra = {"extra": fields.String}
    if from_class:
        child = Model.inherit("Child", grand, parent, extra)
    else:
        child = grand.inherit("Child", parent, extra)
    assert isinstance(child, Model)
    assert child.__parents__ == [grand, parent]
    assert child.__schema__ == {
        "allOf": [
            {"$ref": "#/definitions/GrandParent"},
            {"$ref": "#/definitions/Person"},
            {"type": "object", "properties": {"extra": STRING}},
        ]
    }
    assert parent.__schema__ == person_model().__schema__
    assert child.ancestors == {"Child", "GrandParent", "Person"}
    assert child.get_parent("Person") is parent
    assert child.get_parent("Child") is child
    with pytest.raises(ValueError, match="Parent Nobody not found"):
        child.get_parent("Nobody")


@pytest.mark.parametrize("from_class", [False, True])
def test_clone_copies_the_fields(from_class: bool) -> None:
    grand = Model("GrandParent", {"grand": fields.String})
    parent = Model("Parent", {"age": fields.Integer(default=3)})
    extra = {"extra": fields.String}
    if from_class:
        child = Model.clone("Child", grand, parent, extra)
    else:
        child = grand.clone("Child", parent, extra)
    assert child.__parents__ == []
    assert list(child) == ["grand", "age", "extra"]
    assert child.__schema__["properties"] == {
        "grand": STRING,
        "age": {**INTEGER, "default": 3},
        "extra": STRING,
    }
    assert child["age"] is not parent["age"]
    child["age"].default = 4
    assert parent["age"].default == 3


def test_ordered_clone_stays_ordered() -> None:
    ordered = OrderedModel("A", [("a", fields.String)])
    assert isinstance(ordered.clone("B", {"b": fields.String}), OrderedModel)


def test_extend_is_a_deprecated_clone() -> None:
    parent = person_model()
    with pytest.warns(DeprecationWarning, match="use Model.clone"):
        child = parent.extend("Child", {"extra": fields.String})
    assert list(child) == ["name", "age", "extra"]
    with pytest.warns(DeprecationWarning):
        both = parent.extend("Both", [{"a": fields.String}, {"b": fields.String}])
    assert list(both) == ["name", "age", "a", "b"]


def test_deepcopy_copies_fields_and_keeps_parents() -> None:
    parent = Model("Person", {"age": fields.Integer(default=1)})
    child = parent.inherit("Child", {"extra": fields.String})
    parent_copy = copy.deepcopy(parent)
    parent_copy["age"].default = 2
    assert parent["age"].default == 1
    child_copy = copy.deepcopy(child)
    assert child_copy.__parents__[0] is parent
    assert child_copy.name == "Child"


def test_resolved_merges_the_parents_fields() -> None:
    parent = Model(
        "Pet", {"kind": fields.String(discriminator=True), "name": fields.String}
    )
    dog = parent.inherit("Dog", {"barks": fields.Boolean})
    resolved = dog.resolved
    assert resolved is dog.resolved  # computed once
    assert set(resolved) == {"barks", "kind", "name"}
    # The discriminator outputs the model's name.
    assert resolved["kind"].default == "Dog"
    assert parent["kind"].default is None
    # It is documented as the model it comes from.
    assert resolved.__schema__ == dog.__schema__


def test_one_discriminator_per_model() -> None:
    pet = Model(
        "Pet",
        {
            "a": fields.String(discriminator=True),
            "b": fields.String(discriminator=True),
        },
    )
    with pytest.raises(ValueError, match="only be one discriminator"):
        pet.resolved  # noqa: B018


def test_strict_refuses_other_properties() -> None:
    person = Model("Person", {"name": fields.String}, strict=True)
    assert person.__schema__["additionalProperties"] is False


def test_mask_is_documented() -> None:
    person = Model("Person", {"name": fields.String}, mask="name")
    assert person.__schema__["x-mask"] == "{name}"


def test_model_made_without_fields_is_empty() -> None:
    # Namespace.model(name) passes None.
    empty = Model("Empty", None)
    assert empty == {}
    assert empty.__schema__ == {"type": "object", "properties": {}}


def test_schema_model_gives_its_schema() -> None:
    schema = {
        "type": "object",
        "properties": {"address": {"$ref": "#/definitions/Address"}},
    }
    person = SchemaModel("Person", schema)
    assert person.__schema__ == schema
    assert str(person) == f"SchemaModel(Person,{schema})"
    assert SchemaModel("Any").__schema__ == {}
    child = person.inherit("Child", {"type": "object"})
    assert isinstance(child, SchemaModel)
    assert child.__schema__ == {
        "allOf": [{"$ref": "#/definitions/Person"}, {"type": "object"}]
    }


def test_a_field_that_is_not_one_names_the_model_and_key() -> None:
    person = Model("Person", {"name": fields.String, "age": 3})
    with pytest.raises(OpenAPIError, match=r"field Person\.age: 3 is not"):
        person.__schema__  # noqa: B018
    family = Model("Family", {"head": fields.Nested(person)})
    with pytest.raises(OpenAPIError, match=r"field Person\.age"):
        family.__schema__  # noqa: B018


# -- the OpenAPI document ----------------------------------------------------

validator = pytest.importorskip(
    "openapi_spec_validator", reason="needs openapi-spec-validator"
)
pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")


def document(api: Api, app: Flask) -> dict[str, t.Any]:
    with app.app_context():
        spec = api.openapi()
    validator.validate(spec)
    return spec


def as_component(schema: dict[str, t.Any]) -> dict[str, t.Any]:
    """``__schema__`` as the OpenAPI document spells it."""
    converted: dict[str, t.Any] = with_ref_prefix(schema, COMPONENTS)
    own = converted["allOf"][-1] if "allOf" in converted else converted
    if isinstance(own.get("discriminator"), str):
        own["discriminator"] = {"propertyName": own["discriminator"]}
    return converted


def test_models_are_components_and_agree_with_their_schema(
    app: Flask, api: Api
) -> None:
    address = Model("Address", {"road": fields.String(required=True)})
    pet = Model(
        "Pet",
        {"kind": fields.String(discriminator=True), "owner": fields.Nested(address)},
    )
    dog = pet.inherit("Dog", {"barks": fields.Boolean})
    kennel = SchemaModel(
        "Kennel",
        {"type": "object", "properties": {"dog": {"$ref": "#/definitions/Dog"}}},
    )

    class Dogs(Resource):
        @doc(responses={202: {"description": "Kennel", "schema": kennel}})
        @marshal_with(dog)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Dogs, "/dogs")
    spec = document(api, app)
    components = spec["components"]["schemas"]
    content = spec["paths"]["/dogs"]["get"]["responses"]
    assert content["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Dog"
    }
    assert content["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Kennel"
    }
    for each in (address, pet, dog, kennel):
        assert components[each.name] == as_component(each.__schema__)
    assert components["Dog"]["allOf"][0] == {"$ref": "#/components/schemas/Pet"}
    assert components["Pet"]["discriminator"] == {"propertyName": "kind"}
    assert components["Pet"]["required"] == ["kind"]
    assert components["Address"]["required"] == ["road"]
    assert components["Kennel"]["properties"]["dog"] == {
        "$ref": "#/components/schemas/Dog"
    }


def test_fields_dicts_still_require_every_key(app: Flask, api: Api) -> None:
    class Things(Resource):
        @marshal_with({"a": core.String, "b": core.Integer})
        def get(self) -> t.Any:
            return {}

    api.add_resource(Things, "/things")
    spec = document(api, app)
    schema = spec["paths"]["/things"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema["required"] == ["a", "b"]


def test_a_model_that_cannot_be_described_is_named(app: Flask, api: Api) -> None:
    broken = Model("Broken", {"when": object()})

    class Things(Resource):
        @marshal_with(broken)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Things, "/things")
    with app.app_context(), pytest.raises(OpenAPIError, match=r"Broken\.when"):
        api.openapi()
