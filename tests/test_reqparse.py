"""Tests for flask_resources.reqparse, through real requests."""

from __future__ import annotations

import copy
import decimal
import io
import typing as t
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Request

from flask_resources import Api, HTTPError, Resource, inputs
from flask_resources.reqparse import Argument, Namespace, RequestParser

MISSING_DEFAULT = (
    "Missing required parameter in the JSON body or the post body or the query string"
)


def parse(
    parser: RequestParser,
    *,
    strict: bool = False,
    http_error_code: int = 400,
    app: Flask | None = None,
    **request: t.Any,
) -> tuple[int, t.Any]:
    """Parse a request built from ``request``; return ``(status, result)``.

    On an HTTP error the result is the JSON body the error answers with.
    """
    app = app or Flask(__name__)
    request.setdefault("method", "POST")
    results = []
    with app.test_request_context("/", **request):
        # The first parse takes the general path, the second compiles the
        # parser's plan and the third runs it: all three must agree.
        for _ in range(3):
            try:
                results.append(
                    (
                        200,
                        parser.parse_args(
                            strict=strict, http_error_code=http_error_code
                        ),
                    )
                )
            except HTTPError as e:
                results.append((t.cast(int, e.code), e.get_data()))
    assert results[1] == results[0] and results[2] == results[0]
    assert type(results[1][1]) is type(results[2][1]) is type(results[0][1])
    return results[0]


def one(**options: t.Any) -> RequestParser:
    parser = RequestParser()
    parser.add_argument("foo", **options)
    return parser


# -- locations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "request_options", "expected"),
    [
        ("json", {"json": {"foo": "bar"}}, "bar"),
        ("form", {"data": {"foo": "bar"}}, "bar"),
        ("args", {"query_string": {"foo": "bar"}}, "bar"),
        ("values", {"query_string": {"foo": "bar"}}, "bar"),
        ("values", {"data": {"foo": "bar"}}, "bar"),
        ("headers", {"headers": {"Foo": "bar"}}, "bar"),
        ("cookies", {"headers": {"Cookie": "foo=bar"}}, "bar"),
        (("json", "values"), {"json": {"foo": "bar"}}, "bar"),
        (("json", "values"), {"data": {"foo": "bar"}}, "bar"),
        (("json", "values"), {"query_string": {"foo": "bar"}}, "bar"),
        (["headers", "args"], {"query_string": {"foo": "bar"}}, "bar"),
        ("view_args", {}, None),
        ("no_such_attribute", {"json": {"foo": "bar"}}, None),
    ],
)
def test_location(
    location: t.Any, request_options: dict[str, t.Any], expected: str
) -> None:
    assert parse(one(location=location), **request_options) == (200, {"foo": expected})


def test_default_location_reads_form_post_without_json() -> None:
    # Flask-RESTful read request.json here and got 415 on Flask >= 2.1.
    parser = one(required=True)
    assert parse(parser, data={"foo": "bar"}) == (200, {"foo": "bar"})
    assert parse(parser, method="GET", query_string="foo=q") == (200, {"foo": "q"})
    assert parse(parser, method="DELETE", query_string="foo=q") == (200, {"foo": "q"})


def test_json_first_then_values() -> None:
    assert parse(one(), json={"foo": "json"}, query_string="foo=query") == (
        200,
        {"foo": "json"},
    )
    appended = parse(
        one(action="append"), json={"foo": ["a", "b"]}, query_string="foo=c&foo=d"
    )
    assert appended == (200, {"foo": ["a", "b", "c", "d"]})


def test_files_location() -> None:
    parser = one(location="files", type=FileStorage)
    status, result = parse(parser, data={"foo": (io.BytesIO(b"data"), "a.txt")})
    assert status == 200
    assert isinstance(result["foo"], FileStorage)
    assert result["foo"].filename == "a.txt"


def test_headers_are_case_insensitive() -> None:
    parser = one(location="headers", dest="foo_header")
    assert parse(parser, headers={"FOO": "x"}) == (200, {"foo_header": "x"})


def test_json_lists_in_one_json_location_stay_whole() -> None:
    assert parse(one(location="json", type=list), json={"foo": [1, 2]}) == (
        200,
        {"foo": [1, 2]},
    )
    assert parse(one(location="json", action="append"), json={"foo": ["a", "b"]}) == (
        200,
        {"foo": ["a", "b"]},
    )


def test_json_lists_in_merged_locations_give_one_value_per_item() -> None:
    # As Flask-RESTful merged locations into a MultiDict: store keeps the first.
    assert parse(one(), json={"foo": ["a", "b"]}) == (200, {"foo": "a"})
    assert parse(one(), json={"foo": []}) == (200, {"foo": None})


