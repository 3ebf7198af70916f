"""Flask-HTTPAuth for resources: 401 and 403 in the Api's error format, and
the security requirement of each protected operation recorded for OpenAPI.

Authentication itself is Flask-HTTPAuth's (the ``auth`` extra)::

    from flask_httpauth import HTTPTokenAuth
    from flask_resources.auth import api_auth

    auth = api_auth(HTTPTokenAuth(scheme="Bearer"))

    @auth.verify_token
    def verify_token(token):
        return users.by_token(token)

    class CatList(Resource):
        method_decorators = {"post": [auth.login_required]}

Nothing here imports Flask-HTTPAuth: the objects given are used through the
methods they have.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Mapping

from .exceptions import abort, http_error_class
from .operations import Operation, ResponseDoc, Status, amend

if t.TYPE_CHECKING:
    from .typing import AnyCallable

__all__ = ["api_auth", "security_scheme"]

#: A Flask-HTTPAuth object: ``HTTPBasicAuth``, ``HTTPDigestAuth``,
#: ``HTTPTokenAuth`` or ``MultiAuth``.
A = t.TypeVar("A")

_HTTP_SCHEMES = {"basic": "basic", "digest": "digest", "bearer": "bearer"}


def api_auth(
    auth: A,
    *,
    name: str | None = None,
    message: str | None = None,
) -> A:
    """Make a Flask-HTTPAuth object answer like the Api, and document itself.

    After this, the object's ``login_required``, in a resource's
    ``method_decorators`` or on a verb, with or without ``role=`` and
    ``optional=``:

    - answers a request without valid credentials with a 401 in the Api's
      error format (Flask-RESTful's ``{"message": ...}`` or problem details)
      carrying one ``WWW-Authenticate`` challenge per scheme (a
      ``MultiAuth`` of Basic and Bearer sends two), and a missing role with
      a 403;
    - records the security requirement and scheme on the operation (see
      :mod:`flask_resources.operations`), with its 401 (and 403) responses.

    The error handler is set on the object (on each of a ``MultiAuth``'s);
    one you set later with ``auth.error_handler`` takes over again.

    :param auth: an ``HTTPBasicAuth``, ``HTTPDigestAuth``, ``HTTPTokenAuth``
        or ``MultiAuth``.
    :param name: the security scheme's name in OpenAPI; derived from the
        scheme by default (``bearerAuth``). Not for a ``MultiAuth``, whose
        members get derived names.
    :param message: the 401 body's message.
    :return: ``auth`` itself.

    .. versionadded:: 0.1
    """
    members = _members(auth)
    if name is not None and len(members) > 1:
        raise ValueError("api_auth(name=...) names one scheme, not a MultiAuth")
    schemes = {
        name or _scheme_name(member): security_scheme(member) for member in members
    }

    def challenges() -> list[str]:
        # Per request: a Digest challenge carries a fresh nonce.
        return [member.authenticate_header() for member in members]

    deny = _denier(challenges, message)
    for member in members:
        member.error_handler(deny)

    original = auth.login_required  # type: ignore[attr-defined]

    def login_required(
        f: AnyCallable | None = None,
        role: t.Any = None,
        optional: bool | None = None,
    ) -> t.Any:
        record = _record(schemes, role=role, optional=bool(optional))

        def decorate(func: AnyCallable) -> AnyCallable:
            wrapped: AnyCallable = original(role=role, optional=optional)(func)
            amend(wrapped, record)
            return wrapped

        return decorate if f is None else decorate(f)

    login_required.__doc__ = original.__doc__
    # The instance attribute shadows the class's method for this object only.
    auth.login_required = login_required  # type: ignore[attr-defined]
    return auth


def security_scheme(auth: t.Any) -> dict[str, t.Any]:
    """The OpenAPI security scheme of one Flask-HTTPAuth object.

    .. versionadded:: 0.1
    """
    header = getattr(auth, "header", None)
    if header is not None and header.lower() != "authorization":
        return {"type": "apiKey", "in": "header", "name": header}
    scheme = str(auth.scheme)
    return {"type": "http", "scheme": _HTTP_SCHEMES.get(scheme.lower(), scheme)}


def _members(auth: t.Any) -> list[t.Any]:
    if hasattr(auth, "main_auth"):
        return [auth.main_auth, *auth.additional_auths]
    if not callable(getattr(auth, "error_handler", None)):
        raise TypeError(
            "api_auth needs a Flask-HTTPAuth object (HTTPBasicAuth,"
            f" HTTPDigestAuth, HTTPTokenAuth or MultiAuth), not {type(auth).__name__}"
        )
    return [auth]


def _scheme_name(auth: t.Any) -> str:
    scheme = security_scheme(auth)
    if scheme["type"] == "apiKey":
        return "apiKeyAuth"
    return f"{scheme['scheme']}Auth"


def _denier(
    challenges: Callable[[], list[str]], message: str | None
) -> Callable[[int], t.NoReturn]:
    def deny(status: int = 401) -> t.NoReturn:
        if status == 403:
            abort(403, message="The credentials do not allow this request.")
        text = message or "This request needs valid credentials."
        error = http_error_class(401)(text, data={"message": text})
        error.www_authenticate = challenges()  # type: ignore[attr-defined]
        raise error

    return deny


def _record(
    schemes: Mapping[str, Mapping[str, t.Any]], *, role: t.Any, optional: bool
) -> Operation:
    # Several schemes are alternatives: any one of them will do.
    requirements: list[Mapping[str, t.Sequence[str]]] = [{name: []} for name in schemes]
    if optional:
        requirements.append({})
    responses: dict[Status, ResponseDoc] = {
        401: ResponseDoc(401, description="No valid credentials.")
    }
    if role is not None:
        responses[403] = ResponseDoc(403, description="The credentials lack a role.")
    return Operation(
        security=tuple(requirements),
        responses=responses,
        extensions={"security_schemes": dict(schemes)},
    )
