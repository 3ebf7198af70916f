"""The ``application/json`` representation and its encoder."""

from __future__ import annotations

import json
import typing as t

from flask import current_app
from flask import make_response as make_response
from werkzeug.datastructures import Headers

from ..typing import HeadersValue

if t.TYPE_CHECKING:
    from flask import Flask
    from werkzeug.wrappers import Response

try:  # The `speed` extra: orjson encodes several times faster than json.
    import orjson
except ImportError:  # pragma: no cover - exercised in envs without the extra
    orjson = None  # type: ignore[assignment]

#: App config key choosing the JSON encoder: ``"json"`` (the default) gives
#: byte-for-byte the bodies Flask-RESTful gives; ``"orjson"`` (the ``speed``
#: extra) is several times faster and writes compact JSON.
ENCODER_CONFIG_KEY = "RESOURCES_JSON_ENCODER"

#: Always true: kept for code that imports it from Flask-RESTful's module.
PY3 = True

_ORJSON_OPTIONS = 0 if orjson is None else orjson.OPT_APPEND_NEWLINE


def dumps(data: t.Any, app: Flask | None = None) -> str | bytes:
    """Serialise ``data`` the way :func:`output_json` does, newline included.

    ``RESTFUL_JSON`` settings (keyword arguments for :func:`json.dumps`) are
    honoured, as in Flask-RESTful, and in debug mode the output is indented.
    With ``RESOURCES_JSON_ENCODER = "orjson"`` and neither of those, orjson
    encodes; a value it cannot encode falls back to :func:`json.dumps`.

    :param data: what to encode.
    :param app: the app whose config applies; the current app by default.
    """
    if app is None:
        app = t.cast("Flask", current_app._get_current_object())  # type: ignore[attr-defined]
    config = app.config
    settings = config.get("RESTFUL_JSON")
    debug = app.debug
    if not settings and not debug:
        if config.get(ENCODER_CONFIG_KEY) == "orjson":
            if orjson is None:
                raise RuntimeError(
                    f"{ENCODER_CONFIG_KEY} = 'orjson' needs the 'speed' extra:"
                    " pip install 'flask-resources[speed]'"
                )
            try:
                return orjson.dumps(data, option=_ORJSON_OPTIONS)
            except TypeError:
                pass
        # Flask-RESTful ends every body with a newline; so do we.
        return json.dumps(data) + "\n"
    options = dict(settings) if settings else {}
    if debug:
        options.setdefault("indent", 4)
    return json.dumps(data, **options) + "\n"


def output_json(
    data: t.Any, code: t.Any, headers: HeadersValue | None = None
) -> Response:
    """The ``application/json`` representation.

    :param data: the body, anything :func:`json.dumps` accepts.
    :param code: the HTTP status.
    :param headers: extra response headers.
    """
    app = t.cast("Flask", current_app._get_current_object())  # type: ignore[attr-defined]
    if isinstance(headers, Headers):
        # Werkzeug adopts a Headers object as is; don't write into the caller's.
        headers = headers.copy()
    return app.response_class(
        dumps(data, app),
        status=code,
        headers=headers or None,
        content_type="application/json",
    )
