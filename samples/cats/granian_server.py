"""Serve the cats API with granian: ``python -m samples.cats.granian_server``.

It runs granian's own command line with the settings below, chosen by
measurement (docs/guide/deploy.md gives the figures), so that the
command stays what granian users know::

    granian --interface wsgi --factory samples.cats:create_app \\
        --workers 2 --blocking-threads 4 ...

Options given on the command line win over these settings (``--port
9000``), and so does a ``GRANIAN_*`` environment variable for the setting
it names (``GRANIAN_PORT=9000``); ``WEB_CONCURRENCY`` sets the number of
workers. Run from the checkout's root (or wherever ``samples`` is
importable), with ``DATABASE_URL`` and ``CATS_API_TOKEN`` in the
environment. Needs the ``granian`` extra: ``pip install
'flask-resources[granian]'``.
"""

from __future__ import annotations

import os
import sys
import typing as t

#: The app, built in each worker by calling the factory (``--factory``).
TARGET = "samples.cats:create_app"


def settings(environ: t.Mapping[str, str] | None = None) -> dict[str, str | None]:
    """granian's options for the cats API, by their command-line names; a
    value of ``None`` is a flag. An option whose ``GRANIAN_*`` variable is
    set in ``environ`` is left out, so that the variable wins."""
    environ = os.environ if environ is None else environ
    workers = environ.get("WEB_CONCURRENCY") or str(os.cpu_count() or 1)
    chosen: dict[str, str | None] = {
        "--interface": "wsgi",
        # Loopback only: a reverse proxy on the same host takes the public
        # traffic and terminates TLS.
        "--host": "127.0.0.1",
        "--port": "8000",
        # One process per core: granian's HTTP handling runs in Rust
        # threads outside the GIL, so a worker keeps a core busy on its
        # own, where gunicorn needed two.
        "--workers": workers,
        # Python threads per worker that run the app. 1 to 4 served the
        # same requests per second; 8 and more only raised the p99 (GIL
        # hand-offs), and granian's default for WSGI is 512. Four overlap
        # the database round trips and match the connection pool's size.
        "--blocking-threads": "4",
        # Connections a worker holds at once, idle keep-alives included.
        # Set low, a few hundred idle sockets lock every other client out;
        # requests beyond the blocking threads wait in granian, not in a
        # thread.
        "--backpressure": "1024",
        "--backlog": "2048",
        # The read buffer bounds a request head: over 64 KiB (granian's
        # default is 408 KiB) or over 100 header lines is answered 431
        # before the app runs. Bodies stream past it, whatever their size.
        "--http1-buffer-size": "65536",
        # A client must send its request head within 10 s (granian's
        # default is 30 s): a slowloris that never finishes its headers is
        # cut off without ever reaching a Python thread.
        "--http1-header-read-timeout": "10000",
        # A worker that dies (SIGKILL, out of memory) is replaced, as
        # gunicorn's master does; granian's default is to shut down.
        "--respawn-failed-workers": None,
        "--respawn-interval": "1",
        # Replace each worker after six hours, so a slow leak in any library
        # cannot grow without bound (granian counts time, not requests).
        "--workers-lifetime": "6h",
        # On SIGTERM (a deploy, docker stop) requests under way get this
        # long to finish before their worker is killed.
        "--workers-kill-timeout": "30",
        "--access-log": None,
        "--no-ws": None,
    }
    return {
        option: value
        for option, value in chosen.items()
        if _variable(option) not in environ
    }


def _variable(option: str) -> str:
    """The ``GRANIAN_*`` variable granian reads for ``option``."""
    name = option.removeprefix("--").removeprefix("no-").replace("-", "_").upper()
    return {
        "ACCESS_LOG": "GRANIAN_LOG_ACCESS_ENABLED",
        "WS": "GRANIAN_WEBSOCKETS",
    }.get(name, f"GRANIAN_{name}")


def command_line(
    argv: t.Sequence[str] = (), environ: t.Mapping[str, str] | None = None
) -> list[str]:
    """granian's arguments: the settings, then ``argv`` (the last of an
    option given twice wins), then the app factory."""
    args: list[str] = []
    for option, value in settings(environ).items():
        args.append(option)
        if value is not None:
            args.append(value)
    return [*args, *argv, "--factory", TARGET]


def main(argv: t.Sequence[str] | None = None) -> None:
    try:
        from granian.cli import cli
    except ImportError:
        raise SystemExit(
            "granian is not installed: pip install 'flask-resources[granian]'"
        ) from None
    cli(
        args=command_line(sys.argv[1:] if argv is None else argv),
        prog_name="python -m samples.cats.granian_server",
        auto_envvar_prefix="GRANIAN",
    )


if __name__ == "__main__":
    main()
