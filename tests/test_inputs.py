"""Tests for the value converters in flask_resources.inputs."""

from __future__ import annotations

import copy
import re
import socket
import typing as t
from datetime import datetime, timedelta, timezone

import aniso8601
import pytest
import pytz

from flask_resources import inputs

UTC = pytz.UTC


@pytest.mark.parametrize(
    "value",
    [
        "http://www.djangoproject.com/",
        "http://localhost/",
        "http://example.com/",
        "http://www.example.com/",
        "http://www.example.com:8000/test",
        "http://valid-with-hyphens.com/",
        "http://subdomain.example.com/",
        "http://200.8.9.10/",
        "http://200.8.9.10:8000/test",
        "http://valid-----hyphens.com/",
        "http://example.com?something=value",
        "http://example.com/index.php?something=value&another=value2",
        "http://foo:bar@example.com",
        "http://foo:@example.com",
        "http://foo:@2001:db8:85a3::8a2e:370:7334",
        "http://foo2:qd1%r@example.com",
        "https://example.com/path",
        "ftp://files.example.org/a.txt",
        "HTTP://EXAMPLE.COM/",
    ],
)
def test_url_valid(value: str) -> None:
    assert inputs.url(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "foo",
        "http://",
        "http://example",
        "http://example.",
        "http://.com",
        "http://invalid-.com",
        "http://-invalid.com",
        "http://inv-.alid-.com",
        "http://inv-.-alid.com",
        "foo bar baz",
        "foo \u2713",
        "http://@foo:bar@example.com",
        "http://:bar@example.com",
        "http://bar:bar:bar@example.com",
        "",
        42,
        None,
    ],
)
def test_url_invalid(value: t.Any) -> None:
    with pytest.raises(ValueError) as info:
        inputs.url(value)
    assert str(info.value) == f"{value} is not a valid URL"


@pytest.mark.parametrize(
    "value",
    [
        "google.com",
        "domain.google.com",
        "kevin:pass@google.com/path?query",
        "google.com/path?\u2713",
    ],
)
def test_url_suggests_scheme(value: str) -> None:
    with pytest.raises(ValueError) as info:
        inputs.url(value)
    assert (
        str(info.value) == f"{value} is not a valid URL. Did you mean: http://{value}"
    )


def test_regex_matches() -> None:
    digits = inputs.regex(r"^[0-9]+$")
    assert digits("123") == "123"


@pytest.mark.parametrize("value", ["abc", "12a", "", 12, None])
def test_regex_rejects(value: t.Any) -> None:
    with pytest.raises(
        ValueError, match=r'Value does not match pattern: "\^\[0-9\]\+\$"'
    ):
        inputs.regex(r"^[0-9]+$")(value)


def test_regex_flags_and_deepcopy() -> None:
    word = inputs.regex("^abc$", re.IGNORECASE)
    clone = copy.deepcopy(word)
    assert clone is not word
    assert clone("ABC") == "ABC"
    assert clone.flags == re.IGNORECASE
    assert repr(word) == "regex('^abc$')"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("1", True),
        ("false", False),
        ("FaLSE", False),
        ("0", False),
    ],
)
def test_boolean(value: t.Any, expected: bool) -> None:
    assert inputs.boolean(value) is expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("blah", "Invalid literal for boolean(): blah"),
        ("YES", "Invalid literal for boolean(): yes"),
        ("", "boolean type must be non-null"),
        (None, "boolean type must be non-null"),
        (1, "Invalid literal for boolean(): 1"),
        (0, "Invalid literal for boolean(): 0"),
        ([], "Invalid literal for boolean(): []"),
    ],
)
def test_boolean_invalid(value: t.Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        inputs.boolean(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2008-08-01", datetime(2008, 8, 1)),
        ("1900-01-01", datetime(1900, 1, 1)),
        ("2024-02-29", datetime(2024, 2, 29)),
    ],
)
def test_date(value: str, expected: datetime) -> None:
    assert inputs.date(value) == expected


