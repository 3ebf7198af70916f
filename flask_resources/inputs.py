"""Value converters for request arguments; each raises ``ValueError``."""

from __future__ import annotations

import re
import typing as t
from calendar import timegm as timegm
from datetime import date as _date
from datetime import datetime, time, timedelta
from email.utils import mktime_tz, parsedate_tz

import aniso8601
import pytz

__all__ = [
    "boolean",
    "date",
    "datetime_from_iso8601",
    "datetime_from_rfc822",
    "int_range",
    "iso8601interval",
    "natural",
    "positive",
    "regex",
    "url",
]

#: Midnight in UTC: date-only interval bounds are upgraded to this time.
START_OF_DAY = time(0, 0, 0, tzinfo=pytz.UTC)
#: The last instant of a day in UTC.
END_OF_DAY = time(23, 59, 59, 999999, tzinfo=pytz.UTC)

# Accepts the URLs Flask-RESTful's ``url`` accepts: an http(s)/ftp(s) scheme,
# optional ``user:password@``, then a host name, ``localhost``, an IPv4 or
# an IPv6 address, an optional port and an optional path or query.
_URL_RE = re.compile(
    r"""
    ^(?:https?|ftps?)://
    (?:[^:@/]+:[^:@]*@)?
    (?:
        (?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+
        (?:[a-z]{2,6}\.?|[a-z0-9-]{2,}\.?)
      | localhost
      | \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}
      | \[?[a-f0-9]*:[a-f0-9:]+\]?
    )
    (?::\d+)?
    (?:/?|[/?]\S+)$
    """,
    re.IGNORECASE | re.VERBOSE,
)

# What follows the clock digits of an ISO 8601 time: a UTC offset or ``Z``.
#: The pattern :func:`url` checks, under Flask-RESTful's name for it.
url_regex = _URL_RE

_OFFSET_RE = re.compile(r"(?:[zZ]|[+-].*)$")


def url(value: t.Any) -> str:
    """Accept an absolute ``http``, ``https``, ``ftp`` or ``ftps`` URL.

    A value that would be valid with ``http://`` in front gets a hint in the
    error message.

    :param value: the URL to check.
    :return: the URL, unchanged.
    :raises ValueError: if ``value`` is not a valid URL.
    """
    if not isinstance(value, str) or not _URL_RE.search(value):
        message = f"{value} is not a valid URL"
        if isinstance(value, str) and _URL_RE.search(f"http://{value}"):
            message += f". Did you mean: http://{value}"
        raise ValueError(message)
    return value


