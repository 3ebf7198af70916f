"""Serve the cats API with waitress: ``python -m samples.cats``.

The database is ``instance/cats.sqlite3`` unless ``DATABASE_URL`` says
otherwise. Writes need ``CATS_API_TOKEN``; when it is not set, a token is
made up on the first run and kept in ``instance/cats-api-token``.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import typing as t

import waitress

from . import create_app, repository_of
from .resources import TOKEN_KEY

if t.TYPE_CHECKING:
    from flask import Flask

TOKEN_FILE = "cats-api-token"


def dev_token(app: Flask) -> str:
    """Read the token kept in the instance folder, making one up the first
    time; only the owner may read the file."""
    path = os.path.join(app.instance_path, TOKEN_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
        if token:
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(24)
    os.makedirs(app.instance_path, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    return token


def main(argv: t.Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m samples.cats", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    options = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app()
    if app.config[TOKEN_KEY]:
        where = f"the {TOKEN_KEY} environment variable"
    else:
        app.config[TOKEN_KEY] = dev_token(app)
        where = os.path.relpath(os.path.join(app.instance_path, TOKEN_FILE))
    print(f"Database: {app.config['DATABASE_URL']}")
    print(f"Writes need 'Authorization: Bearer <token>', the token is in {where}")
    print(f"Try: curl http://{options.host}:{options.port}/cats", flush=True)
    # Stop on SIGTERM (kill, docker stop) as on Ctrl-C: waitress finishes the
    # requests under way, then the database connections are closed.
    signal.signal(signal.SIGTERM, _exit)
    try:
        waitress.serve(app, host=options.host, port=options.port)
    finally:
        repository_of(app).close()


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