# -- the JSON body ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"[1, 2]", "an array"),
        (b'"foo"', "a string"),
        (b"3", "a number"),
        (b"2.5", "a number"),
        (b"true", "a boolean"),
        (b"null", "null"),
    ],
)
def test_json_body_must_be_an_object(body: bytes, kind: str) -> None:
    result = parse(one(), data=body, content_type="application/json")
    assert result == (400, {"message": f"The JSON body must be an object, not {kind}."})


@pytest.mark.parametrize("body", [b"{", b"{'a': 1}", b"nope", b"\xff\xfe"])
def test_malformed_json_is_a_400_with_a_message(body: bytes) -> None:
    status, result = parse(one(), data=body, content_type="application/json")
    assert status == 400
    assert result["message"].startswith("Failed to decode JSON object: ")


def test_malformed_json_in_debug_mode() -> None:
    app = Flask(__name__)
    app.debug = True
    status, result = parse(one(), app=app, data=b"{", content_type="application/json")
    assert status == 400
    assert result["message"].startswith("Failed to decode JSON object: ")


def test_empty_body_with_json_content_type_is_no_body() -> None:
    assert parse(one(), content_type="application/json", query_string="foo=q") == (
        200,
        {"foo": "q"},
    )


def test_json_is_not_read_when_no_argument_needs_it() -> None:
    parser = one(location="args")
    assert parse(parser, data=b"[", content_type="application/json") == (
        200,
        {"foo": None},
    )


def test_json_subtype_is_json() -> None:
    result = parse(one(), data=b'{"foo": 1}', content_type="application/vnd.api+json")
    assert result == (200, {"foo": "1"})


# -- type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        (str, "x", "x"),
        (str, 5, "5"),
        (int, "5", 5),
        (int, 5, 5),
        (int, 5.0, 5),
        (int, "-3", -3),
        (float, "2.5", 2.5),
        (float, 2, 2.0),
        (decimal.Decimal, "0.1", decimal.Decimal("0.1")),
        (decimal.Decimal, 0.1, decimal.Decimal("0.1")),
        (bool, "false", True),
        (inputs.boolean, "false", False),
        (inputs.boolean, True, True),
        (inputs.natural, "3", 3),
        (inputs.positive, 4, 4),
        (inputs.int_range(1, 3), "2", 2),
        (inputs.regex("^a+$"), "aaa", "aaa"),
        (inputs.url, "http://example.com", "http://example.com"),
        (
            uuid.UUID,
            "12345678123456781234567812345678",
            uuid.UUID(int=0x12345678123456781234567812345678),
        ),
        (lambda value: value * 2, "ab", "abab"),
    ],
)
def test_type(type_: t.Any, value: t.Any, expected: t.Any) -> None:
    assert parse(one(type=type_), json={"foo": value}) == (200, {"foo": expected})


@pytest.mark.parametrize(
    ("type_", "value", "message"),
    [
        (int, "x", "invalid literal for int() with base 10: 'x'"),
        (int, True, "True is not a valid integer"),
        (int, False, "False is not a valid integer"),
        (int, 2.5, "2.5 is not a valid integer"),
        (
            int,
            {"a": 1},
            "int() argument must be a string, a bytes-like object or a real number,"
            " not 'dict'",
        ),
        (int, "9" * 5000, None),
        (float, "x", "could not convert string to float: 'x'"),
        (decimal.Decimal, "x", "x is not a valid decimal"),
        (inputs.boolean, "maybe", "Invalid literal for boolean(): maybe"),
        (inputs.boolean, 3, "Invalid literal for boolean(): 3"),
        (inputs.natural, "-1", "Invalid foo: -1. foo must be a non-negative integer"),
        (inputs.positive, 0, "Invalid foo: 0. foo must be a positive integer"),
        (inputs.positive, True, "True is not a valid integer"),
        (
            inputs.int_range(1, 3),
            4,
            "Invalid argument: 4. argument must be within the range 1 - 3",
        ),
        (
            inputs.date,
            "2023-02-30",
            "day is out of range for month",
        ),
        (inputs.date, 20230230, "20230230 is not a valid date"),
        (
            inputs.iso8601interval,
            "2013-01-01/blah",
            "Invalid foo: 2013-01-01/blah. foo must be a valid ISO8601"
            " date/time interval.",
        ),
        (
            inputs.iso8601interval,
            {"x": 1},
            "Invalid foo: {'x': 1}. foo must be a valid ISO8601 date/time interval.",
        ),
        (inputs.datetime_from_iso8601, {}, "Date time must be string."),
        (
            inputs.datetime_from_rfc822,
            "tomorrow",
            "tomorrow is not a valid RFC 822 date",
        ),
        (
            inputs.url,
            "example.com",
            "example.com is not a valid URL. Did you mean: http://example.com",
        ),
        (inputs.url, 3, "3 is not a valid URL"),
        (inputs.regex("^a+$"), "b", 'Value does not match pattern: "^a+$"'),
        (uuid.UUID, "nope", "badly formed hexadecimal UUID string"),
    ],
)
def test_bad_values_are_400_with_the_message(
    type_: t.Any, value: t.Any, message: str | None
) -> None:
    status, body = parse(one(type=type_), json={"foo": value})
    assert status == 400
    if message is not None:
        assert body == {"message": {"foo": message}}
    else:
        assert isinstance(body["message"]["foo"], str)


