"""The cats' ``Idempotency-Key`` answers, kept in the database in the same
transaction as the write they answer."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
import typing as t

import sqlalchemy as sa
from flask import g

from flask_resources.idempotency import DEFAULT_TTL, Reserved, StoredResponse

from .storage import REQUEST_TRANSACTION, idempotency_keys

if t.TYPE_CHECKING:
    from .storage import CatRepository

# Where reserve() keeps the request's fingerprint for save(), in flask.g.
_FINGERPRINT = "cats_request_fingerprint"

#: Seconds between two deletions of expired answers, in one process.
EXPIRE_INTERVAL = 60.0


class SQLStore:
    """An :class:`~flask_resources.idempotency.IdempotencyStore` in the
    cats' database (SQLite or PostgreSQL).

    :meth:`reserve` begins a transaction and keeps it for the request; the
    repository's writes go into it (:meth:`CatRepository.transaction
    <samples.cats.storage.CatRepository.transaction>`), and :meth:`save`
    stores the answer in it and commits. So a cat is committed together
    with the answer its client may not have received: the retry is
    answered from here, and never creates a second cat. A process killed
    before the commit leaves neither, and the retry runs again.

    A second request with the key while the first runs gets 409: on
    PostgreSQL the first holds an advisory lock on the key until it
    commits; on SQLite, the process's own requests are told apart here, and
    one in another process waits for the database's write lock, then finds
    the answer and gets it replayed.

    :param repository: the cats' repository, whose engine and tables these
        are.
    :param ttl: seconds an answer is kept.
    """

    def __init__(self, repository: CatRepository, *, ttl: float = DEFAULT_TTL) -> None:
        self.repository = repository
        self.ttl = ttl
        self._lock = threading.Lock()
        # The keys this process's requests hold now.
        self._running: set[tuple[str, str]] = set()
        self._last_expired = time.monotonic()

    def reserve(self, scope: str, key: str, fingerprint: str) -> Reserved | None:
        with self._lock:
            if (scope, key) in self._running:
                return Reserved(None, None)
            self._running.add((scope, key))
        try:
            return self._reserve(scope, key, fingerprint)
        except BaseException:
            self._forget(scope, key)
            raise

    def _reserve(self, scope: str, key: str, fingerprint: str) -> Reserved | None:
        repository = self.repository
        repository.ensure_schema()
        engine = repository.engine
        conn = engine.connect()
        try:
            if engine.dialect.name == "sqlite":
                # The write lock now, not when the first write comes.
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            conn.begin()
            if engine.dialect.name == "postgresql":
                # Held until COMMIT or ROLLBACK, or the connection's end.
                lock = sa.func.pg_try_advisory_xact_lock(_lock_key(scope, key))
                if not conn.execute(sa.select(lock)).scalar_one():
                    conn.close()
                    self._forget(scope, key)
                    return Reserved(None, None)
            where = (idempotency_keys.c.scope == scope) & (
                idempotency_keys.c.key == key
            )
            row = conn.execute(sa.select(idempotency_keys).where(where)).first()
            if row is not None:
                if row.created_at > time.time() - self.ttl:
                    conn.close()
                    self._forget(scope, key)
                    pairs = json.loads(row.headers)
                    headers = tuple((name, value) for name, value in pairs)
                    response = StoredResponse(row.status, headers, bytes(row.body))
                    return Reserved(row.fingerprint, response)
                conn.execute(idempotency_keys.delete().where(where))
        except BaseException:
            conn.close()
            raise
        g.setdefault(REQUEST_TRANSACTION, conn)
        g.setdefault(_FINGERPRINT, fingerprint)
        return None

    def save(self, scope: str, key: str, response: StoredResponse) -> None:
        conn = g.pop(REQUEST_TRANSACTION)
        try:
            conn.execute(
                idempotency_keys.insert().values(
                    scope=scope,
                    key=key,
                    fingerprint=g.pop(_FINGERPRINT),
                    status=response.status,
                    headers=json.dumps([list(pair) for pair in response.headers]),
                    body=response.body,
                    created_at=time.time(),
                )
            )
            conn.commit()
        finally:
            conn.close()
            self._forget(scope, key)
        self._expire_now_and_then()

    def release(self, scope: str, key: str) -> None:
        conn: sa.Connection | None = g.pop(REQUEST_TRANSACTION, None)
        g.pop(_FINGERPRINT, None)
        self._forget(scope, key)
        if conn is not None:
            # Rolled back on close; on a connection already lost, nothing
            # is left to roll back.
            with contextlib.suppress(sa.exc.DBAPIError):
                conn.close()

    def expire(self) -> int:
        with self.repository.engine.begin() as conn:
            result = conn.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.created_at <= time.time() - self.ttl
                )
            )
            return result.rowcount

    def _forget(self, scope: str, key: str) -> None:
        with self._lock:
            self._running.discard((scope, key))

    def _expire_now_and_then(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last_expired < EXPIRE_INTERVAL:
                return
            self._last_expired = now
        # The write is committed and answered whatever happens here.
        with contextlib.suppress(sa.exc.DBAPIError, sa.exc.TimeoutError):
            self.expire()


def close_request_transaction(exc: BaseException | None = None) -> None:
    """Roll back a transaction a request left open (a teardown handler: the
    store normally closes it itself)."""
    conn: sa.Connection | None = g.pop(REQUEST_TRANSACTION, None)
    if conn is not None:
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.close()


def _lock_key(scope: str, key: str) -> int:
    """A signed 64-bit advisory lock key for a client's key."""
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
