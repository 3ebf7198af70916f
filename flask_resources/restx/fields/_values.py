"""Flask-RESTX's fields of single values: text, numbers, booleans, dates,
URLs and class names."""

from __future__ import annotations

import re
import typing as t
from calendar import timegm
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from email.utils import formatdate, mktime_tz, parsedate_tz
from urllib.parse import urlparse, urlunparse

import aniso8601
from flask import request, url_for

from ... import fields as core
from ._base import (
    MarshallingError,
    MinMaxMixin,
    NumberMixin,
    Raw,
    StringMixin,
    _set,
    to_marshallable_type,
)

if t.TYPE_CHECKING:
    from ...openapi.convert.fields import FieldsConverter


class String(StringMixin, Raw, core.String):
    """Output ``str(value)``.

    :param enum: documentation: the values it takes (the first is the
        example when none is given).
    :param discriminator: the key naming the model of the object (its
        default becomes the model's name); makes the field required.
    """

    enum: t.Any = None
    discriminator: t.Any = None

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        enum = kwargs.pop("enum", None)
        discriminator = kwargs.pop("discriminator", None)
        super().__init__(*args, **kwargs)
        _set(self, {"enum": enum, "discriminator": discriminator})
        self.required = self.discriminator or self.required

    def format(self, value: t.Any) -> t.Any:
        try:
            return str(value)
        except ValueError as e:
            raise MarshallingError(e) from e

    def _twin(self, default: t.Any) -> core.Raw:
        return core.String(default, self.attribute)

    def _keywords(
        self,
        converter: FieldsConverter,
        path: str,
        options: Mapping[str, t.Any] | None = None,
    ) -> dict[str, t.Any]:
        keywords = super()._keywords(converter, path, options)
        enum = keywords.get("enum")
        if enum and "examples" not in keywords:
            keywords["examples"] = [enum[0]]
        return keywords


class Integer(NumberMixin, Raw, core.Integer):
    """Output ``int(value)``; a missing value gives ``default`` (``None``)."""

    __schema_type__: t.ClassVar[t.Any] = "integer"

    def format(self, value: t.Any) -> t.Any:
        try:
            if value is None:
                return self.default
            return int(value)
        except (ValueError, TypeError) as e:
            raise MarshallingError(e) from e

    def _twin(self, default: t.Any) -> core.Raw:
        return core.Integer(default, attribute=self.attribute)


class Float(NumberMixin, Raw, core.Float):
    """Output ``float(value)``."""

    def format(self, value: t.Any) -> t.Any:
        try:
            if value is None:
                return self.default
            return float(value)
        except (ValueError, TypeError) as e:
            raise MarshallingError(e) from e

    def _twin(self, default: t.Any) -> core.Raw:
        return core.Float(default, self.attribute)


class Arbitrary(NumberMixin, Raw, core.Arbitrary):
    """Output a number of any precision as a decimal string."""

    def format(self, value: t.Any) -> t.Any:
        return str(Decimal(value))

    def _twin(self, default: t.Any) -> core.Raw:
        return core.Arbitrary(default, self.attribute)


#: Zero, as Flask-RESTX's module names it.
ZERO = Decimal()