@pytest.mark.parametrize(
    "type_",
    [
        int,
        float,
        decimal.Decimal,
        inputs.boolean,
        inputs.natural,
        inputs.date,
        inputs.url,
        inputs.iso8601interval,
        inputs.datetime_from_iso8601,
        inputs.datetime_from_rfc822,
        inputs.regex("x"),
        inputs.int_range(0, 1),
        str,
        bool,
        list,
        dict,
        uuid.UUID,
    ],
)
@pytest.mark.parametrize(
    "value", [[], [1, "a"], {}, {"a": [1]}, 1e308, -1, "", "\x00", "é" * 3, True]
)
def test_hostile_values_never_500(type_: t.Any, value: t.Any) -> None:
    parser = one(type=type_, choices={"a", "b"}) if type_ is str else one(type=type_)
    status, _ = parse(parser, json={"foo": value})
    assert status in (200, 400)


def test_type_gets_name_and_operator() -> None:
    seen: list[tuple[t.Any, ...]] = []

    def three(value: str, name: str, op: str) -> str:
        seen.append((value, name, op))
        return value

    def two(value: str, name: str) -> str:
        seen.append((value, name))
        return value

    parser = RequestParser()
    parser.add_argument("a", type=three, operators=["=", "<="], action="append")
    parser.add_argument("b", type=two, location="args")
    result = parse(parser, method="GET", query_string="a=1&a<=2&b=3")
    assert result == (200, {"a": ["1", "2"], "b": "3"})
    # Three times: parse() runs each parser on the general and fast paths.
    assert seen == [("1", "a", "="), ("2", "a", "<="), ("3", "b")] * 3


def test_type_falls_back_like_flask_restful_on_type_error() -> None:
    calls: list[int] = []

    def flexible(value: str, name: str = "", op: str = "") -> str:
        calls.append(len([x for x in (value, name, op) if x]))
        if op:
            raise TypeError("not with an operator")
        return value.upper()

    assert parse(one(type=flexible), json={"foo": "x"}) == (200, {"foo": "X"})
    assert calls == [3, 2] * 3  # parse() parses three times


def test_type_error_inside_type_is_reported() -> None:
    def broken(value: t.Any) -> t.Any:
        raise TypeError("broken converter")

    assert parse(one(type=broken), json={"foo": "x"}) == (
        400,
        {"message": {"foo": "broken converter"}},
    )


def test_filestorage_type_passes_uploads_through() -> None:
    parser = one(type=FileStorage, location="files")
    storage = FileStorage(io.BytesIO(b"x"), "f.txt")
    status, result = parse(parser, data={"foo": storage})
    assert status == 200
    assert result["foo"].filename == "f.txt"


# -- options ------------------------------------------------------------------


def test_required() -> None:
    parser = one(required=True)
    assert parse(parser, json={}) == (400, {"message": {"foo": MISSING_DEFAULT}})
    assert parse(parser, json={"foo": ""}) == (200, {"foo": ""})


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("json", "Missing required parameter in the JSON body"),
        ("form", "Missing required parameter in the post body"),
        ("args", "Missing required parameter in the query string"),
        ("values", "Missing required parameter in the post body or the query string"),
        ("headers", "Missing required parameter in the HTTP headers"),
        ("cookies", "Missing required parameter in the request's cookies"),
        ("files", "Missing required parameter in an uploaded file"),
        ("view_args", "Missing required parameter in view_args"),
        (
            ("args", "headers"),
            "Missing required parameter in the query string or the HTTP headers",
        ),
    ],
)
def test_required_message_names_the_locations(location: t.Any, message: str) -> None:
    assert parse(one(required=True, location=location)) == (
        400,
        {"message": {"foo": message}},
    )


@pytest.mark.parametrize(
    ("help_", "message"),
    [
        ("foo is required", "foo is required"),
        ("Bad foo: {error_msg}", f"Bad foo: {MISSING_DEFAULT}"),
        ("Odd {braces} {0}", "Odd {braces} {0}"),
    ],
)
def test_help(help_: str, message: str) -> None:
    assert parse(one(required=True, help=help_), json={}) == (
        400,
        {"message": {"foo": message}},
    )


def test_help_formats_converter_errors() -> None:
    parser = one(type=int, help="foo must be a number: {error_msg}")
    assert parse(parser, json={"foo": "x"}) == (
        400,
        {
            "message": {
                "foo": "foo must be a number: "
                "invalid literal for int() with base 10: 'x'"
            }
        },
    )


