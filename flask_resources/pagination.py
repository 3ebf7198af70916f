"""Pagination: page numbers or signed cursors, answered with ``Link`` and
``X-Total-Count`` headers.

:func:`paginate` decorates a verb that returns everything there is to list
(a sequence, a :class:`SelectPages` over a SQLAlchemy ``Select``, or any
:class:`Pages`); it reads ``?page=`` and ``?per_page=`` (or ``?cursor=``),
and the verb's answer becomes that page::

    class CatList(Resource):
        @marshal_with(CatSchema)        # marshals the page, not the table
        @paginate(per_page=20, max_per_page=100)
        def get(self):
            return SelectPages(select(cats).order_by(cats.c.id), engine)

Put :func:`paginate` below :class:`~flask_resources.marshal_with`, so that
only the page is marshalled.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import functools
import inspect
import re
import typing as t
from collections.abc import Callable, Sequence
from urllib.parse import quote, urlencode

from flask import current_app, request
from flask.json.tag import JSONTag, TaggedJSONSerializer
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import Headers

from ._utils import unpack
from .exceptions import FlaskResourcesError, validation_error_class
from .operations import (
    Arguments,
    Operation,
    ResponseDoc,
    amend,
    get_operation,
    resource_operations,
)

if t.TYPE_CHECKING:
    import sqlalchemy as sa
    import sqlalchemy.orm

    from .typing import AnyCallable, Decorator

__all__ = [
    "CursorPages",
    "PageOptions",
    "Pages",
    "SelectPages",
    "SequencePages",
    "paginate",
]


@dataclasses.dataclass(frozen=True)
class PageOptions:
    """How a paginated list reads its query string and links its pages.

    Give these to :func:`paginate` one by one, or to
    :class:`~flask_resources.Api` as ``page_options`` for
    :meth:`Api.paginate <flask_resources.Api.paginate>`.

    .. versionadded:: 0.1
    """

    #: The page number's query parameter, counted from 1.
    page_param: str = "page"
    #: The page size's query parameter.
    per_page_param: str = "per_page"
    #: The query parameter of cursor pagination.
    cursor_param: str = "cursor"
    #: The page size when the request gives none.
    per_page: int = 20
    #: The largest page size served.
    max_per_page: int = 100
    #: Above ``max_per_page``: ``True`` answers 400, ``False`` serves
    #: ``max_per_page`` items and links pages of that size.
    strict_per_page: bool = False
    #: Absolute URLs in ``Link`` (``http://host/cats?page=2``) instead of
    #: paths (``/cats?page=2``).
    absolute_links: bool = False
    #: Cursor pagination: count the items for ``X-Total-Count``, which is
    #: slow on the large tables cursors are for. Page numbers always count.
    count_cursor_pages: bool = False
    #: The longest query string, URL-encoded, that the links repeat besides
    #: the pagination parameters; a request whose declared parameters are
    #: longer answers 400, as a link without them would list other items.
    #:
    #: .. versionadded:: 0.2
    max_link_query: int = 2000

    def __post_init__(self) -> None:
        if not 1 <= self.per_page <= self.max_per_page:
            raise ValueError(
                f"per_page must be between 1 and max_per_page ({self.max_per_page}),"
                f" not {self.per_page}"
            )


class Pages(t.Protocol):
    """What :func:`paginate` pages by number: anything that counts its items
    and gives a slice of them. :class:`SequencePages` and
    :class:`SelectPages` are two."""

    def count(self) -> int:
        """How many items there are."""

    def slice(self, offset: int, limit: int) -> Sequence[t.Any]:
        """The items from ``offset`` (at most ``limit`` of them); only
        called with ``offset`` below :meth:`count`."""


class CursorPages(t.Protocol):
    """What :func:`paginate` pages with ``cursor=True``."""

    def after(self, position: t.Any, limit: int) -> tuple[Sequence[t.Any], t.Any]:
        """The first ``limit`` items after ``position`` (``None``: from the
        start), and the position after the last of them, or ``None`` when
        there are no more items. Positions are what the cursor carries:
        JSON values, dates, times, UUIDs, tuples."""


class SequencePages:
    """Pages over a list or any other sequence, held in memory.

    With cursors, the position is the offset of the next item.
    """

    def __init__(self, items: Sequence[t.Any]) -> None:
        self.items = items

    def count(self) -> int:
        return len(self.items)

    def slice(self, offset: int, limit: int) -> Sequence[t.Any]:
        return self.items[offset : offset + limit]

    def after(self, position: t.Any, limit: int) -> tuple[Sequence[t.Any], t.Any]:
        start = position if isinstance(position, int) and position > 0 else 0
        items = self.items[start : start + limit]
        end = start + len(items)
        return items, end if end < len(self.items) else None


class SelectPages:
    """Pages over a SQLAlchemy 2 ``Select``: a ``COUNT`` and one
    ``LIMIT``/``OFFSET`` query per page, nothing loaded beyond the page.

    ::

        SelectPages(select(cats).order_by(cats.c.id), engine)
        SelectPages(select(User).order_by(User.id), db.session, key=[User.id])

    :param statement: the query for every item, in a stable order.
    :param bind: an ``Engine`` (a connection is opened for the count and the
        page, in one transaction), a ``Connection`` or an ORM ``Session``.
    :param key: for cursor pagination, the columns (unique together) to
        order by and resume after; the statement's own order is replaced.
    :param row: turns each result row into an item (a row mapping, or an
        entity); by default an ORM entity select gives the entities and any
        other select a dict per row.
    """

    def __init__(
        self,
        statement: sa.Select[t.Any],
        bind: sa.Engine | sa.Connection | sqlalchemy.orm.Session,
        *,
        key: Sequence[sa.ColumnElement[t.Any]] | None = None,
        row: Callable[[t.Any], t.Any] | None = None,
    ) -> None:
        self.statement = statement
        self.bind = bind
        self.key = tuple(key) if key is not None else None
        descriptions = statement.column_descriptions
        # select(User) gives User objects; select(users) or select(User.id,
        # User.name) give rows, read as mappings.
        self.scalars = len(descriptions) == 1 and _is_entity(descriptions[0])
        self.row = row

    def count(self) -> int:
        import sqlalchemy as sa

        counting = sa.select(sa.func.count()).select_from(
            self.statement.order_by(None).subquery()
        )
        return int(self._run(lambda conn: conn.execute(counting).scalar_one()))

    def slice(self, offset: int, limit: int) -> Sequence[t.Any]:
        statement = self.statement.limit(limit).offset(offset)
        items: list[t.Any] = self._run(
            lambda conn: self._items(conn.execute(statement))
        )
        return items

    def after(self, position: t.Any, limit: int) -> tuple[Sequence[t.Any], t.Any]:
        import sqlalchemy as sa

        key = self.key
        if not key:
            raise FlaskResourcesError(
                "SelectPages needs key=[columns] for cursor pagination"
            )
        statement = self.statement.order_by(None).order_by(*key)
        if position is not None:
            if not isinstance(position, (list, tuple)) or len(position) != len(key):
                raise ValueError("cursor position does not fit the key")
            if len(key) == 1:
                statement = statement.where(key[0] > position[0])
            else:
                statement = statement.where(sa.tuple_(*key) > sa.tuple_(*position))
        # One more than asked: whether it exists says if there is a next page.
        statement = statement.limit(limit + 1)

        def run(conn: t.Any) -> tuple[list[t.Any], list[t.Any]]:
            result = conn.execute(statement)
            rows = list(result.scalars() if self.scalars else result)
            return rows, [self._item(row) for row in rows[:limit]]

        rows, items = self._run(run)
        if len(rows) <= limit:
            return items, None
        return items, self._position(rows[limit - 1])

    def _run(self, work: Callable[[t.Any], t.Any]) -> t.Any:
        import sqlalchemy as sa

        bind = self.bind
        if isinstance(bind, sa.Engine):
            with bind.connect() as conn:
                return work(conn)
        return work(bind)

    def _items(self, result: t.Any) -> list[t.Any]:
        rows = result.scalars() if self.scalars else result
        return [self._item(row) for row in rows]

    def _item(self, row: t.Any) -> t.Any:
        if not self.scalars:
            row = row._mapping
            if self.row is None:
                return dict(row)
        return row if self.row is None else self.row(row)

    def _position(self, row: t.Any) -> list[t.Any]:
        assert self.key is not None
        if self.scalars:
            return [getattr(row, t.cast(str, column.key)) for column in self.key]
        return [row._mapping[column] for column in self.key]


def _is_entity(description: t.Mapping[str, t.Any]) -> bool:
    entity = description.get("entity")
    return entity is not None and description.get("expr") is entity


def paginate(
    *,
    cursor: bool = False,
    options: PageOptions | None = None,
    **settings: t.Any,
) -> Decorator:
    """Page what the decorated verb returns.

    The verb returns every item there is to list, as a sequence, a
    :class:`SelectPages` or anything with :class:`Pages`'s methods
    (:class:`CursorPages`'s with ``cursor=True``), alone or in a
    ``(body, status, headers)`` tuple. The answer is the page's items, with
    ``X-Total-Count`` and a ``Link`` header (RFC 8288) to the ``first``,
    ``prev``, ``next`` and ``last`` pages. The links keep the query
    parameters the operation declares (:func:`~flask_resources.use_args`
    with ``location="query"``, a request parser's ``args`` or ``values``
    arguments, :func:`~flask_resources.doc` ``parameters``) and drop any
    other, so the header stays as short as the declared parameters; when
    those are longer than ``max_link_query`` the request answers 400.
    A page past the last is empty, with the same links. A page
    number or size that is not a positive integer answers 400 in the Api's
    error format; a size above ``max_per_page`` is served at that size, or
    answers 400 with ``strict_per_page``.

    With ``cursor=True`` the page is chosen by ``?cursor=``, an opaque value
    signed with the app's ``SECRET_KEY`` that the ``next`` link carries; a
    forged, altered or foreign cursor answers 400. Cursors resume after a
    key rather than skipping an offset, which stays fast deep into large
    tables; there is no ``prev`` or ``last`` link.

    :param cursor: page by cursor instead of page number.
    :param options: the :class:`PageOptions` to start from.
    :param settings: :class:`PageOptions` fields overriding ``options``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
        The links keep only the declared query parameters.
    """
    opts = dataclasses.replace(options or PageOptions(), **settings)
    read, take = (
        (_cursor_args, _cursor_page) if cursor else (_numbered_args, _numbered_page)
    )
    record = _record(opts, cursor)

    # The query string is read first: a bad one is refused before the verb
    # does any work.
    def decorator(func: AnyCallable) -> AnyCallable:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
                wanted = read(opts)
                return take(await func(*args, **kwargs), opts, wanted)

            amend(async_wrapper, record)
            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            wanted = read(opts)
            return take(func(*args, **kwargs), opts, wanted)

        amend(wrapper, record)
        return wrapper

    return decorator


_Kept: t.TypeAlias = list[tuple[str, str]]


def _numbered_args(opts: PageOptions) -> tuple[int, int, _Kept]:
    page = _positive(opts.page_param, 1)
    per_page = _per_page(opts)
    return page, per_page, _kept(opts, (opts.page_param, opts.per_page_param))


def _numbered_page(
    rv: t.Any, opts: PageOptions, wanted: tuple[int, int, _Kept]
) -> t.Any:
    page, per_page, kept = wanted
    body, code, headers = unpack(rv)
    source = _pages(body, "count", "slice")
    total = source.count()
    last = max(1, -(-total // per_page))
    offset = (page - 1) * per_page
    items = list(source.slice(offset, per_page)) if offset < total else []
    links = [("first", 1)]
    if page > 1:
        links.append(("prev", min(page - 1, last)))
    if page < last:
        links.append(("next", page + 1))
    links.append(("last", last))
    link = ", ".join(
        _link(
            rel,
            kept,
            {opts.page_param: str(number), opts.per_page_param: str(per_page)},
            opts,
        )
        for rel, number in links
    )
    return items, code, _headers(headers, link, total)


def _cursor_args(opts: PageOptions) -> tuple[t.Any, int, _Kept]:
    per_page = _per_page(opts)
    raw = request.args.get(opts.cursor_param)
    position = None
    if raw:
        position = _read_cursor(_cursor_serializer(), raw, opts.cursor_param)
    kept = _kept(opts, (opts.cursor_param, opts.per_page_param))
    return position, per_page, kept


def _cursor_page(
    rv: t.Any, opts: PageOptions, wanted: tuple[t.Any, int, _Kept]
) -> t.Any:
    position, per_page, kept = wanted
    body, code, headers = unpack(rv)
    methods = ("after", "count") if opts.count_cursor_pages else ("after",)
    source = _pages(body, *methods)
    serializer = _cursor_serializer()
    try:
        items, following = source.after(position, per_page)
    except (ValueError, TypeError):
        if position is None:
            raise
        # A genuine cursor for another key, such as one from before a change
        # of the key columns.
        raise _bad(opts.cursor_param, "Not a valid cursor.") from None
    per = {opts.per_page_param: str(per_page)}
    links = [_link("first", kept, per, opts)]
    if following is not None:
        token = serializer.dumps({"p": request.path, "k": following})
        links.append(_link("next", kept, {**per, opts.cursor_param: token}, opts))
    total = source.count() if opts.count_cursor_pages else None
    return list(items), code, _headers(headers, ", ".join(links), total)


def _pages(body: t.Any, *methods: str) -> t.Any:
    """The verb's body as something with ``methods``; a sequence is wrapped
    in :class:`SequencePages`."""
    if all(callable(getattr(body, name, None)) for name in methods):
        return body
    if isinstance(body, Sequence) and not isinstance(body, (str, bytes)):
        return SequencePages(body)
    names = " and ".join(f"{name}()" for name in methods)
    raise TypeError(
        "paginate needs the method to return a sequence, a SelectPages or an"
        f" object with {names}, not {type(body).__name__}"
    )


def _headers(headers: t.Any, link: str, total: int | None) -> Headers:
    result = Headers(headers)
    if total is not None:
        result["X-Total-Count"] = str(total)
    result["Link"] = link
    return result


# ASCII digits only: int() would also take " 3", "3_0", "+3" and "٣".
_DIGITS = re.compile(r"[0-9]+", re.ASCII)

# Past this many digits a number is refused rather than converted: a page
# that far is past the end of any list anyway.
_MAX_DIGITS = 1000


def _positive(name: str, default: int) -> int:
    """A positive integer query parameter."""
    value = request.args.get(name)
    if value is None:
        return default
    if len(value) > _MAX_DIGITS:
        raise _bad(name, "Too large.")
    if not _DIGITS.fullmatch(value) or int(value) < 1:
        raise _bad(name, "Must be a positive integer.")
    return int(value)


def _per_page(opts: PageOptions) -> int:
    per_page = _positive(opts.per_page_param, opts.per_page)
    if per_page > opts.max_per_page:
        if opts.strict_per_page:
            raise _bad(opts.per_page_param, f"Must be at most {opts.max_per_page}.")
        per_page = opts.max_per_page
    return per_page


def _bad(name: str, message: str) -> Exception:
    summary = f"Invalid query string: invalid field {name!r}."
    return validation_error_class(400)(summary, {"query": {name: [message]}})


def _kept(opts: PageOptions, own: tuple[str, ...]) -> _Kept:
    """The request's query parameters that the page links repeat: those the
    operation declares, in the request's order, without ``own``."""
    declared = _declared_query_names()
    pairs = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name in declared and name not in own
    ]
    length = 0
    for name, value in pairs:
        length += len(urlencode(((name, value),))) + 1
        if length > opts.max_link_query:
            raise _bad(
                name,
                f"Too long to repeat in the page links (the declared query"
                f" parameters may take {opts.max_link_query} characters).",
            )
    return pairs


