"""Answering exceptions raised in an Api's routes in its error format."""

from __future__ import annotations

import sys
import typing as t
from collections.abc import Callable
from types import TracebackType

from flask import Flask, current_app, got_request_exception
from werkzeug.exceptions import HTTPException, NotAcceptable
from werkzeug.wrappers import Response

from .. import errors
from .._utils import current_flask_app, current_request
from ..negotiation import HTML_MEDIATYPE, JSON_MEDIATYPE, best_match
from .base import ApiBase
from .responses import ResponseMixin

#: What :meth:`Api.errorhandler` registers: turns an exception into the HTTP
#: error to answer with, or ``None`` to leave it to the usual handling.
ErrorTranslator: t.TypeAlias = Callable[[t.Any], HTTPException | None]
E = t.TypeVar("E", bound=ErrorTranslator)


class ErrorMixin(ApiBase):
    """The part of :class:`~flask_resources.Api` that turns exceptions
    raised in its routes into error responses."""

    def errorhandler(self, exc_class: type[BaseException]) -> Callable[[E], E]:
        """Register a function that turns an exception raised in this Api's
        routes into the HTTP error to answer with.

        The function gets the exception and returns an
        :class:`~werkzeug.exceptions.HTTPException` (such as one
        :func:`abort` would raise), which is then answered as if the route
        had raised it: in the Api's error format, with its headers. It may
        return ``None`` to leave the exception to the usual handling. A
        handler for a base class also takes its subclasses; the most
        specific one registered wins. When the answer is a 5xx, the original
        exception is logged and ``got_request_exception`` is sent for it, as
        for an unhandled one.

        Turn a lost database into a 503 that tells clients when to retry::

            from sqlalchemy.exc import OperationalError
            from werkzeug.exceptions import ServiceUnavailable

            @api.errorhandler(OperationalError)
            def database_unavailable(e):
                return ServiceUnavailable("The database is unavailable.", retry_after=5)

        Unlike Flask's own ``app.errorhandler``, the response stays the
        Api's: its representations, its ``errors`` mapping, its bodies.

        :param exc_class: the exception class to handle, with its subclasses.

        .. versionadded:: 0.1
        """

        def decorator(func: E) -> E:
            self.error_handlers[exc_class] = func
            return func

        return decorator

    #: The realm of the ``WWW-Authenticate: Basic`` challenge
    #: :meth:`unauthorized` adds, unless the ``HTTP_BASIC_AUTH_REALM`` config
    #: key names another.
    default_realm: t.ClassVar[str] = "flask-restful"

    def translate_error(self, e: Exception) -> HTTPException | None:
        """The HTTP error to answer ``e`` with, or ``None`` for the usual
        handling: what the most specific :meth:`errorhandler` gives.

        :meth:`handle_error` calls it first; override it to look handlers
        up another way (:class:`flask_resources.restx.Api` does). A 5xx it
        answers is logged, and ``got_request_exception`` sent, for ``e``.

        .. versionadded:: 0.1
        """
        handlers = self.error_handlers
        if not handlers:
            return None
        for cls in type(e).__mro__:
            handler = handlers.get(cls)
            if handler is not None:
                answer = handler(e)
                if answer is not None and not isinstance(answer, HTTPException):
                    name = getattr(handler, "__qualname__", repr(handler))
                    raise TypeError(
                        f"error handler {name} returned {type(answer).__name__},"
                        " not an HTTPException or None"
                    )
                if answer is not None:
                    answer.__cause__ = e
                return answer
        return None

    def handle_error(self, e: Exception) -> Response:
        """Answer an exception raised in one of this Api's routes with JSON.

        With ``RESOURCES_ERROR_FORMAT = "problem"`` the body is an RFC 9457
        problem object (see :func:`~flask_resources.errors.problem_details`),
        served as ``application/problem+json`` where it would be JSON.

        Override it to change every error response of the Api. Outside
        debug and testing, an unhandled exception is logged and answered
        with a generic 500; with ``PROPAGATE_EXCEPTIONS`` it is re-raised,
        as Flask does, unless :attr:`errors` names its class or an
        :meth:`errorhandler` answers it.
        """
        app = current_flask_app()
        cause = e
        answer = self.translate_error(e)
        if answer is not None:
            e = answer
        custom = self.errors.get(type(e).__name__)
        if not isinstance(e, HTTPException):
            if custom is None and _propagate_exceptions(app):
                if sys.exc_info()[1] is e:
                    raise
                raise e
            got_request_exception.send(app, exception=e)
        elif e.response is not None:
            return e.get_response()

        include_message = self.include_error_message()
        data, code, headers = errors.describe(
            e, trusted=custom is not None, include_message=include_message
        )
        if code >= 500 and cause is not e and not isinstance(cause, HTTPException):
            # What the errorhandler answered for is what went wrong.
            got_request_exception.send(app, exception=cause)
        if code >= 500 and custom is None:
            app.log_exception(
                (type(cause), cause, t.cast(TracebackType, cause.__traceback__))
            )
        if custom is not None:
            data = {**data, **custom} if isinstance(data, dict) else dict(custom)
            code = custom.get("status", 500)
        if (
            code == 404
            and include_message
            and isinstance(data, dict)
            and self.help_on_404()
        ):
            message = data.get("message")
            if message is None or isinstance(message, str):
                data["message"] = errors.help_on_404(message)

        problem = errors.problem_format(app)
        if problem:
            data = errors.problem_details(data, code)
        mediatype = self._error_mediatype()
        if type(self).make_response is ResponseMixin.make_response:
            resp = self._render(mediatype, data, code, headers)
        else:
            # A subclass's make_response renders errors too, as it did with
            # Flask-RESTful, called as Flask-RESTful called it; only when
            # the client accepts nothing the Api renders does it get the
            # error's media type as a fallback, so an error never turns
            # into a 406.
            try:
                resp = self.make_response(data, code, headers)
            except NotAcceptable:
                resp = self.make_response(
                    data, code, headers, fallback_mediatype=mediatype
                )
        if problem and resp.mimetype == JSON_MEDIATYPE:
            resp.headers["Content-Type"] = errors.PROBLEM_MEDIATYPE
        if resp.status_code == 401:
            resp = self.unauthorized(resp)
        return resp

    def include_error_message(self) -> bool:
        """Whether error bodies built here carry a ``message`` (the
        exception's description, or the status phrase). Always, for this
        Api; :class:`flask_resources.restx.Api` reads the
        ``ERROR_INCLUDE_MESSAGE`` config key. Bodies given explicitly
        (``abort(404, message=...)``, an exception's ``data``) are kept as
        they are.

        .. versionadded:: 0.1
        """
        return True

    def help_on_404(self) -> bool:
        """Whether a 404's message names routes close to the requested
        path ("did you mean /cats ?"): when the ``ERROR_404_HELP`` config
        key says so.

        .. versionadded:: 0.1
        """
        return bool(current_app.config.get("ERROR_404_HELP", False))

    def _error_mediatype(self) -> str:
        """The media type to render an error in: what the client asked for
        when the Api can render it, else the first representation; an
        error is always rendered, never turned into another error."""
        representations = self.representations
        mediatype = best_match(
            current_request().environ.get("HTTP_ACCEPT"),
            self._offered(),
            self.default_mediatype,
        )
        if mediatype == HTML_MEDIATYPE and self.browsable_renderer is not None:
            mediatype = self.browsable_renderer.mediatype(mediatype)
        if mediatype in representations or mediatype == "text/plain":
            return mediatype
        return next(iter(representations), "text/plain")

    def unauthorized(self, response: Response) -> Response:
        """Add a Basic challenge to a 401 response when the Api serves one
        and the response has no challenge of its own."""
        if self.serve_challenge_on_401 and "WWW-Authenticate" not in response.headers:
            realm = current_app.config.get("HTTP_BASIC_AUTH_REALM", self.default_realm)
            response.headers["WWW-Authenticate"] = f'Basic realm="{realm}"'
        return response


def _propagate_exceptions(app: Flask) -> bool:
    """Whether Flask would re-raise an unhandled exception, as it decides in
    :meth:`flask.Flask.handle_exception`."""
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:
        return bool(app.testing or app.debug)
    return bool(propagate)
