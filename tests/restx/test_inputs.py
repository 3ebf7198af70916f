"""Tests for flask_resources.restx.inputs: Flask-RESTX's converters."""

from __future__ import annotations

import typing as t
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import Flask

from flask_resources import Api, Resource
from flask_resources.restx import inputs, reqparse


@pytest.mark.parametrize(
    ("converter", "swagger"),
    [
        (inputs.ipv4, {"type": "string", "format": "ipv4"}),
        (inputs.ipv6, {"type": "string", "format": "ipv6"}),
        (inputs.ip, {"type": "string", "format": "ip"}),
        (inputs.url, {"type": "string", "format": "url"}),
        (inputs.URL(), {"type": "string", "format": "url"}),
        (inputs.email(), {"type": "string", "format": "email"}),
        (inputs.regex("^[0-9]+$"), {"type": "string", "pattern": "^[0-9]+$"}),
        (
            inputs.iso8601interval,
            {"type": "string", "format": "iso8601-interval"},
        ),
        (inputs.date, {"type": "string", "format": "date"}),
        (inputs.natural, {"type": "integer", "minimum": 0}),
        (
            inputs.positive,
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        ),
        (inputs.int_range(1, 5), {"type": "integer", "minimum": 1, "maximum": 5}),
        (inputs.boolean, {"type": "boolean"}),
        (inputs.datetime_from_iso8601, {"type": "string", "format": "date-time"}),
        (inputs.date_from_iso8601, {"type": "string", "format": "date"}),
    ],
)
def test_schema(converter: t.Any, swagger: dict[str, t.Any]) -> None:
    assert converter.__schema__ == swagger


def test_rfc822_has_no_schema() -> None:
    # As in Flask-RESTX: it is documented as a plain string.
    assert not hasattr(inputs.datetime_from_rfc822, "__schema__")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("200.8.9.10", "200.8.9.10"),
        ("2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334"),
    ],
)
def test_ip(value: str, expected: str) -> None:
    assert inputs.ip(value) == expected


@pytest.mark.parametrize(
    ("converter", "value", "message"),
    [
        (inputs.ipv4, "::1", "::1 is not a valid ipv4 address"),
        (inputs.ipv6, "127.0.0.1", "127.0.0.1 is not a valid ipv6 address"),
        (inputs.ip, "127.0", "127.0 is not a valid ip"),
    ],
)
def test_ip_invalid(converter: t.Any, value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        converter(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "value",
    [
        "http://localhost/",
        "http://200.8.9.10:8000/test",
        "http://foo:@2001:db8:85a3::8a2e:370:7334",
        "ftps://foo:bar@example.com",
    ],
)
def test_url_accepts_what_flask_restx_accepts(value: str) -> None:
    assert inputs.url(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "sip://example.com",
            "sip://example.com is not a valid URL. Protocol is not allowed",
        ),
        (
            "http://example.com:70000",
            "http://example.com:70000 is not a valid URL. Port is out of range",
        ),
        (
            "google.com",
            "google.com is not a valid URL. Did you mean: http://google.com",
        ),
    ],
)
def test_url_invalid(value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        inputs.url(value)
    assert str(info.value) == message


def test_url_and_email_take_options_in_flask_restx_order() -> None:
    # URL(check, ip, local, port, auth, schemes, domains, exclude)
    check = inputs.URL(False, True, True, True)
    assert check("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    # email(check, ip, local, domains, exclude)
    assert inputs.email(False, True)("me@200.8.9.10") == "me@200.8.9.10"
    with pytest.raises(ValueError, match="does not belong"):
        inputs.email(False, False, False, ["cmoi.fr"])("me@gmail.com")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("on", True),
        (1, True),
        ("false", False),
        ("0", False),
        ("", False),
        (0, False),
        ([], False),
    ],
)
def test_boolean(value: t.Any, expected: bool) -> None:
    assert inputs.boolean(value) is expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "boolean type must be non-null"),
        ("Blah", "Invalid literal for boolean(): blah"),
        (2, "Invalid literal for boolean(): 2"),
    ],
)
def test_boolean_invalid(value: t.Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        inputs.boolean(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, 01 Jan 2011", datetime(2011, 1, 1, tzinfo=UTC)),
        ("Sat, 01 Jan 2011 00:00", datetime(2011, 1, 1, tzinfo=UTC)),
        ("Sat, 01 Jan 2011 23:59:59", datetime(2011, 1, 1, 23, 59, 59, tzinfo=UTC)),
        ("Sat, 01 Jan 2011 21:00:00 +0200", datetime(2011, 1, 1, 19, tzinfo=UTC)),
        ("Sat, 01 Jan 2011 21:00:00 -0200", datetime(2011, 1, 1, 23, tzinfo=UTC)),
        ("Wed, 02 Oct 2002 08:00:00 EST", datetime(2002, 10, 2, 13, tzinfo=UTC)),
    ],
)
def test_datetime_from_rfc822(value: str, expected: datetime) -> None:
    result = inputs.datetime_from_rfc822(value)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize("value", ["Fake, 01 XXX 2011", "", "2011-01-01", None, 5])