class Fixed(NumberMixin, Raw, core.Fixed):
    """Output a number as a decimal string with ``decimals`` digits after
    the point, rounded half to even; infinity and NaN raise
    :class:`MarshallingError`."""

    def __init__(self, decimals: int = 5, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.precision = Decimal("0." + "0" * (decimals - 1) + "1")

    def format(self, value: t.Any) -> t.Any:
        number = Decimal(value)
        if not number.is_normal() and number != ZERO:
            raise MarshallingError("Invalid Fixed precision number.")
        return str(number.quantize(self.precision, rounding=ROUND_HALF_EVEN))

    def _twin(self, default: t.Any) -> core.Raw:
        twin = core.Fixed(default=default, attribute=self.attribute)
        twin.precision = self.precision
        return twin


def _boolean(value: t.Any) -> bool:
    """Flask-RESTX's ``inputs.boolean``: ``"false"`` and ``"0"`` are false."""
    if isinstance(value, bool):
        return value
    if value is None:
        raise ValueError("boolean type must be non-null")
    if not value:
        return False
    text = str(value).lower()
    if text in ("true", "1", "on"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"Invalid literal for boolean(): {text}")


class Boolean(Raw, core.Boolean):
    """Output a boolean: empty values, ``"false"`` and ``"0"`` are false,
    ``"true"``, ``"1"`` and ``"on"`` true; other text raises
    :class:`ValueError`."""

    __schema_type__: t.ClassVar[t.Any] = "boolean"

    def format(self, value: t.Any) -> t.Any:
        return _boolean(value)


_TIME = re.compile(r"\d{2}:\d{2}")


def _from_iso8601(value: str) -> datetime:
    """Flask-RESTX's ``inputs.datetime_from_iso8601``: a date alone gives
    midnight, without a time zone."""
    try:
        try:
            result: datetime = aniso8601.parse_datetime(value)
            return result
        except ValueError:
            day = aniso8601.parse_date(value)
            return datetime(day.year, day.month, day.day)
    except Exception:
        raise ValueError(f'Invalid date literal "{value}"') from None


def _from_rfc822(value: str) -> datetime:
    """Flask-RESTX's ``inputs.datetime_from_rfc822``, in UTC."""
    text = value if _TIME.search(value) else f"{value} 00:00:00"
    try:
        parsed = parsedate_tz(text)
        timestamp = mktime_tz(parsed)  # type: ignore[arg-type]
        if parsed[-1] is None:  # type: ignore[index]
            return datetime.fromtimestamp(timestamp).replace(tzinfo=UTC)
        return datetime.fromtimestamp(timestamp, UTC)
    except Exception:
        raise ValueError(f'Invalid date literal "{value}"') from None


class DateTime(MinMaxMixin, Raw, core.DateTime):
    """Output a datetime (or date, or date text) as ISO 8601 (the default)
    or RFC 822 text in UTC.

    :param dt_format: ``"iso8601"`` or ``"rfc822"``.
    """

    __schema_type__: t.ClassVar[t.Any] = "string"
    __schema_format__: t.ClassVar[t.Any] = "date-time"

    def __init__(self, dt_format: str = "iso8601", **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.dt_format = dt_format

    def parse(self, value: t.Any) -> t.Any:
        """Turn text, a date or a datetime into a datetime."""
        if value is None:
            return None
        if isinstance(value, str):
            if self.dt_format == "iso8601":
                return _from_iso8601(value)
            return _from_rfc822(value)
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        raise ValueError("Unsupported DateTime format")

    def format(self, value: t.Any) -> t.Any:
        try:
            value = self.parse(value)
            if self.dt_format == "iso8601":
                return self.format_iso8601(value)
            if self.dt_format == "rfc822":
                return self.format_rfc822(value)
            raise MarshallingError(f"Unsupported date format {self.dt_format}")
        except (AttributeError, ValueError) as e:
            raise MarshallingError(e) from e

    def format_rfc822(self, dt: datetime) -> str:
        """``dt`` as RFC 822 text in UTC."""
        return formatdate(timegm(dt.utctimetuple()))

    def format_iso8601(self, dt: datetime) -> str:
        """``dt`` as ISO 8601 text."""
        return dt.isoformat()

    def _for_schema(self, name: str) -> t.Any:
        value = self.parse(self._v(name))
        return self.format(value) if value else None

    def _schema_default(self) -> t.Any:
        return self._for_schema("default")

    def _keywords(
        self,
        converter: FieldsConverter,
        path: str,
        options: Mapping[str, t.Any] | None = None,
    ) -> dict[str, t.Any]:
        # JSON Schema bounds are numbers: a date's go in the ``format...``
        # keywords (ajv's), which are valid annotations in OpenAPI 3.1.
        bounds = dict.fromkeys(("min", "max", "exclusiveMin", "exclusiveMax"))
        keywords = super()._keywords(converter, path, {**bounds, **(options or {})})
        for bound, exclusive, keyword in (
            ("min", "exclusiveMin", "Minimum"),
            ("max", "exclusiveMax", "Maximum"),
        ):
            value = self._for_schema(bound)
            if value is not None:
                prefix = "formatExclusive" if self._v(exclusive) else "format"
                keywords[prefix + keyword] = value
        return keywords


class Date(DateTime):
    """Output a date (or datetime, or date text) as ISO 8601 ``YYYY-MM-DD``."""

    __schema_format__: t.ClassVar[t.Any] = "date"

    def __init__(self, **kwargs: t.Any) -> None:
        kwargs.pop("dt_format", None)
        super().__init__(dt_format="iso8601", **kwargs)

    def parse(self, value: t.Any) -> t.Any:
        if value is None:
            return None
        if isinstance(value, str):
            return _from_iso8601(value).date()
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raise ValueError("Unsupported Date format")


class Url(StringMixin, Raw, core.Url):
    """Output the URL of an endpoint for the object.

    :param endpoint: the endpoint; ``None`` uses the request's.
    :param absolute: include scheme and host.
    :param scheme: the scheme of an absolute URL.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        absolute: bool = False,
        scheme: str | None = None,
        **kwargs: t.Any,
    ) -> None:
        super().__init__(**kwargs)
        self.endpoint = endpoint
        self.absolute = absolute
        self.scheme = scheme

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        try:
            data = to_marshallable_type(obj)
            endpoint = self.endpoint if self.endpoint is not None else request.endpoint
            parts = urlparse(url_for(endpoint, _external=self.absolute, **data))  # type: ignore[arg-type]
            if self.absolute:
                scheme = self.scheme if self.scheme is not None else parts.scheme
                return urlunparse((scheme, parts.netloc, parts.path, "", "", ""))
            return urlunparse(("", "", parts.path, "", "", ""))
        except TypeError as e:
            raise MarshallingError(e) from e


class FormattedString(StringMixin, Raw, core.FormattedString):
    """Output a :meth:`str.format` template filled from the object.

    :param src_str: the template, such as ``"Hello {name}"``.
    """

    def __init__(self, src_str: str, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.src_str = str(src_str)

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        try:
            data = to_marshallable_type(obj)
            return self.src_str.format(**data)
        except (TypeError, IndexError) as e:
            raise MarshallingError(e) from e


_FIRST_CAP = re.compile("(.)([A-Z][a-z]+)")
_ALL_CAP = re.compile("([a-z0-9])([A-Z])")


def _camel_to_dash(value: str) -> str:
    return _ALL_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", value)).lower()


class ClassName(String):
    """Output the object's class name (``"object"`` for a dict).

    :param dash: turn ``CamelCase`` into ``camel_case``.
    """

    def __init__(self, dash: bool = False, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.dash = dash

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        name = type(obj).__name__
        if name == "dict":
            return "object"
        return _camel_to_dash(name) if self.dash else name
