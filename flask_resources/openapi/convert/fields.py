"""Flask-RESTful style output fields (``fields.Raw`` and kin) as JSON Schema."""

from __future__ import annotations

import dataclasses
import typing as t
from collections.abc import Callable, Mapping, Sequence

from ... import fields
from ...exceptions import OpenAPIError
from ._json import json_value, nullable

#: Looks up the component name given to a fields dict, if any.
NameOf: t.TypeAlias = Callable[[Mapping[t.Any, t.Any]], "str | None"]

#: Where references to components point in an OpenAPI document.
COMPONENTS = "#/components/schemas/"
#: Where they point in Swagger 2.0 and in a Flask-RESTX model's
#: ``__schema__``, a JSON Schema document of its own.
DEFINITIONS = "#/definitions/"


@dataclasses.dataclass(frozen=True)
class ModelParts:
    """What a model tells the converter beyond a plain fields dict.

    A model is a named schema: wherever it appears, the document refers to
    its component. Its ``required`` list names the fields that say
    ``required=True`` (or ``discriminator=True``), where a plain fields dict
    requires every key because marshalling outputs every key.

    :param name: the component's name.
    :param fields: the model's own fields; ignored when ``schema`` is given.
    :param schema: a ready JSON Schema, used as it is (``$ref`` to
        ``#/definitions/<name>`` or ``#/components/schemas/<name>`` follow
        the document's spelling).
    :param parents: models this one extends: the schema is ``allOf`` the
        parents' references and its own object.
    :param keywords: more keywords for its own object
        (``additionalProperties``, vendor ``x-`` keys).

    .. versionadded:: 0.1
    """

    name: str
    fields: Mapping[t.Any, t.Any] = dataclasses.field(default_factory=dict)
    schema: Mapping[str, t.Any] | None = None
    parents: Sequence[t.Any] = ()
    keywords: Mapping[str, t.Any] = dataclasses.field(default_factory=dict)


@t.runtime_checkable
class DescribedModel(t.Protocol):
    """A model the converter describes as :class:`ModelParts` say
    (:mod:`flask_resources.restx` models are).

    .. versionadded:: 0.1
    """

    def schema_parts(self) -> ModelParts:
        """How to describe this model."""
        ...


