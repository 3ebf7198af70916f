"""Flask-RESTX's ``abort`` and error classes, over :mod:`flask_resources.exceptions`."""

from __future__ import annotations

import typing as t

from ..exceptions import FlaskResourcesError
from ..exceptions import abort as _abort

__all__ = ["RestError", "SpecsError", "ValidationError", "abort"]


def abort(code: int = 500, message: t.Any = None, **kwargs: t.Any) -> t.NoReturn:
    """Stop the request with an HTTP error, as Flask-RESTX's ``abort`` does.

    ``abort(404, "No such cat", id=3)`` answers 404 with
    ``{"message": "No such cat", "id": 3}``; ``abort(403)`` with
    ``{"message": <the status's standard description>}``. The exception
    raised is Werkzeug's class for the code, carrying the body as ``data``
    (no ``data`` attribute when there is no body), as Flask-RESTX's is.

    :param code: the HTTP status, 4xx or 5xx.
    :param message: the ``message`` of the body, turned into a string.
    :param kwargs: more members of the body.
    """
    if message:
        kwargs["message"] = str(message)
    _abort(code, **kwargs)


class RestError(FlaskResourcesError):
    """The base of Flask-RESTX's error classes; ``str()`` gives ``msg``.

    :param msg: what went wrong.
    """

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg

    def __str__(self) -> str:
        return self.msg


class ValidationError(RestError):
    """Data failed validation."""


class SpecsError(RestError):
    """The specifications contradict themselves."""
