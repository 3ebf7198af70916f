"""URL rule variables (Werkzeug converters) as OpenAPI path parameters."""

from __future__ import annotations

import re
import typing as t

from werkzeug.routing import (
    AnyConverter,
    BaseConverter,
    IntegerConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
)
from werkzeug.routing.converters import NumberConverter
from werkzeug.routing.rules import parse_converter_args

if t.TYPE_CHECKING:
    from werkzeug.routing import Map, Rule

# The variable syntax of a Werkzeug rule: ``<converter(args):name>``.
_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)


def openapi_path(rule: str) -> str:
    """``/cats/<int:cat_id>`` as ``/cats/{cat_id}``."""
    return _VARIABLE.sub(lambda m: "{" + m["name"] + "}", rule)


def rule_parameters(rule: Rule, url_map: Map) -> list[dict[str, t.Any]]:
    """The path parameters of a rule, in the order they appear."""
    parameters = []
    for match in _VARIABLE.finditer(rule.rule):
        name = match["name"]
        converter_name = match["converter"] or "default"
        args_text = match["args"]
        args, kwargs = parse_converter_args(args_text) if args_text else ((), {})
        converter_class = url_map.converters[converter_name]
        converter = converter_class(url_map, *args, **kwargs)
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": converter_schema(converter, kwargs),
            }
        )
    return parameters


def converter_schema(
    converter: BaseConverter, kwargs: t.Mapping[str, t.Any] | None = None
) -> dict[str, t.Any]:
    """The JSON Schema of the values a converter accepts.

    A converter class may say its own with an ``openapi_schema`` class
    attribute (a dict); one the package does not know is described by its
    regular expression.
    """
    kwargs = kwargs or {}
    own = getattr(converter, "openapi_schema", None)
    if isinstance(own, t.Mapping):
        return dict(own)
    schema: dict[str, t.Any]
    if isinstance(converter, NumberConverter):
        schema = {
            "type": "integer" if isinstance(converter, IntegerConverter) else "number"
        }
        minimum = converter.min
        if minimum is None and not converter.signed:
            minimum = 0
        if minimum is not None:
            schema["minimum"] = minimum
        if converter.max is not None:
            schema["maximum"] = converter.max
    elif isinstance(converter, UUIDConverter):
        schema = {"type": "string", "format": "uuid"}
    elif isinstance(converter, AnyConverter):
        items = _any_items(converter)
        schema = {"type": "string", "enum": items} if items else {"type": "string"}
    elif isinstance(converter, PathConverter):
        schema = {"type": "string"}
    elif isinstance(converter, UnicodeConverter):
        schema = {"type": "string", "minLength": 1}
        length = kwargs.get("length")
        if length is not None:
            schema["minLength"] = schema["maxLength"] = int(length)
        else:
            if kwargs.get("minlength") is not None:
                schema["minLength"] = int(kwargs["minlength"])
            if kwargs.get("maxlength") is not None:
                schema["maxLength"] = int(kwargs["maxlength"])
    else:
        schema = {"type": "string", "pattern": f"^{converter.regex}$"}
    return schema


def _any_items(converter: AnyConverter) -> list[str]:
    # AnyConverter keeps only its regex ``(?:a|b|c)``; read the items back.
    match = re.fullmatch(r"\(\?:(.*)\)", converter.regex)
    if match is None:
        return []
    return [re.sub(r"\\(.)", r"\1", item) for item in match[1].split("|")]
