"""Flask-RESTful style output fields (``fields.Raw`` and kin) as JSON Schema."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Mapping

from ... import fields
from ...exceptions import OpenAPIError
from ._json import nullable

#: Looks up the component name given to a fields dict, if any.
NameOf: t.TypeAlias = Callable[[Mapping[t.Any, t.Any]], "str | None"]


class FieldsConverter:
    """Converts fields dicts and fields; a dict with a name becomes a
    component under ``#/components/schemas`` and is referenced.

    :param name_of: the name given to a fields dict, or ``None``.
    :param add_component: called with a name and its schema the first time
        a named dict is converted.
    """

    def __init__(
        self,
        name_of: NameOf,
        add_component: Callable[[str, dict[str, t.Any]], None],
    ) -> None:
        self.name_of = name_of
        self.add_component = add_component
        self._done: set[str] = set()
        # The unnamed dicts being converted, to catch one inside itself.
        self._open: set[int] = set()

    def dict_schema(self, mapping: Mapping[t.Any, t.Any], path: str = "") -> t.Any:
        """An object schema for a fields dict, or a reference to its
        component when it has a name."""
        name = self.name_of(mapping)
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
            self.add_component(name, self._object(mapping, path))
        return {"$ref": f"#/components/schemas/{name}"}

    def _object(self, mapping: Mapping[t.Any, t.Any], path: str) -> dict[str, t.Any]:
        properties = {}
        for key, entry in mapping.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(entry, Mapping):
                properties[str(key)] = self.dict_schema(entry, where)
            else:
                properties[str(key)] = self.field_schema(entry, where)
        # marshal always outputs every key of the dict.
        schema: dict[str, t.Any] = {"type": "object", "properties": properties}
        if properties:
            schema["required"] = list(properties)
        return schema

    def field_schema(self, field: t.Any, path: str = "") -> t.Any:
        """The schema of what one field outputs."""
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
        if isinstance(field, fields.Nested):
            inner = self.dict_schema(field.nested, path)
            if field.allow_null:
                return nullable(inner)
            return inner
        if isinstance(field, fields.List):
            items = self.field_schema(field.container, f"{path}[]")
            return self._maybe_null(field, {"type": "array", "items": items})
        if isinstance(field, fields.Url):
            return {
                "type": "string",
                "format": "uri" if field.absolute else "uri-reference",
            }
        if isinstance(field, fields.FormattedString):
            return {"type": "string"}
        if isinstance(field, fields.DateTime):
            if field.dt_format == "iso8601":
                schema = {"type": "string", "format": "date-time"}
            else:
                schema = {"type": "string", "description": "RFC 822 date and time"}
            return self._maybe_null(field, schema)
        if isinstance(field, (fields.Fixed, fields.Arbitrary)):
            return self._maybe_null(
                field, {"type": "string", "description": "A decimal number"}
            )
        for cls, kind in _SIMPLE:
            if isinstance(field, cls):
                return self._maybe_null(field, {"type": kind})
        # Raw, or a Raw subclass of its own: any value.
        return {}

    @staticmethod
    def _maybe_null(field: fields.Raw, schema: dict[str, t.Any]) -> dict[str, t.Any]:
        # A missing or None value outputs the field's default.
        if field.default is None:
            return nullable(schema)
        return schema


# Most specific first: Boolean and Integer are not related, but keep the
# order stable for subclasses of several.
_SIMPLE: tuple[tuple[type[fields.Raw], str], ...] = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Float, "number"),
    (fields.String, "string"),
)
