"""Small JSON Schema helpers shared by the converters."""

from __future__ import annotations

import json
import typing as t

_ANY_TYPE_KEYWORDS = frozenset(
    ("enum", "const", "$ref", "allOf", "anyOf", "oneOf", "not", "if")
)


def nullable(schema: dict[str, t.Any]) -> dict[str, t.Any]:
    """``schema`` that also accepts ``null`` (OpenAPI 3.1 spelling)."""
    if not schema:
        return schema  # ``{}`` already accepts anything.
    kind = schema.get("type")
    # Other keywords apply only to values of their own type, except these.
    if isinstance(kind, str) and not _ANY_TYPE_KEYWORDS & set(schema):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def json_value(value: t.Any) -> tuple[bool, t.Any]:
    """``(True, value)`` when ``value`` can appear in a JSON document."""
    if callable(value):
        return False, None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False, None
    return True, value
