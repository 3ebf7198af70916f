"""Where the cats live: one SQLAlchemy Core table and the repository owning it."""

from __future__ import annotations

import datetime
import math
import os
import sqlite3
import threading
import time
import typing as t
from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from flask_resources.pagination import SelectPages

from .outage import Watchdog, watch_checkouts

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


#: Seconds to wait for a connection to the database server, and for a free
#: connection in the pool, by default.
CONNECT_TIMEOUT = 3.0
#: Seconds one statement may run (or, on SQLite, wait for the write lock),
#: by default. With the connect timeout, about 10 s: far below gunicorn's
#: worker timeout, so a frozen database gets a 503 instead of a killed
#: worker.
STATEMENT_TIMEOUT = 6.0
#: Seconds past the statement timeout after which the watchdog cuts a
#: connection still checked out: the server's own timeout, when it can
#: still act, answers first with a cleaner error.
WATCHDOG_GRACE = 1.0
#: TCP keepalive settings of each PostgreSQL connection (libpq's
#: ``keepalives_idle``, ``keepalives_interval``, ``keepalives_count``): a
#: pooled connection to a host that vanished is found dead in about 45 s,
#: rather than the kernel's two hours.
KEEPALIVES = (30, 5, 3)

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
    if backend == "postgresql":
        bound = statement_timeout + WATCHDOG_GRACE
        idle, interval, count = KEEPALIVES
        # Each bounds one way a request could wait on the database forever.
        connect_args = {
            # Connecting to a server that never answers (libpq's minimum: 2).
            "connect_timeout": max(2, math.ceil(connect_timeout)),
            # A statement the server is slow to finish (a lock, a big scan).
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
            # Data sent to a host that stopped acknowledging it (a network
            # partition, a dead host): the kernel gives up after this long.
            "tcp_user_timeout": int(bound * 1000),
            # An idle pooled connection to a host that went away.
            "keepalives": 1,
            "keepalives_idle": idle,
            "keepalives_interval": interval,
            "keepalives_count": count,
        }
        # No pool_pre_ping: watch_checkouts checks each pooled connection
        # itself, under the watchdog, which also bounds a frozen server that
        # the kernel still acknowledges for (SIGSTOP, a hung host). A server
        # restart still costs a reconnect, not an error.
        engine = sa.create_engine(
            url, pool_timeout=connect_timeout, connect_args=connect_args
        )
        watch_checkouts(engine, Watchdog(bound))
        return engine
    if backend != "sqlite":
        # pool_pre_ping: a server restart costs a reconnect, not a 500.
        return sa.create_engine(url, pool_pre_ping=True, pool_timeout=connect_timeout)
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
    :param create_schema: create the table, if it does not exist, before
        the first query (:meth:`ensure_schema`).
    """

    def __init__(self, engine: sa.Engine, *, create_schema: bool = False) -> None:
        self.engine = engine
        self._schema_pending = create_schema
        self._schema_lock = threading.Lock()

    @classmethod
    def from_url(
        cls, url: str, *, create_schema: bool = False, **options: float
    ) -> CatRepository:
        """A repository on a new engine for the SQLAlchemy URL ``url``; the
        options are :func:`create_engine`'s."""
        return cls(create_engine(url, **options), create_schema=create_schema)

    def ensure_schema(self) -> None:
        """Create the table if the repository was asked to and has not yet:
        at start-up, or, when the database was unavailable then, on the
        first query. Raises what the database raised, and tries again the
        next time."""
        if not self._schema_pending:
            return
        with self._schema_lock:
            if self._schema_pending:
                self.create_schema()
                self._schema_pending = False

    def ping(self) -> None:
        """Raise unless the database answers (and has the table): the
        readiness check."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            conn.execute(sa.select(1))

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
        self.ensure_schema()
        return SelectPages(sa.select(cats).order_by(cats.c.id), self.engine, row=_row)

    def get(self, cat_id: int) -> CatRow | None:
        """The cat with this id, or ``None``."""
        if not 0 < cat_id <= MAX_ID:
            return None
        self.ensure_schema()
        with self.engine.connect() as conn:
            return self._get(conn, cat_id)

    def add(self, values: Mapping[str, t.Any]) -> CatRow:
        """Insert a cat and return it with its new id."""
        self.ensure_schema()
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
        self.ensure_schema()
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
        self.ensure_schema()
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
        self.ensure_schema()
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
