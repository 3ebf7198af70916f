"""Pick the media type to answer with from the request's ``Accept`` header."""

from __future__ import annotations

import typing as t
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

JSON_MEDIATYPE = "application/json"

#: What a browser asks for, and the browsable API answers with.
HTML_MEDIATYPE = "text/html"


@lru_cache(maxsize=512)
def best_match(
    accept: str | None, offered: tuple[str, ...], default: str | None
) -> str | None:
    """Return the offered media type the ``Accept`` header prefers most.

    Quality values and wildcards follow Werkzeug's
    :meth:`~werkzeug.datastructures.MIMEAccept.best_match`: among equally
    good matches the first offered type wins, and a missing header, or one
    nothing offered matches, gives ``default``. A structured-syntax type such as
    ``application/vnd.example+json`` is served by the ``application/json``
    representation when nothing else matches it.

    Results are cached by header value, so a steady stream of clients
    costs one dictionary lookup per request.

    :param accept: the raw ``Accept`` header, or ``None``.
    :param offered: the media types that have a representation, in order.
    :param default: what to answer when the client states no preference.
    """
    if not accept:
        return default
    mimes = parse_accept_header(accept, MIMEAccept)
    if not mimes:
        return default
    match = mimes.best_match(offered)
    if match is not None:
        return match
    if JSON_MEDIATYPE in offered and _accepts_json_suffix(mimes):
        return JSON_MEDIATYPE
    return default


def _accepts_json_suffix(mimes: MIMEAccept) -> bool:
    return any(value.endswith("+json") and q > 0 for value, q in mimes)


def mediatypes(accept: str | None) -> list[str]:
    """Return the media types of an ``Accept`` header, most wanted first."""
    mimes: t.Iterable[tuple[str, float]] = parse_accept_header(accept, MIMEAccept)
    return [value for value, _ in sorted(mimes, key=lambda item: -item[1])]
