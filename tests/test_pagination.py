"""Pagination: page numbers and signed cursors, Link and X-Total-Count."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask

from flask_resources import Api, Resource, doc, fields, marshal_with
from flask_resources.pagination import PageOptions, SequencePages, paginate

ITEMS = [{"id": i, "name": f"cat {i}"} for i in range(1, 8)]


def links(resp: t.Any) -> dict[str, str]:
    result = {}
    for part in resp.headers["Link"].split(", "):
        url, rel = part.split("; ")
        result[rel[5:-1]] = url[1:-1]
    return result


@pytest.fixture
def listing(api: Api) -> Api:
    class Cats(Resource):
        @marshal_with({"id": fields.Integer})
        @paginate(per_page=3, max_per_page=5)
        def get(self) -> t.Any:
            return ITEMS

    api.add_resource(Cats, "/cats")
    return api


def test_first_page(client: t.Any, listing: Api) -> None:
    resp = client.get("/cats")
    assert resp.get_json() == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert resp.headers["X-Total-Count"] == "7"
    assert links(resp) == {
        "first": "/cats?page=1&per_page=3",
        "next": "/cats?page=2&per_page=3",
        "last": "/cats?page=3&per_page=3",
    }


def test_middle_and_last_pages(client: t.Any, listing: Api) -> None:
    resp = client.get("/cats?page=2")
    assert [item["id"] for item in resp.get_json()] == [4, 5, 6]
    assert set(links(resp)) == {"first", "prev", "next", "last"}
    assert links(resp)["prev"] == "/cats?page=1&per_page=3"
    resp = client.get("/cats?page=3")
    assert resp.get_json() == [{"id": 7}]
    assert set(links(resp)) == {"first", "prev", "last"}


def test_page_past_the_end(client: t.Any, listing: Api) -> None:
    resp = client.get("/cats?page=99")
    assert resp.status_code == 200
    assert resp.get_json() == []
    assert links(resp) == {
        "first": "/cats?page=1&per_page=3",
        "prev": "/cats?page=3&per_page=3",
        "last": "/cats?page=3&per_page=3",
    }
    huge = client.get("/cats?page=" + "9" * 1000)
    assert huge.status_code == 200 and huge.get_json() == []


def test_undeclared_parameters_dropped(client: t.Any, listing: Api) -> None:
    resp = client.get("/cats?sort=name&page=2&tag=a&per_page=2")
    assert links(resp)["next"] == "/cats?page=3&per_page=2"
    dup = client.get("/cats?page=1&page=2")
    assert links(dup)["next"] == "/cats?page=2&per_page=3"


@pytest.fixture
def filtered(api: Api) -> Api:
    from marshmallow import Schema
    from marshmallow import fields as ma

    from flask_resources import reqparse, use_args

    class Query(Schema):
        tag = ma.List(ma.Str(), data_key="tag")
        sort = ma.Str()

    parser = reqparse.RequestParser()
    parser.add_argument("color", location="args")
    parser.add_argument("body_only", location="json")

    class Cats(Resource):
        @use_args(Query, location="query")
        @doc(args=parser, parameters=[{"name": "q", "in": "query"}])
        @paginate(per_page=3, max_per_page=5, max_link_query=100)
        def get(self, query: t.Any) -> t.Any:
            return ITEMS

    api.add_resource(Cats, "/cats")
    return api


def test_declared_parameters_kept(client: t.Any, filtered: Api) -> None:
    resp = client.get(
        "/cats?sort=name&page=2&tag=a&x=1&tag=b%20c&color=red&q=z&body_only=1"
    )
    assert resp.status_code == 200
    assert links(resp)["next"] == (
        "/cats?sort=name&tag=a&tag=b+c&color=red&q=z&page=3&per_page=3"
    )
    assert client.head("/cats?q=z").headers["Link"].count("q=z") == 3


def test_many_parameters_make_no_long_link(client: t.Any, filtered: Api) -> None:
    query = "&".join(f"p{i}={i}" for i in range(10_000))
    resp = client.get(f"/cats?{query}")
    assert resp.status_code == 200
    assert len(resp.headers["Link"]) < 200


def test_declared_parameters_too_long(client: t.Any, filtered: Api) -> None:
    resp = client.get("/cats?q=" + "z" * 100)
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {
        "query": {
            "q": [
                "Too long to repeat in the page links (the declared query"
                " parameters may take 100 characters)."
            ]
        }
    }
    assert client.get("/cats?q=" + "z" * 90).status_code == 200


def test_plain_flask_view(app: Flask, client: t.Any) -> None:
    @app.get("/plain")
    @doc(parameters=[{"name": "q", "in": "query"}])
    @paginate(per_page=2)
    def plain() -> t.Any:
        return ITEMS

    resp = client.get("/plain?q=a&other=b")
    assert resp.get_json() == ITEMS[:2]
    assert links(resp)["next"] == "/plain?q=a&page=2&per_page=2"


def test_per_page_clamped(client: t.Any, listing: Api) -> None:
    resp = client.get("/cats?per_page=500")
    assert len(resp.get_json()) == 5
    assert links(resp)["next"] == "/cats?page=2&per_page=5"


def test_empty_list(api: Api, client: t.Any) -> None:
    class Empty(Resource):
        @paginate()
        def get(self) -> t.Any:
            return []

    api.add_resource(Empty, "/e")
    resp = client.get("/e")
    assert resp.get_json() == []
    assert resp.headers["X-Total-Count"] == "0"
    assert links(resp) == {
        "first": "/e?page=1&per_page=20",
        "last": "/e?page=1&per_page=20",
    }


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "page=",
        "page=%203",
        "page=3_0",
        "page=%2B3",
        "page=%D9%A3",
        "page=" + "9" * 1001,
        "page=" + "9" * 5000,
        "per_page=0",
        "per_page=x",
        "per_page=-5",
    ],
)
def test_bad_numbers(client: t.Any, listing: Api, query: str) -> None:
    resp = client.get(f"/cats?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    name = query.split("=")[0]
    assert body["message"] == f"Invalid query string: invalid field {name!r}."
    assert list(body["errors"]["query"]) == [name]


def test_strict_per_page(api: Api, client: t.Any) -> None:
    class Strict(Resource):
        @paginate(max_per_page=5, per_page=5, strict_per_page=True)
        def get(self) -> t.Any:
            return ITEMS

    api.add_resource(Strict, "/s")
    resp = client.get("/s?per_page=6")
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {"query": {"per_page": ["Must be at most 5."]}}


def test_problem_format(app: Flask, client: t.Any, listing: Api) -> None:
    app.config["RESOURCES_ERROR_FORMAT"] = "problem"
    resp = client.get("/cats?page=x")
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.get_json()["errors"] == {
        "query": {"page": ["Must be a positive integer."]}
    }


def test_api_options_and_absolute_links(app: Flask, client: t.Any) -> None:
    api = Api(
        app,
        page_options=PageOptions(
            page_param="p", per_page_param="size", per_page=2, absolute_links=True
        ),
    )

    class Cats(Resource):
        @api.paginate(max_per_page=4)
        def get(self) -> t.Any:
            return ITEMS, 200, {"X-Extra": "1"}

    api.add_resource(Cats, "/cats")
    resp = client.get("/cats?p=2")
    assert resp.get_json() == ITEMS[2:4]
    assert resp.headers["X-Extra"] == "1"
    assert links(resp)["next"] == "http://localhost/cats?p=3&size=2"
    assert client.get("/cats?size=9").headers["Link"].count("size=4") == 3


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="per_page"):
        paginate(per_page=200, max_per_page=100)
    with pytest.raises(TypeError):
        paginate(pages=3)


def test_protocol_object(api: Api, client: t.Any) -> None:
    calls: list[tuple[int, int]] = []

    class Numbers:
        def count(self) -> int:
            return 10**6

        def slice(self, offset: int, limit: int) -> list[int]:
            calls.append((offset, limit))
            return list(range(offset, offset + limit))

    class Big(Resource):
        @paginate(per_page=3)
        def get(self) -> t.Any:
            return Numbers()

    api.add_resource(Big, "/big")
    resp = client.get("/big?page=1000")
    assert resp.get_json() == [2997, 2998, 2999]
    assert calls == [(2997, 3)]
    assert links(resp)["last"] == "/big?page=333334&per_page=3"


def test_not_pageable(api: Api, client: t.Any) -> None:
    class Wrong(Resource):
        @paginate()
        def get(self) -> t.Any:
            return 42

    api.add_resource(Wrong, "/w")
    with pytest.raises(TypeError, match="sequence"):
        client.get("/w")


def test_async_verb(api: Api, client: t.Any) -> None:
    pytest.importorskip("asgiref")

    class Async(Resource):
        @paginate(per_page=2)
        async def get(self) -> t.Any:
            return ITEMS

    api.add_resource(Async, "/a")
    assert client.get("/a?page=4").get_json() == [ITEMS[6]]


# -- cursors ----------------------------------------------------------------


@pytest.fixture
def cursors(app: Flask, api: Api) -> Api:
    app.secret_key = "test secret"

    class Cats(Resource):
        @doc(parameters=[{"name": "q", "in": "query"}])
        @paginate(cursor=True, per_page=3)
        def get(self) -> t.Any:
            return ITEMS

    class Dogs(Resource):
        @paginate(cursor=True, per_page=3)
        def get(self) -> t.Any:
            return ITEMS

    api.add_resource(Cats, "/cats")
    api.add_resource(Dogs, "/dogs")
    return api


def test_cursor_walk(client: t.Any, cursors: Api) -> None:
    seen = []
    url = "/cats?q=1&other=2"
    while url:
        resp = client.get(url)
        assert resp.status_code == 200
        assert "X-Total-Count" not in resp.headers
        seen.extend(resp.get_json())
        page_links = links(resp)
        assert page_links["first"] == "/cats?q=1&per_page=3"
        url = page_links.get("next")
        assert "other" not in (url or "")
        if url:
            assert "q=1" in url and "cursor=" in url
    assert seen == ITEMS


@pytest.mark.parametrize(
    "cursor", ["garbage", "eyJwIjoiL2NhdHMiLCJrIjo5OX0.x", "a.b.c"]
)
def test_forged_cursor(client: t.Any, cursors: Api, cursor: str) -> None:
    resp = client.get(f"/cats?cursor={cursor}")
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {"query": {"cursor": ["Not a valid cursor."]}}


def test_tampered_cursor(client: t.Any, cursors: Api) -> None:
    url = links(client.get("/cats"))["next"]
    token = url.split("cursor=")[1]
    payload, signature = token.rsplit(".", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    resp = client.get(f"/cats?cursor={payload}.{flipped}")
    assert resp.status_code == 400


def test_cursor_of_another_list(client: t.Any, cursors: Api) -> None:
    url = links(client.get("/cats"))["next"]
    resp = client.get(url.replace("/cats", "/dogs"))
    assert resp.status_code == 400


def test_cursor_other_secret(app: Flask, client: t.Any, cursors: Api) -> None:
    url = links(client.get("/cats"))["next"]
    app.secret_key = "rotated"
    assert client.get(url).status_code == 400


def test_cursor_needs_secret_key(app: Flask, api: Api, client: t.Any) -> None:
    class Cats(Resource):
        @paginate(cursor=True)
        def get(self) -> t.Any:
            return ITEMS

    api.add_resource(Cats, "/cats")
    with pytest.raises(Exception, match="SECRET_KEY"):
        client.get("/cats")


def test_sequence_pages_positions() -> None:
    pages = SequencePages(list(range(5)))
    assert pages.after(None, 2) == ([0, 1], 2)
    assert pages.after(4, 2) == ([4], None)
    assert pages.after(-3, 2) == ([0, 1], 2)
    assert pages.after("x", 2) == ([0, 1], 2)


def test_records_the_operation(listing: Api) -> None:
    from flask_resources.operations import resource_operations

    resource = listing.resources[0].resource
    record = resource_operations(resource)["get"]
    query = record.arguments[0]
    assert query.location == "query" and not query.parses
    assert set(query.source.fields) == {"page", "per_page"}
    assert set(record.responses[200].headers) == {"Link", "X-Total-Count"}
    assert record.responses[200].success
    assert 400 in record.responses
    assert record.extensions["pagination"]["max_per_page"] == 5


def test_positions_round_trip_exactly() -> None:
    import datetime
    import decimal
    import uuid

    from flask_resources.pagination import _POSITIONS

    values = [
        datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 1),
        datetime.date(2024, 1, 2),
        datetime.time(3, 4, 5, 6),
        decimal.Decimal("1.10"),
        uuid.UUID(int=5),
        ("a", 1),
        None,
    ]
    assert _POSITIONS.loads(_POSITIONS.dumps(values)) == values


def test_bad_page_refused_before_the_verb_runs(api: Api, client: t.Any) -> None:
    calls: list[int] = []

    class Counted(Resource):
        @paginate()
        def get(self) -> t.Any:
            calls.append(1)
            return ITEMS

    api.add_resource(Counted, "/c")
    assert client.get("/c?page=x").status_code == 400
    assert client.get("/c?per_page=0").status_code == 400
    assert calls == []
    assert client.get("/c").status_code == 200
    assert calls == [1]


def test_api_page_options_default_and_replace(app: Flask) -> None:
    api = Api(app)
    assert api.page_options == PageOptions()
    assert api.page_options is api.page_options
    api.page_options = PageOptions(per_page=5)
    assert api.page_options.per_page == 5
