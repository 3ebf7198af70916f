"""Living with a database that is down or frozen: which errors mean "try
again later", a log that says so in one line, and a watchdog that cuts a
connection a frozen server holds."""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import typing as t

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context, request

if t.TYPE_CHECKING:
    from flask import Flask

#: Seconds between two log lines about the database being unavailable, in
#: one process; the failures in between are counted in the next line.
LOG_INTERVAL = 5.0


def is_unavailable(e: BaseException) -> bool:
    """Whether ``e`` says the database cannot answer now (down, unreachable,
    frozen past a timeout, out of disk, locked), rather than that it refused
    what was asked: an ``OperationalError``, a lost connection, or no free
    connection in the pool."""
    if isinstance(e, sa.exc.TimeoutError):
        return True
    return isinstance(e, sa.exc.DBAPIError) and (
        isinstance(e, sa.exc.OperationalError) or e.connection_invalidated
    )


def summary(e: BaseException) -> str:
    """The first line of what the driver said, without SQLAlchemy's
    statement and background link."""
    cause = getattr(e, "orig", None) or e
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0] if text else ''}".rstrip(": ")


class _Quiet:
    """When an app last logged an outage line, and how many it skipped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = -math.inf
        self.suppressed = 0


class OutageLogFilter(logging.Filter):
    """Turns the traceback logged for each request failing on an unavailable
    database into one line, at most one per app every ``LOG_INTERVAL``
    seconds (the app's ``DATABASE_LOG_INTERVAL``); the failures not logged
    are counted in the next line. During an outage a busy server fails
    thousands of requests a second: their tracebacks would bury everything
    else in the log.

    Install it with :func:`quiet_outages`: apps of one name share a logger,
    and each keeps its own count.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        error = exc_info[1] if exc_info else None
        if error is None or not is_unavailable(error) or not has_app_context():
            return True
        quiet = current_app.extensions.setdefault(_QUIET_KEY, _Quiet())
        interval = current_app.config.get("DATABASE_LOG_INTERVAL", LOG_INTERVAL)
        now = time.monotonic()
        with quiet.lock:
            if now - quiet.last < interval:
                quiet.suppressed += 1
                return False
            quiet.last = now
            suppressed, quiet.suppressed = quiet.suppressed, 0
        more = f" ({suppressed} more since the last line)" if suppressed else ""
        where = record.getMessage()
        if has_request_context():
            where = f"{request.method} {request.path}"
        record.msg = "%s: the database is unavailable: %s%s"
        record.args = (where, summary(error), more)
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_QUIET_KEY = "cats.outage_log"
_install_lock = threading.Lock()


def quiet_outages(app: Flask) -> None:
    """Put the :class:`OutageLogFilter` on ``app``'s logger, once."""
    with _install_lock:
        if not any(isinstance(f, OutageLogFilter) for f in app.logger.filters):
            app.logger.addFilter(OutageLogFilter())
    app.extensions[_QUIET_KEY] = _Quiet()


class Watchdog:
    """Cuts the socket of a database connection that has been checked out
    of the pool for longer than ``bound`` seconds.

    A frozen server (SIGSTOP, a host that hangs) keeps its TCP connections
    open, and the kernel goes on acknowledging what is sent: the server's
    ``statement_timeout`` never fires, keepalives are answered, and the
    driver waits for a reply forever. Shutting the socket down makes the
    driver fail at once with an ``OperationalError``: a 503, and SQLAlchemy
    throws the connection away.

    One thread per process, started with the first connection watched (so
    after gunicorn forks its workers).
    """

    def __init__(self, bound: float) -> None:
        self.bound = bound
        self._changed = threading.Condition()
        self._watched: dict[int, tuple[float, t.Any]] = {}
        self._thread: threading.Thread | None = None
        self._pid = 0

    def watch(self, key: object, connection: t.Any) -> None:
        """Start the clock on ``connection`` (a DBAPI connection with a
        ``fileno()``), known by ``key`` until :meth:`release`."""
        with self._changed:
            self._watched[id(key)] = (time.monotonic() + self.bound, connection)
            if self._thread is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="database-watchdog", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def release(self, key: object) -> None:
        """Stop watching the connection known by ``key``; call it before the
        connection is closed, so its file descriptor is never cut after
        being reused."""
        with self._changed:
            self._watched.pop(id(key), None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for key, (deadline, connection) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[key]
                        _cut(connection)
                deadlines = [deadline for deadline, _ in self._watched.values()]
                self._changed.wait(min(deadlines) - now if deadlines else None)


def _cut(connection: t.Any) -> None:
    """Shut the connection's socket down under the driver, which then fails
    on its next read or write."""
    try:
        fd = connection.fileno()
        sock = socket.socket(fileno=os.dup(fd))
    except Exception:  # closed meanwhile: nothing left to cut
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def watch_checkouts(engine: sa.Engine, watchdog: Watchdog) -> None:
    """Watch every connection ``engine``'s pool hands out, and check a
    pooled connection with ``SELECT 1`` under the watchdog before handing it
    out (SQLAlchemy's ``pool_pre_ping`` runs before the ``checkout`` event,
    unwatched). A connection that fails the check is replaced by a new
    one."""
    error = engine.dialect.loaded_dbapi.Error

    @sa.event.listens_for(engine, "checkout")
    def checkout(dbapi_connection: t.Any, record: t.Any, proxy: t.Any) -> None:
        watchdog.watch(record, dbapi_connection)
        if not record.info.get("used"):
            record.info["used"] = True
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except error as e:
            watchdog.release(record)
            raise sa.exc.DisconnectionError(summary(e)) from e

    def release(dbapi_connection: t.Any, record: t.Any, *args: t.Any) -> None:
        watchdog.release(record)

    # The pool rolls a connection back before "checkin": under the watch.
    for name in ("checkin", "invalidate", "soft_invalidate", "close"):
        sa.event.listen(engine, name, release)
