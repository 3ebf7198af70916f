"""Where a request's arguments come from: each location read once, on demand."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from flask import json as flask_json
from werkzeug.formparser import FormDataParser
from werkzeug.wrappers import Request

from .._utils import (
    FORM_MIMETYPES,
    check_body_length,
    current_flask_app,
    json_kind,
    load_json_body,
    read_body,
)
from ..exceptions import abort

# How a 400 for a JSON body that does not decode begins, as in Flask-RESTful.
_DECODE_FAILED = "Failed to decode JSON object"

# The locations read from the body, besides ``json`` (see _json_body).
_BODY_LOCATIONS = frozenset({"form", "values", "files", "data"})


def _json_body(req: t.Any) -> t.Any:
    """Return the request's JSON object, or ``None`` if it has no JSON body.

    Flask-RESTful read ``request.json``, which since Flask 2.1 answers 415
    to every request that is not JSON, and let malformed or non-object
    bodies through to an HTML error page or a 500. The body is decoded as
    :func:`~flask_resources.schemas.use_args` decodes it, so deep nesting,
    other encodings than UTF-8 and lone surrogates answer 400 here too.
    """
    if not isinstance(req, Request):
        # A stand-in request object, as Flask-RESTful allowed.
        body = getattr(req, "json", None)
    else:
        # An empty body under a JSON content type is no body, not bad JSON.
        if not req.is_json:
            return None
        raw = read_body(req)
        if not raw:
            return None
        try:
            body = load_json_body(raw, _json_loads())
        except UnicodeError:
            abort(400, message=f"{_DECODE_FAILED}: the body is not valid UTF-8")
        except RecursionError:
            abort(400, message=f"{_DECODE_FAILED}: the body is nested too deeply")
        except ValueError as e:
            abort(400, message=f"{_DECODE_FAILED}: {e}")
    if body is None and not isinstance(req, Request):
        return None
    if not isinstance(body, Mapping):
        abort(400, message=f"The JSON body must be an object, not {json_kind(body)}.")
    return body


def _json_loads() -> t.Callable[[str], t.Any]:
    """The current app's JSON decoder, as ``flask.json.loads`` would use,
    looked up through the ``current_app`` proxy once."""
    try:
        return current_flask_app().json.loads
    except RuntimeError:  # no application context
        return flask_json.loads


class _Sources(dict[str, tuple[t.Any, bool]]):
    """Each location of one request, read the first time it is asked for.

    Values are ``(data, multi)``: ``multi`` tells a multi-dict (looked up
    with ``getlist``) from a plain mapping such as the JSON body.
    """

    __slots__ = ("request",)

    def __init__(self, request: t.Any) -> None:
        # Starts empty: ``dict.__init__`` has nothing to do.
        self.request = request

    def __missing__(self, location: str) -> tuple[t.Any, bool]:
        request = self.request
        if location == "get_json":
            # Flask-RESTX's other name for the JSON body: read it once.
            entry = self["get_json"] = self["json"]
            return entry
        if location == "json":
            data = _json_body(request)
        elif location in ("values", "form") and _form_is_empty(request):
            # Loading the form costs more than the rest of a parse; skip it
            # when it cannot hold anything. ``values`` is then the query.
            data = _query(request) if location == "values" else None
        else:
            data = getattr(request, location, None)
            if callable(data):
                data = data()
            if location in _BODY_LOCATIONS and isinstance(request, Request):
                check_body_length(request)
        entry = _entry(data)
        self[location] = entry
        return entry


def _form_is_empty(request: t.Any) -> bool:
    """Whether ``request.form`` is sure to be empty without loading it."""
    return (
        isinstance(request, Request)
        and "form" not in request.__dict__
        and request.form_data_parser_class is FormDataParser
        and request.mimetype not in FORM_MIMETYPES
    )


def _query(request: Request) -> t.Any:
    """``request.args``, without parsing an empty query string."""
    if "args" in request.__dict__ or request.environ.get("QUERY_STRING"):
        return request.args
    return None


def _entry(data: t.Any) -> tuple[t.Any, bool]:
    if data is None:
        return None, False
    if type(data) is dict:  # a JSON body; spares the failing ``hasattr`` below
        return data, False
    if hasattr(data, "getlist"):
        return data, True
    if isinstance(data, Mapping):
        return data, False
    return None, False