def test_datetime_from_rfc822_invalid(value: t.Any) -> None:
    with pytest.raises(ValueError) as info:
        inputs.datetime_from_rfc822(value)
    assert str(info.value) == f'Invalid date literal "{value}"'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2011-01-01", datetime(2011, 1, 1)),
        ("2011-01-01T23:59:59+00:00", datetime(2011, 1, 1, 23, 59, 59, tzinfo=UTC)),
        (
            "2011-01-01T23:59:59+02:00",
            datetime(2011, 1, 1, 23, 59, 59, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_datetime_from_iso8601(value: str, expected: datetime) -> None:
    result = inputs.datetime_from_iso8601(value)
    assert result == expected
    assert (result.tzinfo is None) is (expected.tzinfo is None)


@pytest.mark.parametrize("value", ["2008-13-13", "x", "", None, 7])
def test_datetime_from_iso8601_invalid(value: t.Any) -> None:
    with pytest.raises(ValueError) as info:
        inputs.datetime_from_iso8601(value)
    assert str(info.value) == f'Invalid date literal "{value}"'


def test_date_from_iso8601() -> None:
    assert inputs.date_from_iso8601("2011-01-01T23:59:59+02:00") == date(2011, 1, 1)
    with pytest.raises(ValueError):
        inputs.date_from_iso8601("2008-13-13")


def test_iso8601interval_is_in_utc() -> None:
    start, end = inputs.iso8601interval("2013-01-01T12:30+04:00")
    assert (start, end) == (
        datetime(2013, 1, 1, 8, 30, tzinfo=UTC),
        datetime(2013, 1, 1, 8, 31, tzinfo=UTC),
    )
    assert start.tzinfo is UTC and end.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Expected a valid ISO8601 date/time interval."),
        (
            "2013-01-01/blah",
            "Invalid argument: 2013-01-01/blah. argument must be a valid ISO8601"
            " date/time interval.",
        ),
    ],
)
def test_iso8601interval_invalid(value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        inputs.iso8601interval(value)
    assert str(info.value) == message


def test_numbers() -> None:
    assert inputs.natural(0) == 0
    assert inputs.positive("3") == 3
    assert inputs.int_range(1, 5)(5) == 5
    with pytest.raises(ValueError, match="must be a positive integer"):
        inputs.positive(0, "page")
    with pytest.raises(ValueError, match="Invalid stars: 6"):
        inputs.int_range(1, 5, "stars")(6)
    assert inputs.date("1900-01-01") == datetime(1900, 1, 1)


def _client(parser: reqparse.RequestParser) -> t.Any:
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        def post(self) -> t.Any:
            return {k: str(v) for k, v in parser.parse_args().items()}

    api.add_resource(Things, "/things")
    return app.test_client()


def test_through_a_request() -> None:
    parser = reqparse.RequestParser()
    parser.add_argument("email", type=inputs.email(), required=True)
    parser.add_argument("site", type=inputs.URL(schemes=("https",)))
    parser.add_argument("since", type=inputs.date_from_iso8601)
    parser.add_argument("on", type=inputs.boolean, location="args")
    client = _client(parser)

    response = client.post(
        "/things?on=on",
        json={"email": "me@cmoi.fr", "site": "https://cmoi.fr", "since": "2011-01-01"},
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "email": "me@cmoi.fr",
        "site": "https://cmoi.fr",
        "since": "2011-01-01",
        "on": "True",
    }

    response = client.post("/things", json={"email": "me@localhost"})
    assert response.status_code == 400
    assert response.get_json() == {
        "errors": {"email": "me@localhost is not a valid email"},
        "message": "Input payload validation failed",
    }

    response = client.post("/things", json={"email": "a@b.fr", "site": "ftp://b.fr"})
    assert response.get_json()["errors"] == {
        "site": "ftp://b.fr is not a valid URL. Protocol is not allowed"
    }


def test_documented_in_openapi() -> None:
    pytest.importorskip("apispec", reason="needs the 'openapi' extra (apispec)")
    from flask_resources import doc

    parser = reqparse.RequestParser()
    for name, kind in [
        ("ip", inputs.ip),
        ("url", inputs.url),
        ("email", inputs.email()),
        ("positive", inputs.positive),
        ("natural", inputs.natural),
        ("flag", inputs.boolean),
        ("day", inputs.date_from_iso8601),
        ("when", inputs.datetime_from_rfc822),
        ("stars", inputs.int_range(1, 5)),
        ("digits", inputs.regex("^[0-9]+$")),
    ]:
        parser.add_argument(name, type=kind, location="args")
    app = Flask(__name__)
    api = Api(app)

    class Things(Resource):
        @doc(args=parser)
        def get(self) -> t.Any:
            return {}

    api.add_resource(Things, "/things")
    with app.app_context():
        spec = api.openapi()
    parameters = spec["paths"]["/things"]["get"]["parameters"]
    assert {p["name"]: p["schema"] for p in parameters} == {
        "ip": {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
        "url": {"type": "string", "format": "uri"},
        "email": {"type": "string", "format": "email"},
        "positive": {"type": "integer", "minimum": 1},
        "natural": {"type": "integer", "minimum": 0},
        "flag": {"type": "boolean"},
        "day": {"type": "string", "format": "date"},
        "when": {"type": "string", "description": "RFC 822 date and time"},
        "stars": {"type": "integer", "minimum": 1, "maximum": 5},
        "digits": {"type": "string", "pattern": "^[0-9]+$"},
    }
