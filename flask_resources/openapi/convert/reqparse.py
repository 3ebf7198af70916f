"""reqparse parsers (``RequestParser`` and its ``Argument``) as JSON Schema."""

from __future__ import annotations

import dataclasses
import decimal
import typing as t

from werkzeug.datastructures import FileStorage

from ... import inputs
from ...exceptions import OpenAPIError
from ._json import json_value, nullable

#: Where OpenAPI puts an argument: a parameter (``query``, ``header``,
#: ``cookie``) or a request body media type.
Target: t.TypeAlias = t.Literal["query", "header", "cookie", "json", "form", "files"]

#: Targets that are request body media types.
_BODY_TARGETS = frozenset(("json", "form", "files"))

# The verbs whose requests carry no body worth documenting.
_BODYLESS = frozenset(("get", "head", "delete", "options", "trace"))

_BY_TYPE: dict[t.Any, dict[str, t.Any]] = {
    int: {"type": "integer"},
    float: {"type": "number"},
    decimal.Decimal: {"type": "number"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    dict: {"type": "object"},
    list: {"type": "array"},
    inputs.boolean: {"type": "boolean"},
    inputs.date: {"type": "string", "format": "date"},
    inputs.datetime_from_iso8601: {"type": "string", "format": "date-time"},
    inputs.datetime_from_rfc822: {
        "type": "string",
        "description": "RFC 822 date and time",
    },
    inputs.url: {"type": "string", "format": "uri"},
    inputs.ipv4: {"type": "string", "format": "ipv4"},
    inputs.ipv6: {"type": "string", "format": "ipv6"},
    inputs.ip: {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
    inputs.natural: {"type": "integer", "minimum": 0},
    inputs.positive: {"type": "integer", "minimum": 1},
    inputs.iso8601interval: {
        "type": "string",
        "description": "ISO 8601 date, date and time, or interval",
    },
    FileStorage: {"type": "string", "format": "binary"},
}


@dataclasses.dataclass(frozen=True)
class ParserArgument:
    """One argument of a parser, placed where OpenAPI documents it."""

    name: str
    target: Target
    schema: dict[str, t.Any]
    required: bool
    description: str | None


def type_schema(kind: t.Any) -> dict[str, t.Any]:
    """The JSON Schema of what a reqparse ``type`` accepts.

    A type the package does not know is described as any value, unless it
    carries an ``openapi_schema`` attribute (a dict) saying otherwise, or,
    as Flask-RESTX documents its types, a ``__schema__`` one. A fields dict
    (a Flask-RESTX model), which converts a JSON object, is an object.
    """
    own = getattr(kind, "openapi_schema", None)
    if isinstance(own, t.Mapping):
        return dict(own)
    try:
        known = _BY_TYPE.get(kind)
    except TypeError:  # an unhashable callable
        known = None
    if known is not None:
        return dict(known)
    if isinstance(kind, inputs.regex):
        return {"type": "string", "pattern": kind.pattern}
    if isinstance(kind, inputs.int_range):
        return {"type": "integer", "minimum": kind.low, "maximum": kind.high}
    if isinstance(kind, inputs.URL):
        return {"type": "string", "format": "uri"}
    if isinstance(kind, inputs.email):
        return {"type": "string", "format": "email"}
    if isinstance(kind, t.Mapping):
        return {"type": "object"}
    swagger = getattr(kind, "__schema__", None)
    if isinstance(swagger, t.Mapping):
        return _from_swagger(swagger)
    return {}


def _from_swagger(schema: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """A Swagger 2.0 parameter schema as JSON Schema 2020-12, where they
    differ: ``exclusiveMinimum: true`` beside ``minimum`` is a number now."""
    converted = dict(schema)
    for exclusive, bound in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        flag = converted.get(exclusive)
        if isinstance(flag, bool):
            del converted[exclusive]
            if flag and bound in converted:
                converted[exclusive] = converted.pop(bound)
    return converted


def parser_arguments(
    parser: t.Any, verb: str, location: str | None = None
) -> list[ParserArgument]:
    """Place each argument of ``parser`` for a request of ``verb``.

    :param location: replaces each argument's own locations, as
        ``doc(args=parser, location=...)`` says.
    """
    placed = []
    for argument in getattr(parser, "args", ()):
        name = getattr(argument, "name", None)
        if not isinstance(name, str):
            raise OpenAPIError(f"reqparse argument {argument!r} has no name")
        locations = location if location is not None else argument.location
        if isinstance(locations, str):
            locations = (locations,)
        try:
            schema = _argument_schema(argument)
        except (TypeError, ValueError) as exc:
            raise OpenAPIError(f"reqparse argument {name!r}: {exc}") from exc
        targets = _targets(tuple(locations), verb, argument.type)
        # The parser takes the argument from whichever place has it: a
        # client sending a body sends it there (each body media type is one
        # way to send the body), and a parameter that is one of several
        # places is not required on its own.
        bodies = [target for target in targets if target in _BODY_TARGETS]
        required_in = bodies or (targets if len(targets) == 1 else [])
        for target in targets:
            required = bool(argument.required) and target in required_in
            value = schema
            if target == "json" and getattr(argument, "nullable", True):
                value = nullable(schema)
            placed.append(
                ParserArgument(
                    name,
                    target,
                    value,
                    required,
                    argument.help if isinstance(argument.help, str) else None,
                )
            )
    return placed


def _argument_schema(argument: t.Any) -> dict[str, t.Any]:
    schema = type_schema(argument.type)
    choices = argument.choices
    if choices:
        values = []
        for choice in choices:
            ok, value = json_value(choice)
            if ok:
                values.append(value)
        if values:
            schema["enum"] = values
    ok, default = json_value(argument.default)
    if ok and argument.default is not None and not argument.required:
        schema["default"] = default
    if argument.action == "append":
        return {"type": "array", "items": schema}
    return schema


def _targets(locations: tuple[str, ...], verb: str, kind: t.Any) -> list[Target]:
    """Where arguments read from ``locations`` are documented."""
    has_body = verb not in _BODYLESS
    targets: list[Target] = []

    def add(target: Target) -> None:
        if target not in targets:
            targets.append(target)

    for location in locations:
        if location in ("args", "query"):
            add("query")
        elif location == "values":
            # The query string and, on a verb with a body, the form.
            add("query")
            if has_body:
                add("form")
        elif location in ("json", "get_json"):
            # ``get_json`` is Flask-RESTX's other name for the JSON body.
            if has_body:
                add("json")
        elif location == "form":
            if has_body:
                add("files" if kind is FileStorage else "form")
        elif location == "files":
            if has_body:
                add("files")
        elif location == "headers":
            add("header")
        elif location == "cookies":
            add("cookie")
        # Anything else (view_args, a body on a GET) is not documented: the
        # URL's variables come from the rule, and clients send no such body.
    return targets
