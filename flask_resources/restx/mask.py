"""Flask-RESTX's field masks: ``"{name,owner{name}}"`` parsed into a
:class:`Mask` that filters data or a model's fields."""

from __future__ import annotations

import re
import typing as t
from collections import OrderedDict
from collections.abc import Mapping

from werkzeug.exceptions import BadRequest

from .. import fields as core
from ..exceptions import HTTPError
from . import fields
from .errors import RestError

#: The tokens of a mask; anything else in it is ignored.
LEXER = re.compile(r"\{|\}|\,|[\w_:\-\*]+")


class MaskError(RestError, HTTPError, BadRequest):
    """A mask cannot be applied, such as ``"name{first}"`` on a string field.

    Inside a request it answers 400 with Flask-RESTX's body,
    ``{"message": "Mask error: <reason>"}``, under any
    :class:`~flask_resources.Api`.

    :param msg: the reason.
    """

    #: What the message in the 400 body starts with.
    prefix: t.ClassVar[str] = "Mask error"

    def __init__(self, msg: str) -> None:
        HTTPError.__init__(self, msg, data={"message": f"{self.prefix}: {msg}"})
        self.msg = msg

    def __str__(self) -> str:
        return str(self.msg)


class ParseError(MaskError):
    """A mask's text is malformed, such as ``"name{"``; inside a request it
    answers 400, ``{"message": "Mask parse error: <reason>"}``."""

    prefix: t.ClassVar[str] = "Mask parse error"


class Mask(OrderedDict[str, t.Any]):
    """A parsed mask: each kept key maps to ``True``, or to the
    :class:`Mask` of its own keys.

    ``Mask("name, owner{name}")`` is ``{"name": True, "owner": {"name":
    True}}``; the outer brackets are optional, and ``*`` keeps every other
    key.

    :param mask: the text to parse, or a dict (or Mask) to copy.
    :param skip: leave out keys missing from the data instead of giving
        them ``None``.
    :raises ParseError: if the text is malformed.
    """

    def __init__(
        self,
        mask: str | Mapping[str, t.Any] | None = None,
        skip: bool = False,
        **kwargs: t.Any,
    ) -> None:
        self.skip = skip
        if isinstance(mask, str):
            super().__init__()
            self.parse(mask)
        elif isinstance(mask, Mapping):
            super().__init__(mask, **kwargs)
        else:
            super().__init__(**kwargs)

    def parse(self, mask: str) -> None:
        """Add the keys of the mask text ``mask`` to this one.

        :raises ParseError: if the text is malformed.
        """
        if not mask:
            return
        mask = self.clean(mask)
        fields = self
        previous: str | None = None
        stack: list[Mask] = []
        for token in LEXER.findall(mask):
            if token == "{":
                if previous not in fields:
                    raise ParseError("Unexpected opening bracket")
                assert previous is not None
                fields[previous] = Mask(skip=self.skip)
                stack.append(fields)
                fields = fields[previous]
            elif token == "}":
                if not stack:
                    raise ParseError("Unexpected closing bracket")
                fields = stack.pop()
            elif token == ",":
                if previous in (",", "{", None):
                    raise ParseError("Unexpected comma")
            else:
                fields[token] = True
            previous = token
        if stack:
            raise ParseError("Missing closing bracket")

    def clean(self, mask: str) -> str:
        """``mask`` without line breaks, spaces around it and its optional
        outer brackets.

        :raises ParseError: if an opening outer bracket is not closed.
        """
        mask = mask.replace("\n", "").strip()
        if mask[:1] == "{":
            if mask[-1] != "}":
                raise ParseError("Missing closing bracket")
            mask = mask[1:-1]
        return mask

    def apply(self, data: t.Any) -> t.Any:
        """Filter ``data`` with this mask.

        ``data`` is a dict, an object (its attributes), a list of them, or
        a model or fields dict, which gives a fields dict with the masked
        fields (a :class:`~flask_resources.restx.fields.Nested` or ``List``
        field with its model masked, a ``Raw`` field masking its value).

        :raises MaskError: if the mask goes inside a field that has no keys.
        """
        if isinstance(data, (list, tuple, set)):
            return [self.apply(item) for item in data]
        if isinstance(data, (fields.Nested, fields.List, fields.Polymorph)):
            return data.clone(self)
        if type(data) in (fields.Raw, core.Raw):
            return fields.Raw(default=data.default, attribute=data.attribute, mask=self)
        if data in (fields.Raw, core.Raw):
            return fields.Raw(mask=self)
        if isinstance(data, core.Nested):
            return fields.Nested(
                self.apply(data.nested),
                allow_null=data.allow_null,
                default=data.default,
                attribute=data.attribute,
            )
        if isinstance(data, core.Raw) or (
            isinstance(data, type) and issubclass(data, core.Raw)
        ):
            raise MaskError("Mask is inconsistent with model")
        if not isinstance(data, Mapping) and hasattr(data, "__dict__"):
            data = data.__dict__
        return self.filter_data(data)

    def filter_data(self, data: Mapping[t.Any, t.Any]) -> dict[t.Any, t.Any]:
        """The keys of ``data`` this mask keeps, inner masks applied."""
        out: dict[t.Any, t.Any] = {}
        for name, content in self.items():
            if name == "*":
                continue
            if isinstance(content, Mask):
                nested = data.get(name, None)
                if self.skip and nested is None:
                    continue
                out[name] = None if nested is None else content.apply(nested)
            elif self.skip and name not in data:
                continue
            else:
                out[name] = data.get(name, None)
        if "*" in self:
            for key, value in data.items():
                if key not in out:
                    out[key] = value
        return out

    def __str__(self) -> str:
        parts = (
            f"{key}{value}" if isinstance(value, Mask) else key
            for key, value in self.items()
        )
        return "{" + ",".join(parts) + "}"


def apply(data: t.Any, mask: str | Mapping[str, t.Any], skip: bool = False) -> t.Any:
    """Filter ``data`` (data or a model) with ``mask``, parsed or not.

    :param skip: leave out keys missing from the data.
    :raises MaskError: if the mask cannot be applied.
    """
    return Mask(mask, skip).apply(data)
