"""Request body parsers: media type -> parser, the mirror of representations.

An :class:`~flask_resources.Api` keeps a mapping from media types to
parsers, as it keeps one from media types to representations. A verb asks
for the body with :func:`parsed_body`, which picks the parser by the
request's ``Content-Type`` and answers 415 when none takes it::

    @api.parser("text/csv")
    def parse_csv(body, mimetype, options):
        text = body.decode(options.get("charset", "utf-8"))
        return list(csv.DictReader(io.StringIO(text)))

    class Upload(Resource):
        def post(self):
            rows = parsed_body()
"""

from __future__ import annotations

import io
import types
import typing as t
from collections.abc import Mapping

from flask import current_app, request
from werkzeug.datastructures import MultiDict

from ._state import get_state
from ._utils import load_json_body, read_body
from .exceptions import UnsupportedBodyType, validation_error_class
from .typing import Parser

if t.TYPE_CHECKING:
    from flask import Request

#: Where the parsed body of a request is kept, in its WSGI environ.
_ENVIRON_KEY = "flask_resources.body"

#: The response header naming the accepted media types on a 415, per verb.
_ACCEPT_HEADERS = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}


def parse_json(body: bytes, mimetype: str, options: Mapping[str, str]) -> t.Any:
    """``application/json`` (and any ``+json`` type): the strict decoder the
    package uses everywhere, on UTF-8 text only, through the app's JSON
    provider."""
    return load_json_body(body, current_app.json.loads)


def parse_form(body: bytes, mimetype: str, options: Mapping[str, str]) -> t.Any:
    """``application/x-www-form-urlencoded`` and ``multipart/form-data``:
    Werkzeug's form parser, with the app's form limits, giving one
    :class:`~werkzeug.datastructures.MultiDict` of the fields followed by the
    files (:class:`~werkzeug.datastructures.FileStorage` values)."""
    form_parser = request.form_data_parser_class(
        # The body is in memory already (parse_body read it), so its files may be
        # too: nothing to spool to disk, nothing left open after the request.
        stream_factory=_memory_stream,
        max_form_memory_size=request.max_form_memory_size,
        max_content_length=request.max_content_length,
        max_form_parts=request.max_form_parts,
        cls=request.parameter_storage_class,
        # Werkzeug's request.form hides a malformed body behind an empty
        # form; here it is an error the client is told about.
        silent=False,
    )
    _, form, files = form_parser.parse(
        io.BytesIO(body), mimetype, len(body), dict(options)
    )
    if not files:
        return form
    merged: MultiDict[str, t.Any] = MultiDict(form)
    for key, value in files.items(multi=True):
        merged.add(key, value)
    return merged


def _memory_stream(*args: t.Any, **kwargs: t.Any) -> t.IO[bytes]:
    return io.BytesIO()


def parse_text(body: bytes, mimetype: str, options: Mapping[str, str]) -> str:
    """``text/plain``: a :class:`str`, decoded with the ``charset`` parameter
    (UTF-8 when there is none)."""
    return body.decode(options.get("charset") or "utf-8")


def parse_bytes(body: bytes, mimetype: str, options: Mapping[str, str]) -> bytes:
    """``application/octet-stream``: the body as :class:`bytes`."""
    return body


#: The parsers every new Api starts with, in the order a 415 lists them.
DEFAULT_PARSERS: Mapping[str, Parser] = types.MappingProxyType(
    {
        "application/json": parse_json,
        "application/x-www-form-urlencoded": parse_form,
        "multipart/form-data": parse_form,
        "text/plain": parse_text,
        "application/octet-stream": parse_bytes,
    }
)


