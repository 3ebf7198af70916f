"""Marshal 1,000 nested objects: ours, by hand, Flask-RESTful and marshmallow.

Run with ``python benchmarks/bench_marshal.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Every case turns the same 1,000 book objects,
each with a nested author and a list of tags, into the same list of dicts;
the script checks that before timing. Ratios are against the hand-written
dict comprehension. Target: ``marshal`` within 2x of it.
"""

from __future__ import annotations

import datetime
import os
import sys
import typing as t
from decimal import Decimal

import marshmallow as ma

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import compare, options, report  # noqa: E402

from flask_resources import fields  # noqa: E402
from flask_resources.marshalling import marshal  # noqa: E402


class Author:
    def __init__(self, id: int, name: str, email: str) -> None:
        self.id = id
        self.name = name
        self.email = email


class Book:
    def __init__(self, n: int) -> None:
        self.id = n
        self.title = f"Book {n}"
        self.price = Decimal(n) / 7
        self.in_stock = n % 3 != 0
        self.rating = n % 5 + 0.5
        self.published = datetime.datetime(2011, 1, 1) + datetime.timedelta(days=n)
        self.tags = ["fiction", f"tag{n % 10}"]
        self.author = Author(n % 50, f"Author {n % 50}", f"a{n % 50}@example.com")


BOOKS = [Book(n) for n in range(1000)]

AUTHOR_FIELDS = {
    "id": fields.Integer,
    "name": fields.String,
    "email": fields.String,
}
BOOK_FIELDS = {
    "id": fields.Integer,
    "title": fields.String,
    "price": fields.Fixed(2),
    "in_stock": fields.Boolean,
    "rating": fields.Float,
    "published": fields.DateTime(dt_format="iso8601"),
    "tags": fields.List(fields.String),
    "author": fields.Nested(AUTHOR_FIELDS),
}


def ours() -> list[dict[str, t.Any]]:
    return marshal(BOOKS, BOOK_FIELDS)  # type: ignore[no-any-return]


def by_hand(books: list[Book] = BOOKS) -> list[dict[str, t.Any]]:
    # What one would write to get the same JSON, with the same None checks
    # a fields dict makes on every value.
    return [
        {
            "id": 0 if b.id is None else int(b.id),
            "title": None if b.title is None else str(b.title),
            "price": None if b.price is None else fixed2(b.price),
            "in_stock": None if b.in_stock is None else bool(b.in_stock),
            "rating": None if b.rating is None else float(b.rating),
            "published": None if b.published is None else b.published.isoformat(),
            "tags": None if b.tags is None else [str(tag) for tag in b.tags],
            "author": {
                "id": int(b.author.id),
                "name": str(b.author.name),
                "email": str(b.author.email),
            },
        }
        for b in books
    ]


CENT = Decimal("0.01")


def fixed2(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


class AuthorSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()


class BookSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    price = ma.fields.Decimal(places=2, as_string=True)
    in_stock = ma.fields.Boolean()
    rating = ma.fields.Float()
    published = ma.fields.DateTime(format="iso")
    tags = ma.fields.List(ma.fields.String())
    author = ma.fields.Nested(AuthorSchema)


BOOK_SCHEMA = BookSchema(many=True)


def with_marshmallow() -> list[dict[str, t.Any]]:
    return BOOK_SCHEMA.dump(BOOKS)  # type: ignore[no-any-return]


def flask_restful_fields() -> dict[str, t.Any]:
    """BOOK_FIELDS in Flask-RESTful's fields; ImportError without it."""
    from flask_restful import fields as fr

    author = {"id": fr.Integer, "name": fr.String, "email": fr.String}
    return {
        "id": fr.Integer,
        "title": fr.String,
        "price": fr.Fixed(2),
        "in_stock": fr.Boolean,
        "rating": fr.Float,
        "published": fr.DateTime(dt_format="iso8601"),
        "tags": fr.List(fr.String),
        "author": fr.Nested(author),
    }


def flask_restful_case() -> t.Callable[[], object] | None:
    try:
        from flask_restful import marshal as fr_marshal

        book = flask_restful_fields()
    except ImportError:
        return None
    return lambda: fr_marshal(BOOKS, book)


def main() -> None:
    args = options(__doc__ or "", number=2, repeats=60)

    cases: dict[str, t.Callable[[], object]] = {
        "hand-written": by_hand,
        "flask_resources.marshal": ours,
    }
    restful = flask_restful_case()
    if restful is not None:
        cases["flask_restful.marshal"] = restful
    cases["marshmallow dump"] = with_marshmallow

    expected = by_hand()
    for name, case in cases.items():
        # marshmallow writes its own datetime text; compare the rest.
        if name != "marshmallow dump":
            assert case() == expected, name
    best = compare(cases, number=args.number, repeats=args.repeats)
    print(report("marshal 1,000 nested objects", best, baseline="hand-written"))


if __name__ == "__main__":
    main()