@pytest.mark.parametrize(
    ("default", "expected"),
    [(None, None), (5, 5), ("x", "x"), (list, []), (lambda: {"a": 1}, {"a": 1})],
)
def test_default(default: t.Any, expected: t.Any) -> None:
    assert parse(one(default=default), json={}) == (200, {"foo": expected})


def test_callable_default_is_fresh_each_time() -> None:
    parser = one(default=list)
    first = parse(parser, json={})[1]["foo"]
    first.append(1)
    assert parse(parser, json={})[1]["foo"] == []


def test_dest() -> None:
    assert parse(one(dest="bar"), json={"foo": "x"}) == (200, {"bar": "x"})
    assert parse(one(dest="bar"), json={}) == (200, {"bar": None})


def test_store_missing() -> None:
    assert parse(one(store_missing=False), json={}) == (200, {})
    assert parse(one(store_missing=False), json={"foo": "x"}) == (200, {"foo": "x"})


def test_ignore() -> None:
    parser = one(type=int, ignore=True, default=7)
    assert parse(parser, json={"foo": "x"}) == (200, {"foo": 7})
    assert parse(parser, json={"foo": "3"}) == (200, {"foo": 3})
    appended = one(type=int, ignore=True, action="append", location="args")
    assert parse(appended, method="GET", query_string="foo=1&foo=x&foo=2") == (
        200,
        {"foo": [1, 2]},
    )


@pytest.mark.parametrize(
    ("options", "value", "expected"),
    [
        ({"choices": ("a", "b")}, "a", (200, {"foo": "a"})),
        (
            {"choices": ("a", "b")},
            "c",
            (400, {"message": {"foo": "c is not a valid choice"}}),
        ),
        (
            {"choices": ("a", "b")},
            "A",
            (400, {"message": {"foo": "A is not a valid choice"}}),
        ),
        ({"choices": ("a", "B"), "case_sensitive": False}, "b", (200, {"foo": "b"})),
        ({"choices": ("a", "B"), "case_sensitive": False}, "A", (200, {"foo": "a"})),
        ({"choices": [1, 2], "type": int}, "2", (200, {"foo": 2})),
        (
            {"choices": [1, 2], "type": int},
            "3",
            (400, {"message": {"foo": "3 is not a valid choice"}}),
        ),
        ({"choices": range(10), "type": int}, "9", (200, {"foo": 9})),
        (
            {"choices": {"a"}, "type": lambda v: v},
            ["a"],
            (400, {"message": {"foo": "['a'] is not a valid choice"}}),
        ),
        (
            {"choices": ("a",), "help": "pick a: {error_msg}"},
            "z",
            (400, {"message": {"foo": "pick a: z is not a valid choice"}}),
        ),
        ({"choices": (1, "X"), "case_sensitive": False}, "x", (200, {"foo": "x"})),
    ],
)
def test_choices(options: dict[str, t.Any], value: t.Any, expected: t.Any) -> None:
    assert parse(one(location="json", **options), json={"foo": value}) == expected


def test_case_insensitive_lowers_values() -> None:
    assert parse(one(case_sensitive=False), json={"foo": "MiXeD"}) == (
        200,
        {"foo": "mixed"},
    )


@pytest.mark.parametrize(
    ("options", "value", "expected"),
    [
        ({"trim": True}, "  x  ", "x"),
        ({"trim": False}, "  x  ", "  x  "),
        ({"trim": True, "type": int}, " 5 ", 5),
        ({"trim": True, "choices": ("a",)}, " a ", "a"),
        ({"trim": True}, 5, "5"),
    ],
)
def test_trim(options: dict[str, t.Any], value: t.Any, expected: t.Any) -> None:
    assert parse(one(**options), json={"foo": value}) == (200, {"foo": expected})


def test_parser_trim_applies_unless_the_argument_says_no() -> None:
    parser = RequestParser(trim=True)
    parser.add_argument("a")
    parser.add_argument("b", trim=False)
    parser.add_argument(Argument("c"))
    assert parse(parser, json={"a": " x ", "b": " y ", "c": " z "}) == (
        200,
        {"a": "x", "b": " y ", "c": "z"},
    )


def test_nullable() -> None:
    assert parse(one(), json={"foo": None}) == (200, {"foo": None})
    assert parse(one(nullable=False), json={"foo": None}) == (
        400,
        {"message": {"foo": "Must not be null!"}},
    )
    assert parse(one(type=int, nullable=True), json={"foo": None}) == (
        200,
        {"foo": None},
    )


