"""Representations: turn ``(data, code, headers)`` into a response."""

from __future__ import annotations

import json
import typing as t

from flask import current_app
from werkzeug.datastructures import Headers

from .typing import HeadersValue

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

try:  # The `speed` extra: orjson encodes several times faster than json.
    import orjson
except ImportError:  # pragma: no cover - exercised in envs without the extra
    orjson = None  # type: ignore[assignment]

#: App config key choosing the JSON encoder: ``"json"`` (the default) gives
#: byte-for-byte the bodies Flask-RESTful gives; ``"orjson"`` (the ``speed``
#: extra) is several times faster and writes compact JSON.
ENCODER_CONFIG_KEY = "RESOURCES_JSON_ENCODER"

_ORJSON_OPTIONS = 0 if orjson is None else orjson.OPT_APPEND_NEWLINE


def _response(body: str | bytes, code: t.Any, headers: HeadersValue | None) -> Response:
    if isinstance(headers, Headers):
        # Werkzeug adopts a Headers object as is; don't write into the caller's.
        headers = headers.copy()
    return current_app.response_class(
        body, status=code, headers=headers or None, content_type="application/json"
    )


def dumps(data: t.Any) -> str | bytes:
    """Serialise ``data`` the way :func:`output_json` does, newline included.

    ``RESTFUL_JSON`` settings (keyword arguments for :func:`json.dumps`) are
    honoured, as in Flask-RESTful, and in debug mode the output is indented.
    With ``RESOURCES_JSON_ENCODER = "orjson"`` and neither of those, orjson
    encodes; a value it cannot encode falls back to :func:`json.dumps`.
    """
    config = current_app.config
    settings = config.get("RESTFUL_JSON")
    if config.get(ENCODER_CONFIG_KEY) == "orjson" and not settings:
        if orjson is None:
            raise RuntimeError(
                f"{ENCODER_CONFIG_KEY} = 'orjson' needs the 'speed' extra:"
                " pip install 'flask-resources[speed]'"
            )
        if not current_app.debug:
            try:
                return orjson.dumps(data, option=_ORJSON_OPTIONS)
            except TypeError:
                pass
    options = dict(settings) if settings else {}
    if current_app.debug:
        options.setdefault("indent", 4)
    # Flask-RESTful ends every body with a newline; so do we.
    return json.dumps(data, **options) + "\n"


def output_json(
    data: t.Any, code: t.Any, headers: HeadersValue | None = None
) -> Response:
    """The ``application/json`` representation.

    :param data: the body, anything :func:`json.dumps` accepts.
    :param code: the HTTP status.
    :param headers: extra response headers.
    """
    return _response(dumps(data), code, headers)
