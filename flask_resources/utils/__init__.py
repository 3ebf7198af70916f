"""Helpers at the paths Flask-RESTful code imports them from."""

from __future__ import annotations

# OrderedDict, sys and PY3 are importable from flask_restful.utils.
import sys as sys
from collections import OrderedDict as OrderedDict

from werkzeug.http import HTTP_STATUS_CODES

from .._utils import unpack as unpack

__all__ = ["http_status_message", "unpack"]

#: Always true: kept for code written when Flask-RESTful ran on Python 2.
PY3 = True


def http_status_message(code: int) -> str:
    """The reason phrase of a status code (``"Not Found"`` for 404), or an
    empty string for a code without one."""
    return HTTP_STATUS_CODES.get(code, "")