# -- actions and operators ------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "query", "expected"),
    [
        ("store", "foo=a&foo=b", "a"),
        ("append", "foo=a&foo=b", ["a", "b"]),
        ("append", "foo=a", ["a"]),
        ("append", "", None),
        ("split", "foo=a,b", ["a", "b"]),
        ("split", "foo=a,b&foo=c", ["a", "b", "c"]),
        ("split", "foo=a", ["a"]),
        ("split", "foo=", [""]),
    ],
)
def test_action(action: t.Any, query: str, expected: t.Any) -> None:
    parser = one(action=action, location="args")
    assert parse(parser, method="GET", query_string=query) == (200, {"foo": expected})


def test_split_converts_trims_and_checks_each_part() -> None:
    parser = one(action="split", type=int, trim=True, choices=range(5), location="args")
    assert parse(parser, method="GET", query_string="foo=1, 2 ,3") == (
        200,
        {"foo": [1, 2, 3]},
    )
    assert parse(parser, method="GET", query_string="foo=1,x") == (
        400,
        {"message": {"foo": "invalid literal for int() with base 10: 'x'"}},
    )
    assert parse(parser, method="GET", query_string="foo=1,7") == (
        400,
        {"message": {"foo": "7 is not a valid choice"}},
    )


def test_split_of_json() -> None:
    assert parse(one(action="split", location="json"), json={"foo": ["a", "b"]}) == (
        200,
        {"foo": ["a", "b"]},
    )
    assert parse(one(action="split", location="json", type=int), json={"foo": 4}) == (
        200,
        {"foo": [4]},
    )


def test_unknown_action_behaves_like_flask_restful() -> None:
    parser = one(action=t.cast(t.Any, "other"), location="args")
    assert parse(parser, method="GET", query_string="foo=a") == (200, {"foo": "a"})
    assert parse(parser, method="GET", query_string="foo=a&foo=b") == (
        200,
        {"foo": ["a", "b"]},
    )


def test_operators() -> None:
    parser = RequestParser()
    parser.add_argument(
        "age", type=int, operators=["=", ">=", "<=", "!="], action="append"
    )
    parser.add_argument("name", operators=[">="])
    result = parse(
        parser, method="GET", query_string="age>=3&age<=9&age=5&age!=4&name>=b"
    )
    assert result == (200, {"age": [5, 3, 9, 4], "name": "b"})


# -- errors ---------------------------------------------------------------------


def two_bad() -> RequestParser:
    parser = RequestParser()
    parser.add_argument("a", type=int)
    parser.add_argument("b", required=True)
    parser.add_argument("c")
    return parser


def test_first_error_only_by_default() -> None:
    assert parse(two_bad(), json={"a": "x"}) == (
        400,
        {"message": {"a": "invalid literal for int() with base 10: 'x'"}},
    )


def test_bundle_errors_on_the_parser() -> None:
    parser = two_bad()
    parser.bundle_errors = True
    assert parse(parser, json={"a": "x", "c": "ok"}) == (
        400,
        {
            "message": {
                "a": "invalid literal for int() with base 10: 'x'",
                "b": MISSING_DEFAULT,
            }
        },
    )


def test_bundle_errors_from_the_app_config() -> None:
    app = Flask(__name__)
    app.config["BUNDLE_ERRORS"] = True
    status, body = parse(two_bad(), app=app, json={"a": "x"})
    assert status == 400
    assert set(body["message"]) == {"a", "b"}


def test_http_error_code() -> None:
    assert parse(two_bad(), http_error_code=422, json={"a": "x"})[0] == 422
    bundled = RequestParser(bundle_errors=True)
    bundled.add_argument("b", required=True)
    assert parse(bundled, http_error_code=418, json={}) == (
        418,
        {"message": {"b": MISSING_DEFAULT}},
    )


def test_errors_are_werkzeug_bad_requests() -> None:
    app = Flask(__name__)
    with app.test_request_context("/", json={}):
        with pytest.raises(BadRequest):
            one(required=True).parse_args()


@pytest.mark.parametrize(
    ("request_options", "expected"),
    [
        ({"json": {"foo": 1}}, (200, {"foo": "1"})),
        (
            {"json": {"foo": 1, "x": 2, "y": 3}},
            (400, {"message": "Unknown arguments: x, y"}),
        ),
        (
            {"json": {"foo": 1}, "query_string": "z=1"},
            (400, {"message": "Unknown arguments: z"}),
        ),
        ({"data": {"foo": "1", "q": "2"}}, (400, {"message": "Unknown arguments: q"})),
        ({"json": {"foo": 1, "e": []}}, (200, {"foo": "1"})),
        ({"json": {"foo": 1}, "headers": {"X-Other": "1"}}, (200, {"foo": "1"})),
    ],
)
def test_strict(request_options: dict[str, t.Any], expected: t.Any) -> None:
    assert parse(one(), strict=True, **request_options) == expected


