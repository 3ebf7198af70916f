"""``crossdomain``: Flask-RESTful's decorator adding CORS headers to a view."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import update_wrapper

from flask import current_app, make_response, request

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

F = t.TypeVar("F", bound=Callable[..., t.Any])


def _join(value: str | Iterable[str] | None, *, upper: bool = False) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = ", ".join(value)
    return value.upper() if upper else value


def crossdomain(
    origin: str | Iterable[str] | None = None,
    methods: str | Iterable[str] | None = None,
    headers: str | Iterable[str] | None = None,
    expose_headers: str | Iterable[str] | None = None,
    max_age: int | float | timedelta = 21600,
    attach_to_all: bool = True,
    automatic_options: bool = True,
    credentials: bool = False,
) -> Callable[[F], F]:
    """Add ``Access-Control-*`` headers to a view's responses.

    Typically given to every view of an Api::

        api = Api(app, decorators=[cors.crossdomain(origin="*")])

    :param origin: the allowed origin(s) (``Access-Control-Allow-Origin``).
    :param methods: the allowed methods; the view's ``Allow`` header when
        not given.
    :param headers: the request headers a client may send.
    :param expose_headers: the response headers a client may read.
    :param max_age: how long a preflight answer may be cached, in seconds.
    :param attach_to_all: add the headers to every response, not only to
        ``OPTIONS`` preflight answers.
    :param automatic_options: answer ``OPTIONS`` with Flask's default
        options response instead of calling the view.
    :param credentials: allow credentials
        (``Access-Control-Allow-Credentials: true``).

    .. versionadded:: 0.1
    """
    allowed_methods = _join(methods, upper=True)
    allowed_headers = _join(headers, upper=True)
    exposed_headers = _join(expose_headers, upper=True)
    allowed_origin = _join(origin)
    if isinstance(max_age, timedelta):
        max_age = max_age.total_seconds()
    max_age_value = str(int(max_age))

    def decorator(view: F) -> F:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
            if automatic_options and request.method == "OPTIONS":
                resp = current_app.make_default_options_response()
            else:
                resp = make_response(view(*args, **kwargs))
            if not attach_to_all and request.method != "OPTIONS":
                return resp
            cors = resp.headers
            if allowed_origin is not None:
                cors["Access-Control-Allow-Origin"] = allowed_origin
            cors["Access-Control-Allow-Methods"] = allowed_methods or (
                current_app.make_default_options_response().headers.get("Allow", "")
            )
            cors["Access-Control-Max-Age"] = max_age_value
            if credentials:
                cors["Access-Control-Allow-Credentials"] = "true"
            if allowed_headers is not None:
                cors["Access-Control-Allow-Headers"] = allowed_headers
            if exposed_headers is not None:
                cors["Access-Control-Expose-Headers"] = exposed_headers
            return resp

        update_wrapper(wrapper, view)
        # The wrapper answers OPTIONS itself, so Flask must route OPTIONS to
        # it. Flask-RESTful only switched Flask's own answer off, which left
        # preflight requests to views with known methods a 405.
        wrapper.provide_automatic_options = False  # type: ignore[attr-defined]
        view_methods = getattr(view, "methods", None)
        if view_methods is not None:
            routed = set(view_methods)
            if automatic_options:
                routed.add("OPTIONS")
            wrapper.methods = routed  # type: ignore[attr-defined]
        return t.cast(F, wrapper)

    return decorator