@pytest.mark.parametrize(
    "value", ["2008-13-13", "2023-02-30", "2023-02-29", "2008/01/01", "today", ""]
)
def test_date_invalid(value: str) -> None:
    # Flask-RESTful's message, byte for byte: strptime's own.
    with pytest.raises(ValueError) as expected:
        datetime.strptime(value, "%Y-%m-%d")
    with pytest.raises(ValueError) as info:
        inputs.date(value)
    assert str(info.value) == str(expected.value)


@pytest.mark.parametrize("value", [3, 1.5, None, {"y": 1}])
def test_date_not_a_string(value: t.Any) -> None:
    with pytest.raises(ValueError, match="is not a valid date"):
        inputs.date(value)


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (inputs.natural, 0, 0),
        (inputs.natural, 3, 3),
        (inputs.natural, "7", 7),
        (inputs.natural, 2.0, 2),
        (inputs.positive, 1, 1),
        (inputs.positive, "10000", 10000),
    ],
)
def test_natural_positive(
    func: t.Callable[[t.Any], int], value: t.Any, expected: int
) -> None:
    assert func(value) == expected


@pytest.mark.parametrize(
    ("func", "value", "message"),
    [
        (
            inputs.natural,
            -1,
            "Invalid argument: -1. argument must be a non-negative integer",
        ),
        (inputs.natural, "foo", "foo is not a valid integer"),
        (inputs.natural, True, "True is not a valid integer"),
        (inputs.natural, 1.5, "1.5 is not a valid integer"),
        (inputs.natural, None, "None is not a valid integer"),
        (inputs.natural, float("inf"), "inf is not a valid integer"),
        (
            inputs.positive,
            0,
            "Invalid argument: 0. argument must be a positive integer",
        ),
        (
            inputs.positive,
            -1,
            "Invalid argument: -1. argument must be a positive integer",
        ),
        (inputs.positive, [1], "[1] is not a valid integer"),
    ],
)
def test_natural_positive_invalid(
    func: t.Callable[[t.Any], int], value: t.Any, message: str
) -> None:
    with pytest.raises(ValueError) as info:
        func(value)
    assert str(info.value) == message


