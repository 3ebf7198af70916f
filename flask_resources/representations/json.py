"""The ``application/json`` representation and its encoder."""

from __future__ import annotations

import functools
import json
import typing as t
from collections.abc import Callable

from flask import current_app as current_app
from flask import make_response as make_response
from werkzeug.datastructures import Headers

from .._utils import buffered_response_class, current_flask_app
from ..typing import HeadersValue

if t.TYPE_CHECKING:
    from flask import Flask
    from werkzeug.wrappers import Response

#: App config key choosing the JSON encoder: ``"json"`` (the default) gives
#: byte-for-byte the bodies Flask-RESTful gives; ``"orjson"`` (the ``speed``
#: extra) is several times faster and writes compact JSON.
ENCODER_CONFIG_KEY = "RESOURCES_JSON_ENCODER"

#: Always true: kept for code that imports it from Flask-RESTful's module.
PY3 = True

#: Where :func:`output_json` keeps each app's encoder, in ``app.extensions``.
_ENCODER_EXTENSION_KEY = "flask-resources.json-encoder"

Encoder: t.TypeAlias = Callable[[t.Any], "str | bytes"]


def encoder(app: Flask, *, settings_key: str = "RESTFUL_JSON") -> Encoder:
    """Return the function that encodes a body as the app's config asks.

    ``RESTFUL_JSON`` settings (keyword arguments for :func:`json.dumps`) are
    honoured, as in Flask-RESTful, and in debug mode the output is indented.
    With ``RESOURCES_JSON_ENCODER = "orjson"`` and neither of those, orjson
    encodes; a value it cannot encode falls back to :func:`json.dumps`.
    Every body ends with a newline, as Flask-RESTful's do.

    :param app: the app whose config applies.
    :param settings_key: the config key holding the :func:`json.dumps`
        settings; Flask-RESTX's representation reads ``RESTX_JSON``.

    .. versionadded:: 0.1
    """
    config = app.config
    settings = config.get(settings_key)
    debug = app.debug
    if not settings and not debug:
        if config.get(ENCODER_CONFIG_KEY) == "orjson":
            return _orjson_encoder()
        return _dumps
    options = dict(settings) if settings else {}
    if debug:
        options.setdefault("indent", 4)
    return functools.partial(_dumps_with, options)


def _dumps(data: t.Any) -> str:
    return json.dumps(data) + "\n"


def _dumps_with(options: dict[str, t.Any], data: t.Any) -> str:
    return json.dumps(data, **options) + "\n"


def _orjson_encoder() -> Encoder:
    # Imported here: only apps that ask for it load it.
    try:
        import orjson
    except ImportError:
        raise RuntimeError(
            f"{ENCODER_CONFIG_KEY} = 'orjson' needs the 'speed' extra:"
            " pip install 'flask-resources[speed]'"
        ) from None
    orjson_dumps = orjson.dumps
    option = orjson.OPT_APPEND_NEWLINE

    def encode(data: t.Any) -> str | bytes:
        try:
            return orjson_dumps(data, option=option)
        except TypeError:
            return _dumps(data)

    return encode


def dumps(data: t.Any, app: Flask | None = None) -> str | bytes:
    """Serialise ``data`` the way :func:`output_json` does, newline included;
    see :func:`encoder`. Reads the app's config on every call.

    :param data: what to encode.
    :param app: the app whose config applies; the current app by default.
    """
    return encoder(app if app is not None else current_flask_app())(data)


def output_json(
    data: t.Any, code: t.Any, headers: HeadersValue | None = None
) -> Response:
    """The ``application/json`` representation.

    The encoder (see :func:`encoder`) is chosen from the app's config at its
    first response and kept: changing ``RESTFUL_JSON``,
    ``RESOURCES_JSON_ENCODER`` or debug mode afterwards needs a restart.

    :param data: the body, anything :func:`json.dumps` accepts.
    :param code: the HTTP status.
    :param headers: extra response headers.
    """
    app = current_flask_app()
    encode = app.extensions.get(_ENCODER_EXTENSION_KEY)
    if encode is None:
        encode = app.extensions[_ENCODER_EXTENSION_KEY] = encoder(app)
    if isinstance(headers, Headers):
        # Werkzeug adopts a Headers object as is; don't write into the caller's.
        headers = headers.copy()
    return buffered_response_class(app.response_class)(
        encode(data),
        status=code,
        headers=headers or None,
        content_type="application/json",
    )
