"""``HTTPStatus``, at the path Flask-RESTX code imports it from."""

from __future__ import annotations

# Flask-RESTX carried a copy of the standard library's enum from when it
# supported Python 2; the standard one has the same members, ``phrase`` and
# ``description``, and ``str()`` of a member is its number on Python 3.11+.
from http import HTTPStatus as HTTPStatus

__all__ = ["HTTPStatus"]
