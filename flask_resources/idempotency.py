"""Idempotent retries of POST and PATCH with the ``Idempotency-Key`` header.

A client that sends a write and gets no answer (a timeout, a reset
connection, a server killed mid-request) cannot tell whether the write was
made. With an ``Idempotency-Key`` header, as the IETF httpapi draft "The
Idempotency-Key HTTP Header Field" describes, it sends the same request
again with the same key, and the server answers it with the first answer
instead of making the write twice::

    from flask_resources.idempotency import MemoryStore, idempotent

    store = MemoryStore()

    class CatList(Resource):
        @idempotent(store)
        @use_args(CatSchema)
        def post(self, values):
            ...

- the first request with a key runs; its answer (status, body and headers)
  is kept in the store, scoped to the client that sent it;
- the same request again with the same key gets that answer replayed, with
  ``Idempotent-Replayed: true``;
- the same key with another request (body, path or method) gets 422;
- the same key while the first request is still running gets 409;
- a request without the key runs as usual, unless ``required=True`` (400).

Answers with a 5xx status, and requests whose view raised (an error
answer), are not kept: the client may try again with the same key.

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import threading
import time
import typing as t
from collections.abc import Callable

from flask import current_app, request
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from ._state import get_state
from .exceptions import RequestValidationError, abort

if t.TYPE_CHECKING:
    from flask import Flask

    from .operations import Operation, Status
    from .typing import AnyCallable

__all__ = [
    "HEADER",
    "IdempotencyStore",
    "MemoryStore",
    "Reserved",
    "StoredResponse",
    "default_client",
    "idempotent",
]

#: The request header holding the key.
HEADER = "Idempotency-Key"

#: The response header set on a replayed answer.
REPLAYED_HEADER = "Idempotent-Replayed"

#: The longest key accepted, in characters.
MAX_KEY_LENGTH = 255

#: Seconds a stored answer is kept by default: a day, as long as clients
#: usually keep retrying.
DEFAULT_TTL = 24 * 60 * 60.0

#: Seconds a request may hold a key before another request with it is let
#: through: one that never finished (its process died) must not lock the key
#: until it expires.
DEFAULT_LOCK_TIMEOUT = 60.0

# Headers a replay does not repeat: they are about the first exchange, not
# the answer (Set-Cookie could hand one client's session to another request).
_NOT_REPLAYED = frozenset(
    {"date", "set-cookie", "content-length", "transfer-encoding", "connection"}
)

# The key in app.extensions of the in-memory store used when neither the
# decorator nor the Api names one.
_DEFAULT_STORE_KEY = "flask-resources.idempotency"
_default_store_lock = threading.Lock()


class StoredResponse(t.NamedTuple):
    """An answer as a store keeps it, to replay it."""

    status: int
    #: ``(name, value)`` pairs, in order.
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @classmethod
    def of(cls, resp: Response) -> StoredResponse:
        """What to keep of a response (not streamed)."""
        headers = tuple(
            (name, value)
            for name, value in resp.headers.items()
            if name.lower() not in _NOT_REPLAYED
        )
        return cls(resp.status_code, headers, resp.get_data())

    def to_response(self) -> Response:
        """A new response replaying this one."""
        resp = Response(self.body, status=self.status, headers=Headers(self.headers))
        resp.headers[REPLAYED_HEADER] = "true"
        return resp


class Reserved(t.NamedTuple):
    """What a store holds for a key that a request already holds or used."""

    #: The fingerprint of the request that took the key; ``None`` when the
    #: store cannot tell while that request is still running.
    fingerprint: str | None
    #: Its answer; ``None`` while it is still running.
    response: StoredResponse | None


@t.runtime_checkable
class IdempotencyStore(t.Protocol):
    """Where the keys and their answers are kept.

    The decorator calls :meth:`reserve` before the view, then exactly one
    of :meth:`save` (with the answer) or :meth:`release` (the view raised,
    or answered with a 5xx) in the same thread. A store backed by the
    application's database can open the transaction in :meth:`reserve`,
    let the view write in it, and commit it with the answer in :meth:`save`:
    then a committed write always has its answer, and a retry of a request
    whose answer was lost is replayed, never made twice.

    ``scope`` names the client (a hash, at most 64 characters), ``key`` is
    the header's value (printable ASCII, at most 255 characters).
    """

    def reserve(self, scope: str, key: str, fingerprint: str) -> Reserved | None:
        """Take the key for a request, or say what holds it.

        :returns: ``None`` when the key is now this request's (new, or its
            earlier answer expired); else what the store has for it.
        """
        ...

    def save(self, scope: str, key: str, response: StoredResponse) -> None:
        """Keep the answer of the request that reserved the key."""
        ...

    def release(self, scope: str, key: str) -> None:
        """Free a key whose request kept no answer."""
        ...

    def expire(self) -> int:
        """Forget the answers older than the store keeps them; how many."""
        ...


class MemoryStore:
    """An :class:`IdempotencyStore` in the process's memory, safe across
    threads.

    Each process of a server has its own: a retry that reaches another
    worker or host is not recognised. Use a store in a database the
    processes share for that (the cats sample has one with SQLAlchemy).

    :param ttl: seconds an answer is kept.
    :param lock_timeout: seconds a request may hold a key before a retry
        with it runs anyway.
    :param max_entries: the most keys kept; past it the oldest answers are
        forgotten first.
    """

    def __init__(
        self,
        *,
        ttl: float = DEFAULT_TTL,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        max_entries: int = 10_000,
    ) -> None:
        self.ttl = ttl
        self.lock_timeout = lock_timeout
        self.max_entries = max_entries
        self._lock = threading.Lock()
        # (scope, key) -> (when taken or saved, fingerprint, response); dicts
        # keep insertion order, so the oldest entries come first.
        self._entries: dict[
            tuple[str, str], tuple[float, str, StoredResponse | None]
        ] = {}

    def reserve(self, scope: str, key: str, fingerprint: str) -> Reserved | None:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get((scope, key))
            if entry is not None:
                since, taken_by, response = entry
                limit = self.ttl if response is not None else self.lock_timeout
                if now - since < limit:
                    return Reserved(taken_by, response)
                del self._entries[scope, key]
            if len(self._entries) >= self.max_entries:
                self._expire(now)
                while len(self._entries) >= self.max_entries:
                    del self._entries[next(iter(self._entries))]
            self._entries[scope, key] = (now, fingerprint, None)
        return None

    def save(self, scope: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            entry = self._entries.pop((scope, key), None)
            if entry is not None:
                # Moved to the end: the newest answer is forgotten last.
                self._entries[scope, key] = (time.monotonic(), entry[1], response)

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            entry = self._entries.get((scope, key))
            if entry is not None and entry[2] is None:
                del self._entries[scope, key]

    def expire(self) -> int:
        with self._lock:
            return self._expire(time.monotonic())

    def _expire(self, now: float) -> int:
        old = [
            name
            for name, (since, _, response) in self._entries.items()
            if now - since >= (self.ttl if response is not None else self.lock_timeout)
        ]
        for name in old:
            del self._entries[name]
        return len(old)

    def __len__(self) -> int:
        return len(self._entries)


#: Names the client a request comes from; keys are scoped to it.
ClientHook: t.TypeAlias = Callable[[], str]


def default_client() -> str:
    """The client a request comes from, as :func:`idempotent` scopes keys by
    default: its ``Authorization`` header when it has one (each credential
    is a client), else its remote address.

    Behind a reverse proxy every client has the proxy's address: apply
    Werkzeug's :class:`~werkzeug.middleware.proxy_fix.ProxyFix`, or pass a
    hook naming the authenticated user (``client=lambda:
    auth.current_user()``).
    """
    authorization = request.headers.get("Authorization")
    if authorization:
        return "authorization:" + authorization
    return "address:" + (request.remote_addr or "")


def idempotent(
    store: IdempotencyStore | None = None,
    *,
    required: bool = False,
    client: ClientHook = default_client,
) -> Callable[[AnyCallable], AnyCallable]:
    """Make a POST or PATCH view safe to retry with an ``Idempotency-Key``.

    Put it outside ``use_args`` and ``marshal_with``, and inside the
    authentication: in ``method_decorators`` before ``login_required``
    (``{"post": [idempotent(store), auth.login_required]}``), a request is
    authenticated before its key is looked at, and a resource's ``If-Match``
    check runs after a replay, so a retried conditional write is replayed
    rather than refused with 412.

    :param store: where keys and answers are kept; ``None`` for the Api's
        ``idempotency_store``, or else an in-memory store of the app's.
    :param required: answer 400 to a request without the header.
    :param client: returns a name of the client sending the request; keys
        are scoped to it, so two clients' keys never meet. It is hashed
        before it reaches the store. See :func:`default_client`.

    .. versionadded:: 0.2
    """
    from .operations import Operation as Record
    from .operations import get_operation, set_operation

    def decorator(func: AnyCallable) -> AnyCallable:
        if inspect.iscoroutinefunction(func):
            raise TypeError("idempotent() wraps plain functions, not async ones")

        @functools.wraps(func)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            key = request_key(required=required)
            if key is None:
                return func(*args, **kwargs)
            chosen = store if store is not None else store_of(current_app)
            scope = hashlib.sha256(client().encode("utf-8", "surrogatepass"))
            return _run(
                chosen, scope.hexdigest(), key, fingerprint(), func, args, kwargs
            )

        record = Record(extensions={"idempotency": {"required": required}})
        current = get_operation(func)
        set_operation(wrapper, record if current is None else current.merged(record))
        return wrapper

    return decorator


def _run(
    store: IdempotencyStore,
    scope: str,
    key: str,
    print_: str,
    func: AnyCallable,
    args: tuple[t.Any, ...],
    kwargs: dict[str, t.Any],
) -> Response:
    found = store.reserve(scope, key, print_)
    if found is not None:
        if found.fingerprint is not None and found.fingerprint != print_:
            abort(
                422,
                message=(
                    f"This {HEADER} was used for another request; send a new"
                    " key with a new request."
                ),
            )
        if found.response is None:
            abort(
                409,
                message=(
                    f"A request with this {HEADER} is still being processed;"
                    " try again later."
                ),
            )
        return found.response.to_response()
    try:
        resp = _render(func(*args, **kwargs))
        if resp.status_code >= 500 or resp.is_streamed:
            store.release(scope, key)
            return resp
        store.save(scope, key, StoredResponse.of(resp))
    except BaseException:
        store.release(scope, key)
        raise
    return resp


def request_key(*, required: bool = False) -> str | None:
    """The current request's ``Idempotency-Key``, unquoted; ``None`` when it
    has none. Aborts with 400 when the value is not a key (empty, too long,
    not printable ASCII), or when it is missing and ``required``."""
    raw: str | None = request.environ.get("HTTP_IDEMPOTENCY_KEY")
    if raw is None:
        if required:
            _refuse(f"This request needs an {HEADER} header.")
        return None
    # The draft makes it a structured-field string ("..."); a bare token, as
    # many clients send, is taken as is.
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
        if '"' in value.replace('\\"', "").replace("\\\\", ""):
            _bad_key("a quoted string without stray quotes")
        value = value.replace('\\"', '"').replace("\\\\", "\\")
    if not value:
        _bad_key("a non-empty string")
    if len(value) > MAX_KEY_LENGTH:
        _bad_key(f"at most {MAX_KEY_LENGTH} characters long")
    # WSGI servers hand headers over as latin-1: anything past ASCII came
    # from non-ASCII bytes.
    if not all(" " <= char <= "~" for char in value):
        _bad_key("printable ASCII")
    return value


def _bad_key(what: str) -> t.NoReturn:
    _refuse(f"The {HEADER} header must be {what}.")


def _refuse(message: str) -> t.NoReturn:
    # In use_args' format: the header is request data that failed validation.
    raise RequestValidationError(message, {"headers": {HEADER: [message]}})


def fingerprint() -> str:
    """A hash of what makes the current request this request: its method,
    path and query, ``Content-Type`` and body."""
    hasher = hashlib.sha256()
    for part in (
        request.method,
        request.environ.get("SCRIPT_NAME", "") + request.environ.get("PATH_INFO", ""),
        request.environ.get("QUERY_STRING", ""),
        request.environ.get("CONTENT_TYPE", ""),
    ):
        hasher.update(part.encode("latin-1", "replace") + b"\0")
    hasher.update(request.get_data(cache=True))
    return hasher.hexdigest()


def _render(rv: t.Any) -> Response:
    """The response the view's return value becomes, rendered now so that
    its bytes can be kept: by the Api of the endpoint, as it would be."""
    if isinstance(rv, Response):
        return rv
    from ._utils import unpack
    from .resource import render_own

    app = current_app
    endpoint = request.endpoint
    view = app.view_functions.get(endpoint) if endpoint else None
    own = getattr(getattr(view, "view_class", None), "representations", None)
    if own:
        resp = render_own(own, rv)
        if resp is not None:
            return resp
    state = get_state(app)
    api = state.endpoints.get(endpoint) if state and endpoint else None
    if api is None:
        return app.make_response(rv)
    data, code, headers = unpack(rv)
    return api.make_response(data, code, headers)


def store_of(app: Flask) -> IdempotencyStore:
    """The store :func:`idempotent` uses when it is given none: the
    ``idempotency_store`` of the Api serving the request, else one
    :class:`MemoryStore` per app."""
    state = get_state(app)
    endpoint = request.endpoint
    api = state.endpoints.get(endpoint) if state and endpoint else None
    chosen = getattr(api, "idempotency_store", None)
    if chosen is not None:
        return t.cast(IdempotencyStore, chosen)
    store = app.extensions.get(_DEFAULT_STORE_KEY)
    if store is None:
        with _default_store_lock:
            store = app.extensions.setdefault(_DEFAULT_STORE_KEY, MemoryStore())
    return t.cast(IdempotencyStore, store)


def operation_parameters(settings: t.Mapping[str, t.Any]) -> Operation:
    """The documented part of an idempotent operation: the header and the
    409, 422 (and, when required, 400) answers, from the record's
    ``extensions["idempotency"]``."""
    import marshmallow as ma

    from .operations import Arguments, ResponseDoc
    from .operations import Operation as Record

    field = ma.fields.Str(
        required=bool(settings.get("required")),
        validate=ma.validate.Length(min=1, max=MAX_KEY_LENGTH),
        metadata={
            "description": (
                "A unique key for this request: a retry with the same key and"
                " request gets the first answer again, not a second write."
            )
        },
    )
    schema = ma.Schema.from_dict({HEADER: field}, name="IdempotencyKey")()
    responses: dict[Status, ResponseDoc] = {
        409: ResponseDoc(409, description=f"A request with this {HEADER} is running."),
        422: ResponseDoc(
            422, description=f"This {HEADER} was used for another request."
        ),
    }
    return Record(
        arguments=(Arguments(schema, location="headers", parses=False),),
        responses=responses,
    )
