"""Example request bodies, built from the operation records, for the forms."""

from __future__ import annotations

import datetime
import typing as t
from collections.abc import Mapping

from .._utils import is_pydantic_model
from ..operations import Operation

#: The locations whose arguments are read from the request body.
BODY_LOCATIONS = frozenset({"json", "form", "json_or_form", "body", "values", "files"})

_JSON = ("application/json",)
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")

#: The media types a body read from each location may have.
LOCATION_MEDIA_TYPES: Mapping[str, tuple[str, ...]] = {
    "json": _JSON,
    "form": _FORM,
    "values": _FORM,
    "json_or_form": _JSON + _FORM,
    "files": ("multipart/form-data",),
}


def body_media_types(
    operation: Operation | None, parsers: t.Sequence[str]
) -> list[str]:
    """The media types the operation's body may be sent in: what its
    recorded arguments read (``location="body"``: every parser's), or every
    parser's when nothing recorded says."""
    found: list[str] = []
    for arguments in operation.arguments if operation is not None else ():
        if arguments.content_types:
            found += arguments.content_types
            continue
        locations: list[str] = []
        if arguments.location is not None:
            locations.append(arguments.location)
        else:
            for argument in getattr(arguments.source, "args", None) or ():
                where = argument.location
                locations += [where] if isinstance(where, str) else list(where)
        for location in locations:
            if location == "body":
                found += parsers
            else:
                found += LOCATION_MEDIA_TYPES.get(location, ())
    return list(dict.fromkeys(found)) or list(parsers)


def example_body(operation: Operation | None) -> dict[str, t.Any] | None:
    """An example of the body an operation reads, from the schemas and
    request parsers its decorators recorded; ``None`` when nothing recorded
    says what the body holds."""
    if operation is None:
        return None
    example: dict[str, t.Any] | None = None
    for arguments in operation.arguments:
        fields = body_fields(arguments.source, arguments.location)
        if fields is not None:
            example = {**(example or {}), **fields}
    return example


def body_fields(source: t.Any, location: str | None) -> dict[str, t.Any] | None:
    """Field name -> example value for the body part of one recorded source."""
    if is_pydantic_model(source):
        if location not in BODY_LOCATIONS:
            return None
        from ..pydantic import example

        return example(source)
    declared = getattr(source, "load_fields", None)
    if isinstance(declared, Mapping):
        if location not in BODY_LOCATIONS:
            return None
        return {
            field.data_key or name: field_example(field)
            for name, field in declared.items()
        }
    arguments = getattr(source, "args", None)
    if isinstance(arguments, list):
        result = {}
        for argument in arguments:
            where = argument.location
            locations = {where} if isinstance(where, str) else set(where)
            if locations & BODY_LOCATIONS:
                result[argument.name] = _argument_example(argument)
        return result or None
    return None


def field_example(field: t.Any) -> t.Any:
    """An example value for a marshmallow field: its ``example`` metadata, its
    ``load_default``, else a value of its type."""
    import marshmallow as ma

    metadata = getattr(field, "metadata", {}) or {}
    if "example" in metadata:
        return metadata["example"]
    default = getattr(field, "load_default", ma.missing)
    if default is not ma.missing and default is not None and not callable(default):
        return default
    fields = ma.fields
    if isinstance(field, fields.Nested):
        schema = field.schema
        value = {
            inner.data_key or name: field_example(inner)
            for name, inner in schema.load_fields.items()
        }
        return [value] if field.many else value
    if isinstance(field, fields.List):
        return [field_example(field.inner)]
    if isinstance(field, fields.Tuple):
        return [field_example(inner) for inner in field.tuple_fields]
    if isinstance(field, fields.Dict | fields.Mapping):
        return {}
    if isinstance(field, fields.Boolean):
        return False
    if isinstance(field, fields.Integer):
        return 0
    if isinstance(field, fields.Number):
        return 0.0
    if isinstance(field, fields.DateTime):
        return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    if isinstance(field, fields.Date):
        return datetime.date.today().isoformat()
    if isinstance(field, fields.Time):
        return "00:00:00"
    if isinstance(field, fields.Email):
        return "user@example.com"
    if isinstance(field, fields.Url):
        return "https://example.com/"
    if isinstance(field, fields.UUID):
        return "00000000-0000-0000-0000-000000000000"
    if isinstance(field, fields.String):
        return "string"
    return None


def _argument_example(argument: t.Any) -> t.Any:
    """An example value for a reqparse argument: its default, else one of
    its type."""
    if argument.default is not None and not callable(argument.default):
        return argument.default
    kind = argument.type
    if kind is bool:
        return False
    if kind is int:
        return 0
    if kind is float:
        return 0.0
    value: t.Any = "string"
    if argument.action == "append":
        return [value]
    return value
