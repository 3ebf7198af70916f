"""The /cats resources and the Bearer token that guards their writes."""

from __future__ import annotations

import functools
import hmac
import typing as t

import sqlalchemy as sa
from flask import current_app, request, url_for
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from flask_resources import Resource, abort, doc, marshal_with, use_args

from .schemas import CatSchema, PageQuerySchema, cat_patch_schema
from .storage import CatRepository, CatRow

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: The app config key (and environment variable) holding the write token.
TOKEN_KEY = "CATS_API_TOKEN"

#: The name of the token's security scheme in the OpenAPI document.
SECURITY_SCHEME = "bearerToken"

_NOT_FOUND = {404: "No cat has this id."}


def require_token(func: F) -> F:
    """Let the request through only with ``Authorization: Bearer <token>``
    naming the app's ``CATS_API_TOKEN``; answer 401 otherwise.

    With no token configured every write is refused: there is no default
    token to guess.
    """

    @functools.wraps(func)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        check_token()
        return func(*args, **kwargs)

    # Say so in the OpenAPI document: the operation needs the token.
    documented: F = doc(security=[{SECURITY_SCHEME: []}])(wrapper)
    return documented


def check_token() -> None:
    """Raise 401 unless the request carries the app's API token."""
    expected: str | None = current_app.config.get(TOKEN_KEY)
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    presented = scheme.lower() == "bearer" and credentials.strip() != ""
    # Compare in constant time, and even when no token is configured, so the
    # answer's timing tells nothing about the token.
    matches = hmac.compare_digest(
        credentials.strip().encode("utf-8", "surrogatepass"),
        (expected or "").encode("utf-8", "surrogatepass"),
    )
    if presented and expected and matches:
        return
    if not expected:
        current_app.logger.warning("%s is not set: writes are refused.", TOKEN_KEY)
    challenge = WWWAuthenticate("bearer", {"realm": "cats"})
    if presented:
        # RFC 6750, section 3.1.
        challenge.parameters["error"] = "invalid_token"
        message = "The API token is not valid."
    else:
        message = "Writes need an API token: send 'Authorization: Bearer <token>'."
    raise Unauthorized(message, www_authenticate=challenge)


#: Seconds a client is told to wait before retrying when the database is
#: unavailable.
RETRY_AFTER = 5


def database_unavailable(e: Exception) -> ServiceUnavailable | None:
    """The 503 for a database that cannot answer now: the server is down,
    unreachable, frozen past the statement timeout, out of disk, or busy
    beyond the lock timeout (``OperationalError``), the connection was lost
    (``connection_invalidated``), or the pool has no free connection
    (``TimeoutError``). Other database errors, such as a refused write, stay
    500s. What went wrong is logged, not sent."""
    if isinstance(e, sa.exc.DBAPIError) and not (
        isinstance(e, sa.exc.OperationalError) or e.connection_invalidated
    ):
        return None
    return ServiceUnavailable(
        "The database is unavailable; try again later.", retry_after=RETRY_AFTER
    )


def _location(cat: CatRow) -> str:
    return url_for("cat", cat_id=cat["id"])


class CatList(Resource):
    """``/cats``: list the cats a page at a time, or add one."""

    method_decorators = {"post": [require_token]}

    def __init__(self, *, repository: CatRepository) -> None:
        self.repository = repository

    @doc(
        responses={
            200: {
                "description": "One page of cats, oldest first.",
                "headers": {
                    "X-Total-Count": {
                        "description": "How many cats there are in all.",
                        "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    },
                    "Link": "The first, previous, next and last pages (RFC 8288).",
                },
            }
        }
    )
    @use_args(PageQuerySchema, location="query")
    @marshal_with(CatSchema(many=True))
    def get(self, query: dict[str, int]) -> t.Any:
        """List the cats, a page at a time."""
        page, per_page = query["page"], query["per_page"]
        cats, total = self.repository.page(offset=(page - 1) * per_page, limit=per_page)
        headers = {
            "X-Total-Count": str(total),
            "Link": _page_links(page, per_page, total),
        }
        return cats, 200, headers

    @doc(responses={201: {"headers": {"Location": "The new cat's URL."}}})
    @use_args(CatSchema)
    @marshal_with(CatSchema, code=201)
    def post(self, values: dict[str, t.Any]) -> t.Any:
        """Add a cat."""
        cat = self.repository.add(values)
        return cat, 201, {"Location": _location(cat)}


class Cat(Resource):
    """``/cats/<id>``: one cat. PUT replaces it (absent fields become
    ``null``), PATCH changes only the fields given."""

    method_decorators = {
        "put": [require_token],
        "patch": [require_token],
        "delete": [require_token],
    }

    def __init__(self, *, repository: CatRepository) -> None:
        self.repository = repository

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
        return self._found(self.repository.update(cat_id, values), cat_id)

    @doc(responses=_NOT_FOUND)
    @use_args(cat_patch_schema, arg_name="values")
    @marshal_with(CatSchema)
    def patch(self, cat_id: int, values: dict[str, t.Any]) -> t.Any:
        """Change the fields given of a cat."""
        return self._found(self.repository.update(cat_id, values), cat_id)

    @doc(responses={204: "The cat is gone.", **_NOT_FOUND})
    def delete(self, cat_id: int) -> t.Any:
        """Remove a cat."""
        if not self.repository.delete(cat_id):
            self._missing(cat_id)
        return "", 204

    def _found(self, cat: CatRow | None, cat_id: int) -> CatRow:
        if cat is None:
            self._missing(cat_id)
        return cat

    @staticmethod
    def _missing(cat_id: int) -> t.NoReturn:
        abort(404, message=f"Cat {cat_id} doesn't exist.")


def _page_links(page: int, per_page: int, total: int) -> str:
    """The RFC 8288 ``Link`` header: first, prev, next and last pages."""
    last = max(1, -(-total // per_page))
    targets = [("first", 1)]
    if page > 1:
        targets.append(("prev", min(page - 1, last)))
    if page < last:
        targets.append(("next", page + 1))
    targets.append(("last", last))
    return ", ".join(
        f'<{url_for("cats", page=number, per_page=per_page)}>; rel="{rel}"'
        for rel, number in targets
    )