def _declared_query_names() -> frozenset[str]:
    """The query parameters the current request's operation declares."""
    record = _current_operation()
    if record is None:
        return frozenset()
    names: set[str] = set()
    for arguments in record.arguments:
        names.update(_query_names(arguments))
    names.update(name for where, name in record.parameters if where == "query")
    return frozenset(names)


def _current_operation() -> Operation | None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None
    resource = getattr(view, "view_class", None)
    if isinstance(resource, type):
        records = resource_operations(resource)
        verb = request.method.lower()
        if verb == "head" and verb not in records:
            verb = "get"
        return records.get(verb)
    return get_operation(view)


# Where request parsers read the query string, and the records' names of it.
_PARSER_QUERY = frozenset(("args", "values"))
_QUERY = frozenset(("query", "args", "values"))


def _query_names(arguments: Arguments) -> t.Iterator[str]:
    source = arguments.source
    parsed = getattr(source, "args", None)
    if isinstance(parsed, list):
        # A request parser: each argument names its own locations, unless
        # the record gives one for all of them.
        for argument in parsed:
            if arguments.location is not None:
                where: set[str] = {"args"} if arguments.location in _QUERY else set()
            else:
                own = argument.location
                where = {own} if isinstance(own, str) else set(own)
            if where & _PARSER_QUERY:
                yield str(argument.name)
        return
    if arguments.location not in _QUERY:
        return
    fields = getattr(source, "load_fields", None) or getattr(source, "fields", {})
    for name, field in fields.items():
        yield getattr(field, "data_key", None) or name


