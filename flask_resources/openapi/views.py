"""Serve an Api's OpenAPI document and the Swagger UI page that shows it."""

from __future__ import annotations

import os
import typing as t
from collections.abc import Callable, Mapping

from flask import Flask, Response, current_app, send_from_directory, url_for
from flask.typing import ResponseReturnValue
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
  layout: "BaseLayout",{options}
  oauth2RedirectUrl: {redirect_url}
}});{after}
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


def docs_html(
    title: str,
    spec_url: str,
    static_endpoint: str,
    *,
    options: Mapping[str, str] | None = None,
    oauth: Mapping[str, t.Any] | None = None,
) -> str:
    """The HTML of the Swagger UI page showing the document at ``spec_url``.

    :param title: the page's title.
    :param static_endpoint: the endpoint serving the Swagger UI files (it
        takes a ``filename``).
    :param options: more options of ``SwaggerUIBundle``: name -> a
        JavaScript expression (``{"docExpansion": '"none"'}``).
    :param oauth: the options of ``ui.initOAuth()`` (``clientId``, ...), to
        prefill the OAuth 2 dialog.
    """
    asset = url_for(static_endpoint, filename="swagger-ui.css")
    lines = "".join(f"\n  {name}: {value}," for name, value in (options or {}).items())
    after = f"\nwindow.ui.initOAuth({_js_value(oauth)});" if oauth else ""
    return _PAGE.format(
        title=Markup.escape(title),
        static=asset.rsplit("/", 1)[0],
        spec_url=_js_string(spec_url),
        redirect_url=_js_string(
            url_for(static_endpoint, filename="oauth2-redirect.html", _external=True)
        ),
        options=lines,
        after=after,
    )


def register(
    api: Api,
    app: Flask,
    setup_state: BlueprintSetupState | None,
    *,
    openapi_url: str | None,
    docs_url: str | None,
    endpoints: Mapping[str, str] | None = None,
    static_endpoint: str | None = None,
    docs_view: Callable[[], ResponseReturnValue] | None = None,
) -> dict[str, str]:
    """Add the document's and the docs page's routes for ``api`` to ``app``
    (through the blueprint's setup state for an Api on a blueprint).

    :param endpoints: the endpoint names of the routes, by key
        (``"openapi"``, ``"docs"``, ``"static"``), instead of names made
        unique per Api.
    :param static_endpoint: an endpoint already serving the Swagger UI files
        (taking a ``filename``), instead of a route under ``docs_url``.
    :param docs_view: the view of the docs page, instead of the default.
    :returns: the full endpoint names of the routes added, by key.
    """
    # Fail now, not at the first request, without the extra; the docs page's
    # check first, as its extra covers the document's.
    static_dir = swagger_ui_dir() if docs_url and static_endpoint is None else None
    load_apispec()
    if docs_url and not openapi_url:
        openapi_url = docs_url.rstrip("/") + "/openapi.json"
    # Several Apis may serve documents on one app.
    suffix = f"_{id(api):x}"
    names = {
        "openapi": f"openapi_document{suffix}",
        "docs": f"openapi_docs{suffix}",
        "static": f"openapi_docs_static{suffix}",
        **(endpoints or {}),
    }
    added: dict[str, str] = {}

    def add(rule: str, key: str, view: t.Callable[..., t.Any]) -> str:
        endpoint = names[key]
        if setup_state is None:
            app.add_url_rule(rule, endpoint, view, methods=["GET"])
            added[key] = endpoint
            return endpoint
        saved = setup_state.url_prefix
        setup_state.url_prefix = None  # The rule carries the prefix already.
        try:
            setup_state.add_url_rule(rule, endpoint, view, methods=["GET"])
        finally:
            setup_state.url_prefix = saved
        full = f"{setup_state.name_prefix}.{setup_state.name}.{endpoint}".lstrip(".")
        added[key] = full
        return full

    assert openapi_url is not None

    def openapi_document() -> BaseResponse:
        return current_app.json.response(api.openapi())

    spec_endpoint = add(openapi_url, "openapi", openapi_document)
    if docs_url is None:
        return added
    files: list[str] = [] if static_endpoint is None else [static_endpoint]

    def docs_page_view() -> ResponseReturnValue:
        if docs_view is not None:
            return docs_view()
        html = docs_html(
            api.title or current_app.name, url_for(spec_endpoint), files[0]
        )
        return Response(html, mimetype="text/html")

    add(docs_url, "docs", docs_page_view)
    if static_dir is not None:

        def docs_static(filename: str) -> Response:
            return send_from_directory(static_dir, filename, max_age=3600)

        files.append(
            add(f"{docs_url.rstrip('/')}/<path:filename>", "static", docs_static)
        )
    return added


def _js_string(value: str) -> str:
    """``value`` as a JavaScript string literal safe inside ``<script>``."""
    return _js_value(value)


def _js_value(value: t.Any) -> str:
    """``value`` as a JavaScript (JSON) literal safe inside ``<script>``."""
    import json

    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
