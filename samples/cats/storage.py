"""Where the cats live: one SQLAlchemy Core table and the repository owning it."""

from __future__ import annotations

import datetime
import math
import os
import sqlite3
import time
import typing as t
from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from flask_resources.pagination import SelectPages

metadata = sa.MetaData()

cats = sa.Table(
    "cats",
    metadata,
    # A rowid alias on SQLite (whose keys are 64-bit anyway), BIGINT elsewhere.
    sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    ),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("age", sa.Integer, nullable=True),
    sa.Column("born", sa.Date, nullable=True),
    # AUTOINCREMENT: an id is never handed out again after its cat is deleted,
    # so an old URL cannot start naming another cat.
    sqlite_autoincrement=True,
)

#: Keys are signed 64-bit integers; a larger id in a URL names no cat, and
#: must not reach the driver, which would fail to bind it.
MAX_ID = 2**63 - 1


class CatRow(t.TypedDict):
    """A cat as the repository returns it."""

    id: int
    name: str
    age: int | None
    born: datetime.date | None


#: Seconds to wait for a connection to the database server, by default.
CONNECT_TIMEOUT = 5.0
#: Seconds one statement may run (or, on SQLite, wait for the write lock),
#: by default. Below gunicorn's worker timeout, so a frozen database gets a
#: 503 instead of a killed worker.
STATEMENT_TIMEOUT = 10.0

# The key of the PostgreSQL advisory lock create_schema takes: any constant
# number, the same in every process.
_SCHEMA_LOCK = 0x0CA75


