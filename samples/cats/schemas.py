"""What a cat looks like on the wire."""

from __future__ import annotations

import datetime
import re
import typing as t

import marshmallow as ma
from marshmallow import fields, validate

# Control characters (PostgreSQL refuses NUL) and lone surrogates (which
# ``\\ud800`` in JSON decodes to, and which cannot be stored as UTF-8).
_CONTROL = r"\x00-\x1f\x7f-\x9f\ud800-\udfff"
# The other characters str.isspace() calls whitespace.
_SPACE = r"\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A name: no control character, and one character at least that is not
#: whitespace. Written with escapes that JSON Schema's regular expressions
#: (ECMA 262) and Python's read alike, so the document states the rule.
NAME_PATTERN: t.Final = f"^[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*$"
_NAME = re.compile(NAME_PATTERN)
_ANY_CONTROL = re.compile(f"[{_CONTROL}]")


def _printable(value: str) -> None:
    """Refuse blank names and names a database might choke on."""
    if _ANY_CONTROL.search(value):
        raise ma.ValidationError("Must not contain control characters.")
    # fullmatch: Python's ``$`` would also match before a final newline.
    if not _NAME.fullmatch(value):
        raise ma.ValidationError("Must not be blank.")


# What the OpenAPI document says of the rule (see docs/guide/contract.md).
_printable.openapi_schema = {"pattern": NAME_PATTERN}  # type: ignore[attr-defined]


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