class FieldsConverter:
    """Converts fields dicts and fields; a dict with a name becomes a
    component under ``#/components/schemas`` and is referenced.

    :param name_of: the name given to a fields dict, or ``None``.
    :param add_component: called with a name and its schema the first time
        a named dict is converted.
    :param ref_prefix: what references start with: :data:`COMPONENTS` in
        an OpenAPI document, :data:`DEFINITIONS` in a Flask-RESTX
        ``__schema__``.

    Models (:class:`DescribedModel`) are named by their own name.
    """

    def __init__(
        self,
        name_of: NameOf,
        add_component: Callable[[str, dict[str, t.Any]], None],
        *,
        ref_prefix: str = COMPONENTS,
    ) -> None:
        self.name_of = name_of
        self.add_component = add_component
        self.ref_prefix = ref_prefix
        self._done: set[str] = set()
        # The unnamed dicts being converted, to catch one inside itself.
        self._open: set[int] = set()

    def dict_schema(self, mapping: t.Any, path: str = "") -> t.Any:
        """An object schema for a fields dict, or a reference to its
        component when it has a name (a model always has)."""
        parts = model_parts(mapping)
        name = parts.name if parts is not None else self.name_of(mapping)
        if name is None:
            if id(mapping) in self._open:
                raise OpenAPIError(
                    f"field {path}: the fields dict contains itself; name it"
                    " with api.schema_name() so the document can refer to it"
                )
            self._open.add(id(mapping))
            try:
                return self._object(mapping, path)
            finally:
                self._open.discard(id(mapping))
        if name not in self._done:
            # Mark first: a dict may contain itself through Nested.
            self._done.add(name)
            self.add_component(name, self.object_schema(mapping, path))
        return {"$ref": self.ref_prefix + name}

    def object_schema(self, mapping: t.Any, path: str = "") -> dict[str, t.Any]:
        """The schema of a fields dict or model itself, never a reference
        to it (the dicts and models inside it are referenced by name)."""
        parts = model_parts(mapping)
        if parts is None:
            return self._object(mapping, path)
        own: dict[str, t.Any]
        if parts.schema is not None:
            own = with_ref_prefix(parts.schema, self.ref_prefix)
        else:
            own = self._object(parts.fields, parts.name, every_key=False)
        own.update(parts.keywords)
        if not parts.parents:
            return own
        refs = [self.dict_schema(parent, parts.name) for parent in parts.parents]
        return {"allOf": [*refs, own]}

    def _object(
        self, mapping: Mapping[t.Any, t.Any], path: str, *, every_key: bool = True
    ) -> dict[str, t.Any]:
        properties = {}
        required = []
        discriminator = None
        for key, entry in mapping.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(entry, Mapping):
                properties[str(key)] = self.dict_schema(entry, where)
                continue
            properties[str(key)] = self.field_schema(entry, where)
            field = entry() if isinstance(entry, type) else entry
            if getattr(field, "discriminator", False):
                # A discriminator is always output, so always required.
                discriminator = str(key)
                required.append(str(key))
            elif getattr(field, "required", False):
                required.append(str(key))
        schema: dict[str, t.Any] = {"type": "object", "properties": properties}
        if every_key:
            # marshal always outputs every key of the dict.
            required = list(properties)
        else:
            required.sort()
        if required:
            schema["required"] = required
        if discriminator is not None:
            schema["discriminator"] = {"propertyName": discriminator}
        return schema

    def field_schema(self, field: t.Any, path: str = "") -> t.Any:
        """The schema of what one field outputs, with its documentation
        options (:class:`~flask_resources.fields.Documentation`) as
        keywords.

        A field says its own schema with an ``openapi_schema`` attribute:
        a dict is the whole schema; a method is called with this converter
        and ``path`` and returns it, and may call :meth:`type_schema`,
        :meth:`keywords` and :meth:`dict_schema` for its parts.
        """
        if isinstance(field, type) and issubclass(field, fields.Raw):
            field = field()
        if not isinstance(field, fields.Raw):
            raise OpenAPIError(
                f"field {path or '?'}: {field!r} is not a flask_resources field"
                " (a fields.Raw subclass or instance) or a fields dict"
            )
        own = getattr(field, "openapi_schema", None)
        if isinstance(own, Mapping):
            return dict(own)
        if callable(own):
            return own(self, path)
        schema = self.type_schema(field, path)
        if _may_be_null(field):
            schema = nullable(schema)
        return self.documented(schema, self.keywords(field, path))

    def type_schema(self, field: fields.Raw, path: str = "") -> dict[str, t.Any]:
        """The schema of the values a field outputs other than ``null``,
        from its class alone: no documentation keywords."""
        if isinstance(field, fields.Nested):
            return t.cast(dict[str, t.Any], self.dict_schema(field.nested, path))
        if isinstance(field, fields.List):
            items = self.field_schema(field.container, f"{path}[]")
            return {"type": "array", "items": items}
        if isinstance(field, fields.Url):
            return {
                "type": "string",
                "format": "uri" if field.absolute else "uri-reference",
            }
        if isinstance(field, fields.FormattedString):
            return {"type": "string"}
        if isinstance(field, fields.DateTime):
            if field.dt_format == "iso8601":
                return {"type": "string", "format": "date-time"}
            return {"type": "string", "description": "RFC 822 date and time"}
        if isinstance(field, (fields.Fixed, fields.Arbitrary)):
            return {"type": "string", "description": "A decimal number"}
        for cls, kind in _SIMPLE:
            if isinstance(field, cls):
                return {"type": kind}
        # Raw, or a Raw subclass of its own: any value.
        return {}

    def keywords(
        self,
        field: fields.Raw,
        path: str = "",
        options: Mapping[str, t.Any] | None = None,
    ) -> dict[str, t.Any]:
        """The JSON Schema keywords of a field's documentation options.

        ``title``, ``description``, ``readOnly``, ``examples``; for
        numbers ``minimum``, ``maximum``, ``exclusiveMinimum``,
        ``exclusiveMaximum`` (OpenAPI 3.1's numbers) and ``multipleOf``;
        for strings ``pattern``, ``enum``, ``minLength``, ``maxLength``;
        for lists ``minItems``, ``maxItems``, ``uniqueItems``. An option
        may be a callable giving the value.

        :param options: values to use instead of the field's attributes of
            the same names (``None`` for unset).
        """
        result: dict[str, t.Any] = {}

        def option(name: str) -> t.Any:
            if options is not None and name in options:
                value = options[name]
            else:
                value = getattr(field, name, None)
            if callable(value):
                value = value()
            if value is None:
                return None
            ok, value = json_value(value)
            if not ok:
                raise OpenAPIError(
                    f"field {path or '?'}: its {name}= option is not a JSON value"
                )
            return value

        for name, keyword in _KEYWORDS:
            value = option(name)
            if value is not None:
                result[keyword] = value
        if option("readonly"):
            result["readOnly"] = True
        example = option("example")
        if example is not None:
            result["examples"] = [example]
        enum = option("enum")
        if enum:
            result["enum"] = list(enum)
        for bound, exclusive, inclusive_key, exclusive_key in _BOUNDS:
            value, flag = option(bound), option(exclusive)
            if flag is None or isinstance(flag, bool):
                if value is not None:
                    result[exclusive_key if flag else inclusive_key] = value
            else:
                # A number: OpenAPI 3.1's own spelling of the bound.
                result[exclusive_key] = flag
                if value is not None:
                    result[inclusive_key] = value
        if option("unique"):
            result["uniqueItems"] = True
        return result

    @staticmethod
    def documented(
        schema: dict[str, t.Any], keywords: Mapping[str, t.Any]
    ) -> dict[str, t.Any]:
        """``schema`` with ``keywords`` added; an ``enum`` keeps accepting
        ``null`` when the schema does."""
        if not keywords:
            return schema
        keywords = dict(keywords)
        enum = keywords.get("enum")
        if enum is not None and None not in enum and _accepts_null(schema):
            keywords["enum"] = [*enum, None]
        return {**schema, **keywords}