def test_strict_counts_only_arguments_found_in_their_own_locations() -> None:
    parser = one(location="headers")
    assert parse(parser, strict=True, query_string="foo=1") == (
        400,
        {"message": "Unknown arguments: foo"},
    )
    ops = one(operators=["=", ">="], location="args")
    assert parse(ops, strict=True, method="GET", query_string="foo>=1") == (
        200,
        {"foo": "1"},
    )


def test_strict_ignored_bad_value_is_not_unknown() -> None:
    parser = one(type=int, ignore=True)
    assert parse(parser, strict=True, json={"foo": "x"}) == (200, {"foo": None})


def test_validation_errors_come_before_unknown_arguments() -> None:
    assert parse(one(type=int), strict=True, json={"foo": "x", "bar": 1})[1] == {
        "message": {"foo": "invalid literal for int() with base 10: 'x'"}
    }


# -- parser API -----------------------------------------------------------------


def test_add_argument_chains_and_accepts_arguments() -> None:
    parser = RequestParser().add_argument("a").add_argument(Argument("b", type=int))
    assert [arg.name for arg in parser.args] == ["a", "b"]
    assert parse(parser, json={"a": 1, "b": "2"}) == (200, {"a": "1", "b": 2})


def test_argument_class() -> None:
    class Upper(Argument):
        def convert(self, value: t.Any, op: str) -> t.Any:
            return str(super().convert(value, op)).upper()

    parser = RequestParser(argument_class=Upper)
    parser.add_argument("a")
    assert isinstance(parser.args[0], Upper)
    assert parse(parser, json={"a": "x"}) == (200, {"a": "X"})


def test_custom_handle_validation_error() -> None:
    class Teapot(Argument):
        def handle_validation_error(
            self, error: BaseException, bundle_errors: bool
        ) -> tuple[BaseException, dict[str, str]]:
            from flask_resources import abort

            abort(418, message=f"teapot: {error}")

    parser = RequestParser(argument_class=Teapot)
    parser.add_argument("a", type=int)
    assert parse(parser, json={"a": "x"}) == (
        418,
        {"message": "teapot: invalid literal for int() with base 10: 'x'"},
    )


def test_make_converter_converts_a_type_of_its_own() -> None:
    class Shouting(Argument):
        def make_converter(self) -> t.Callable[[t.Any, str, str], t.Any]:
            if self.type is str:
                return lambda value, name, op: str(value).upper()
            return super().make_converter()

    parser = RequestParser(argument_class=Shouting)
    parser.add_argument("a")
    parser.add_argument("b", type=int)
    # ``parse`` runs the general path, then the compiled plan: both use it.
    assert parse(parser, json={"a": "x", "b": "2"}) == (200, {"a": "X", "b": 2})
    parser.args[0].type = lambda value: value
    assert parse(parser, json={"a": "x", "b": "2"}) == (200, {"a": "x", "b": 2})


def test_choice_error() -> None:
    class Named(Argument):
        def choice_error(self, value: t.Any, name: str) -> Exception:
            return ValueError(f"{name}: {value} is not one of {list(self.choices)}")

    parser = RequestParser(argument_class=Named)
    parser.add_argument("size", choices=("S", "M"), operators=("=", "<="))
    assert parse(parser, query_string="size<=XL") == (
        400,
        {"message": {"size": "size<: XL is not one of ['S', 'M']"}},
    )


@pytest.mark.parametrize("location", ["get_json", ("get_json", "json")])
def test_get_json_location_is_the_json_body(location: t.Any) -> None:
    parser = RequestParser()
    parser.add_argument("a", location=location, type=int)
    assert parse(parser, json={"a": "1"}) == (200, {"a": 1})
    assert parse(parser, data="a=1") == (200, {"a": None})


def test_custom_source() -> None:
    class FromViewArgs(Argument):
        def source(self, request: t.Any) -> t.Any:
            return {"a": "from source"}

    parser = RequestParser(argument_class=FromViewArgs)
    parser.add_argument("a")
    assert parse(parser, strict=True, json={"a": "ignored"}) == (
        200,
        {"a": "from source"},
    )


@pytest.mark.parametrize("namespace_option", ["namespace_class", "result_class"])
def test_namespace_class(namespace_option: str) -> None:
    parser = RequestParser(**{namespace_option: dict})
    parser.add_argument("a")
    status, result = parse(parser, json={"a": "x"})
    assert type(result) is dict
    assert parser.namespace_class is dict
    assert parser.result_class is dict


def test_namespace() -> None:
    namespace = Namespace(a=1)
    assert namespace.a == 1
    namespace.b = 2
    assert namespace["b"] == 2
    del namespace.a
    assert namespace == {"b": 2}
    with pytest.raises(AttributeError):
        namespace.missing  # noqa: B018
    with pytest.raises(AttributeError):
        del namespace.missing


def test_parse_args_returns_a_namespace() -> None:
    app = Flask(__name__)
    with app.test_request_context("/", json={"foo": "x"}):
        args = one().parse_args()
    assert isinstance(args, Namespace)
    assert args.foo == "x"


