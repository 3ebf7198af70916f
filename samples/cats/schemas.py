"""What a cat looks like on the wire."""

from __future__ import annotations

import datetime
import typing as t
import unicodedata

import marshmallow as ma
from marshmallow import fields, validate


def _printable(value: str) -> None:
    """Refuse blank names and names a database might choke on: control
    characters (PostgreSQL refuses NUL) and lone surrogates (which ``\\ud800``
    in JSON decodes to, and which cannot be stored as UTF-8)."""
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise ma.ValidationError("Must not contain control characters.")


def _not_in_future(value: datetime.date) -> None:
    if value > datetime.date.today():
        raise ma.ValidationError("Must not be in the future.")


class CatSchema(ma.Schema):
    """A cat. ``id`` is the server's to give: sent in a body, it is refused
    like any other unknown field."""

    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=[validate.Length(1, 50), _printable])
    # strict: 3 is an age, "3" and 3.5 are not.
    age = fields.Int(strict=True, allow_none=True, validate=validate.Range(0, 40))
    born = fields.Date(allow_none=True, validate=_not_in_future)


#: PATCH: every field optional, the rules otherwise the same.
cat_patch_schema: t.Final = CatSchema(partial=True)