def create_engine(
    url: str,
    *,
    connect_timeout: float = CONNECT_TIMEOUT,
    statement_timeout: float = STATEMENT_TIMEOUT,
) -> sa.Engine:
    """Create the engine for ``url``; for a SQLite file, create its folder and
    switch the database to WAL mode with real transactions.

    :param connect_timeout: seconds to wait for a connection to a database
        server (PostgreSQL's ``connect_timeout``, at least 2), and for a
        connection from the pool.
    :param statement_timeout: seconds a statement may run on PostgreSQL
        (``statement_timeout``), or wait for the write lock on SQLite.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend != "sqlite":
        connect_args: dict[str, t.Any] = {}
        if backend == "postgresql":
            # Without these a frozen or unreachable server hangs every request
            # until gunicorn kills the worker.
            connect_args = {
                "connect_timeout": max(2, math.ceil(connect_timeout)),
                "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
            }
        # pool_pre_ping: a server restart costs a reconnect, not a 500.
        return sa.create_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=connect_timeout,
            connect_args=connect_args,
        )
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": statement_timeout})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def display_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``: for logs and
    banners."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: t.Any, connection_record: t.Any) -> None:
    # pysqlite opens transactions only before INSERT/UPDATE/DELETE, so two
    # reads would not see one snapshot; take BEGIN over (see _sqlite_begin),
    # as SQLAlchemy's pysqlite documentation recommends.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL: readers never block the writer, nor the writer the readers.
        _use_wal(cursor)
    finally:
        cursor.close()


def _use_wal(cursor: t.Any) -> None:
    """Switch the database to WAL mode, which then stays with the file.

    Switching fails at once with "database is locked", without waiting as
    other statements do, while another process uses the file: on a new
    database, when several processes start at once. Each tries again
    until one of them has made the switch.
    """
    delay = 0.005
    deadline = time.monotonic() + STATEMENT_TIMEOUT
    while True:
        try:
            (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
            if mode.lower() != "wal":
                # An in-memory database stays "memory"; that is fine too.
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _sqlite_begin(connection: sa.Connection) -> None:
    # "BEGIN IMMEDIATE" when asked (create_schema): take the write lock now,
    # waiting for it, rather than fail when a read has to become a write.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".rstrip())


class CatRepository:
    """Every query the API makes, each in one transaction.

    The resources get this object through ``resource_class_kwargs``, so they
    never see the engine, and tests can hand them another repository.

    :param engine: the SQLAlchemy engine; the repository disposes of it in
        :meth:`close`.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str, **options: float) -> CatRepository:
        """A repository on a new engine for the SQLAlchemy URL ``url``; the
        options are :func:`create_engine`'s."""
        return cls(create_engine(url, **options))

    def create_schema(self) -> bool:
        """Create the table if it does not exist yet; whether it did.

        Safe when several processes start at once on an empty database (the
        workers of one gunicorn, or several hosts): on SQLite the transaction
        takes the write lock first (``BEGIN IMMEDIATE``), on PostgreSQL an
        advisory lock; elsewhere a process that loses the race finds the
        table made by another.
        """
        engine = self.engine
        dialect = engine.dialect.name
        try:
            with engine.connect() as conn:
                if dialect == "sqlite":
                    conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    if dialect == "postgresql":
                        # Held until COMMIT: DDL is transactional there.
                        conn.execute(
                            sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK))
                        )
                    if sa.inspect(conn).has_table(cats.name):
                        return False
                    metadata.create_all(conn)
                    return True
        except sa.exc.DBAPIError:
            if dialect in ("sqlite", "postgresql") or not self._has_table():
                raise
            return False

    def _has_table(self) -> bool:
        with self.engine.connect() as conn:
            return sa.inspect(conn).has_table(cats.name)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def listing(self) -> SelectPages:
        """Every cat by id, for :func:`~flask_resources.pagination.paginate`,
        which counts them and loads one page."""
        return SelectPages(sa.select(cats).order_by(cats.c.id), self.engine, row=_row)

    def get(self, cat_id: int) -> CatRow | None:
        """The cat with this id, or ``None``."""
        if not 0 < cat_id <= MAX_ID:
            return None
        with self.engine.connect() as conn:
            return self._get(conn, cat_id)

    def add(self, values: Mapping[str, t.Any]) -> CatRow:
        """Insert a cat and return it with its new id."""
        with self.engine.begin() as conn:
            result = conn.execute(cats.insert().values(**values))
            (cat_id,) = result.inserted_primary_key or (None,)
            cat = self._get(conn, t.cast(int, cat_id))
        assert cat is not None
        return cat

    def update(
        self,
        cat_id: int,
        values: Mapping[str, t.Any],
        *,
        check: Callable[[CatRow], None] | None = None,
    ) -> CatRow | None:
        """Set some columns of a cat; return the cat, or ``None`` when there
        is no such cat. ``check`` sees the cat as it is before the change,
        with its row locked, and raises to leave it unchanged."""
        if not 0 < cat_id <= MAX_ID:
            return None
        with self.engine.begin() as conn:
            if check is not None and not self._check(conn, cat_id, check):
                return None
            if values:
                # Write first: on SQLite the write lock is taken before the
                # read, so concurrent writers queue instead of failing.
                result = conn.execute(
                    cats.update().where(cats.c.id == cat_id).values(**values)
                )
                if result.rowcount == 0:
                    return None
            return self._get(conn, cat_id)

    def delete(
        self, cat_id: int, *, check: Callable[[CatRow], None] | None = None
    ) -> bool:
        """Delete a cat; whether there was one. ``check`` as for
        :meth:`update`."""
        if not 0 < cat_id <= MAX_ID:
            return False
        with self.engine.begin() as conn:
            if check is not None and not self._check(conn, cat_id, check):
                return False
            result = conn.execute(cats.delete().where(cats.c.id == cat_id))
            return result.rowcount > 0

    def _check(
        self, conn: sa.Connection, cat_id: int, check: Callable[[CatRow], None]
    ) -> bool:
        """Lock a cat's row, then hand the cat to ``check``; whether the cat
        exists. The no-op UPDATE locks the row on PostgreSQL and takes the
        write lock on SQLite, so no other write lands between the check and
        the caller's."""
        locked = conn.execute(
            cats.update().where(cats.c.id == cat_id).values(id=cats.c.id)
        )
        if locked.rowcount == 0:
            return False
        cat = self._get(conn, cat_id)
        assert cat is not None
        check(cat)
        return True

    def count(self) -> int:
        """How many cats there are."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.count()).select_from(cats)
            ).scalar_one()

    @staticmethod
    def _get(conn: sa.Connection, cat_id: int) -> CatRow | None:
        row = conn.execute(sa.select(cats).where(cats.c.id == cat_id)).mappings()
        first = row.first()
        return None if first is None else _row(first)


def _row(row: sa.RowMapping) -> CatRow:
    return {
        "id": row["id"],
        "name": row["name"],
        "age": row["age"],
        "born": row["born"],
    }