def test_parse_args_with_a_given_request() -> None:
    req = Request.from_values(query_string="foo=1", method="GET")
    assert one(type=int).parse_args(req) == {"foo": 1}
    json_req = Request.from_values(json={"foo": "2"}, method="POST")
    assert one(type=int).parse_args(json_req) == {"foo": 2}


def test_parse_args_with_a_stand_in_request() -> None:
    class StandIn:
        json = {"foo": "j"}
        values = MultiDict({"bar": "v"})

    parser = RequestParser().add_argument("foo").add_argument("bar")
    assert parser.parse_args(StandIn()) == {"foo": "j", "bar": "v"}
    StandIn.json = None  # type: ignore[assignment]
    assert parser.parse_args(StandIn()) == {"foo": None, "bar": "v"}


def test_copy() -> None:
    parser = RequestParser(trim=True, bundle_errors=True)
    parser.add_argument("a", type=inputs.regex("^x$"))
    clone = parser.copy()
    assert clone is not parser
    assert clone.trim and clone.bundle_errors
    assert clone.args[0] is not parser.args[0]
    clone.add_argument("b", required=True)
    assert len(parser.args) == 1
    assert parse(clone, json={"a": "x "}) == (400, {"message": {"b": MISSING_DEFAULT}})
    assert parse(parser, json={"a": "x "}) == (200, {"a": "x"})


def test_copy_of_an_argument_keeps_working() -> None:
    arg = Argument("a", type=int, choices=[1], operators=["=", ">="], location="args")
    clone = copy.deepcopy(arg)
    parser = RequestParser().add_argument(clone)
    assert parse(parser, method="GET", query_string="a>=1") == (200, {"a": 1})


def test_replace_argument() -> None:
    parser = RequestParser()
    parser.add_argument("a", type=int)
    parser.add_argument("b")
    parser.replace_argument("a", type=str, required=True)
    assert [arg.name for arg in parser.args] == ["b", "a"]
    assert parse(parser, json={"a": 5}) == (200, {"b": None, "a": "5"})
    parser.replace_argument("missing", type=int)
    assert [arg.name for arg in parser.args] == ["b", "a"]


def test_remove_argument() -> None:
    parser = RequestParser().add_argument("a").add_argument("b")
    assert parser.remove_argument("a") is parser
    assert [arg.name for arg in parser.args] == ["b"]
    parser.remove_argument("missing")
    assert [arg.name for arg in parser.args] == ["b"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: setattr(p.args[0], "required", True), (400, None)),
        (lambda p: setattr(p.args[0], "default", "d"), (200, {"a": "d", "b": "x"})),
        (lambda p: setattr(p.args[0], "default", list), (200, {"a": [], "b": "x"})),
        (lambda p: setattr(p.args[1], "dest", "c"), (200, {"a": None, "c": "x"})),
        (lambda p: setattr(p.args[0], "store_missing", False), (200, {"b": "x"})),
        (lambda p: setattr(p.args[1], "type", list), (200, {"a": None, "b": ["x"]})),
        (lambda p: setattr(p.args[1], "choices", ["y"]), (400, None)),
        (lambda p: setattr(p.args[1], "nullable", False), (200, {"a": None, "b": "x"})),
        (
            lambda p: p.add_argument("c", default=1),
            (200, {"a": None, "b": "x", "c": 1}),
        ),
        (lambda p: p.remove_argument("a"), (200, {"b": "x"})),
        (lambda p: p.args.reverse(), (200, {"b": "x", "a": None})),
        (lambda p: p.args.__setitem__(0, Argument("z")), (200, {"z": None, "b": "x"})),
    ],
)
def test_compiled_parser_follows_changes(
    change: t.Callable[[RequestParser], t.Any], expected: tuple[int, t.Any]
) -> None:
    # parse() parses three times, so the parser's plan is compiled and used
    # before the change and must notice it after.
    parser = RequestParser().add_argument("a").add_argument("b")
    assert parse(parser, json={"b": "x"}) == (200, {"a": None, "b": "x"})
    change(parser)
    status, body = parse(parser, json={"b": "x"})
    assert status == expected[0]
    if expected[1] is not None:
        assert body == expected[1]
        assert list(body) == list(expected[1])


def test_compiled_parser_under_threads() -> None:
    # One parser shared by the threads of a server, compiled while they run.
    import threading

    parser = RequestParser()
    parser.add_argument("n", type=int, required=True)
    parser.add_argument("tag", choices=["a", "b"])
    app = Flask(__name__)
    failures: list[t.Any] = []
    start = threading.Barrier(8)

    def work(seed: int) -> None:
        start.wait()
        for i in range(200):
            n = seed * 1000 + i
            tag = "ab"[i % 2] if i % 5 else "c"
            with app.test_request_context(
                "/", method="POST", json={"n": n, "tag": tag}
            ):
                try:
                    result = dict(parser.parse_args())
                except HTTPError as e:
                    result = e.get_data()
            expected: t.Any = {"n": n, "tag": tag}
            if tag == "c":
                expected = {"message": {"tag": "c is not a valid choice"}}
            if result != expected:
                failures.append((result, expected))

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert callable(parser._plan)


