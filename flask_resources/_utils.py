"""Small private helpers used on the request path."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from werkzeug.datastructures import Headers

from .typing import HeadersValue


def unpack(value: t.Any) -> tuple[t.Any, int, HeadersValue]:
    """Split a resource method's return value into ``(body, status, headers)``.

    Accepts ``body``, ``(body, status)``, ``(body, status, headers)`` and, as
    Flask's own views do, ``(body, headers)``. Anything else is a body with
    status 200, as in Flask-RESTful.
    """
    if type(value) is not tuple:
        return value, 200, {}
    size = len(value)
    if size == 3:
        return value[0], value[1], value[2]
    if size == 2:
        second = value[1]
        if isinstance(second, (Headers, Mapping, list)):
            return value[0], 200, second
        return value[0], second, {}
    return value, 200, {}