def _link(rel: str, kept: _Kept, values: dict[str, str], opts: PageOptions) -> str:
    """One ``Link`` value: the request's URL with the ``kept`` parameters and
    then ``values`` in its query string."""
    pairs = [*kept, *values.items()]
    base = (
        request.base_url if opts.absolute_links else request.script_root + request.path
    )
    target = quote(base, safe="/:@!$&'()*+,;=-._~%")
    if pairs:
        target = f"{target}?{urlencode(pairs)}"
    return f'<{target}>; rel="{rel}"'


_CURSOR_SALT = "flask-resources.cursor"


class _TagDateTime(JSONTag):
    # Flask's own tag writes an HTTP date, which drops microseconds and the
    # zone: a cursor must resume at exactly the value it stopped at.
    key = " rdt"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime.datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return value.isoformat()

    def to_python(self, value: t.Any) -> t.Any:
        return datetime.datetime.fromisoformat(value)


class _TagDate(_TagDateTime):
    key = " rda"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        )

    def to_python(self, value: t.Any) -> t.Any:
        return datetime.date.fromisoformat(value)


class _TagTime(_TagDateTime):
    key = " rti"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime.time)

    def to_python(self, value: t.Any) -> t.Any:
        return datetime.time.fromisoformat(value)


class _TagDecimal(_TagDateTime):
    key = " rde"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, decimal.Decimal)

    def to_json(self, value: t.Any) -> t.Any:
        return str(value)

    def to_python(self, value: t.Any) -> t.Any:
        return decimal.Decimal(value)