def find_parser(parsers: Mapping[str, Parser], mimetype: str) -> Parser | None:
    """Return the parser for ``mimetype``: the one registered for it, else
    for its structured syntax suffix (``application/merge-patch+json`` is
    read by the ``application/json`` parser), else for ``type/*``, else for
    ``*/*``.

    :param parsers: media type -> parser, keys in lower case.
    :param mimetype: the body's media type, in lower case, without parameters.
    """
    parser = parsers.get(mimetype)
    if parser is not None:
        return parser
    main, _, sub = mimetype.partition("/")
    if "+" in sub:
        parser = parsers.get(f"{main}/{sub.rpartition('+')[2]}")
        if parser is not None:
            return parser
    return parsers.get(f"{main}/*") or parsers.get("*/*")


def parse_body(parsers: Mapping[str, Parser], req: Request | None = None) -> t.Any:
    """Parse the request body with the parser its ``Content-Type`` picks.

    :param parsers: media type -> parser, keys in lower case.
    :param req: the request; the current one by default.
    :return: what the parser gives, or ``None`` when there is no body.
    :raises UnsupportedBodyType: 415, no parser takes the media type.
    :raises RequestValidationError: 400, the parser refused the body.
    """
    if req is None:
        req = request
    mimetype = req.mimetype
    parser = find_parser(parsers, mimetype) if mimetype else None
    if parser is None:
        if not _has_body(req):
            return None
        raise UnsupportedBodyType(
            mimetype,
            list(parsers),
            accept_header=_ACCEPT_HEADERS.get(req.method),
        )
    body = read_body(req)
    if not body:
        return None
    try:
        return parser(body, mimetype, req.mimetype_params)
    except RecursionError:
        detail = "it is nested too deeply"
    except (ValueError, LookupError) as exc:
        # UnicodeError and json's JSONDecodeError are ValueErrors; an
        # unknown charset is a LookupError.
        detail = str(exc) or type(exc).__name__
    message = f"The body is not valid {mimetype}: {detail}"
    raise validation_error_class(400)(message, {"body": {"_schema": [message]}})


def _has_body(req: Request) -> bool:
    length = req.content_length
    if length is not None:
        return length > 0
    # Chunked, or no length at all: look (read_body answers 413 past the
    # limit).
    return bool(read_body(req))


def request_parsers(endpoint: str | None = None) -> Mapping[str, Parser]:
    """The parsers for the current request: its resource's own
    :attr:`~flask_resources.Resource.parsers` when it has some, else its
    Api's, else :data:`DEFAULT_PARSERS`.

    :param endpoint: the endpoint to answer for, instead of the request's.
    """
    if endpoint is None:
        rule = request.url_rule
        if rule is None:
            return DEFAULT_PARSERS
        endpoint = t.cast(str, rule.endpoint)
    view = current_app.view_functions.get(endpoint)
    own: Mapping[str, Parser] | None = getattr(
        getattr(view, "view_class", None), "parsers", None
    )
    if own is not None:
        return own
    state = get_state(current_app)
    api = state.endpoints.get(endpoint) if state is not None else None
    return DEFAULT_PARSERS if api is None else api.parsers


def parsed_body() -> t.Any:
    """Return the current request's body, parsed by its content type.

    This is how a verb reads a body it accepts in several media types::

        class Notes(Resource):
            def post(self):
                note = parsed_body()   # dict, MultiDict, str or bytes
                ...

    What each built-in parser gives: JSON the decoded value; a form, or
    multipart form data, a :class:`~werkzeug.datastructures.MultiDict` of
    fields and files; ``text/plain`` a :class:`str`;
    ``application/octet-stream`` :class:`bytes`. No body gives ``None``.
    The parsers are the resource's, else the Api's (see
    :meth:`Api.parser <flask_resources.Api.parser>`). The result is
    computed once per request.

    A body no parser takes answers 415, listing the accepted types (also
    in ``Accept-Post`` or ``Accept-Patch``); a body its parser refuses
    answers 400 naming the media type; a body over ``MAX_CONTENT_LENGTH``
    answers 413 before it is read.
    """
    environ = request.environ
    cached = environ.get(_ENVIRON_KEY)
    if cached is not None:
        return cached[0]
    value = parse_body(request_parsers())
    environ[_ENVIRON_KEY] = (value,)
    return value
