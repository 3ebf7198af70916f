"""Flask-RESTX's small helpers: ``merge``, ``camel_to_dash``, ``unpack``..."""

from __future__ import annotations

import re
import typing as t
from collections import OrderedDict
from collections.abc import Callable, Mapping
from copy import deepcopy

from werkzeug.wrappers import Response

from ._http import HTTPStatus

__all__ = (
    "BaseResponse",
    "camel_to_dash",
    "default_id",
    "import_check_view_func",
    "merge",
    "not_none",
    "not_none_sorted",
    "unpack",
)

#: Werkzeug's response class, under the name Werkzeug 1 gave it.
BaseResponse = Response

# A capital starting a word after anything, then a capital after a lower-case
# letter or a digit: "HTTPResponseCode" -> "HTTP_Response_Code".
_WORD = re.compile(r"(.)([A-Z][a-z]+)")
_HUMP = re.compile(r"([a-z0-9])([A-Z])")


class FlaskCompatibilityWarning(DeprecationWarning):
    """Flask-RESTX's warning about Flask versions; kept for code that
    filters it. flask-resources never raises it."""


def import_werkzeug_response() -> type[Response]:
    """Return Werkzeug's response class."""
    return Response


def merge(first: dict[str, t.Any], second: t.Any) -> t.Any:
    """Merge ``second`` into a deep copy of ``first``, dicts recursively.

    A value of ``second`` wins over the one of ``first``, unless both are
    dicts, which are merged the same way. Neither argument is changed.

    :return: the merged dict, or ``second`` itself if it is not a dict.
    """
    if not isinstance(second, dict):
        return second
    merged = deepcopy(first)
    for key, value in second.items():
        current = merged.get(key)
        if isinstance(current, dict):
            merged[key] = merge(current, value)
        else:
            merged[key] = deepcopy(value)
    return merged


def camel_to_dash(value: str) -> str:
    """Turn ``CamelCase`` into ``camel_case``."""
    return _HUMP.sub(r"\1_\2", _WORD.sub(r"\1_\2", value)).lower()


def default_id(resource: str, method: str) -> str:
    """Flask-RESTX's operation id: ``get_todo_list`` for ``("TodoList", "get")``."""
    return f"{method}_{camel_to_dash(resource)}"


def not_none(data: Mapping[t.Any, t.Any]) -> dict[t.Any, t.Any]:
    """A copy of ``data`` without the keys whose value is ``None``."""
    return {key: value for key, value in data.items() if value is not None}


def not_none_sorted(data: Mapping[t.Any, t.Any]) -> OrderedDict[t.Any, t.Any]:
    """:func:`not_none`, with the keys sorted."""
    return OrderedDict(
        (key, value) for key, value in sorted(data.items()) if value is not None
    )


def unpack(
    response: t.Any, default_code: int = HTTPStatus.OK
) -> tuple[t.Any, int, t.Any]:
    """Split a view's return value into ``(data, code, headers)``.

    Takes ``data``, ``(data,)``, ``(data, code)`` or ``(data, code,
    headers)``; a missing or ``None`` code is ``default_code``. Unlike
    flask-resources' own unpacking, a 2-tuple is always ``(data, code)``:
    return a list, not a tuple, as data.

    :raises ValueError: for a tuple of another length.
    """
    if not isinstance(response, tuple):
        return response, default_code, {}
    if len(response) == 1:
        return response[0], default_code, {}
    if len(response) == 2:
        return response[0], response[1], {}
    if len(response) == 3:
        data, code, headers = response
        return data, code or default_code, headers
    raise ValueError("Too many response values")


def to_view_name(view_func: Callable[..., t.Any] | None) -> str:
    """The default endpoint of a view function: its name.

    :raises AssertionError: if ``view_func`` is ``None``, as Flask's own
        helper does.
    """
    if view_func is None:
        raise AssertionError("expected view func if endpoint is not provided.")
    return view_func.__name__


def import_check_view_func() -> Callable[[Callable[..., t.Any] | None], str]:
    """Return the function naming a view's default endpoint.

    Flask-RESTX looked for Flask's private helper, whose place changes
    between Flask versions; this returns :func:`to_view_name`, which does
    what it does.
    """
    return to_view_name
