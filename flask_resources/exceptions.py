"""Error classes and :func:`abort`; nothing here touches the request."""

from __future__ import annotations

import typing as t
from functools import cache

from werkzeug.exceptions import HTTPException, UnsupportedMediaType, default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.sansio.response import Response


class FlaskResourcesError(Exception):
    """Root of every error raised by flask-resources."""


class HTTPError(FlaskResourcesError, HTTPException):
    """An HTTP error whose JSON body is given when it is raised.

    :func:`abort` raises subclasses of this that are also the matching
    Werkzeug exception, so ``except NotFound`` keeps working.

    :param description: the human readable description Werkzeug shows.
    :param response: a ready response to send instead of the JSON body.
    :param data: the JSON body; ``None`` means ``{"message": description}``.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        *,
        data: t.Mapping[str, t.Any] | None = None,
    ) -> None:
        super().__init__(description=description, response=response)
        self._data = dict(data) if data is not None else None

    def get_data(self) -> dict[str, t.Any]:
        """Return a fresh copy of the JSON body this error answers with."""
        if self._data is not None:
            return dict(self._data)
        return {"message": self.description}

    @property
    def data(self) -> dict[str, t.Any]:
        """The body given when the error was raised, as Flask-RESTful
        exposed it on aborted exceptions.

        Like there, an error raised without a body has no ``data``
        attribute at all (:meth:`get_data` still gives its body).
        """
        if self._data is None:
            raise AttributeError("data")
        return self.get_data()


@cache
def http_error_class(code: int) -> type[HTTPError]:
    """Return the :class:`HTTPError` subclass for a status code.

    The class also derives from Werkzeug's exception for that code (for
    example :class:`~werkzeug.exceptions.NotFound`), so handlers and
    ``except`` clauses written for Werkzeug's classes still match. Codes
    Werkzeug has no class for get a plain subclass carrying the code.
    """
    base = default_exceptions.get(code)
    if base is not None:
        return type(base.__name__, (HTTPError, base), {"__module__": __name__})
    if code not in HTTP_STATUS_CODES and not 400 <= code < 600:
        raise LookupError(f"no HTTP error status {code!r}")
    name = f"HTTPError{code}"
    return type(name, (HTTPError,), {"code": code, "__module__": __name__})


def abort(http_status_code: int, **kwargs: t.Any) -> t.NoReturn:
    """Raise an HTTP error whose JSON body is ``kwargs``.

    ``abort(404, message="No such cat")`` answers 404 with
    ``{"message": "No such cat"}``. Without keyword arguments the body is
    ``{"message": <the status's standard description>}``. The raised
    exception is an instance of Werkzeug's class for the code.

    :param http_status_code: the HTTP status, 4xx or 5xx.
    :param kwargs: the JSON body.
    """
    cls = http_error_class(http_status_code)
    message = kwargs.get("message")
    description = message if isinstance(message, str) else None
    raise cls(description, data=kwargs or None)


class RequestValidationError(HTTPError):
    """Request data failed validation against a schema.

    :func:`~flask_resources.use_args` and :func:`~flask_resources.use_kwargs`
    raise it; its JSON body is::

        {"message": "<summary>", "errors": {"<location>": {"<field>": ["..."]}}}

    :class:`~flask_resources.reqparse.RequestParser` keeps Flask-RESTful's
    body instead, ``{"message": {"<field>": "<text>"}}``, raised through
    :func:`abort`. With ``RESOURCES_ERROR_FORMAT = "problem"`` both become a
    problem object whose ``errors`` member holds the messages.

    The base class answers 400, as Flask-RESTful's parser did. Use
    :func:`validation_error_class` to get the subclass for another status
    (flask-resources raises the 422 one when the app sets
    ``RESOURCES_VALIDATION_ERROR_STATUS = 422``); that subclass is also
    Werkzeug's exception for the status, so handlers registered by code match.

    :param message: the one-line summary.
    :param errors: the messages, by location then by field.

    .. versionadded:: 0.1
    """

    code = 400

    def __init__(
        self, message: str, errors: t.Mapping[str, t.Any] | None = None
    ) -> None:
        super().__init__(
            message, data={"message": message, "errors": dict(errors or {})}
        )

    @property
    def errors(self) -> dict[str, t.Any]:
        """The messages, by location then by field."""
        errors: dict[str, t.Any] = self.get_data()["errors"]
        return errors


@cache
def validation_error_class(code: int) -> type[RequestValidationError]:
    """Return the :class:`RequestValidationError` subclass for a status code.

    The class also derives from :func:`http_error_class` of the code, so a
    422 error is a :class:`~werkzeug.exceptions.UnprocessableEntity` too.

    .. versionadded:: 0.1
    """
    base = http_error_class(code)
    name = f"{RequestValidationError.__name__}{code}"
    namespace = {"code": code, "__module__": __name__}
    return type(name, (RequestValidationError, base), namespace)


class UnsupportedBodyType(HTTPError, UnsupportedMediaType):
    """415: no parser takes the request body's media type.

    The response names the accepted media types in its message and, for
    POST and PATCH, in the ``Accept-Post`` or ``Accept-Patch`` header
    (RFC 5789, section 3.1, and the W3C's Linked Data Platform).

    :param mimetype: the body's media type; empty when it had none.
    :param accepted: the media types a body may have.
    :param accept_header: the header listing them, or ``None`` for none.
    """

    def __init__(
        self,
        mimetype: str,
        accepted: t.Sequence[str],
        *,
        accept_header: str | None = None,
    ) -> None:
        if mimetype:
            problem = f"Unsupported media type {mimetype!r}"
        else:
            problem = "The body has no Content-Type"
        if accepted:
            expected = "send one of " + ", ".join(accepted)
        else:
            expected = "this resource takes no body"
        super().__init__(f"{problem}: {expected}.")
        self.mimetype = mimetype
        self.accepted = tuple(accepted)
        self.accept_header = accept_header

    def get_headers(
        self,
        environ: WSGIEnvironment | None = None,
        scope: dict[str, t.Any] | None = None,
    ) -> list[tuple[str, str]]:
        headers = super().get_headers(environ, scope)
        if self.accept_header and self.accepted:
            headers.append((self.accept_header, ", ".join(self.accepted)))
        return headers


class OpenAPIError(FlaskResourcesError):
    """The OpenAPI document cannot be built: a missing extra, or a schema,
    field or argument that cannot be described; the message names where.

    .. versionadded:: 0.1
    """


class ResponseValidationError(FlaskResourcesError):
    """What a resource method returned does not fit the model it is
    marshalled with (``marshal_with(Model)``, ``marshal(obj, Model)``).

    A bug in the server, not in the request: like any other unhandled
    exception it answers 500 in the Api's error format, without these
    details, unless the app is testing, debugging or propagates exceptions.
    Neither the message nor :attr:`errors` holds the offending values.

    :param message: one line naming the model and what did not fit.
    :param errors: one ``{"loc": [...], "msg": "..."}`` per problem.

    .. versionadded:: 0.2
    """

    def __init__(
        self, message: str, errors: t.Sequence[t.Mapping[str, t.Any]] = ()
    ) -> None:
        super().__init__(message)
        #: One ``{"loc": [...], "msg": "..."}`` per problem.
        self.errors = [dict(error) for error in errors]
