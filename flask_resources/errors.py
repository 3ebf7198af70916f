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

from ._state import AppState, get_state
from ._utils import current_flask_app, current_request
from .exceptions import HTTPError

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

    from .api import Api

# A URL rule's variables; compiled by ``re`` at the first 404 that needs it.
_RULE_VARIABLES = r"<[^>]*>"


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
        return state.endpoints.get(rule.endpoint)
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        # The URL exists for other verbs: the owner is whoever routes those.
        owner = _sole_owner(app, state, req.path, e.valid_methods)
        if owner is not _UNKNOWN:
            return owner  # type: ignore[no-any-return]
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


_UNKNOWN = object()


def _sole_owner(
    app: Flask, state: AppState, path: str, methods: t.Iterable[str]
) -> t.Any:
    """The owner of a 405's URL when the rules say it without matching
    again: ``_UNKNOWN`` if they do not.

    The rules that could have routed the URL for another verb allow only
    methods among the 405's, and their URLs start with the text before
    their first variable. Grouped by owner (an Api or ``None``), that is
    built once per set of methods; a request then tries each group's
    starts at once. One group left is the owner; several, or a path whose
    double slashes Werkzeug merges before matching, need matching again.
    Flask accepts no new rule once the app has handled a request, which a
    405 needs; a resource added to an Api later rebuilds it.
    """
    key = frozenset(methods)
    cached = state.owners_by_methods.get(key)
    if cached is None or cached[0] != len(state.endpoints):
        groups: dict[Api | None, list[str]] = {}
        for rule in app.url_map.iter_rules():
            if rule.methods is not None and rule.methods <= key:
                start = rule.rule.split("<", 1)[0]
                groups.setdefault(state.endpoints.get(rule.endpoint), []).append(start)
        cached = (
            len(state.endpoints),
            tuple((owner, tuple(starts)) for owner, starts in groups.items()),
        )
        state.owners_by_methods[key] = cached
    if "//" in path:
        return _UNKNOWN
    found: t.Any = _UNKNOWN
    for owner, starts in cached[1]:
        if path.startswith(starts):
            if found is not _UNKNOWN:
                return _UNKNOWN
            found = owner
    return found


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


def describe(
    e: BaseException, *, trusted: bool = False, include_message: bool = True
) -> tuple[t.Any, int, Headers]:
    """Return the JSON body, status and headers that answer an exception.

    An :class:`~flask_resources.HTTPError` gives its own body. Any other
    HTTP exception gives ``{"message": description}``, unless it has a
    ``data`` attribute, as Flask-RESTful code sets on its own exceptions,
    which is the body then; its headers (``Allow`` on 405, a challenge on
    401) are kept. Anything else is a 500 whose message says nothing about
    the exception, unless ``trusted`` (the app named its class in the Api's
    ``errors`` mapping) and it carries a ``data`` attribute.

    :param include_message: ``False`` leaves the ``message`` out of the
        bodies made here (``{}``), as Flask-RESTX's
        ``ERROR_INCLUDE_MESSAGE = False`` does; a body given with the
        error is kept.
    """
    if isinstance(e, HTTPException):
        code = e.code or 500
        headers = Headers(
            [item for item in e.get_headers() if item[0] != "Content-Type"]
        )
        if isinstance(e, HTTPError):
            # An error raised without a body has no ``data`` attribute.
            if not include_message and not hasattr(e, "data"):
                return {}, code, headers
            return e.get_data(), code, headers
        data = getattr(e, "data", None)
        if data is None:
            message = e.description or HTTP_STATUS_CODES.get(code, "")
            data = {"message": message} if include_message else {}
        elif isinstance(data, dict):
            data = dict(data)
        return data, code, headers
    data = getattr(e, "data", None) if trusted else None
    if isinstance(data, dict):
        data = dict(data)
    elif data is None:
        data = {"message": HTTP_STATUS_CODES[500]} if include_message else {}
    return data, 500, Headers()


