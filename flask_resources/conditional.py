"""Conditional requests (RFC 9110, section 13): ``ETag``, ``Last-Modified``,
304 Not Modified, 412 Precondition Failed and 428 Precondition Required.

A resource opts in with class attributes and hooks, which the
:class:`~flask_resources.Api` reads once, when the resource is added; a
resource that does not opt in is dispatched exactly as before::

    class Cat(Resource):
        etag = True              # ETag on GET/HEAD, 304 on If-None-Match
        require_if_match = True  # 428 on PUT/PATCH/DELETE without If-Match

        def current_etag(self, cat_id):
            # The ETag a GET of the cat would answer with: If-Match is
            # checked against it before PUT, PATCH and DELETE (412).
            return etag_for(CatSchema().dump(load_cat(cat_id)))

        def last_modified(self, cat_id):
            return load_cat(cat_id).updated_at
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import typing as t
from collections.abc import Callable, Mapping

from flask import g, request
from werkzeug.http import (
    http_date,
    parse_date,
    parse_etags,
    remove_entity_headers,
    unquote_etag,
)

from .exceptions import abort

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from .operations import Operation, ResponseDoc, Status
    from .typing import AnyCallable

__all__ = [
    "check_preconditions",
    "etag_for",
    "representation_etag",
    "verb_operation",
]

#: Methods whose answers get an ETag and may be answered with 304.
READ_METHODS = frozenset({"GET", "HEAD"})

#: Methods whose preconditions are checked against the resource's current
#: ETag before the method runs.
WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})

#: Renders a body as the current request's answer, as the Api would.
Render: t.TypeAlias = Callable[[t.Any], "Response"]

# Representation headers a 304 keeps (RFC 9110, section 15.4.5); ETag,
# Vary, Date and Cache-Control are not representation headers, so stay.
_KEPT_ON_304 = ("content-location", "expires", "last-modified")

# Where the conditional view keeps its renderer for etag_for().
_RENDER_KEY = "_flask_resources_render"


class Conditional(t.NamedTuple):
    """What a resource opted into, read once when it is added to an Api.

    :param etag: give GET/HEAD answers an ``ETag`` and answer a matching
        ``If-None-Match`` with 304.
    :param current_etag: the resource's ``current_etag`` hook, if it has
        one: writes are checked against it.
    :param last_modified: the resource's ``last_modified`` hook, if any.
    :param require_if_match: answer 428 to writes without ``If-Match``.
    """

    etag: bool
    current_etag: str | None
    last_modified: str | None
    require_if_match: bool

    @classmethod
    def of(cls, resource: type[t.Any], *, api_etag: bool) -> Conditional | None:
        """Read a resource class's settings; ``None`` when it opted into
        nothing, so its view is left as it is."""
        etag = getattr(resource, "etag", None)
        if not isinstance(etag, bool):
            etag = api_etag
        hooks = [
            name if callable(getattr(resource, name, None)) else None
            for name in ("current_etag", "last_modified")
        ]
        require = bool(getattr(resource, "require_if_match", False))
        if require and hooks[0] is None:
            raise TypeError(
                f"{resource.__name__}.require_if_match needs a current_etag method"
            )
        if not etag and hooks == [None, None]:
            return None
        return cls(bool(etag), hooks[0], hooks[1], require)


def record(resource: type[t.Any], settings: Conditional) -> None:
    """Record what a resource opted into on its class's operation record,
    under ``extensions["conditional"]``, for readers such as the OpenAPI
    generator; :func:`verb_operation` says what that means for one verb."""
    # Imported here: the records are read only by documentation, so an app
    # that never opts in does not load them (issue 15).
    from .operations import Operation, amend

    amend(
        resource,
        Operation(
            extensions={
                "conditional": {
                    "etag": settings.etag,
                    "if_match": settings.current_etag is not None,
                    "last_modified": settings.last_modified is not None,
                    "require_if_match": settings.require_if_match,
                }
            }
        ),
    )


def verb_operation(verb: str, conditional: Mapping[str, t.Any]) -> Operation:
    """The headers, parameters and responses conditional requests add to one
    verb, from the ``extensions["conditional"]`` that :func:`record` left.

    :param verb: the lower case verb.
    :param conditional: the recorded settings.
    """
    from .operations import Arguments, Operation, ResponseDoc

    method = verb.upper()
    params: dict[str, t.Any] = {}
    responses: dict[Status, ResponseDoc] = {}
    validators = {}
    if conditional.get("etag"):
        validators["ETag"] = {
            "description": "The representation's entity tag.",
            "schema": {"type": "string"},
        }
    if conditional.get("last_modified"):
        validators["Last-Modified"] = {
            "description": "When the resource last changed.",
            "schema": {"type": "string"},
        }
    if method in READ_METHODS and validators:
        if conditional.get("etag"):
            params["If-None-Match"] = _header_field("ETags the client has.")
        if conditional.get("last_modified"):
            params["If-Modified-Since"] = _header_field(
                "When the client's copy is from."
            )
        responses[200] = ResponseDoc(200, headers=validators)
        responses[304] = ResponseDoc(
            304,
            description="Not modified: the client's copy is current.",
            headers=validators,
        )
    elif method in WRITE_METHODS and (
        conditional.get("if_match") or conditional.get("last_modified")
    ):
        if conditional.get("if_match"):
            params["If-Match"] = _header_field(
                "The ETag of the representation this change is based on.",
                required=bool(conditional.get("require_if_match")),
            )
            params["If-None-Match"] = _header_field(
                "'*' to change nothing that exists."
            )
        if conditional.get("last_modified"):
            params["If-Unmodified-Since"] = _header_field(
                "When the client's copy is from."
            )
        responses[412] = ResponseDoc(
            412, description="Precondition failed: the resource has changed."
        )
        if conditional.get("require_if_match"):
            responses[428] = ResponseDoc(428, description="If-Match is required.")
    if not params and not responses:
        return Operation()
    import marshmallow as ma

    schema = ma.Schema.from_dict(params, name="Preconditions")()
    return Operation(
        arguments=(Arguments(schema, location="headers", parses=False),),
        responses=responses,
    )


def _header_field(description: str, *, required: bool = False) -> t.Any:
    import marshmallow as ma

    return ma.fields.Str(required=required, metadata={"description": description})


def conditional_view(
    view: AnyCallable,
    settings: Conditional,
    *,
    instance: Callable[[], t.Any],
    render: Render,
) -> AnyCallable:
    """Wrap an Api view function with the preconditions ``settings`` ask for.

    :param view: the view, returning a rendered response.
    :param settings: what the resource opted into.
    :param instance: gives the resource instance whose hooks to call.
    :param render: renders a body as the Api would answer the request, for
        :func:`etag_for`.
    """
    last_modified = settings.last_modified
    etag = settings.etag

    def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
        setattr(g, _RENDER_KEY, render)
        resp = t.cast("Response", view(*args, **kwargs))
        # Writes were checked by the resource, before the verb ran (see
        # verb_check); reads are answered here, once rendered.
        if request.method not in READ_METHODS or not 200 <= resp.status_code < 300:
            return resp
        modified: datetime.datetime | None = None
        if last_modified is not None:
            modified = getattr(instance(), last_modified)(*args, **kwargs)
        return answer_read(resp, etag=etag, last_modified=modified)

    return wrapper


#: Wraps a resource's bound verb method with the write preconditions.
VerbCheck: t.TypeAlias = Callable[[t.Any, "AnyCallable"], "AnyCallable"]

#: The lower case verbs :func:`verb_check` guards.
WRITE_VERBS = frozenset(method.lower() for method in WRITE_METHODS)


def verb_check(resource: type[t.Any]) -> VerbCheck | None:
    """What checks the write preconditions of a resource class that has a
    ``current_etag`` or ``last_modified`` hook; ``None`` for the others.

    :class:`~flask_resources.Resource` works this out once per class and
    wraps each PUT, PATCH and DELETE with it, inside ``method_decorators``:
    authentication decorators answer first (a 401 says nothing about the
    item), then the preconditions (412, 428), then the verb.
    """
    current = callable(getattr(resource, "current_etag", None))
    modified = callable(getattr(resource, "last_modified", None))
    if not (current or modified):
        return None
    require = bool(getattr(resource, "require_if_match", False))

    def check(instance: t.Any) -> None:
        view_args = request.view_args or {}
        check_preconditions(
            instance.current_etag(**view_args) if current else None,
            last_modified=instance.last_modified(**view_args) if modified else None,
            require_if_match=require,
        )

    def wrap(instance: t.Any, meth: AnyCallable) -> AnyCallable:
        if inspect.iscoroutinefunction(meth):

            @functools.wraps(meth)
            async def async_checked(*args: t.Any, **kwargs: t.Any) -> t.Any:
                check(instance)
                return await meth(*args, **kwargs)

            return async_checked

        @functools.wraps(meth)
        def checked(*args: t.Any, **kwargs: t.Any) -> t.Any:
            check(instance)
            return meth(*args, **kwargs)

        return checked

    return wrap


def representation_etag(resp: Response) -> str | None:
    """The strong ETag (unquoted) of a response's representation: a hash of
    its content type and body, so two media types get two ETags.

    ``None`` for a streamed response, whose body cannot be read twice.
    """
    if resp.is_streamed:
        return None
    # SHA-256 runs in hardware on most CPUs (OpenSSL), faster than BLAKE2;
    # 128 bits of it are plenty to tell representations apart.
    content_type = (resp.headers.get("Content-Type") or "").encode("latin-1")
    hasher = hashlib.sha256(content_type + b"\0")
    hasher.update(resp.get_data())
    return hasher.hexdigest()[:32]


def etag_for(data: t.Any) -> str:
    """The ETag a GET answering with ``data`` gets, in the media type the
    current request negotiated.

    Use it in a ``current_etag`` hook, with the body the resource's ``get``
    would return (marshalled the same way), so that the ETag a client read
    is the one its write is checked against. Only callable during a request
    to a resource that opted into conditional requests.

    :param data: the body, as a verb returns it.
    """
    render: Render | None = g.get(_RENDER_KEY)
    if render is None:
        raise RuntimeError(
            "etag_for() works during a request to a resource with etag = True"
            " or a current_etag hook"
        )
    etag = representation_etag(render(data))
    assert etag is not None
    return etag


def answer_read(
    resp: Response,
    *,
    etag: bool,
    last_modified: datetime.datetime | None = None,
) -> Response:
    """Add ``ETag`` and ``Last-Modified`` to a successful GET/HEAD answer,
    and turn it into a 304 when the request's ``If-None-Match`` (or, without
    one, ``If-Modified-Since``) says the client has it already."""
    headers = resp.headers
    current: str | None = None
    quoted: str | None = None
    if etag:
        quoted = headers.get("ETag")
        if quoted is not None:
            current, _ = unquote_etag(quoted)
        else:
            current = representation_etag(resp)
            if current is not None:
                quoted = f'"{current}"'
                headers.add("ETag", quoted)
        if "Vary" in headers:
            resp.vary.add("Accept")
        else:
            headers.add("Vary", "Accept")
    if last_modified is not None:
        last_modified = _clamp(last_modified)
        headers["Last-Modified"] = http_date(last_modified)

    environ = request.environ
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # The usual case, the client sending back the one ETag it got, needs
        # no parsing.
        if current is None or (
            if_none_match != quoted
            and not parse_etags(if_none_match).contains_weak(current)
        ):
            return resp
    elif last_modified is None or not _not_modified_since(
        last_modified, environ.get("HTTP_IF_MODIFIED_SINCE")
    ):
        return resp
    resp.status_code = 304
    resp.response = []
    remove_entity_headers(headers, allowed=_KEPT_ON_304)
    return resp


def check_preconditions(
    current_etag: str | None,
    *,
    last_modified: datetime.datetime | None = None,
    require_if_match: bool = False,
) -> None:
    """Check the current request's ``If-Match``, ``If-Unmodified-Since`` and
    ``If-None-Match`` against the target's current state, in the order of
    RFC 9110, section 13.2.2; abort with 412 when one fails, 428 when
    ``If-Match`` is required and missing.

    Resources with a ``current_etag`` hook get this before each write; call
    it yourself where the check must be atomic with the write, inside the
    transaction that reads the item to change.

    :param current_etag: the current ETag (unquoted, or quoted as in a
        header), ``None`` when the item does not exist.
    :param last_modified: when the item last changed, if known.
    :param require_if_match: 428 when the request has no ``If-Match``.
    """
    environ = request.environ
    current = None if current_etag is None else _strong(current_etag)
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        etags = parse_etags(if_match)
        # Strong comparison: a weak ETag never matches, "*" needs an item.
        if current is None or not etags.contains(current):
            _precondition_failed("If-Match")
    elif require_if_match:
        abort(
            428,
            message=(
                "This request needs an If-Match header holding the ETag of the"
                " current representation (send a GET first)."
            ),
        )
    elif last_modified is not None:
        since = _http_date(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
        if since is not None and _clamp(last_modified) > since:
            _precondition_failed("If-Unmodified-Since")
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None and current is not None:
        if parse_etags(if_none_match).contains_weak(current):
            _precondition_failed("If-None-Match")


def _precondition_failed(header: str) -> t.NoReturn:
    abort(
        412,
        message=(
            f"Precondition failed: the {header} header does not match the"
            " current representation; send a GET for the current one."
        ),
    )


def _strong(etag: str) -> str | None:
    value, weak = unquote_etag(etag)
    # A weak current ETag cannot satisfy If-Match; treat it as no match.
    return None if weak or value is None else value


def _http_date(value: str | None) -> datetime.datetime | None:
    """Parse an HTTP date; ``None`` when absent, unparseable or later than
    now, which RFC 9110 says to ignore."""
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None or parsed > datetime.datetime.now(datetime.UTC):
        return None
    return parsed


def _not_modified_since(modified: datetime.datetime, header: str | None) -> bool:
    since = _http_date(header)
    return since is not None and modified <= since


def _clamp(value: datetime.datetime) -> datetime.datetime:
    """An aware UTC time to whole seconds, as HTTP dates carry, and never
    later than now."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    value = value.astimezone(datetime.UTC).replace(microsecond=0)
    return min(value, datetime.datetime.now(datetime.UTC).replace(microsecond=0))