def _position_serializer() -> TaggedJSONSerializer:
    """Flask's tagged JSON (tuples, bytes, UUIDs, ...) with exact dates,
    times and decimals."""
    serializer = TaggedJSONSerializer()
    for tag in (_TagDateTime, _TagDate, _TagTime, _TagDecimal):
        serializer.register(tag, index=0)
    return serializer


_POSITIONS = _position_serializer()


def _cursor_serializer() -> URLSafeSerializer:
    secret = current_app.secret_key
    if not secret:
        raise FlaskResourcesError("cursor pagination needs the app's SECRET_KEY")
    return URLSafeSerializer(secret, salt=_CURSOR_SALT, serializer=_POSITIONS)


def _read_cursor(serializer: URLSafeSerializer, raw: str, name: str) -> t.Any:
    try:
        payload = serializer.loads(raw)
    except (BadSignature, ValueError, TypeError, KeyError):
        raise _bad(name, "Not a valid cursor.") from None
    # A cursor is for the list it came from, not another one signed with
    # the same key.
    if not isinstance(payload, dict) or payload.get("p") != request.path:
        raise _bad(name, "Not a valid cursor.")
    return payload.get("k")


def _record(opts: PageOptions, cursor: bool) -> Operation:
    """What :func:`paginate` records: its query parameters, its headers and
    its 400, and the options under ``extensions["pagination"]``."""
    import marshmallow as ma

    # A larger per_page is clamped, not refused, unless strict_per_page: the
    # document states the maximum only where a larger value is an error.
    if opts.strict_per_page:
        per_page_range = ma.validate.Range(1, opts.max_per_page)
        per_page_text = f"How many items per page, at most {opts.max_per_page}."
    else:
        per_page_range = ma.validate.Range(min=1)
        per_page_text = (
            f"How many items per page; more than {opts.max_per_page} gives"
            f" {opts.max_per_page}."
        )
    params: dict[str, ma.fields.Field[t.Any]] = {
        opts.per_page_param: ma.fields.Int(
            load_default=opts.per_page,
            validate=per_page_range,
            metadata={"description": per_page_text},
        )
    }
    if cursor:
        params[opts.cursor_param] = ma.fields.Str(
            metadata={"description": "Where the page starts: the next link's."}
        )
    else:
        params = {
            opts.page_param: ma.fields.Int(
                load_default=1,
                validate=ma.validate.Range(min=1),
                metadata={"description": "The page number, from 1."},
            ),
            **params,
        }
    schema = ma.Schema.from_dict(params, name="PageQuery")()
    headers: dict[str, t.Any] = {
        "Link": {
            "description": "Links to the first, previous, next and last pages"
            " (RFC 8288).",
            "schema": {"type": "string"},
        }
    }
    if not cursor or opts.count_cursor_pages:
        headers["X-Total-Count"] = {
            "description": "How many items there are in all.",
            "schema": {"type": "integer", "minimum": 0},
        }
    return Operation(
        arguments=(Arguments(schema, location="query", parses=False),),
        responses={
            200: ResponseDoc(200, headers=headers),
            400: ResponseDoc(400, description="Invalid page parameters."),
        },
        extensions={
            "pagination": {
                "cursor": cursor,
                **dataclasses.asdict(opts),
            }
        },
    )
