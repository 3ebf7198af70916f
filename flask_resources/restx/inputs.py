"""Flask-RESTX's ``inputs``: value converters, each documented by ``__schema__``.

A converter raises :exc:`ValueError`, whose message becomes the 400 body's.
``__schema__`` is the Swagger 2.0 description Flask-RESTX gave each one;
``openapi_schema`` is what the OpenAPI 3.1 document says (they differ only
where Swagger 2.0 and JSON Schema 2020-12 do). A converter of your own is
documented the same way::

    def my_type(value):
        if not value.startswith("my-"):
            raise ValueError("This is not my type")
        return value[3:]

    my_type.__schema__ = {"type": "string", "pattern": "^my-"}

The checks are those of :mod:`flask_resources.inputs` where Flask-RESTX's
behave the same; :func:`boolean`, :func:`datetime_from_iso8601`,
:func:`datetime_from_rfc822` and :func:`url` keep Flask-RESTX's behaviour
where it differs from Flask-RESTful's.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from datetime import date as _date
from email.utils import parsedate_tz

import aniso8601

from .. import inputs as _core
from ..inputs import email_regex as email_regex
from ..inputs import netloc_regex as netloc_regex

__all__ = [
    "URL",
    "boolean",
    "date",
    "date_from_iso8601",
    "datetime_from_iso8601",
    "datetime_from_rfc822",
    "email",
    "int_range",
    "ip",
    "ipv4",
    "ipv6",
    "iso8601interval",
    "natural",
    "positive",
    "regex",
    "url",
]

#: Midnight in UTC: date-only interval bounds are upgraded to this time.
START_OF_DAY = time(0, 0, 0, tzinfo=UTC)
#: The last instant of a day in UTC.
END_OF_DAY = time(23, 59, 59, 999999, tzinfo=UTC)

#: Whether an RFC 822 date has a time: :func:`datetime_from_rfc822` takes
#: midnight when it finds none.
time_regex = re.compile(r"\d{2}:\d{2}")

_F = t.TypeVar("_F", bound=Callable[..., t.Any])


def _documented(
    swagger: dict[str, t.Any] | None, openapi: dict[str, t.Any] | None = None
) -> Callable[[_F], _F]:
    """Give a converter Flask-RESTX's ``__schema__`` and the
    ``openapi_schema`` the OpenAPI document reads (``swagger`` if not
    given)."""

    def document(func: _F) -> _F:
        if swagger is not None:
            func.__dict__["__schema__"] = swagger
        func.__dict__["openapi_schema"] = openapi if openapi is not None else swagger
        return func

    return document


@_documented({"type": "string", "format": "ipv4"})
def ipv4(value: t.Any) -> str:
    """Accept an IPv4 address; see :func:`flask_resources.inputs.ipv4`."""
    return _core.ipv4(value)


@_documented({"type": "string", "format": "ipv6"})
def ipv6(value: t.Any) -> str:
    """Accept an IPv6 address; see :func:`flask_resources.inputs.ipv6`."""
    return _core.ipv6(value)


@_documented(
    {"type": "string", "format": "ip"},
    {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
)
def ip(value: t.Any) -> str:
    """Accept an IPv4 or IPv6 address; see :func:`flask_resources.inputs.ip`."""
    return _core.ip(value)


class URL(_core.URL):
    """Accept an absolute URL; see :class:`flask_resources.inputs.URL`.

    .. code-block:: python

        parser.add_argument("url", type=inputs.URL(schemes=["http", "https"]))

    Takes its options positionally too, in Flask-RESTX's order.
    """

    def __init__(
        self,
        check: bool = False,
        ip: bool = False,
        local: bool = False,
        port: bool = False,
        auth: bool = False,
        schemes: t.Collection[str] | None = None,
        domains: t.Collection[str] | None = None,
        exclude: t.Collection[str] | None = None,
    ) -> None:
        super().__init__(
            check=check,
            ip=ip,
            local=local,
            port=port,
            auth=auth,
            schemes=schemes,
            domains=domains,
            exclude=exclude,
        )

    @property
    def __schema__(self) -> dict[str, t.Any]:
        return {"type": "string", "format": "url"}


#: Flask-RESTX's URL check: ``http``, ``https``, ``ftp`` or ``ftps``, with
#: credentials, a port, an IP address or ``localhost`` allowed.
url = URL(
    ip=True, auth=True, port=True, local=True, schemes=("http", "https", "ftp", "ftps")
)


class email(_core.email):
    """Accept an email address; see :class:`flask_resources.inputs.email`.

    .. code-block:: python

        parser.add_argument("email", type=inputs.email(check=True))

    Takes its options positionally too, in Flask-RESTX's order.
    """

    def __init__(
        self,
        check: bool = False,
        ip: bool = False,
        local: bool = False,
        domains: t.Collection[str] | None = None,
        exclude: t.Collection[str] | None = None,
    ) -> None:
        super().__init__(
            check=check, ip=ip, local=local, domains=domains, exclude=exclude
        )

    @property
    def __schema__(self) -> dict[str, t.Any]:
        return {"type": "string", "format": "email"}


class regex(_core.regex):
    """Accept strings in which a regular expression finds a match.

    .. code-block:: python

        parser.add_argument("example", type=inputs.regex("^[0-9]+$"))
    """

    @property
    def __schema__(self) -> dict[str, t.Any]:
        return {"type": "string", "pattern": self.pattern}


@_documented({"type": "string", "format": "iso8601-interval"})
def iso8601interval(
    value: t.Any, argument: str = "argument"
) -> tuple[datetime, datetime]:
    """Parse an ISO 8601 interval into a ``(start, end)`` pair in UTC.

    See :func:`flask_resources.inputs.iso8601interval` for what is accepted;
    the datetimes' ``tzinfo`` is :data:`datetime.UTC`.

    :param argument: the name used in the error message.
    :raises ValueError: if ``value`` is not a valid interval.
    """
    if not value:
        raise ValueError("Expected a valid ISO8601 date/time interval.")
    start, end = _core.iso8601interval(value, argument)
    return start.astimezone(UTC), end.astimezone(UTC)


@_documented({"type": "string", "format": "date"})
def date(value: t.Any) -> datetime:
    """Parse a ``YYYY-MM-DD`` date into a :class:`~datetime.datetime` at
    midnight; see :func:`flask_resources.inputs.date`."""
    return _core.date(value)


@_documented({"type": "integer", "minimum": 0})
def natural(value: t.Any, argument: str = "argument") -> int:
    """Accept a non-negative integer; see :func:`flask_resources.inputs.natural`."""
    return _core.natural(value, argument)


@_documented(
    {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
    {"type": "integer", "minimum": 1},
)
def positive(value: t.Any, argument: str = "argument") -> int:
    """Accept a positive integer; see :func:`flask_resources.inputs.positive`."""
    return _core.positive(value, argument)


class int_range(_core.int_range):
    """Accept an integer between ``low`` and ``high``, both included."""

    @property
    def __schema__(self) -> dict[str, t.Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


@_documented({"type": "boolean"})
def boolean(value: t.Any) -> bool:
    """Parse ``"true"``, ``"1"`` or ``"on"`` and ``"false"`` or ``"0"``, in
    any case, as Flask-RESTX does.

    A :class:`bool` is returned unchanged, any other false value (``""``,
    ``0``, ``[]``) is ``False``, and other values are read as their text.

    :raises ValueError: for ``None`` and anything else.
    """
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


@_documented(None, {"type": "string", "description": "RFC 822 date and time"})
def datetime_from_rfc822(value: t.Any) -> datetime:
    """Parse an RFC 822 date such as ``"Wed, 02 Oct 2002 08:00:00 EST"``.

    Without a time, the date means midnight; without a zone, UTC.

    :return: an aware datetime in UTC.
    :raises ValueError: if ``value`` is not such a date.
    """
    if isinstance(value, str):
        text = value if time_regex.search(value) else f"{value} 00:00:00"
        try:
            parsed = parsedate_tz(text)
            if parsed is not None:
                moment = datetime(*parsed[:6], tzinfo=UTC)
                return moment - timedelta(seconds=parsed[9] or 0)
        except (ValueError, TypeError, IndexError, OverflowError):
            pass
    raise ValueError(f'Invalid date literal "{value}"')


@_documented({"type": "string", "format": "date-time"})
def datetime_from_iso8601(value: t.Any) -> datetime:
    """Parse an ISO 8601 datetime such as ``"2012-01-01T23:30:00+02:00"``,
    or a date, which means midnight.

    :return: a datetime, aware when ``value`` has an offset.
    :raises ValueError: if ``value`` is neither.
    """
    try:
        try:
            moment: datetime = aniso8601.parse_datetime(value)
        except ValueError:
            day: _date = aniso8601.parse_date(value)
            moment = datetime(day.year, day.month, day.day)
    except (ValueError, TypeError, OverflowError, NotImplementedError):
        raise ValueError(f'Invalid date literal "{value}"') from None
    return moment


@_documented({"type": "string", "format": "date"})
def date_from_iso8601(value: t.Any) -> _date:
    """Parse an ISO 8601 date, or the date of a datetime, such as
    ``"2012-01-01"``.

    :raises ValueError: if ``value`` is neither.
    """
    return datetime_from_iso8601(value).date()
