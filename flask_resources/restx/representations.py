"""Flask-RESTX's ``output_json``: the JSON representation, set by ``RESTX_JSON``."""

from __future__ import annotations

import typing as t

from werkzeug.datastructures import Headers

from .._utils import buffered_response_class, current_flask_app
from ..representations.json import encoder

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from ..typing import HeadersValue

__all__ = ["output_json"]

#: Where :func:`output_json` keeps each app's encoder, in ``app.extensions``.
_ENCODER_EXTENSION_KEY = "flask-resources.restx-json-encoder"


def output_json(
    data: t.Any, code: t.Any, headers: HeadersValue | None = None
) -> Response:
    """The ``application/json`` representation of a Flask-RESTX app.

    ``RESTX_JSON`` holds keyword arguments for :func:`json.dumps`; in debug
    mode the output is indented by 4 unless they say otherwise, and every
    body ends with a newline, as in Flask-RESTX. Without settings,
    ``RESOURCES_JSON_ENCODER = "orjson"`` applies as it does to
    :func:`flask_resources.representations.output_json`. The encoder is
    chosen at the app's first response and kept.

    :param data: the body, anything :func:`json.dumps` accepts.
    :param code: the HTTP status.
    :param headers: extra response headers.
    """
    app = current_flask_app()
    encode = app.extensions.get(_ENCODER_EXTENSION_KEY)
    if encode is None:
        encode = encoder(app, settings_key="RESTX_JSON")
        app.extensions[_ENCODER_EXTENSION_KEY] = encode
    if isinstance(headers, Headers):
        # Werkzeug adopts a Headers object as is; don't write into the caller's.
        headers = headers.copy()
    return buffered_response_class(app.response_class)(
        encode(data),
        status=code,
        headers=headers or None,
        content_type="application/json",
    )
