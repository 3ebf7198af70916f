"""Flask-Limiter for resources: 429 in the Api's error format with
``Retry-After``, and the 429 of each limited operation recorded for OpenAPI.

Rate limiting itself is Flask-Limiter's (the ``ratelimit`` extra)::

    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address
    from flask_resources.ratelimit import api_limiter

    limiter = api_limiter(Limiter(get_remote_address, app=app), api)

    class CatList(Resource):
        @limiter.limit("10 per minute")
        def post(self):
            ...

Nothing here imports Flask-Limiter until :func:`api_limiter` is called.

.. versionadded:: 0.2
"""

from __future__ import annotations

import time
import typing as t

from .exceptions import http_error_class
from .operations import Operation, ResponseDoc, amend

if t.TYPE_CHECKING:
    from werkzeug.exceptions import HTTPException

    from .api import Api

__all__ = ["MISSING_EXTRA", "RATE_LIMITED", "api_limiter", "rate_limited"]

#: What a call without Flask-Limiter installed is told.
MISSING_EXTRA = (
    "rate limits need Flask-Limiter: pip install 'flask-resources[ratelimit]'"
)

#: The 429 response a limited operation documents: the Api's error body
#: and the ``Retry-After`` header. ``doc(responses={429: RATE_LIMITED})``
#: says the same as :func:`rate_limited`.
RATE_LIMITED = ResponseDoc(
    429,
    description="Too many requests: retry after the time Retry-After gives.",
    headers={
        "Retry-After": {
            "description": "Seconds to wait before the limit lets a request in.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
)

_RECORD = Operation(responses={429: RATE_LIMITED})

L = t.TypeVar("L")
F = t.TypeVar("F")


def rate_limited(obj: F) -> F:
    """Document the 429 of an operation (or, on a resource class, of each
    of its verbs) that a limit applies to without decorating it: the
    limiter's ``default_limits`` or ``application_limits``, or a limit put
    on the resource's route. The limits :func:`api_limiter` decorates with
    document themselves.

    .. versionadded:: 0.2
    """
    amend(obj, _RECORD)
    return obj


def api_limiter(limiter: L, *apis: Api) -> L:
    """Make a Flask-Limiter ``Limiter`` answer like the Apis, and document
    its limits.

    After this:

    - a request over a limit on a route of one of ``apis`` is answered with
      a 429 in that Api's error format (Flask-RESTful's ``{"message": ...}``
      or problem details, the message being the limit, or the limit's
      ``error_message``), with a ``Retry-After`` header giving the seconds
      until the limit lets a request in again; an ``on_breach`` callback
      that returns a response still answers with it;
    - ``limiter.limit(...)`` and ``limiter.shared_limit(...)``, on a verb or
      in a resource's ``method_decorators``, record the 429 on the
      operation (see :data:`RATE_LIMITED`) besides limiting it. Used as a
      context manager or on a blueprint, they are Flask-Limiter's.

    The methods are set on the object itself, as instance attributes, the
    first time. With an app factory, make the limiter and its limits at
    import time with ``api_limiter(Limiter(...))``, and in the factory call
    ``limiter.init_app(app)`` and ``api_limiter(limiter, api)`` again for
    the new Api.

    :param limiter: a ``flask_limiter.Limiter``, before or after its
        ``init_app``.
    :param apis: the Apis whose 429s to answer.
    :return: ``limiter`` itself.

    .. versionadded:: 0.2
    """
    try:
        from flask_limiter.errors import RateLimitExceeded
    except ImportError:
        raise ImportError(MISSING_EXTRA) from None

    def too_many_requests(e: RateLimitExceeded) -> HTTPException | None:
        if e.response is not None:
            return None  # on_breach's own response.
        error = http_error_class(429)(e.description)
        error.retry_after = _retry_after(limiter)  # type: ignore[attr-defined]
        return error

    for api in apis:
        api.errorhandler(RateLimitExceeded)(too_many_requests)

    for name in ("limit", "shared_limit"):
        # Once per limiter, whatever the number of calls (one per app of
        # an app factory).
        if name not in vars(limiter):
            setattr(limiter, name, _documenting(getattr(limiter, name)))
    return limiter


def _documenting(original: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """``Limiter.limit`` or ``shared_limit`` whose limits, decorating a
    function, also record the 429 on it."""

    def limit(*args: t.Any, **kwargs: t.Any) -> _DocumentedLimit:
        return _DocumentedLimit(original(*args, **kwargs))

    limit.__doc__ = original.__doc__
    return limit


class _DocumentedLimit:
    """A Flask-Limiter limit that, decorating a function, records the 429
    on what it returns; everything else is the limit's."""

    def __init__(self, limit: t.Any) -> None:
        self.limit = limit

    def __call__(self, obj: t.Any) -> t.Any:
        wrapped = self.limit(obj)
        if wrapped is not None and callable(wrapped):
            amend(wrapped, _RECORD)
        return wrapped

    def __enter__(self) -> None:
        self.limit.__enter__()

    def __exit__(self, *exc_info: t.Any) -> None:
        self.limit.__exit__(*exc_info)

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self.limit, name)


def _retry_after(limiter: t.Any) -> int:
    """Seconds until the breached limit of this request resets."""
    current = limiter.current_limit
    if current is None:
        return 1
    # Whole seconds, as Flask-Limiter writes its own header.
    return max(1, int(current.reset_at - time.time()))
