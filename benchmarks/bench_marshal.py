"""Marshal 1,000 objects: ours, by hand, Flask-RESTful and marshmallow.

Run with ``python benchmarks/bench_marshal.py`` (Flask-RESTful is optional:
``pip install flask-restful``). Two shapes, each a table:

- records, the shape most APIs answer with: an integer id, a string, an
  integer, a timezone-aware ``DateTime(dt_format="iso8601")``, a
  ``List(String)`` of three and a ``Nested`` dict of one string;
- books, with every built-in number and date field: a ``Fixed(2)`` price,
  a float, a boolean, a naive datetime, a list of tags and a nested author.

Every case turns the same 1,000 objects into the same list of dicts; the
script checks that before timing. Ratios are against a hand-written list
comprehension: for records the one anyone would write for these values,
for books one that also makes every ``None`` check and conversion the
fields make. Target: ``marshal`` within 1.4x of it.
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


class Owner:
    def __init__(self, n: int) -> None:
        self.name = f"owner {n}"


class Record:
    def __init__(self, n: int) -> None:
        self.id = n
        self.name = f"record {n}"
        self.count = n * 3
        self.created = START + datetime.timedelta(minutes=n)
        self.tags = ["new", "shared", f"tag{n % 7}"]
        self.owner = Owner(n % 20)


START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
RECORDS = [Record(n) for n in range(1000)]

RECORD_FIELDS = {
    "id": fields.Integer,
    "name": fields.String,
    "count": fields.Integer,
    "created": fields.DateTime(dt_format="iso8601"),
    "tags": fields.List(fields.String),
    "owner": fields.Nested({"name": fields.String}),
}


def records_by_hand(records: list[Record] = RECORDS) -> list[dict[str, t.Any]]:
    return [
        {
            "id": r.id,
            "name": r.name,
            "count": r.count,
            "created": r.created.isoformat(),
            "tags": list(r.tags),
            "owner": {"name": r.owner.name},
        }
        for r in records
    ]


def records_checked(records: list[Record] = RECORDS) -> list[dict[str, t.Any]]:
    # The same with the None checks and conversions the fields make.
    return [
        {
            "id": 0 if r.id is None else int(r.id),
            "name": None if r.name is None else str(r.name),
            "count": 0 if r.count is None else int(r.count),
            "created": None if r.created is None else r.created.isoformat(),
            "tags": None if r.tags is None else [str(tag) for tag in r.tags],
            "owner": {"name": None if r.owner.name is None else str(r.owner.name)},
        }
        for r in records
    ]


class OwnerSchema(ma.Schema):
    name = ma.fields.String()


class RecordSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    count = ma.fields.Integer()
    created = ma.fields.DateTime(format="iso")
    tags = ma.fields.List(ma.fields.String())
    owner = ma.fields.Nested(OwnerSchema)


RECORD_SCHEMA = RecordSchema(many=True)

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


def flask_restful_record_fields() -> dict[str, t.Any]:
    """RECORD_FIELDS in Flask-RESTful's fields; ImportError without it."""
    from flask_restful import fields as fr

    return {
        "id": fr.Integer,
        "name": fr.String,
        "count": fr.Integer,
        "created": fr.DateTime(dt_format="iso8601"),
        "tags": fr.List(fr.String),
        "owner": fr.Nested({"name": fr.String}),
    }


def flask_restful_case(
    objects: list[t.Any], make_fields: t.Callable[[], dict[str, t.Any]]
) -> t.Callable[[], object] | None:
    try:
        from flask_restful import marshal as fr_marshal

        fields_ = make_fields()
    except ImportError:
        return None
    return lambda: fr_marshal(objects, fields_)


def run_table(
    title: str,
    cases: dict[str, t.Callable[[], object]],
    args: t.Any,
) -> None:
    """Check every case but marshmallow gives the baseline's answer, then
    time them and print the table."""
    expected = next(iter(cases.values()))()
    for name, case in cases.items():
        # marshmallow writes its own datetime text; compare the rest.
        if name != "marshmallow dump":
            assert case() == expected, name
    best = compare(cases, number=args.number, repeats=args.repeats)
    print(report(title, best, baseline=next(iter(cases))))


def main() -> None:
    args = options(__doc__ or "", number=2, repeats=60)

    cases: dict[str, t.Callable[[], object]] = {
        "hand-written": records_by_hand,
        "hand-written, None-checked": records_checked,
        "flask_resources.marshal": lambda: marshal(RECORDS, RECORD_FIELDS),
    }
    restful = flask_restful_case(RECORDS, flask_restful_record_fields)
    if restful is not None:
        cases["flask_restful.marshal"] = restful
    cases["marshmallow dump"] = lambda: RECORD_SCHEMA.dump(RECORDS)
    run_table("marshal 1,000 records", cases, args)
    print()

    cases = {
        "hand-written": by_hand,
        "flask_resources.marshal": ours,
    }
    restful = flask_restful_case(BOOKS, flask_restful_fields)
    if restful is not None:
        cases["flask_restful.marshal"] = restful
    cases["marshmallow dump"] = with_marshmallow
    run_table("marshal 1,000 books", cases, args)


if __name__ == "__main__":
    main()