class regex:
    """Accept strings in which a regular expression finds a match.

    .. code-block:: python

        parser.add_argument("zip", type=inputs.regex(r"^[0-9]{5}$"))

    :param pattern: the regular expression.
    :param flags: :mod:`re` flags, such as :data:`re.IGNORECASE`.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self.re = re.compile(pattern, flags)

    def __call__(self, value: t.Any) -> str:
        if not isinstance(value, str) or not self.re.search(value):
            raise ValueError(f'Value does not match pattern: "{self.pattern}"')
        return value

    def __deepcopy__(self, memo: dict[int, t.Any]) -> regex:
        return regex(self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"regex({self.pattern!r})"


def _to_utc(start: _date, end: _date) -> tuple[datetime, datetime]:
    """Turn interval bounds into aware UTC datetimes; dates mean midnight UTC."""
    if not isinstance(start, datetime):
        start = datetime.combine(start, START_OF_DAY)
    if not isinstance(end, datetime):
        end = datetime.combine(end, START_OF_DAY)
    if start.tzinfo is None:
        start = pytz.UTC.localize(start)
    else:
        start = start.astimezone(pytz.UTC)
    if end.tzinfo is None:
        end = pytz.UTC.localize(end)
    else:
        end = end.astimezone(pytz.UTC)
    return start, end


def _resolution(value: str) -> timedelta:
    """Return the span of the finest unit written in a datetime string."""
    clock = _OFFSET_RE.sub("", value.partition("T")[2]).partition(".")[0]
    digits = len(clock.replace(":", ""))
    # Counting digits rather than colons also reads the basic format
    # (``T1230``) right; Flask-RESTful took that for an hour.
    if digits <= 2:
        return timedelta(hours=1)
    if digits <= 4:
        return timedelta(minutes=1)
    return timedelta(seconds=1)


def _interval(value: str) -> tuple[datetime, datetime]:
    try:
        start, end = sorted(aniso8601.parse_interval(value))
        return _to_utc(start, end)
    except ValueError:
        pass
    try:
        moment: _date = aniso8601.parse_datetime(value)
    except ValueError:
        moment = aniso8601.parse_date(value)
        return _to_utc(moment, moment + timedelta(days=1))
    return _to_utc(moment, moment + _resolution(value))


def iso8601interval(
    value: t.Any, argument: str = "argument"
) -> tuple[datetime, datetime]:
    """Parse an ISO 8601 interval into a ``(start, end)`` pair of UTC datetimes.

    Accepts ``start/end``, ``start/duration`` and ``duration/end`` intervals
    as well as a single date or datetime, which stands for the span of its
    finest unit: a day, an hour, a minute or a second. The start is
    inclusive, the end exclusive. Naive values and dates are taken as UTC.

    .. code-block:: text

        2013-01-01              -> 2013-01-01T00:00Z, 2013-01-02T00:00Z
        2013-01-01T12           -> 2013-01-01T12:00Z, 2013-01-01T13:00Z
        2013-01-01T12:30+02:00  -> 2013-01-01T10:30Z, 2013-01-01T10:31Z
        2013-01-01/P3D          -> 2013-01-01T00:00Z, 2013-01-04T00:00Z
        2013-01-01/2013-02-28   -> 2013-01-01T00:00Z, 2013-02-28T00:00Z

    :param value: the interval as a string.
    :param argument: the name used in the error message.
    :raises ValueError: if ``value`` is not a valid interval.
    """
    try:
        if not isinstance(value, str):
            raise TypeError(value)
        return _interval(value)
    except (ValueError, TypeError, OverflowError, NotImplementedError) as e:
        raise ValueError(
            f"Invalid {argument}: {value}. {argument} must be a valid ISO8601"
            " date/time interval."
        ) from e


def date(value: t.Any) -> datetime:
    """Parse a ``YYYY-MM-DD`` date.

    As in Flask-RESTful the result is a :class:`~datetime.datetime` at
    midnight, not a :class:`~datetime.date`.

    :raises ValueError: if ``value`` is not a real date in that format, with
        :meth:`~datetime.datetime.strptime`'s message, as Flask-RESTful
        answered it.
    """
    if not isinstance(value, str):
        # Where strptime would raise a TypeError about its argument.
        raise ValueError(f"{value} is not a valid date")
    return datetime.strptime(value, "%Y-%m-%d")


def _get_integer(value: t.Any) -> int:
    # JSON gives true/false and floats; neither is an integer a client meant.
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"{value} is not a valid integer")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{value} is not a valid integer") from None


def natural(value: t.Any, argument: str = "argument") -> int:
    """Accept a non-negative integer: 0, 1, 2, ...

    :param argument: the name used in the error message.
    :raises ValueError: for anything else.
    """
    number = _get_integer(value)
    if number < 0:
        raise ValueError(
            f"Invalid {argument}: {number}. {argument} must be a non-negative integer"
        )
    return number


def positive(value: t.Any, argument: str = "argument") -> int:
    """Accept a positive integer: 1, 2, 3, ...

    :param argument: the name used in the error message.
    :raises ValueError: for anything else.
    """
    number = _get_integer(value)
    if number < 1:
        raise ValueError(
            f"Invalid {argument}: {number}. {argument} must be a positive integer"
        )
    return number


class int_range:
    """Accept an integer between ``low`` and ``high``, both included.

    .. code-block:: python

        parser.add_argument("stars", type=inputs.int_range(1, 5))

    :param low: the smallest value accepted.
    :param high: the largest value accepted.
    :param argument: the name used in the error message.
    """

    def __init__(self, low: int, high: int, argument: str = "argument") -> None:
        self.low = low
        self.high = high
        self.argument = argument

    def __call__(self, value: t.Any) -> int:
        number = _get_integer(value)
        if number < self.low or number > self.high:
            raise ValueError(
                f"Invalid {self.argument}: {number}. {self.argument} must be"
                f" within the range {self.low} - {self.high}"
            )
        return number

    def __repr__(self) -> str:
        return f"int_range({self.low!r}, {self.high!r})"


def boolean(value: t.Any) -> bool:
    """Parse ``"true"``/``"1"`` and ``"false"``/``"0"``, in any case.

    A :class:`bool`, as a JSON body gives, is returned unchanged.

    :raises ValueError: for anything else.
    """
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        raise ValueError("boolean type must be non-null")
    if isinstance(value, str):
        value = value.lower()
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
    raise ValueError(f"Invalid literal for boolean(): {value}")


def datetime_from_rfc822(datetime_str: t.Any) -> datetime:
    """Parse an RFC 822 date such as ``"Wed, 02 Oct 2002 08:00:00 EST"``.

    :return: an aware datetime in UTC.
    :raises ValueError: if the string is not such a date.
    """
    parsed = parsedate_tz(datetime_str) if isinstance(datetime_str, str) else None
    if parsed is None:
        raise ValueError(f"{datetime_str} is not a valid RFC 822 date")
    try:
        return datetime.fromtimestamp(mktime_tz(parsed), pytz.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"{datetime_str} is not a valid RFC 822 date") from None


def datetime_from_iso8601(datetime_str: t.Any) -> datetime:
    """Parse an ISO 8601 datetime such as ``"2012-01-01T23:30:00+02:00"``.

    :return: a datetime, aware when the string has an offset.
    :raises ValueError: if the string is not such a datetime; aniso8601's
        own error, with its message, as Flask-RESTful answered it.
    """
    try:
        result: datetime = aniso8601.parse_datetime(datetime_str)
    except ValueError:
        raise
    except (TypeError, OverflowError, NotImplementedError):
        # Where aniso8601 fails other than with a ValueError.
        raise ValueError(f"{datetime_str} is not a valid ISO 8601 datetime") from None
    return result
