"""Pagination of SQLAlchemy 2 selects: a count and one LIMIT query a page."""

from __future__ import annotations

import datetime
import typing as t

import pytest
from flask import Flask

from flask_resources import Api, Resource, fields, marshal_with
from flask_resources.pagination import SelectPages, paginate

sa = pytest.importorskip("sqlalchemy", reason="needs the 'test' extra (SQLAlchemy)")
orm = pytest.importorskip("sqlalchemy.orm")

metadata = sa.MetaData()
cats = sa.Table(
    "cats",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(20)),
    sa.Column("born", sa.Date),
)


class Base(orm.DeclarativeBase):
    pass


class Dog(Base):
    __tablename__ = "dogs"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(20))


@pytest.fixture
def engine() -> t.Iterator[t.Any]:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    Base.metadata.create_all(engine)
    start = datetime.date(2020, 1, 1)
    with engine.begin() as conn:
        conn.execute(
            cats.insert(),
            [
                # Birthdays repeat, so (born, id) is the unique key.
                {"id": i, "name": f"cat {i}", "born": start + datetime.timedelta(i % 4)}
                for i in range(1, 24)
            ],
        )
        conn.execute(
            Dog.__table__.insert(), [{"id": i, "name": f"dog {i}"} for i in range(1, 6)]
        )
    yield engine
    engine.dispose()


@pytest.fixture
def statements(engine: t.Any) -> list[str]:
    seen: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def record(conn: t.Any, cursor: t.Any, statement: str, *args: t.Any) -> None:
        seen.append(statement)

    return seen


@pytest.fixture
def apis(app: Flask, api: Api, engine: t.Any) -> Api:
    app.secret_key = "s"

    class Cats(Resource):
        @marshal_with({"id": fields.Integer, "name": fields.String})
        @paginate(per_page=5)
        def get(self) -> t.Any:
            return SelectPages(sa.select(cats).order_by(cats.c.id), engine)

    class CatsByBirth(Resource):
        @paginate(cursor=True, per_page=5)
        def get(self) -> t.Any:
            key = [cats.c.born, cats.c.id]
            return SelectPages(
                sa.select(cats.c.id, cats.c.born),
                engine,
                key=key,
                row=lambda row: {"id": row["id"], "born": row["born"].isoformat()},
            )

    class Dogs(Resource):
        @paginate(per_page=2)
        def get(self) -> t.Any:
            session = orm.Session(engine)
            return SelectPages(
                sa.select(Dog).order_by(Dog.id), session, row=lambda d: d.name
            )

    class DogsByCursor(Resource):
        @paginate(cursor=True, per_page=2)
        def get(self) -> t.Any:
            with orm.Session(engine) as session:
                pages = SelectPages(
                    sa.select(Dog), session, key=[Dog.id], row=lambda d: d.id
                )
                return pages

    api.add_resource(Cats, "/cats")
    api.add_resource(CatsByBirth, "/births")
    api.add_resource(Dogs, "/dogs")
    api.add_resource(DogsByCursor, "/dogcursor")
    return api


def test_page_loads_only_the_page(
    client: t.Any, apis: Api, statements: list[str]
) -> None:
    resp = client.get("/cats?page=2")
    assert [cat["id"] for cat in resp.get_json()] == [6, 7, 8, 9, 10]
    assert resp.headers["X-Total-Count"] == "23"
    assert len(statements) == 2
    assert "count(*)" in statements[0].lower()
    assert "LIMIT" in statements[1] and "OFFSET" in statements[1]


def test_page_past_the_end_runs_no_page_query(
    client: t.Any, apis: Api, statements: list[str]
) -> None:
    resp = client.get("/cats?page=" + "9" * 25)
    assert resp.get_json() == []
    assert len(statements) == 1


def test_orm_entities(client: t.Any, apis: Api) -> None:
    resp = client.get("/dogs?page=3")
    assert resp.get_json() == ["dog 5"]
    assert resp.headers["X-Total-Count"] == "5"


def test_cursor_on_compound_key(
    client: t.Any, apis: Api, statements: list[str]
) -> None:
    seen: list[t.Any] = []
    url: str | None = "/births"
    pages = 0
    while url:
        resp = client.get(url)
        assert resp.status_code == 200
        seen.extend(resp.get_json())
        pages += 1
        nxt = [p for p in resp.headers["Link"].split(", ") if 'rel="next"' in p]
        url = nxt[0][1 : nxt[0].index(">")] if nxt else None
    expected = sorted(
        (
            {"id": i, "born": str(datetime.date(2020, 1, 1 + i % 4))}
            for i in range(1, 24)
        ),
        key=lambda c: (c["born"], c["id"]),
    )
    assert seen == expected
    assert pages == 5
    # No count and no skipping: one keyset query per page.
    assert len(statements) == 5
    assert all("LIMIT" in s for s in statements)
    assert all("(cats.born, cats.id) > (?, ?)" in s for s in statements[1:])


def test_orm_cursor(client: t.Any, apis: Api) -> None:
    first = client.get("/dogcursor")
    assert first.get_json() == [1, 2]
    nxt = [p for p in first.headers["Link"].split(", ") if 'rel="next"' in p][0]
    second = client.get(nxt[1 : nxt.index(">")])
    assert second.get_json() == [3, 4]


def test_cursor_needs_key(engine: t.Any) -> None:
    pages = SelectPages(sa.select(cats), engine)
    with pytest.raises(Exception, match="key"):
        pages.after(None, 3)


def test_connection_bind(engine: t.Any) -> None:
    with engine.connect() as conn:
        pages = SelectPages(sa.select(cats.c.id).order_by(cats.c.id), conn)
        assert pages.count() == 23
        assert [row["id"] for row in pages.slice(20, 10)] == [21, 22, 23]
