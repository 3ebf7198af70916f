"""Content negotiation from the Accept header."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask, Response

from flask_resources import Api, Resource
from flask_resources.negotiation import best_match, mediatypes

JSON = "application/json"
XML = "application/xml"
OFFERED = (JSON, XML)


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        (None, JSON, JSON),
        ("", JSON, JSON),
        (None, None, None),
        ("*/*", None, JSON),
        ("application/*", None, JSON),
        ("application/xml", JSON, XML),
        ("application/xml, application/json", None, JSON),
        ("application/json;q=0.2, application/xml;q=0.8", None, XML),
        ("application/xml;q=0, */*;q=0.1", None, JSON),
        ("text/html, application/xml;q=0.9", JSON, XML),
        ("text/html", JSON, JSON),
        ("text/html", None, None),
        ("application/vnd.example+json", None, JSON),
        ("application/vnd.example+json;q=0", None, None),
        ("application/vnd.example+xml", None, None),
        ("not a mime type at all", JSON, JSON),
        (",,;q=abc", None, None),
    ],
)
def test_best_match(
    accept: str | None, default: str | None, expected: str | None
) -> None:
    assert best_match(accept, OFFERED, default) == expected


def test_best_match_without_json_ignores_suffix() -> None:
    assert best_match("application/vnd.example+json", (XML,), None) is None


def test_mediatypes_sorted_by_quality() -> None:
    assert mediatypes("text/html;q=0.5, application/json, text/csv;q=0.8") == [
        JSON,
        "text/csv",
        "text/html",
    ]
    assert mediatypes(None) == []


def test_negotiation_end_to_end(app: Flask) -> None:
    api = Api(app, default_mediatype=None)

    @api.representation(XML)
    def output_xml(data: t.Any, code: int, headers: t.Any = None) -> Response:
        body = "".join(f"<{key}>{value}</{key}>" for key, value in data.items())
        return Response(body, status=code, headers=headers)

    class Hello(Resource):
        def get(self) -> t.Any:
            return {"hello": "world"}

    api.add_resource(Hello, "/")
    client = app.test_client()
    resp = client.get(
        "/", headers={"Accept": "application/xml;q=0.9, application/json;q=0.5"}
    )
    assert (resp.headers["Content-Type"], resp.data) == (XML, b"<hello>world</hello>")
    resp = client.get("/", headers={"Accept": "application/vnd.cats.v1+json"})
    assert resp.headers["Content-Type"] == JSON
    assert resp.get_json() == {"hello": "world"}
    assert client.get("/", headers={"Accept": "image/png"}).status_code == 406
