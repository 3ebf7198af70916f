"""Small private helpers used on the request path."""

from __future__ import annotations

import functools
import re
import sys
import typing as t
from collections.abc import Callable, Mapping

from flask import current_app, request
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import LimitedStream

from .typing import HeadersValue

if t.TYPE_CHECKING:
    import flask
    from _typeshed.wsgi import WSGIEnvironment

#: The WSGI environ key under which the Api leaves ``(response, its body
#: list, the structure rendered)`` when one of its JSON representations
#: renders: response validation checks that structure first.
RENDERED_KEY = "flask_resources.rendered"


def current_request() -> flask.Request:
    """The request being handled, unwrapped from Flask's ``request`` proxy.

    Each attribute read through the proxy costs about a microsecond (the
    failed class lookup before its ``__getattr__``); the hot paths unwrap
    it once and read the object (issue 15).
    """
    # Not through ``t.cast``: a function call, on every request.
    return request._get_current_object()  # type: ignore[attr-defined,no-any-return]


def current_flask_app() -> flask.Flask:
    """The current app, unwrapped from Flask's ``current_app`` proxy."""
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


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


@functools.cache
def _surrogate_escape() -> re.Pattern[bytes]:
    """A JSON escape of a UTF-16 surrogate; only bodies holding one are
    walked. Compiled at the first body with an escape, not at import."""
    return re.compile(rb"\\u[dD][89a-fA-F]")


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
    if b"\\u" in raw and _surrogate_escape().search(raw) is not None:
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


# Set in the WSGI environ once the end of a body without Content-Length has
# been checked: True when the body was longer than the limit.
_OVERLONG_KEY = "flask_resources.body_overlong"


def read_body(request: Request) -> bytes:
    """Return the request body, whole, or raise 413.

    The one way every body reader of the package reads a body: like
    ``request.get_data(cache=True)``, but a body longer than
    ``MAX_CONTENT_LENGTH`` is refused even when it comes without a
    ``Content-Length`` (chunked), where Werkzeug stops reading at the limit
    and returns the first part as if it were the whole body.

    :param request: the request to read.
    :raises werkzeug.exceptions.RequestEntityTooLarge: the body is longer
        than the request's ``max_content_length``.
    """
    data = request.get_data(cache=True)
    check_body_length(request)
    return data


def check_body_length(request: Request) -> None:
    """Raise 413 if the body read so far stopped at ``MAX_CONTENT_LENGTH``
    with more of it still to come.

    Call it after anything that read the body (``request.get_data()``,
    ``request.form``, ``request.files``, ``request.stream``). A body with a
    ``Content-Length`` over the limit is refused by Werkzeug itself before it
    is read. One without (``Transfer-Encoding: chunked``, where the server
    sets ``wsgi.input_terminated``) is read through a
    :class:`~werkzeug.wsgi.LimitedStream` that ends quietly at the limit:
    gunicorn and Werkzeug's development server hand on chunked bodies so.
    When what was read reached the limit, this reads one byte more from the
    server's stream: any byte means the body was longer, and it answers 413.
    The check is made once per request; it costs nothing for bodies shorter
    than the limit.

    :param request: the request whose body was read.
    :raises werkzeug.exceptions.RequestEntityTooLarge: the body is longer
        than the request's ``max_content_length``.
    """
    environ = request.environ
    overlong = environ.get(_OVERLONG_KEY)
    if overlong is None:
        if "wsgi.input_terminated" not in environ or "CONTENT_LENGTH" in environ:
            return
        limit = request.max_content_length
        if limit is None or request.content_length is not None:
            return
        state = request.__dict__
        stream = state.get("stream")
        cached = state.get("_cached_data")
        reached = (isinstance(stream, LimitedStream) and stream.is_exhausted) or (
            cached is not None and len(cached) >= limit
        )
        if not reached:
            return
        # Werkzeug's stream would answer 413 to any read past the limit, even
        # at the very end of a body exactly as long as the limit: ask the
        # server's own stream, which ends where the body does.
        overlong = environ[_OVERLONG_KEY] = bool(environ["wsgi.input"].read(1))
    if overlong:
        raise RequestEntityTooLarge()


def is_pydantic_model(source: object) -> bool:
    """Whether ``source`` is a pydantic model class or ``list[Model]``.

    Answers without importing pydantic or :mod:`flask_resources.pydantic`:
    no model exists before something imported ``pydantic.main``. Every
    place that takes a marshmallow schema asks this first.
    """
    main = sys.modules.get("pydantic.main")
    if main is None:
        return False
    base = getattr(main, "BaseModel", None)
    if base is None:
        return False
    if t.get_origin(source) is list:
        args = t.get_args(source)
        source = args[0] if len(args) == 1 else None
    return isinstance(source, type) and issubclass(source, base)


# Response class -> its subclass that hands a buffered body to the server as
# a list; filled on first use per class (two threads may both build one, and
# either serves).
_BUFFERED_CLASSES: dict[type[Response], type[Response]] = {}


def buffered_response_class(cls: type[Response]) -> type[Response]:
    """A subclass of ``cls`` whose WSGI body is its list of bytes itself,
    when nothing is left to do on close (issue 27).

    Werkzeug hands a server every body wrapped in a ``ClosingIterator``, so
    that ``close()`` runs ``call_on_close`` callbacks after the last byte.
    A server then iterates it from outside Python (granian calls
    ``__next__`` and ``close`` from Rust, taking the GIL for each). A JSON
    representation's body is one ``bytes`` in a list, and without
    callbacks ``close()`` does nothing: the list is the same body, which
    granian sends in one call. Anything else (a stream, callbacks, HEAD,
    204) goes through Werkzeug as before, checked when the server asks,
    after every ``after_request`` function ran.
    """
    buffered = _BUFFERED_CLASSES.get(cls)
    if buffered is None:

        def get_app_iter(self: Response, environ: WSGIEnvironment) -> t.Iterable[bytes]:
            body = self.response
            if (
                type(body) is list
                and not self._on_close
                and len(body) == 1
                and type(body[0]) is bytes
                and not self.direct_passthrough
                and 200 <= self.status_code
                and self.status_code not in (204, 304)
                and environ["REQUEST_METHOD"] != "HEAD"
            ):
                return body
            return cls.get_app_iter(self, environ)

        def __reduce_ex__(self: Response, protocol: t.SupportsIndex) -> t.Any:
            # Pickled (a response cache, ``copy``) as an instance of ``cls``,
            # which pickle can find by name where it cannot find this class.
            return (_rebuilt_response, (cls, self.__dict__))

        namespace = {
            "get_app_iter": get_app_iter,
            "__reduce_ex__": __reduce_ex__,
            "__module__": cls.__module__,
        }
        made = type(cls.__name__, (cls,), namespace)
        buffered = _BUFFERED_CLASSES.setdefault(cls, made)
    return buffered


def _rebuilt_response(cls: type[Response], state: dict[str, t.Any]) -> Response:
    """Unpickle a response of :func:`buffered_response_class` as ``cls``."""
    response = cls.__new__(cls)
    response.__dict__.update(state)
    return response
