"""Value converters for request arguments; each raises ``ValueError``."""

from __future__ import annotations

import ipaddress
import re
import socket
import typing as t
from calendar import timegm as timegm
from collections.abc import Callable
from datetime import date as _date
from datetime import datetime, time, timedelta
from email.utils import mktime_tz, parsedate_tz
from urllib.parse import urlsplit

import aniso8601
import pytz

__all__ = [
    "URL",
    "boolean",
    "date",
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

    def __deepcopy__(self, memo: dict[int, t.Any]) -> t.Self:
        return type(self)(self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"regex({self.pattern!r})"


def _address(value: t.Any, parse: Callable[[str], object], kind: str) -> str:
    """``value`` unchanged when ``parse`` takes it as an address."""
    if isinstance(value, str):
        try:
            parse(value)
        except ValueError:
            pass
        else:
            return value
    raise ValueError(f"{value} is not a valid {kind} address")


def ipv4(value: t.Any) -> str:
    """Accept an IPv4 address in dotted-quad form, such as ``"192.0.2.1"``.

    :return: the address, unchanged.
    :raises ValueError: for anything else.

    .. versionadded:: 0.1
    """
    return _address(value, ipaddress.IPv4Address, "ipv4")


def ipv6(value: t.Any) -> str:
    """Accept an IPv6 address, such as ``"2001:db8::1"``.

    :return: the address, unchanged.
    :raises ValueError: for anything else.

    .. versionadded:: 0.1
    """
    return _address(value, ipaddress.IPv6Address, "ipv6")


def ip(value: t.Any) -> str:
    """Accept an IPv4 or an IPv6 address.

    :return: the address, unchanged.
    :raises ValueError: for anything else.

    .. versionadded:: 0.1
    """
    try:
        return ipv4(value)
    except ValueError:
        pass
    try:
        return ipv6(value)
    except ValueError:
        raise ValueError(f"{value} is not a valid ip") from None


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolves(host: str) -> bool:
    """Whether a DNS lookup of ``host`` finds an address."""
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return True


#: The host part of a URL, as :class:`URL` reads it: optional credentials
#: (``user:password@``), then ``localhost``, an IPv4 address, an IPv6
#: address (bracketed or not) or a domain name, then an optional port.
netloc_regex = re.compile(
    r"""
    \A
    (?:(?P<auth>[^:@/]+(?::[^:@/]*)?)@)?
    (?:
        (?P<localhost>localhost)
      | (?P<ipv4>\d{1,3}(?:\.\d{1,3}){3})
      | \[?(?P<ipv6>[0-9a-f]*:[0-9a-f:]+)\]?
      | (?P<domain>
            (?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+
            (?:[a-z]{2,6}\.?|[a-z0-9-]{2,}\.?)
        )
    )
    (?::(?P<port>\d{1,5}))?
    \Z
    """,
    re.IGNORECASE | re.VERBOSE,
)


class URL:
    """Accept an absolute URL, with what its host part may hold chosen.

    By default only a domain name is accepted as the host, without
    credentials or a port, under any scheme:

    .. code-block:: python

        parser.add_argument("homepage", type=inputs.URL(schemes=("https",)))

    A value that would be valid with ``http://`` in front gets a hint in the
    error message. :func:`url` is Flask-RESTful's more lenient check.

    :param check: also look the domain up in the DNS (a blocking call).
    :param ip: accept an IPv4 or IPv6 address as the host.
    :param local: accept ``localhost`` and loopback addresses.
    :param port: accept a port.
    :param auth: accept ``user:password@``.
    :param schemes: the schemes accepted; any if not given.
    :param domains: the only domains accepted.
    :param exclude: domains refused.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        *,
        check: bool = False,
        ip: bool = False,
        local: bool = False,
        port: bool = False,
        auth: bool = False,
        schemes: t.Collection[str] | None = None,
        domains: t.Collection[str] | None = None,
        exclude: t.Collection[str] | None = None,
    ) -> None:
        self.check = check
        self.ip = ip
        self.local = local
        self.port = port
        self.auth = auth
        self.schemes = schemes
        self.domains = domains
        self.exclude = exclude

    def error(self, value: t.Any, details: str | None = None) -> t.NoReturn:
        """Raise the :exc:`ValueError` for ``value``, with ``details``."""
        message = f"{value} is not a valid URL"
        if details:
            message = f"{message}. {details}"
        raise ValueError(message)

    def __call__(self, value: t.Any) -> str:
        if not isinstance(value, str):
            self.error(value)
        try:
            parts = urlsplit(value)
        except ValueError:  # an unclosed bracket around an IPv6 host
            self.error(value)
        if not parts.scheme or not parts.netloc:
            if "://" not in value and _looks_like_host(value):
                self.error(value, f"Did you mean: http://{value}")
            self.error(value)
        if self.schemes and parts.scheme not in self.schemes:
            self.error(value, "Protocol is not allowed")
        match = netloc_regex.match(parts.netloc)
        if match is None:
            self.error(value)
        address = match["ipv4"] or match["ipv6"]
        if address:
            if not self.ip:
                self.error(value, "IP is not allowed")
            try:
                ip(address)
            except ValueError as e:
                self.error(value, str(e))
            if not self.local and _is_loopback(address):
                self.error(value, "Localhost is not allowed")
        if match["auth"] and not self.auth:
            self.error(value, "Authentication is not allowed")
        if match["localhost"] and not self.local:
            self.error(value, "Localhost is not allowed")
        port = match["port"]
        if port:
            if not self.port:
                self.error(value, "Custom port is not allowed")
            if not 0 < int(port) <= 65535:
                self.error(value, "Port is out of range")
        domain = match["domain"]
        if domain:
            if (self.domains and domain not in self.domains) or (
                self.exclude and domain in self.exclude
            ):
                self.error(value, "Domain is not allowed")
            if self.check and not _resolves(domain):
                self.error(value, "Domain does not exists")
        return value

    def __repr__(self) -> str:
        options = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in (
                "check",
                "ip",
                "local",
                "port",
                "auth",
                "schemes",
                "domains",
                "exclude",
            )
            if getattr(self, name)
        )
        return f"{type(self).__name__}({options})"


def _looks_like_host(value: str) -> bool:
    """Whether ``value`` would be a URL with ``http://`` in front."""
    try:
        netloc = urlsplit(f"http://{value}").netloc
    except ValueError:
        return False
    return netloc_regex.match(netloc) is not None


# Anything up to one ``@``, not ending with a dot; then dot-separated labels.
email_regex = re.compile(
    r"""
    \A
    (?P<local>[^@]*[^@.])
    @
    (?P<server>[^@.]+(?:\.[^@.]+)*)
    \Z
    """,
    re.VERBOSE,
)


class email:
    """Accept an email address, ``local-part@domain``.

    The check is deliberately loose about the local part: anything but a
    second ``@``, two dots in a row or a dot before the ``@``. By default the
    domain must be a name, not an IP address or ``localhost``.

    .. code-block:: python

        parser.add_argument("contact", type=inputs.email(check=True))

    :param check: also look the domain up in the DNS (a blocking call).
    :param ip: accept an IP address as the domain.
    :param local: accept ``localhost`` and loopback addresses.
    :param domains: the only domains accepted.
    :param exclude: domains refused.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        *,
        check: bool = False,
        ip: bool = False,
        local: bool = False,
        domains: t.Collection[str] | None = None,
        exclude: t.Collection[str] | None = None,
    ) -> None:
        self.check = check
        self.ip = ip
        self.local = local
        self.domains = domains
        self.exclude = exclude

    def error(self, value: t.Any, message: str | None = None) -> t.NoReturn:
        """Raise the :exc:`ValueError` for ``value``; ``{0}`` in ``message``
        stands for it."""
        raise ValueError((message or "{0} is not a valid email").format(value))

    def __call__(self, value: t.Any) -> str:
        if not isinstance(value, str):
            self.error(value)
        match = email_regex.match(value)
        if match is None or ".." in value:
            self.error(value)
        server = match["server"]
        if self.check and not _resolves(server):
            self.error(value)
        if self.domains and server not in self.domains:
            self.error(value, "{0} does not belong to the authorized domains")
        if self.exclude and server in self.exclude:
            self.error(value, "{0} belongs to a forbidden domain")
        if not self.local and _is_loopback(server):
            self.error(value)
        if not self.ip and _is_address(server):
            self.error(value)
        return value

    def __repr__(self) -> str:
        options = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("check", "ip", "local", "domains", "exclude")
            if getattr(self, name)
        )
        return f"{type(self).__name__}({options})"


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
