"""The /cats resources and the Bearer token that guards their writes."""

from __future__ import annotations

import hmac
import typing as t

from flask import current_app, url_for
from flask_httpauth import HTTPTokenAuth
from werkzeug.exceptions import ServiceUnavailable

from flask_resources import Resource, abort, doc, marshal_with, use_args
from flask_resources.auth import api_auth
from flask_resources.conditional import check_preconditions, etag_for
from flask_resources.pagination import paginate

from .outage import is_unavailable
from .schemas import CatSchema, cat_patch_schema
from .storage import CatRepository, CatRow

#: The app config key (and environment variable) holding the write token.
TOKEN_KEY = "CATS_API_TOKEN"

#: The name of the token's security scheme in the OpenAPI document.
SECURITY_SCHEME = "bearerToken"

_NOT_FOUND = {404: "No cat has this id."}

#: Writes need ``Authorization: Bearer <token>`` naming the app's
#: ``CATS_API_TOKEN``; a 401 otherwise, in the API's error format. Each
#: ``login_required`` also puts the requirement in the OpenAPI document.
auth = api_auth(
    HTTPTokenAuth(scheme="Bearer", realm="cats"),
    name=SECURITY_SCHEME,
    message="Writes need an API token: send 'Authorization: Bearer <token>'.",
)


@auth.verify_token
def verify_token(token: str) -> bool:
    """Whether ``token`` is the app's API token. With no token configured
    every write is refused: there is no default token to guess."""
    expected: str | None = current_app.config.get(TOKEN_KEY)
    if not expected:
        current_app.logger.warning("%s is not set: writes are refused.", TOKEN_KEY)
    # Compare in constant time, and even when no token is configured, so the
    # answer's timing tells nothing about the token.
    matches = hmac.compare_digest(
        token.strip().encode("utf-8", "surrogatepass"),
        (expected or "").encode("utf-8", "surrogatepass"),
    )
    return bool(expected) and matches


#: Seconds a client is told to wait before retrying when the database is
#: unavailable.
RETRY_AFTER = 5


def database_unavailable(e: Exception) -> ServiceUnavailable | None:
    """The 503 for a database that cannot answer now: the server is down,
    unreachable, frozen past the statement timeout, out of disk, or busy
    beyond the lock timeout (``OperationalError``), the connection was lost
    (``connection_invalidated``), or the pool has no free connection
    (``TimeoutError``). Other database errors, such as a refused write, stay
    500s. What went wrong is logged (one line, see
    :class:`~samples.cats.outage.OutageLogFilter`), not sent."""
    if not is_unavailable(e):
        return None
    return ServiceUnavailable(
        "The database is unavailable; try again later.", retry_after=RETRY_AFTER
    )


def _location(cat: CatRow) -> str:
    return url_for("cat", cat_id=cat["id"])


class CatList(Resource):
    """``/cats``: list the cats a page at a time, or add one."""

    method_decorators = {"post": [auth.login_required]}

    def __init__(self, *, repository: CatRepository) -> None:
        self.repository = repository

    @doc(responses={200: "One page of cats, oldest first."})
    @marshal_with(CatSchema(many=True))
    @paginate(per_page=20, max_per_page=100)
    def get(self) -> t.Any:
        """List the cats, a page at a time."""
        # A count and one LIMIT/OFFSET query: only the page is loaded.
        return self.repository.listing()

    @doc(responses={201: {"headers": {"Location": "The new cat's URL."}}})
    @use_args(CatSchema)
    @marshal_with(CatSchema, code=201)
    def post(self, values: dict[str, t.Any]) -> t.Any:
        """Add a cat."""
        cat = self.repository.add(values)
        return cat, 201, {"Location": _location(cat)}


class Cat(Resource):
    """``/cats/<id>``: one cat. PUT replaces it (absent fields become
    ``null``), PATCH changes only the fields given.

    GET answers with an ``ETag``, and 304 to a matching ``If-None-Match``.
    A write sent with ``If-Match: <that ETag>`` is made only if the cat is
    still as the client saw it, else answers 412: two clients editing one
    cat cannot overwrite each other's changes unseen.
    """

    etag = True
    method_decorators = {
        "put": [auth.login_required],
        "patch": [auth.login_required],
        "delete": [auth.login_required],
    }

    def __init__(self, *, repository: CatRepository) -> None:
        self.repository = repository

    def current_etag(self, cat_id: int) -> str:
        """The ETag a GET of the cat answers with, checked against
        ``If-Match`` before each write."""
        return _etag(self._found(self.repository.get(cat_id), cat_id))

    @doc(responses=_NOT_FOUND)
    @marshal_with(CatSchema)
    def get(self, cat_id: int) -> t.Any:
        """Show one cat."""
        return self._found(self.repository.get(cat_id), cat_id)

    # arg_name: Flask passes the URL's cat_id by keyword, so the loaded body
    # goes by keyword too.
    @doc(responses=_NOT_FOUND)
    @use_args(CatSchema, arg_name="values")
    @marshal_with(CatSchema)
    def put(self, cat_id: int, values: dict[str, t.Any]) -> t.Any:
        """Replace a cat: the fields not given become null."""
        values = {"age": None, "born": None, **values}
        cat = self.repository.update(cat_id, values, check=_unchanged)
        return self._found(cat, cat_id)

    @doc(responses=_NOT_FOUND)
    @use_args(cat_patch_schema, arg_name="values")
    @marshal_with(CatSchema)
    def patch(self, cat_id: int, values: dict[str, t.Any]) -> t.Any:
        """Change the fields given of a cat."""
        cat = self.repository.update(cat_id, values, check=_unchanged)
        return self._found(cat, cat_id)

    @doc(responses={204: "The cat is gone.", **_NOT_FOUND})
    def delete(self, cat_id: int) -> t.Any:
        """Remove a cat."""
        if not self.repository.delete(cat_id, check=_unchanged):
            self._missing(cat_id)
        return "", 204

    def _found(self, cat: CatRow | None, cat_id: int) -> CatRow:
        if cat is None:
            self._missing(cat_id)
        return cat

    @staticmethod
    def _missing(cat_id: int) -> t.NoReturn:
        abort(404, message=f"Cat {cat_id} doesn't exist.")


class Live(Resource):
    """``/health/live``: 200 while the process can answer at all; it never
    touches the database, so an outage does not get workers restarted."""

    @doc(hide=True)  # for the infrastructure, not in the API's document
    def get(self) -> t.Any:
        """Whether the process is alive."""
        return {"status": "ok"}


class Ready(Resource):
    """``/health/ready``: 200 when the database answers, else 503 with
    ``Retry-After``: take the host out of the load balancer meanwhile."""

    def __init__(self, *, repository: CatRepository) -> None:
        self.repository = repository

    @doc(hide=True)
    def get(self) -> t.Any:
        """Whether the service can serve requests."""
        self.repository.ping()
        return {"status": "ok"}


def _etag(cat: CatRow) -> str:
    return etag_for(CatSchema().dump(cat))


def _unchanged(cat: CatRow) -> None:
    """Check ``If-Match`` again inside the write's transaction, with the
    cat's row locked: ``current_etag`` answered before the transaction, and
    another write may have landed since."""
    check_preconditions(_etag(cat))