def test_natural_names_the_argument() -> None:
    with pytest.raises(
        ValueError, match="^Invalid limit: -2. limit must be a non-negative"
    ):
        inputs.natural(-2, "limit")
    with pytest.raises(ValueError, match="^Invalid page: 0. page must be a positive"):
        inputs.positive("0", argument="page")


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (3, 3), ("5", 5)])
def test_int_range(value: t.Any, expected: int) -> None:
    assert inputs.int_range(1, 5)(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "Invalid stars: 0. stars must be within the range 1 - 5"),
        (6, "Invalid stars: 6. stars must be within the range 1 - 5"),
        ("x", "x is not a valid integer"),
        (False, "False is not a valid integer"),
    ],
)
def test_int_range_invalid(value: t.Any, message: str) -> None:
    stars = inputs.int_range(1, 5, "stars")
    assert repr(stars) == "int_range(1, 5)"
    with pytest.raises(ValueError) as info:
        stars(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        # Full precision with explicit UTC.
        (
            "2013-01-01T12:30:00Z/P1Y2M3DT4H5M6S",
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
            datetime(2014, 3, 5, 16, 35, 6, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30+00:00/P2D",
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
            datetime(2013, 1, 3, 12, 30, tzinfo=UTC),
        ),
        (
            # aniso8601 counts a month as 30 days and a year as 365.
            "2013-01-01T15:00/P1M",
            datetime(2013, 1, 1, 15, tzinfo=UTC),
            datetime(2013, 1, 31, 15, tzinfo=UTC),
        ),
        (
            "2013-01-01T17:00-05:00/P2W",
            datetime(2013, 1, 1, 22, tzinfo=UTC),
            datetime(2013, 1, 15, 22, tzinfo=UTC),
        ),
        (
            "2013-01-01/P3D",
            datetime(2013, 1, 1, tzinfo=UTC),
            datetime(2013, 1, 4, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:00:00Z/2013-02-01T12:00:00Z",
            datetime(2013, 1, 1, 12, tzinfo=UTC),
            datetime(2013, 2, 1, 12, tzinfo=UTC),
        ),
        (
            "2013-01-01/2013-06-30",
            datetime(2013, 1, 1, tzinfo=UTC),
            datetime(2013, 6, 30, tzinfo=UTC),
        ),
        (
            "2013-02-17T12:00:00-07:00/2013-02-28T15:00:00-07:00",
            datetime(2013, 2, 17, 19, tzinfo=UTC),
            datetime(2013, 2, 28, 22, tzinfo=UTC),
        ),
        # Duration first, and an end before the start: sorted.
        (
            "PT2H/2013-01-01T12:00Z",
            datetime(2013, 1, 1, 10, tzinfo=UTC),
            datetime(2013, 1, 1, 12, tzinfo=UTC),
        ),
        (
            "2013-01-05/2013-01-01",
            datetime(2013, 1, 1, tzinfo=UTC),
            datetime(2013, 1, 5, tzinfo=UTC),
        ),
        # A single datetime spans its finest unit.
        (
            "2013-01-01T12:30:45Z",
            datetime(2013, 1, 1, 12, 30, 45, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 30, 46, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30:45+02:00",
            datetime(2013, 1, 1, 10, 30, 45, tzinfo=UTC),
            datetime(2013, 1, 1, 10, 30, 46, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30:45",
            datetime(2013, 1, 1, 12, 30, 45, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 30, 46, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30:45.123",
            datetime(2013, 1, 1, 12, 30, 45, 123000, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 30, 46, 123000, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30+00:00",
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 31, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30+04:00",
            datetime(2013, 1, 1, 8, 30, tzinfo=UTC),
            datetime(2013, 1, 1, 8, 31, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:30",
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 31, tzinfo=UTC),
        ),
        (
            "20130101T1230",
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 31, tzinfo=UTC),
        ),
        (
            "2013-01-01T12Z",
            datetime(2013, 1, 1, 12, tzinfo=UTC),
            datetime(2013, 1, 1, 13, tzinfo=UTC),
        ),
        (
            "2013-01-01T12-07:00",
            datetime(2013, 1, 1, 19, tzinfo=UTC),
            datetime(2013, 1, 1, 20, tzinfo=UTC),
        ),
        (
            "2013-01-01T12",
            datetime(2013, 1, 1, 12, tzinfo=UTC),
            datetime(2013, 1, 1, 13, tzinfo=UTC),
        ),
        # A single date spans the day.
        (
            "2013-01-01",
            datetime(2013, 1, 1, tzinfo=UTC),
            datetime(2013, 1, 2, tzinfo=UTC),
        ),
        (
            "2013-01-01T12:00:00.0/2013-01-01T12:30:00.000000",
            datetime(2013, 1, 1, 12, tzinfo=UTC),
            datetime(2013, 1, 1, 12, 30, tzinfo=UTC),
        ),
    ],
)
def test_iso8601interval(value: str, start: datetime, end: datetime) -> None:
    result = inputs.iso8601interval(value)
    assert result == (start, end)
    assert all(moment.tzinfo is UTC for moment in result)


@pytest.mark.parametrize(
    "value",
    [
        "2013-01T14:",
        "",
        "asdf",
        "01/01/2013",
        "2013-01-01/blah",
        "2023-02-30",
        "2023-02-30T10:00",
        "2013-01-01/2023-02-30",
        "R5/2013-01-01/P1D",
        "2013-01-01T25",
        "9999-12-31",
        "9999-12-31T23",
        None,
        20130101,
    ],
)
def test_iso8601interval_invalid(value: t.Any) -> None:
    with pytest.raises(ValueError) as info:
        inputs.iso8601interval(value, "when")
    assert str(info.value) == (
        f"Invalid when: {value}. when must be a valid ISO8601 date/time interval."
    )


def test_iso8601interval_default_argument_name() -> None:
    with pytest.raises(ValueError) as info:
        inputs.iso8601interval("2013-01-01/blah")
    assert str(info.value) == (
        "Invalid argument: 2013-01-01/blah. argument must be a valid ISO8601"
        " date/time interval."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, 01 Jan 2011 00:00:00 -0000", datetime(2011, 1, 1, tzinfo=UTC)),
        (
            "Sat, 01 Jan 2011 23:59:59 -0000",
            datetime(2011, 1, 1, 23, 59, 59, tzinfo=UTC),
        ),
        ("Wed, 02 Oct 2002 08:00:00 EST", datetime(2002, 10, 2, 13, tzinfo=UTC)),
        ("Wed, 02 Oct 2002 15:00:00 +0200", datetime(2002, 10, 2, 13, tzinfo=UTC)),
    ],
)
def test_datetime_from_rfc822(value: str, expected: datetime) -> None:
    assert inputs.datetime_from_rfc822(value) == expected


@pytest.mark.parametrize("value", ["", "yesterday", "2011-01-01", None, 5])
def test_datetime_from_rfc822_invalid(value: t.Any) -> None:
    with pytest.raises(ValueError, match="is not a valid RFC 822 date"):
        inputs.datetime_from_rfc822(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2012-01-01T23:30:00+02:00",
            datetime(2012, 1, 1, 23, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2012-01-01T23:30:00Z", datetime(2012, 1, 1, 23, 30, tzinfo=UTC)),
        ("2012-01-01T23:30:00", datetime(2012, 1, 1, 23, 30)),
    ],
)
def test_datetime_from_iso8601(value: str, expected: datetime) -> None:
    result = inputs.datetime_from_iso8601(value)
    assert result == expected
    assert (result.tzinfo is None) is (expected.tzinfo is None)


@pytest.mark.parametrize(
    "value", ["", "2012-01-01", "2023-02-30T10:00:00", "2012-01-01T25:00", "x", None, 7]
)
def test_datetime_from_iso8601_invalid(value: t.Any) -> None:
    # Flask-RESTful's message, byte for byte: aniso8601's own.
    with pytest.raises(ValueError) as expected:
        aniso8601.parse_datetime(value)
    with pytest.raises(ValueError) as info:
        inputs.datetime_from_iso8601(value)
    assert str(info.value) == str(expected.value)


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (inputs.ipv4, ["200.8.9.10", "127.0.0.1"], ["::1", "127.0", "01.2.3.4"]),
        (inputs.ipv6, ["2001:db8:85a3::8a2e:370:7334", "::1"], ["200.8.9.10", "x"]),
        (inputs.ip, ["200.8.9.10", "::1"], ["127.0", "foo", "http://example.com"]),
    ],
)
def test_ip_addresses(
    check: t.Callable[[t.Any], str], valid: list[str], invalid: list[t.Any]
) -> None:
    for value in valid:
        assert check(value) == value
    for value in [*invalid, None, 3232235777, b"1.2.3.4"]:
        with pytest.raises(ValueError, match="is not a valid ip"):
            check(value)


@pytest.mark.parametrize(
    ("options", "value", "problem"),
    [
        ({}, "http://example.com/path?q=1", None),
        ({}, "sip://example.com", None),
        ({}, "example.com/x", "Did you mean: http://example.com/x"),
        ({}, "user:pw@example.com", "Did you mean: http://user:pw@example.com"),
        ({}, "foo", ""),
        ({}, "http://", ""),
        ({}, "http://example", ""),
        ({}, "http://-invalid.com", ""),
        ({}, "http://[::1", ""),
        ({}, 42, ""),
        ({}, "http://200.8.9.10/", "IP is not allowed"),
        ({"ip": True}, "http://200.8.9.10/", None),
        ({"ip": True}, "http://[2001:db8::1]/", None),
        ({"ip": True}, "http://300:300:300:300", "300:300:300:300 is not a valid ip"),
        ({"ip": True}, "http://127.0.1.1", "Localhost is not allowed"),
        ({"ip": True}, "http://::1", "Localhost is not allowed"),
        ({"ip": True, "local": True}, "http://::1", None),
        ({}, "http://localhost", "Localhost is not allowed"),
        ({"local": True}, "http://localhost", None),
        ({}, "http://me:pw@example.com", "Authentication is not allowed"),
        ({"auth": True}, "http://me:pw@example.com", None),
        ({}, "http://example.com:8080", "Custom port is not allowed"),
        ({"port": True}, "http://example.com:8080", None),
        ({"port": True}, "http://example.com:65535", None),
        ({"port": True}, "http://example.com:0", "Port is out of range"),
        ({"port": True}, "http://example.com:70000", "Port is out of range"),
        ({"schemes": ("https",)}, "http://example.com", "Protocol is not allowed"),
        ({"domains": ["example.com"]}, "http://example.com", None),
        ({"domains": ["example.com"]}, "http://other.com", "Domain is not allowed"),
        ({"exclude": ["example.com"]}, "http://example.com", "Domain is not allowed"),
        ({"exclude": ["example.com"]}, "http://other.com", None),
    ],
)
def test_url_options(
    options: dict[str, t.Any], value: t.Any, problem: str | None
) -> None:
    check = inputs.URL(**options)
    if problem is None:
        assert check(value) == value
        return
    with pytest.raises(ValueError) as info:
        check(value)
    expected = f"{value} is not a valid URL"
    assert str(info.value) == (f"{expected}. {problem}" if problem else expected)


def test_url_check_looks_the_domain_up(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up = []

    def getaddrinfo(host: str, port: t.Any) -> list[t.Any]:
        looked_up.append(host)
        if host == "missing.example":
            raise OSError("no such host")
        return []

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    check = inputs.URL(check=True)
    assert check("http://example.com") == "http://example.com"
    with pytest.raises(ValueError, match="Domain does not exists$"):
        check("http://missing.example")
    assert looked_up == ["example.com", "missing.example"]


def test_url_and_email_repr() -> None:
    assert repr(inputs.URL(ip=True, schemes=("https",))) == (
        "URL(ip=True, schemes=('https',))"
    )
    assert repr(inputs.email()) == "email()"


def test_netloc_regex_groups() -> None:
    match = inputs.netloc_regex.match("me:@[1fff:0:a88:85a3::ac1f]:8001")
    assert match is not None
    assert match.groupdict() == {
        "auth": "me:",
        "localhost": None,
        "ipv4": None,
        "ipv6": "1fff:0:a88:85a3::ac1f",
        "domain": None,
        "port": "8001",
    }


@pytest.mark.parametrize(
    ("options", "value", "message"),
    [
        ({}, "coucou+another@cmoi.fr", None),
        ({}, "Loïc.Accentué@voilà.fr", None),
        ({}, "me@sub.subdomain.example.com", None),
        ({}, "someone@", "{0} is not a valid email"),
        ({}, "@somewhere", "{0} is not a valid email"),
        ({}, "me.@somewhere.com", "{0} is not a valid email"),
        ({}, "me..you@somewhere.com", "{0} is not a valid email"),
        ({}, "a@b@c.com", "{0} is not a valid email"),
        ({}, None, "{0} is not a valid email"),
        ({}, "me@localhost", "{0} is not a valid email"),
        ({}, "me@200.8.9.10", "{0} is not a valid email"),
        ({"ip": True}, "me@200.8.9.10", None),
        ({"ip": True}, "me@127.0.0.1", "{0} is not a valid email"),
        ({"local": True}, "me@localhost", None),
        ({"local": True}, "me@::1", "{0} is not a valid email"),
        ({"ip": True, "local": True}, "me@::1", None),
        (
            {"domains": ["cmoi.fr"]},
            "me@localhost",
            "{0} does not belong to the authorized domains",
        ),
        ({"domains": ["cmoi.fr"]}, "me@cmoi.fr", None),
        ({"exclude": ["cmoi.fr"]}, "me@cmoi.fr", "{0} belongs to a forbidden domain"),
    ],
)
def test_email(options: dict[str, t.Any], value: t.Any, message: str | None) -> None:
    check = inputs.email(**options)
    if message is None:
        assert check(value) == value
        return
    with pytest.raises(ValueError) as info:
        check(value)
    assert str(info.value) == message.format(value)


def test_email_check_looks_the_domain_up(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(host: str, port: t.Any) -> list[t.Any]:
        if host != "cmoi.fr":
            raise OSError("no such host")
        return []

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    check = inputs.email(check=True)
    assert check("me@cmoi.fr") == "me@cmoi.fr"
    with pytest.raises(ValueError, match="is not a valid email"):
        check("me@not-found.test")


def test_regex_deepcopy_keeps_the_class() -> None:
    class Digits(inputs.regex):
        pass

    check = copy.deepcopy(Digits("^[0-9]+$", re.ASCII))
    assert type(check) is Digits
    assert check.flags == re.ASCII
    assert check("123") == "123"
