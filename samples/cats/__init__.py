"""The cats API: CRUD over a real database, with flask-resources.

::

    python -m samples.cats

serves it on http://127.0.0.1:5000 with a SQLite database under the
instance folder. See ``docs/guide/cats.md``.
"""

from __future__ import annotations

import importlib.util
import os
import typing as t
import weakref
from collections.abc import Mapping

import click
import sqlalchemy as sa
from flask import Flask

from flask_resources import Api

from .outage import is_unavailable, quiet_outages, summary
from .resources import (
    SECURITY_SCHEME,
    TOKEN_KEY,
    Cat,
    CatList,
    Live,
    Ready,
    database_unavailable,
)
from .storage import CONNECT_TIMEOUT, STATEMENT_TIMEOUT, CatRepository, display_url

__all__ = ["create_app", "repository_of"]

#: Where the repository is kept on the app.
EXTENSION_KEY = "cats"


def create_app(
    config: Mapping[str, t.Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Create the cats app and, unless told not to, its database table.

    The app starts whether or not the database answers: when it does not,
    one line is logged, the table is created on the first request that
    reaches the database, and until then requests answer 503.

    ``DATABASE_URL`` (any SQLAlchemy URL), ``CATS_API_TOKEN``,
    ``DATABASE_CONNECT_TIMEOUT`` and ``DATABASE_STATEMENT_TIMEOUT`` (seconds)
    and ``CATS_CREATE_SCHEMA`` (``0`` when an operator runs ``flask --app
    samples.cats init-db`` instead, so the app's database user needs no
    right to create tables) come from the environment unless ``config`` sets
    them. Without a ``DATABASE_URL`` the database is ``cats.sqlite3`` in the
    app's instance folder.

    :param config: config keys overriding the defaults and the environment.
    :param instance_path: the instance folder, instead of Flask's default.
    """
    # No static folder: every URL of this app is the API's, answered in JSON.
    app = Flask(__name__, instance_path=instance_path, static_folder=None)
    environ = os.environ
    app.config.update(
        DATABASE_URL=environ.get("DATABASE_URL") or None,
        CATS_API_TOKEN=environ.get(TOKEN_KEY) or None,
        DATABASE_CONNECT_TIMEOUT=float(
            environ.get("DATABASE_CONNECT_TIMEOUT") or CONNECT_TIMEOUT
        ),
        DATABASE_STATEMENT_TIMEOUT=float(
            environ.get("DATABASE_STATEMENT_TIMEOUT") or STATEMENT_TIMEOUT
        ),
        CATS_CREATE_SCHEMA=environ.get("CATS_CREATE_SCHEMA", "1").lower()
        not in ("0", "false", "no", "off"),
        # Bodies are a few hundred bytes; anything bigger is refused (413).
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    if config is not None:
        app.config.update(config)

    url = app.config["DATABASE_URL"]
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "cats.sqlite3")
        app.config["DATABASE_URL"] = url
    repository = CatRepository.from_url(
        url,
        create_schema=app.config["CATS_CREATE_SCHEMA"],
        connect_timeout=app.config["DATABASE_CONNECT_TIMEOUT"],
        statement_timeout=app.config["DATABASE_STATEMENT_TIMEOUT"],
    )
    # Each request failing on an unavailable database logs one line, a few
    # seconds apart at most, instead of a traceback per request.
    quiet_outages(app)
    if app.config["CATS_CREATE_SCHEMA"]:
        try:
            # Safe when every worker of a server does it at once.
            repository.ensure_schema()
        except (sa.exc.DBAPIError, sa.exc.TimeoutError) as e:
            if not is_unavailable(e):
                raise
            # A worker that failed to boot here would stop gunicorn's master
            # for good: start, answer 503 and /health/ready 503 meanwhile.
            app.logger.warning(
                "The database is unavailable at start-up (%s); the cats"
                " table is checked on the first request that reaches it.",
                summary(e),
            )
        # Hand no open connection to the workers a pre-forking server
        # (gunicorn --preload) forks from this process.
        repository.close()
    app.extensions[EXTENSION_KEY] = repository
    # An app that is thrown away (a test's, an app factory's spare) closes
    # its pooled connections rather than leaving them to the garbage
    # collector, which warns about each one on Python 3.13.
    weakref.finalize(app, repository.close)
    app.cli.add_command(init_db)

    api = Api(
        app,
        catch_all_404s=True,
        # Browsers get the browsable HTML pages; every other client the JSON.
        browsable=True,
        title="Cats",
        version="1.0.0",
        # The document and the docs page need the openapi and docs extras.
        openapi_url="/openapi.json" if _has_openapi_extras() else None,
        docs_url="/docs" if _has_openapi_extras() else None,
        security_schemes={
            SECURITY_SCHEME: {
                "type": "http",
                "scheme": "bearer",
                "description": f"The app's {TOKEN_KEY}; writes need it.",
            }
        },
    )
    # A database that is down, frozen or overloaded answers 503 with
    # Retry-After, in the API's JSON, instead of a 500.
    api.errorhandler(sa.exc.DBAPIError)(database_unavailable)
    api.errorhandler(sa.exc.TimeoutError)(database_unavailable)
    # The repository object is handed to each resource's constructor.
    kwargs = {"repository": repository}
    api.add_resource(CatList, "/cats", endpoint="cats", resource_class_kwargs=kwargs)
    api.add_resource(
        Cat, "/cats/<int:cat_id>", endpoint="cat", resource_class_kwargs=kwargs
    )
    # For the load balancer and the service manager: is the process alive,
    # and can it serve (does the database answer)?
    api.add_resource(Live, "/health/live", endpoint="live")
    api.add_resource(
        Ready, "/health/ready", endpoint="ready", resource_class_kwargs=kwargs
    )
    return app


@click.command("init-db")
def init_db() -> None:
    """Create the cats table if it does not exist."""
    from flask import current_app

    repository = repository_of(current_app)
    created = repository.create_schema()
    repository.close()
    where = display_url(current_app.config["DATABASE_URL"])
    click.echo(f"{'Created' if created else 'Found'} the cats table in {where}")


def _has_openapi_extras() -> bool:
    """Whether apispec and flask-swagger-ui are installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("apispec", "flask_swagger_ui")
    )


def repository_of(app: Flask) -> CatRepository:
    """The app's :class:`~samples.cats.storage.CatRepository`."""
    return t.cast(CatRepository, app.extensions[EXTENSION_KEY])
