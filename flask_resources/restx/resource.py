"""Flask-RESTX's ``Resource``: the core resource, given its Api, validating
the payloads its ``expect`` records ask for."""

from __future__ import annotations

import typing as t

from flask import current_app
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .. import operations
from .._utils import (
    current_request,
    is_pydantic_model,
    load_json_body,
    read_body,
)
from ..exceptions import abort
from ..resource import Resource as _CoreResource

if t.TYPE_CHECKING:
    from .api import Api

__all__ = ["Resource", "request_payload"]

#: The operation record key under which ``expect`` says whether to validate
#: (``True``, ``False`` or ``None`` for the default).
VALIDATE_KEY = "restx_validate"

#: Where :func:`request_payload` keeps the decoded body, in the WSGI environ.
_PAYLOAD_KEY = "flask_resources.restx.payload"


def request_payload() -> t.Any:
    """The current request's JSON body, decoded once per request.

    As Flask-RESTX's ``api.payload`` (``request.get_json()``): a request
    whose ``Content-Type`` is not JSON answers 415, a body that is not JSON
    400 ("Failed to decode JSON object: ..."). The body is read as the rest
    of flask-resources reads JSON: UTF-8 only, no lone surrogates, refused
    with 413 past ``MAX_CONTENT_LENGTH`` even when chunked.
    """
    req = current_request()
    environ = req.environ
    cached = environ.get(_PAYLOAD_KEY)
    if cached is not None:
        return cached[0]
    if not req.is_json:
        raise UnsupportedMediaType(
            "Did not attempt to load JSON data because the request"
            " Content-Type was not 'application/json'."
        )
    try:
        value = load_json_body(read_body(req), current_app.json.loads)
    except RecursionError:
        raise BadRequest(
            "Failed to decode JSON object: it is nested too deeply"
        ) from None
    except ValueError as exc:
        # UnicodeError and json's JSONDecodeError are ValueErrors.
        raise BadRequest(f"Failed to decode JSON object: {exc}") from None
    environ[_PAYLOAD_KEY] = (value,)
    return value


def _is_model(source: t.Any) -> bool:
    """Whether ``source`` is a model (something with a JSON Schema and a
    ``validate`` method), as opposed to a request parser."""
    # Asked of the class: a model's ``__schema__`` is a property that builds
    # the whole schema, which would cost more than validating.
    kind = type(source)
    return hasattr(kind, "__schema__") and callable(getattr(kind, "validate", None))


class Resource(_CoreResource):
    """A Flask-RESTX resource: define ``get``, ``post``, ... and route it
    with ``@api.route`` or ``@ns.route``.

    It is constructed with the Api first, then the route's
    ``resource_class_args`` and ``resource_class_kwargs``, and keeps the Api
    as :attr:`api`. Before a verb runs, the payload is validated against the
    model its ``expect`` names, when validation is on for it (see
    :meth:`validate_payload`)::

        @ns.route("/cats")
        class Cats(Resource):
            @ns.expect(cat_model, validate=True)
            def post(self):
                return create_cat(ns.payload), 201

    :param api: the Api the resource is routed by.
    """

    def __init__(self, api: Api | None = None, *args: t.Any, **kwargs: t.Any) -> None:
        #: The Api this resource is routed by (``None`` when constructed by
        #: hand).
        self.api = api

    def dispatch_request(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Validate the payload (:meth:`validate_payload`), then call the verb
        as :meth:`flask_resources.Resource.dispatch_request` does."""
        verb = current_request().method.lower()
        meth = getattr(self, verb, None)
        if meth is None and verb == "head":
            meth = getattr(self, "get", None)
        if meth is not None:
            self.validate_payload(meth)
        return super().dispatch_request(*args, **kwargs)

    def validate_payload(self, func: t.Callable[..., t.Any]) -> None:
        """Validate the request's JSON body against the models ``func``
        expects, when validation is on for it.

        The model comes from ``expect`` (``@ns.expect(model)``, or
        ``[model]`` for a list of them, where a single object is taken as a
        list of one). Validation is on when ``expect`` said
        ``validate=True``; when it said nothing, when the resource's
        namespace was made with ``validate=True``; when that said nothing
        too, when the Api was, else when the ``RESTX_VALIDATE`` config key
        is true. An invalid payload answers 400 with
        ``{"errors": {...}, "message": "Input payload validation failed"}``.

        A pydantic model works as a model here (the payload is checked, and
        ``ns.payload`` stays the decoded JSON); its errors are keyed by
        dotted path, as a model's are.

        .. versionchanged:: 0.2
            ``expect`` takes a pydantic model.
        """
        record = operations.get_operation(func)
        if record is None:
            return
        expected: list[tuple[t.Any, bool]] = []
        for arguments in record.arguments:
            source = arguments.source
            if isinstance(source, (list, tuple)) and len(source) == 1:
                if _is_model(source[0]) or is_pydantic_model(source[0]):
                    expected.append((source[0], True))
            elif _is_model(source) or is_pydantic_model(source):
                expected.append((source, False))
        if not expected:
            return
        validate = record.extensions.get(VALIDATE_KEY)
        if validate is None:
            validate = self._validate_by_default()
        if not validate:
            return
        data = request_payload()
        api = self.api
        resolver = api.refresolver if api is not None else None
        format_checker = api.format_checker if api is not None else None
        for model, collection in expected:
            items = data if collection and isinstance(data, list) else [data]
            for item in items:
                if is_pydantic_model(model):
                    _check_pydantic(model, item)
                else:
                    model.validate(item, resolver, format_checker)

    def _validate_by_default(self) -> bool:
        api = self.api
        if api is not None:
            namespace = api.namespace_of(type(self))
            if namespace is not None and namespace.validate is not None:
                return bool(namespace.validate)
            if api.validate is not None:
                return bool(api.validate)
        return bool(current_app.config.get("RESTX_VALIDATE", False))


def _check_pydantic(model: t.Any, data: t.Any) -> None:
    """Answer Flask-RESTX's 400 when ``data`` does not fit a pydantic model;
    the messages never repeat the input."""
    from ..pydantic import problems
    from .model import VALIDATION_MESSAGE

    found = problems(model, data)
    if found:
        errors = {".".join(map(str, path)) or "": message for path, message in found}
        abort(400, errors=errors, message=VALIDATION_MESSAGE)
