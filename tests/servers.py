"""Real HTTP servers on 127.0.0.1 for the tests: gunicorn in a subprocess,
waitress and Werkzeug's development server in a thread, and a small client."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import typing as t

import pytest

if t.TYPE_CHECKING:
    from flask import Flask

# Generous for a slow, shared CI machine; a healthy server starts in a second.
START_TIMEOUT = 60


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process(t.NamedTuple):
    """A server started in a subprocess, leading its own process group."""

    port: int
    process: subprocess.Popen[bytes]
    log: t.IO[bytes]

    def output(self) -> str:
        """What the server has printed so far."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """Stop the server and its workers (SIGTERM, then SIGKILL)."""
        process = self.process
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)

    def wait_until_up(self) -> None:
        """Return once the port accepts connections; fail if the server exits."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                pytest.fail(f"the server exited with {code}:\n{self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                # Polled: the server is up as soon as it answers.
                time.sleep(0.05)
        pytest.fail(f"nothing listens on 127.0.0.1:{self.port}:\n{self.output()}")


def start_gunicorn(
    app: str,
    *options: str,
    env: t.Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> Process:
    """Start ``gunicorn app`` on a free loopback port and wait until it
    answers; the caller stops it."""
    pytest.importorskip("gunicorn", reason="gunicorn is in the test extra")
    port = free_port()
    command = [
        sys.executable,
        *("-m", "gunicorn", "--bind", f"127.0.0.1:{port}"),
        *options,
        app,
    ]
    # A file, not a pipe: a server logging into a full pipe would block.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Process(port, process, log)
    try:
        server.wait_until_up()
    except BaseException:
        server.stop()
        log.close()
        raise
    return server


@contextlib.contextmanager
def gunicorn(
    app: str,
    *options: str,
    env: t.Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> t.Iterator[Process]:
    """Run ``gunicorn app`` on a free loopback port while in the block."""
    server = start_gunicorn(app, *options, env=env, cwd=cwd)
    try:
        yield server
    finally:
        server.stop()
        server.log.close()


@contextlib.contextmanager
def waitress_server(app: Flask, **options: t.Any) -> t.Iterator[int]:
    """Serve ``app`` with waitress in a thread; yield its port."""
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)  # type: ignore[union-attr]
    finally:
        # Close the listening socket from the server's own loop, which then
        # ends once the last connection is gone.
        server.trigger.pull_trigger(server.close)  # type: ignore[union-attr]
        thread.join(10)
        server.task_dispatcher.shutdown()  # type: ignore[union-attr]


@contextlib.contextmanager
def werkzeug_server(app: Flask) -> t.Iterator[int]:
    """Serve ``app`` with Werkzeug's threaded development server; yield its
    port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


class Reply(t.NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    body: t.Any


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | t.Iterable[bytes] | None = None,
    headers: t.Mapping[str, str] | None = None,
    *,
    timeout: float = 30,
) -> Reply:
    """Send one request on a new connection; an iterable body goes chunked.
    The reply's body is decoded JSON, or ``None`` when empty."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        chunked = body is not None and not isinstance(body, bytes)
        conn.request(
            method, path, body=body, headers=dict(headers or {}), encode_chunked=chunked
        )
        resp = conn.getresponse()
        raw = resp.read()
        return Reply(resp.status, resp.headers, json.loads(raw) if raw else None)
    finally:
        conn.close()
