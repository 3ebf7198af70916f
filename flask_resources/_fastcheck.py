"""A fast "is this valid" answer from jsonschema-rs, when the speed extra has it."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Mapping

__all__ = ["fast_check"]


def fast_check(schema: Mapping[str, t.Any]) -> Callable[[t.Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for ``schema``, when it is installed
    (the ``speed`` extra) and can stand in for jsonschema: formats are not
    checked and every reference points inside the schema; else ``None``.

    It only answers "valid" fast: a value it refuses, or cannot read (a
    Python object that is not JSON), gets ``False``, and the caller asks
    jsonschema again, whose errors are the ones reported and which has the
    last word. Checking a valid value so takes a small part of the time.
    """
    if not _local_refs_only(schema):
        return None
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        fast = jsonschema_rs.validator_for(dict(schema), validate_formats=False)
    except Exception:  # A schema it does not take: jsonschema alone checks.
        return None

    def is_valid(value: t.Any) -> bool:
        try:
            return bool(fast.is_valid(value))
        except Exception:  # A value it cannot read: jsonschema decides.
            return False

    return is_valid


def _local_refs_only(schema: t.Any) -> bool:
    """Whether every reference in ``schema`` is to a part of it."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in ("$dynamicRef", "$recursiveRef", "$id"):
                    return False
                if key == "$ref" and not (
                    isinstance(value, str) and value.startswith("#")
                ):
                    return False
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return True