def help_on_404(message: str | None) -> str | None:
    """Append a "did you mean" hint naming routes close to the request path."""
    rules = {
        re.sub(_RULE_VARIABLES, "", rule.rule): rule.rule
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


#: App config key choosing the error body: ``"restful"`` (the default)
#: answers with Flask-RESTful's bodies, ``"problem"`` with RFC 9457 problem
#: details.
ERROR_FORMAT_KEY = "RESOURCES_ERROR_FORMAT"

#: The media type of a problem details body rendered as JSON.
PROBLEM_MEDIATYPE = "application/problem+json"

_ERROR_FORMATS = frozenset({"restful", "problem"})

# The members RFC 9457 defines, in the order a problem object lists them.
_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")


def problem_format(app: Flask | None = None) -> bool:
    """Whether the app (the current one by default) answers errors with
    problem details."""
    config = (app if app is not None else current_flask_app()).config
    value = config.get(ERROR_FORMAT_KEY) or "restful"
    if value not in _ERROR_FORMATS:
        raise ValueError(f"{ERROR_FORMAT_KEY} is {value!r}, not 'restful' or 'problem'")
    return bool(value == "problem")


def problem_details(data: t.Any, code: int) -> dict[str, t.Any]:
    """Turn a Flask-RESTful error body into an RFC 9457 problem object.

    ``message`` becomes ``detail``; a ``message`` mapping (the
    :class:`~flask_resources.reqparse.RequestParser` shape, field to text)
    and an ``errors`` member (the :func:`~flask_resources.use_args` shape)
    become the ``errors`` extension member. ``type``, ``title``, ``detail``
    and ``instance`` given to :func:`~flask_resources.abort` are kept;
    ``type`` defaults to ``about:blank``, ``title`` to the status phrase and
    ``instance`` to the request path. Other keys are extension members.

    :param data: the error body as :func:`describe` gives it.
    :param code: the response status.
    """
    title = HTTP_STATUS_CODES.get(code, "Unknown Error")
    problem: dict[str, t.Any] = {"type": "about:blank", "title": title}
    extensions: dict[str, t.Any] = {}
    if isinstance(data, dict):
        extensions = dict(data)
    elif data is not None:
        extensions = {"message": data}
    message = extensions.pop("message", None)
    errors = extensions.pop("errors", None)
    # The Api's `errors` mapping puts the status in the body; it is the code.
    extensions.pop("status", None)
    detail: str | None = None
    if isinstance(message, str):
        detail = message
    elif isinstance(message, dict):
        names = ", ".join(repr(str(name)) for name in message)
        detail = f"Invalid request arguments: {names}."
        if errors is None:
            errors = message
    elif message is not None:
        detail = str(message)
    if detail is not None and detail != title:
        problem["detail"] = detail
    problem["instance"] = request.path
    for member in ("type", "title", "detail", "instance"):
        # Only strings are members; anything else stays an extension.
        if isinstance(extensions.get(member), str):
            problem[member] = extensions.pop(member)
    problem["status"] = code
    ordered = {key: problem[key] for key in _PROBLEM_MEMBERS if key in problem}
    if errors is not None:
        ordered["errors"] = errors
    ordered.update(extensions)
    return ordered


#: What :func:`error_body_schema` describes: any error, a
#: :class:`~flask_resources.reqparse.RequestParser` failure, or a
#: :func:`~flask_resources.use_args` (or ``paginate``) failure.
ErrorSource: t.TypeAlias = t.Literal["any", "reqparse", "use_args"]

_MESSAGES_BY_LOCATION = {
    "type": "object",
    "description": "Messages by location (json, query, ...), then by field.",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}

_MESSAGE_BY_FIELD = {
    "type": "object",
    "description": "One message per invalid argument.",
    "additionalProperties": {"type": "string"},
}


def error_body_schema(
    source: ErrorSource = "any", *, problem: bool
) -> dict[str, t.Any]:
    """The JSON Schema of an error body, for the OpenAPI document.

    :param source: ``"reqparse"`` for Flask-RESTful's parser, whose body is
        ``{"message": {field: text}}``; ``"use_args"`` for
        :func:`~flask_resources.use_args`, :func:`~flask_resources.use_kwargs`
        and pagination, whose body is ``{"message": text, "errors":
        {location: {field: [text]}}}``; ``"any"`` for other errors.
    :param problem: describe the RFC 9457 body that
        ``RESOURCES_ERROR_FORMAT = "problem"`` gives instead.

    .. versionadded:: 0.1
    """
    errors = {"reqparse": _MESSAGE_BY_FIELD, "use_args": _MESSAGES_BY_LOCATION}.get(
        source
    )
    if problem:
        properties: dict[str, t.Any] = {
            "type": {"type": "string", "format": "uri-reference"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string", "format": "uri-reference"},
        }
        if errors is not None:
            properties["errors"] = errors
        return {
            "type": "object",
            "properties": properties,
            "required": ["type", "title", "status"],
        }
    if source == "reqparse":
        return {
            "type": "object",
            "properties": {"message": _MESSAGE_BY_FIELD},
            "required": ["message"],
        }
    properties = {"message": {"type": "string"}}
    if errors is not None:
        properties["errors"] = errors
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
    }