def _may_be_null(field: fields.Raw) -> bool:
    """Whether a built-in field outputs ``null`` (for a missing value)."""
    if isinstance(field, fields.Nested):
        return field.allow_null
    if isinstance(field, (fields.Url, fields.FormattedString)):
        return False
    return field.default is None


def _accepts_null(schema: Mapping[str, t.Any]) -> bool:
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return {"type": "null"} in schema.get("anyOf", ())


#: Options copied as they are: (attribute, JSON Schema keyword).
_KEYWORDS = (
    ("title", "title"),
    ("description", "description"),
    ("multiple", "multipleOf"),
    ("pattern", "pattern"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
)

#: (bound, exclusive flag, keyword, exclusive keyword).
_BOUNDS = (
    ("min", "exclusiveMin", "minimum", "exclusiveMinimum"),
    ("max", "exclusiveMax", "maximum", "exclusiveMaximum"),
)


# Most specific first: Boolean and Integer are not related, but keep the
# order stable for subclasses of several.
_SIMPLE: tuple[tuple[type[fields.Raw], str], ...] = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Float, "number"),
    (fields.String, "string"),
)


def model_parts(source: t.Any) -> ModelParts | None:
    """The :class:`ModelParts` of a model, ``None`` for anything else."""
    if isinstance(source, DescribedModel):
        return source.schema_parts()
    return None


def with_ref_prefix(schema: t.Any, prefix: str) -> t.Any:
    """A copy of ``schema`` whose references to models (``#/definitions/``
    or ``#/components/schemas/``) start with ``prefix``."""
    if isinstance(schema, Mapping):
        copied = {key: with_ref_prefix(value, prefix) for key, value in schema.items()}
        ref = copied.get("$ref")
        if isinstance(ref, str):
            for known in (COMPONENTS, DEFINITIONS):
                if ref.startswith(known):
                    copied["$ref"] = prefix + ref[len(known) :]
                    break
        return copied
    if isinstance(schema, list):
        return [with_ref_prefix(item, prefix) for item in schema]
    return schema
