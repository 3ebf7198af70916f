"""Real HTTP servers on 127.0.0.1 for the tests: gunicorn and granian in a
subprocess, waitress and Werkzeug's development server in a thread, and a
small client."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
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

#: Debian's chromium, the only browser the browser tests use (never a
#: downloaded one), and the flags it runs with: no network of its own, no GPU.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
    runtime: str

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

    def close(self) -> None:
        """Stop the server and remove what it left behind."""
        self.stop()
        self.log.close()
        shutil.rmtree(self.runtime, ignore_errors=True)

    def wait_until_up(self) -> None:
        """Return once the port accepts connections; fail if the server exits."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                pytest.fail(f"the server exited with {code}:\n{self.output()}")
            try:
                # Up once a worker answers HTTP, not merely once the master
                # listens: a worker that fails to boot makes the master exit,
                # which the poll above then reports with the server's output.
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=5
                )
                try:
                    connection.request("GET", "/")
                    connection.getresponse().read()
                finally:
                    connection.close()
                return
            except (OSError, http.client.HTTPException):
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
    return start_process(command, port, env=env, cwd=cwd)


def start_granian(
    *args: str,
    env: t.Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> Process:
    """Start granian with ``args`` (its options and the app, or ``-m module``
    and that module's options) on a free loopback port, and wait until it
    answers; the caller stops it."""
    pytest.importorskip("granian", reason="granian is in the test extra")
    port = free_port()
    bind = ["--host", "127.0.0.1", "--port", str(port)]
    if args[:1] == ("-m",):
        # A launcher: given last, the address wins over its own settings.
        command = [sys.executable, *args, *bind]
    else:
        # granian itself takes its app as the last argument.
        command = [sys.executable, "-m", "granian", *bind, *args]
    return start_process(command, port, env=env, cwd=cwd)


def start_process(
    command: list[str],
    port: int,
    *,
    env: t.Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> Process:
    """Run ``command``, a server that listens on ``port``, in a process group
    of its own, and wait until it answers HTTP."""
    # A file, not a pipe: a server logging into a full pipe would block.
    log = tempfile.TemporaryFile()
    # gunicorn 27 opens a control socket under $XDG_RUNTIME_DIR, one path for
    # every instance unless each gets its own directory.
    runtime = tempfile.mkdtemp(prefix="server-")
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "XDG_RUNTIME_DIR": runtime, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Process(port, process, log, runtime)
    try:
        server.wait_until_up()
    except BaseException:
        server.close()
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
        server.close()


@contextlib.contextmanager
def granian(
    *args: str,
    env: t.Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> t.Iterator[Process]:
    """Run granian (see :func:`start_granian`) while in the block."""
    server = start_granian(*args, env=env, cwd=cwd)
    try:
        yield server
    finally:
        server.close()


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
        try:
            server.trigger.pull_trigger(server.close)  # type: ignore[union-attr]
        except OSError:
            # The loop already closed its trigger: once, in CI, the poll
            # reported the pipe invalid after another test's server in this
            # process had shut down. Close from here; the loop then finds
            # nothing left to watch and ends.
            server.close()
        thread.join(10)
        server.task_dispatcher.shutdown()  # type: ignore[union-attr]
    assert not thread.is_alive()


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
        try:
            conn.request(
                method,
                path,
                body=body,
                headers=dict(headers or {}),
                encode_chunked=chunked,
            )
        except (BrokenPipeError, ConnectionResetError):
            # The server answered before the whole body was sent (granian
            # answers a body over the limit at once and closes): its answer
            # is still there to read.
            pass
        resp = conn.getresponse()
        raw = resp.read()
        return Reply(resp.status, resp.headers, json.loads(raw) if raw else None)
    finally:
        conn.close()


def worker_pids(master: int) -> list[int]:
    """The pids of a gunicorn or granian master's workers (Linux: read from
    /proc)."""
    pids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{master}/task"):
            with open(f"/proc/{master}/task/{task}/children") as f:
                pids.extend(int(pid) for pid in f.read().split())
    except FileNotFoundError:
        pytest.skip("no /proc/<pid>/task/<tid>/children to find gunicorn's workers")
    return pids


class Load(t.NamedTuple):
    """What a run of :func:`write_load` saw."""

    #: The start of every name this run wrote.
    prefix: str
    #: Requests sent.
    requests: int
    #: Name -> id of every write answered 201: the acknowledged writes.
    created: dict[str, int]
    #: Status -> count of the other answers.
    statuses: dict[int, int]
    #: Port -> requests sent there that got no answer (connection refused
    #: or reset).
    failed: dict[int, int]

    @property
    def failures(self) -> int:
        return sum(self.failed.values())

    def summary(self, label: str, rows: t.Iterable[str]) -> str:
        """One line of figures; ``rows`` are the names in the table."""
        written = sum(1 for name in rows if name.startswith(self.prefix))
        return (
            f"{label}: {self.requests} requests, {len(self.created)} 201s,"
            f" {written} rows, {self.failures} failures, other statuses {self.statuses}"
        )


def write_load(
    ports: t.Sequence[int],
    token: str,
    *,
    clients: int = 16,
    writes: int = 50,
    prefix: str = "",
    halfway: t.Callable[[], None] | None = None,
) -> Load:
    """POST ``clients * writes`` cats with unique names from ``clients``
    threads, each spreading its writes over ``ports`` in turn; call
    ``halfway`` (in a thread of its own) once a third of them are done."""
    lock = threading.Lock()
    created: dict[str, int] = {}
    statuses: dict[int, int] = {}
    failed = dict.fromkeys(ports, 0)
    done = 0
    third = threading.Event()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def client(number: int) -> None:
        nonlocal done
        for index in range(writes):
            port = ports[(number + index) % len(ports)]
            name = f"{prefix}c{number}-{index}"
            body = json.dumps({"name": name, "age": index % 20}).encode()
            try:
                reply = request(port, "POST", "/cats", body, headers, timeout=60)
            except (OSError, http.client.HTTPException):
                with lock:
                    failed[port] += 1
            else:
                with lock:
                    if reply.status == 201:
                        assert reply.body["name"] == name
                        created[name] = reply.body["id"]
                    else:
                        statuses[reply.status] = statuses.get(reply.status, 0) + 1
            with lock:
                done += 1
                if done * 3 >= clients * writes:
                    third.set()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    killer = None
    if halfway is not None:

        def at_a_third() -> None:
            third.wait()
            halfway()

        killer = threading.Thread(target=at_a_third)
        killer.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if killer is not None:
        third.set()
        killer.join()
    return Load(prefix, clients * writes, created, statuses, failed)


#: The sample's nginx site, run by :func:`nginx` with its ports filled in.
NGINX_SITE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    *("samples", "cats", "nginx.conf"),
)


def find_nginx() -> str | None:
    """Debian's nginx (in /usr/sbin, off a user's PATH), or one on PATH."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


@contextlib.contextmanager
def nginx(upstream: int, site: str = NGINX_SITE) -> t.Iterator[Process]:
    """Run nginx on a free loopback port with the sample's site in front
    of ``upstream``; skip when nginx is not installed."""
    binary = find_nginx()
    if binary is None:
        pytest.skip("no nginx: install Debian's nginx package (.ci/run does)")
    port = free_port()
    runtime = tempfile.mkdtemp(prefix="nginx-")
    # Its workers may run as another user (nobody) and write temp files here.
    os.chmod(runtime, 0o777)
    with open(site, encoding="utf-8") as f:
        server = f.read()
    server = server.replace("CATS_LISTEN", f"127.0.0.1:{port}")
    server = server.replace("CATS_UPSTREAM", f"127.0.0.1:{upstream}")
    temp = "\n".join(
        f"    {kind}_temp_path {runtime}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    with open(os.path.join(runtime, "nginx.conf"), "w", encoding="utf-8") as f:
        f.write(
            f"worker_processes 1;\npid {runtime}/nginx.pid;\n"
            f"error_log {runtime}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n    access_log off;\n{temp}\n{server}\n}}\n"
        )
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [binary, "-p", runtime, "-c", f"{runtime}/nginx.conf", "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proxy = Process(port, process, log, runtime)
    try:
        proxy.wait_until_up()
        yield proxy
    finally:
        proxy.close()


class RetriedLoad(t.NamedTuple):
    """What a run of :func:`retrying_write_load` saw."""

    #: The start of every name (and key) this run wrote.
    prefix: str
    #: Writes wanted: one key each.
    keys: int
    #: HTTP requests sent, first tries and retries.
    requests: int
    #: Retries: requests sent again with the key of one that failed.
    retries: int
    #: Key -> the id its 201 gave (first answer or replay).
    created: dict[str, int]
    #: 201s that were replays of an answer the client had not received.
    replayed: int
    #: Answers or failures that made a client retry, by kind.
    failures: dict[str, int]
    #: Calls made from the load at the given fractions (host kills).
    kills: int

    def summary(self, label: str, rows: t.Mapping[str, t.Any]) -> str:
        """One line of figures; ``rows`` maps the names in the table."""
        written = sum(1 for name in rows if name.startswith(self.prefix))
        return (
            f"{label}: {self.keys} keys, {self.requests} requests,"
            f" {self.kills} kills, {self.retries} retries ({self.failures}),"
            f" {self.replayed} replays, {len(self.created)} keys answered 201,"
            f" {written} rows"
        )


def retrying_write_load(
    ports: t.Sequence[int],
    token: str,
    *,
    clients: int = 16,
    writes: int = 30,
    prefix: str = "",
    events: t.Sequence[tuple[float, t.Callable[[], None]]] = (),
    attempts: int = 50,
) -> RetriedLoad:
    """POST ``clients * writes`` cats from ``clients`` threads, each with an
    ``Idempotency-Key``, spreading them over ``ports``; a request that gets
    no answer, a 5xx or a 409 is sent again with the same key and body to
    the next port, until it gets its 201 (or ``attempts`` run out). Each
    ``(fraction, call)`` of ``events`` is called, in a thread of its own,
    once that fraction of the writes is done."""
    lock = threading.Lock()
    created: dict[str, int] = {}
    failures: dict[str, int] = {}
    counts = {"requests": 0, "retries": 0, "replayed": 0, "done": 0}
    total = clients * writes
    marks = [(fraction, threading.Event(), call) for fraction, call in events]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def failed(kind: str) -> None:
        with lock:
            failures[kind] = failures.get(kind, 0) + 1

    def client(number: int) -> None:
        for index in range(writes):
            key = name = f"{prefix}c{number}-{index}"
            body = json.dumps({"name": name, "age": index % 20}).encode()
            keyed = {**headers, "Idempotency-Key": f'"{key}"'}
            for attempt in range(attempts):
                port = ports[(number + index + attempt) % len(ports)]
                with lock:
                    counts["requests"] += 1
                    counts["retries"] += attempt > 0
                try:
                    reply = request(port, "POST", "/cats", body, keyed, timeout=60)
                except (OSError, http.client.HTTPException):
                    failed("no answer")
                else:
                    if reply.status == 201:
                        assert reply.body["name"] == name
                        with lock:
                            created[key] = reply.body["id"]
                            counts["replayed"] += (
                                reply.headers.get("Idempotent-Replayed") == "true"
                            )
                        break
                    assert reply.status in (409, 503), (reply.status, reply.body)
                    failed(str(reply.status))
                # A client backs off a little before it tries again.
                time.sleep(min(0.05 * (attempt + 1), 0.5))
            with lock:
                counts["done"] += 1
                for fraction, event, _ in marks:
                    if counts["done"] >= fraction * total:
                        event.set()

    def at(event: threading.Event, call: t.Callable[[], None]) -> None:
        event.wait()
        call()

    callers = [
        threading.Thread(target=at, args=(event, call)) for _, event, call in marks
    ]
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in [*callers, *threads]:
        thread.start()
    for thread in threads:
        thread.join()
    for _, event, _ in marks:
        event.set()
    for thread in callers:
        thread.join()
    return RetriedLoad(
        prefix,
        total,
        counts["requests"],
        counts["retries"],
        created,
        counts["replayed"],
        failures,
        len(marks),
    )
