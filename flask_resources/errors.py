"""Turn exceptions raised in API routes into JSON error responses.

The handlers are registered with Flask's public
:meth:`~flask.Flask.register_error_handler`, for :class:`Exception` and
:class:`~werkzeug.exceptions.HTTPException`, only where the app has no
handler of its own for those classes. Flask consults more specific
handlers first (a status code, a subclass, a blueprint's), so the app's
own ``errorhandler`` functions keep winning over ours.
"""

from __future__ import annotations

import difflib
import re
import typing as t

from flask import current_app, request
from flask.globals import request_ctx
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import HTTP_STATUS_CODES

from ._state import get_state
from ._utils import current_flask_app, current_request
from .exceptions import HTTPError

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

    from .api import Api

_RULE_VARIABLES = re.compile(r"<[^>]*>")


def register_handlers(app: Flask) -> None:
    """Register :func:`handle_exception` on the app for the classes it has
    no handler of its own for; done once, when the first Api is bound."""
    app_handlers = app.error_handler_spec[None][None]
    for exc_class in (HTTPException, Exception):
        if exc_class not in app_handlers:
            app.register_error_handler(exc_class, handle_exception)


def owning_api(e: BaseException) -> Api | None:
    """Return the Api whose route the current request was for, if any."""
    app = current_flask_app()
    state = get_state(app)
    if state is None:
        return None
    req = current_request()
    rule = req.url_rule
    if rule is not None:
        return state.endpoints.get(t.cast(str, rule.endpoint))
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        # The URL exists for other verbs: the owner is whoever routes those.
        # Match again with the adapter Flask routed the request with.
        adapter = t.cast(t.Any, request_ctx)._get_current_object().url_adapter
        if adapter is None:
            adapter = app.create_url_adapter(req)
        try:
            matched, _ = adapter.match(
                method=next(iter(e.valid_methods)), return_rule=True
            )
        except HTTPException:
            # Werkzeug checks the verb before the URL converters, so a URL
            # no converter takes (``/items/<int:id>`` with 5000 digits) is
            # a 405 for the wrong verb and a 404 for the right one: no rule
            # routes it, and it is the catch-all's, as a 404 would be.
            pass
        else:
            return state.endpoints.get(t.cast(str, matched.endpoint))
    elif not (isinstance(e, NotFound) or e is req.routing_exception):
        # Routing failures other than 404 (a Host header Werkzeug cannot
        # bind answers 400) are the catch-all's too: no rule is there to own
        # them.
        return None
    for api in state.apis:
        if api.catch_all_404s:
            return api
    return None


def handle_exception(e: Exception) -> ResponseReturnValue:
    """The error handler registered on the app.

    Errors in an Api's routes go to that Api's
    :meth:`~flask_resources.Api.handle_error`. Anything else gets Flask's
    own treatment: HTTP errors render Flask's HTML page and other
    exceptions are re-raised for Flask's 500 handling.
    """
    api = owning_api(e)
    if api is not None:
        return api.handle_error(e)
    if isinstance(e, HTTPException):
        return e
    raise e


def describe(e: BaseException, *, trusted: bool = False) -> tuple[t.Any, int, Headers]:
    """Return the JSON body, status and headers that answer an exception.

    An :class:`~flask_resources.HTTPError` gives its own body. Any other
    HTTP exception gives ``{"message": description}``, unless it has a
    ``data`` attribute, as Flask-RESTful code sets on its own exceptions,
    which is the body then; its headers (``Allow`` on 405, a challenge on
    401) are kept. Anything else is a 500 whose message says nothing about
    the exception, unless ``trusted`` (the app named its class in the Api's
    ``errors`` mapping) and it carries a ``data`` attribute.
    """
    if isinstance(e, HTTPException):
        code = e.code or 500
        headers = Headers(e.get_headers())
        headers.remove("Content-Type")
        if isinstance(e, HTTPError):
            return e.get_data(), code, headers
        data = getattr(e, "data", None)
        if data is None:
            data = {"message": e.description or HTTP_STATUS_CODES.get(code, "")}
        elif isinstance(data, dict):
            data = dict(data)
        return data, code, headers
    data = getattr(e, "data", None) if trusted else None
    if isinstance(data, dict):
        data = dict(data)
    elif data is None:
        data = {"message": HTTP_STATUS_CODES[500]}
    return data, 500, Headers()


def help_on_404(message: str | None) -> str | None:
    """Append a "did you mean" hint naming routes close to the request path."""
    rules = {
        _RULE_VARIABLES.sub("", rule.rule): rule.rule
        for rule in current_app.url_map.iter_rules()
    }
    matches = difflib.get_close_matches(request.path, list(rules))
    if not matches:
        return message
    prefix = message.rstrip(".") + ". " if message else ""
    return (
        f"{prefix}You have requested this URI [{request.path}] but did you mean "
        + " or ".join(rules[match] for match in matches)
        + " ?"
    )