def test_changing_an_argument_after_adding_it() -> None:
    parser = one()
    arg = parser.args[0]
    arg.type = int
    arg.location = "args"
    arg.name = "bar"
    arg.choices = [1, 2]
    assert parse(parser, method="GET", query_string="bar=2&foo=9") == (200, {"bar": 2})
    arg.required = True
    assert parse(parser, method="GET") == (
        400,
        {"message": {"bar": "Missing required parameter in the query string"}},
    )


def test_argument_parse_directly() -> None:
    arg = Argument("foo", type=int)
    req = Request.from_values(query_string="foo=3")
    assert arg.parse(req) == (3, True)
    assert Argument("bar", default=1).parse(req) == (1, False)
    error, message = Argument("foo", type=int, choices=[1]).parse(
        req, bundle_errors=True
    )
    assert isinstance(error, ValueError)
    assert message == {"foo": "3 is not a valid choice"}


def test_argument_source() -> None:
    req = Request.from_values(
        query_string="a=1", json={"a": [2, 3], "b": 4}, method="POST"
    )
    merged = Argument("a").source(req)
    assert isinstance(merged, MultiDict)
    assert merged.getlist("a") == [2, 3, "1"]
    assert Argument("a", location="json").source(req) == {"a": [2, 3], "b": 4}
    assert Argument("a", location="form").source(req) == MultiDict()


def test_argument_repr_and_str() -> None:
    arg = Argument("a", choices=[1, 2, 3, 4, 5, 6, 7])
    assert str(arg) == "Name: a, type: <class 'str'>, choices: [1, 2, 3, '...', 7]"
    assert repr(arg).startswith("Argument('a', default=None, dest=None, required=False")


# -- end to end through Api and Resource ------------------------------------------


@pytest.fixture
def cats(app: Flask, api: Api) -> RequestParser:
    parser = RequestParser()
    parser.add_argument("name", required=True, help="Name cannot be blank!")
    parser.add_argument("age", type=inputs.natural)

    class Cats(Resource):
        def post(self) -> t.Any:
            return parser.parse_args(), 201

        def put(self) -> t.Any:
            return parser.parse_args(strict=True), 200

    api.add_resource(Cats, "/cats")
    return parser


@pytest.mark.parametrize(
    ("method", "request_options", "status", "body"),
    [
        ("post", {"json": {"name": "Tom", "age": 3}}, 201, {"name": "Tom", "age": 3}),
        ("post", {"data": {"name": "Tom", "age": "3"}}, 201, {"name": "Tom", "age": 3}),
        ("post", {"query_string": {"name": "Tom"}}, 201, {"name": "Tom", "age": None}),
        (
            "post",
            {"json": {"age": 3}},
            400,
            {"message": {"name": "Name cannot be blank!"}},
        ),
        ("post", {}, 400, {"message": {"name": "Name cannot be blank!"}}),
        (
            "post",
            {"json": {"name": "Tom", "age": -1}},
            400,
            {"message": {"age": "Invalid age: -1. age must be a non-negative integer"}},
        ),
        (
            "post",
            {"json": {"name": "Tom", "age": True}},
            400,
            {"message": {"age": "True is not a valid integer"}},
        ),
        (
            "post",
            {"json": [1]},
            400,
            {"message": "The JSON body must be an object, not an array."},
        ),
        (
            "put",
            {"json": {"name": "Tom", "x": 1}},
            400,
            {"message": "Unknown arguments: x"},
        ),
    ],
)
def test_through_a_resource(
    client: FlaskClient,
    cats: RequestParser,
    method: str,
    request_options: dict[str, t.Any],
    status: int,
    body: t.Any,
) -> None:
    response = getattr(client, method)("/cats", **request_options)
    assert response.status_code == status
    assert response.get_json() == body


def test_malformed_json_through_a_resource(
    client: FlaskClient, cats: RequestParser
) -> None:
    response = client.post("/cats", data=b"{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["message"].startswith("Failed to decode JSON object: ")


def test_bundle_errors_through_a_resource(
    app: Flask, client: FlaskClient, cats: RequestParser
) -> None:
    app.config["BUNDLE_ERRORS"] = True
    response = client.post("/cats", json={"age": "x"})
    assert response.status_code == 400
    assert response.get_json() == {
        "message": {"name": "Name cannot be blank!", "age": "x is not a valid integer"}
    }
