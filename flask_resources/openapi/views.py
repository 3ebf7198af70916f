"""Serve an Api's OpenAPI document and the Swagger UI page that shows it."""

from __future__ import annotations

import os
import typing as t

from flask import Flask, Response, current_app, send_from_directory, url_for
from markupsafe import Markup
from werkzeug.sansio.response import Response as BaseResponse

from ..exceptions import OpenAPIError
from .spec import load_apispec

if t.TYPE_CHECKING:
    from flask.sansio.blueprints import BlueprintSetupState

    from ..api import Api

# Our own page around the Swagger UI 5 files flask-swagger-ui installs: no
# request leaves the machine.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" type="image/png" href="{static}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: {spec_url},
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  oauth2RedirectUrl: {redirect_url}
}});
</script>
</body>
</html>
"""


def swagger_ui_dir() -> str:
    """The directory of the Swagger UI files, or an error naming the extra.

    The docs page needs apispec too, which the ``docs`` extra installs: the
    error names that one extra whichever of the two is missing, rather
    than the ``openapi`` extra first and ``docs`` after it.
    """
    try:
        import apispec  # noqa: F401
        import flask_swagger_ui
    except ImportError:
        raise OpenAPIError(
            "The docs page needs the 'docs' extra: pip install 'flask-resources[docs]'"
        ) from None
    return os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")


def register(
    api: Api,
    app: Flask,
    setup_state: BlueprintSetupState | None,
    *,
    openapi_url: str | None,
    docs_url: str | None,
) -> None:
    """Add the document's and the docs page's routes for ``api`` to ``app``
    (through the blueprint's setup state for an Api on a blueprint)."""
    # Fail now, not at the first request, without the extra; the docs page's
    # check first, as its extra covers the document's.
    static_dir = swagger_ui_dir() if docs_url else None
    load_apispec()
    if docs_url and not openapi_url:
        openapi_url = docs_url.rstrip("/") + "/openapi.json"
    # Several Apis may serve documents on one app.
    suffix = f"_{id(api):x}"

    def add(rule: str, endpoint: str, view: t.Callable[..., t.Any]) -> str:
        if setup_state is None:
            app.add_url_rule(rule, endpoint, view, methods=["GET"])
            return endpoint
        saved = setup_state.url_prefix
        setup_state.url_prefix = None  # The rule carries the prefix already.
        try:
            setup_state.add_url_rule(rule, endpoint, view, methods=["GET"])
        finally:
            setup_state.url_prefix = saved
        return f"{setup_state.name_prefix}.{setup_state.name}.{endpoint}".lstrip(".")

    assert openapi_url is not None

    def openapi_document() -> BaseResponse:
        return current_app.json.response(api.openapi())

    spec_endpoint = add(openapi_url, f"openapi_document{suffix}", openapi_document)
    if docs_url is None or static_dir is None:
        return
    static_endpoint = f"openapi_docs_static{suffix}"

    def docs_page() -> Response:
        title = Markup.escape(api.title or current_app.name)
        asset = url_for(full_static, filename="swagger-ui.css")
        html = _PAGE.format(
            title=title,
            static=asset.rsplit("/", 1)[0],
            spec_url=_js_string(url_for(spec_endpoint)),
            redirect_url=_js_string(
                url_for(full_static, filename="oauth2-redirect.html", _external=True)
            ),
        )
        return Response(html, mimetype="text/html")

    def docs_static(filename: str) -> Response:
        return send_from_directory(static_dir, filename, max_age=3600)

    add(docs_url, f"openapi_docs{suffix}", docs_page)
    full_static = add(
        f"{docs_url.rstrip('/')}/<path:filename>", static_endpoint, docs_static
    )


def _js_string(value: str) -> str:
    """``value`` as a JavaScript string literal safe inside ``<script>``."""
    import json

    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")
