"""Helpers at the paths Flask-RESTful code imports them from."""

from __future__ import annotations

from werkzeug.http import HTTP_STATUS_CODES

from .._utils import unpack as unpack


def http_status_message(code: int) -> str:
    """The reason phrase of a status code (``"Not Found"`` for 404), or an
    empty string for a code without one."""
    return HTTP_STATUS_CODES.get(code, "")
