"""Small private helpers used on the request path."""

from __future__ import annotations

import re
import typing as t
from collections.abc import Callable, Mapping

from flask import current_app, request
from werkzeug.datastructures import Headers

from .typing import HeadersValue

if t.TYPE_CHECKING:
    from flask import Flask, Request


def current_request() -> Request:
    """The request being handled, unwrapped from Flask's ``request`` proxy.

    Each attribute read through the proxy costs about a microsecond (the
    failed class lookup before its ``__getattr__``); the hot paths unwrap
    it once and read the object (issue 15).
    """
    return t.cast(t.Any, request)._get_current_object()  # type: ignore[no-any-return]


def current_flask_app() -> Flask:
    """The current app, unwrapped from Flask's ``current_app`` proxy."""
    return t.cast(t.Any, current_app)._get_current_object()  # type: ignore[no-any-return]


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


#: The content types Werkzeug parses into ``request.form``.
FORM_MIMETYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})

_JSON_KINDS = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def json_kind(value: t.Any) -> str:
    """Name the JSON type of a decoded value for an error message
    (``"an array"``, ``"null"``); other Python types by their class name."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


# A JSON escape of a UTF-16 surrogate; only bodies holding one are walked.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def load_json_body(raw: bytes, loads: Callable[[str], t.Any]) -> t.Any:
    """Decode a request body as JSON, the one way both parsers read it.

    The body must be UTF-8 text (RFC 8259, section 8.1): no other encoding,
    no encoded surrogates, and no escaped lone surrogate (``"\\ud800"``),
    which decodes to a string that cannot be encoded again, so it would fail
    later when written to a database, a log or a response.

    :param raw: the body.
    :param loads: the JSON decoder, such as ``current_app.json.loads``.
    :raises UnicodeError: the body is not UTF-8 text.
    :raises RecursionError: the body is nested deeper than the decoder goes.
    :raises ValueError: the body is malformed JSON.
    """
    data = loads(raw.decode("utf-8"))
    if _SURROGATE_ESCAPE.search(raw) is not None:
        _check_text(data)
    return data


def _check_text(data: t.Any) -> None:
    """Raise :exc:`UnicodeEncodeError` if a string in ``data`` is not UTF-8.

    Walked with a stack: the data may be nested as deep as the decoder went.
    """
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
