"""Flask-RESTX's ``apidoc``: the blueprint serving the Swagger UI files, and
the docs page of an Api (:func:`ui_for`)."""

from __future__ import annotations

import typing as t

from flask import Blueprint, Flask, current_app, url_for
from flask.sansio.app import App

__all__ = [
    "STATIC_ENDPOINT",
    "Apidoc",
    "apidoc",
    "register_on",
    "swagger_static",
    "ui_for",
]

#: The endpoint of the Swagger UI files (it takes a ``filename``).
STATIC_ENDPOINT = "restx_doc.static"


class Apidoc(Blueprint):
    """The blueprint of the Swagger UI files, which knows whether it has been
    registered. Its files are those of the ``docs`` extra
    (flask-swagger-ui), found when it is first registered."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self.registered = False
        super().__init__(*args, **kwargs)

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        if self.static_folder is None:
            from ..openapi.views import swagger_ui_dir

            self.static_folder = swagger_ui_dir()
        super().register(app, options)
        self.registered = True


#: Serves the Swagger UI files at ``/swaggerui/<filename>``.
apidoc = Apidoc("restx_doc", __name__, static_url_path="/swaggerui")


@apidoc.app_template_global()
def swagger_static(filename: str) -> str:
    """The URL of one Swagger UI file (a template global, as in Flask-RESTX)."""
    return url_for(STATIC_ENDPOINT, filename=filename)


def register_on(app: Flask) -> None:
    """Register :data:`apidoc` on ``app`` unless it is there already."""
    if apidoc.name not in app.blueprints:
        app.register_blueprint(apidoc)


def ui_for(api: t.Any) -> str:
    """The HTML of the docs page of ``api``: Swagger UI showing its OpenAPI
    document, with the options Flask-RESTX reads from the app config
    (``SWAGGER_UI_DOC_EXPANSION``, ``SWAGGER_VALIDATOR_URL``, ...)."""
    from ..openapi.views import docs_html
    from .swagger import oauth_options, specs_url, ui_options

    config = current_app.config
    return docs_html(
        str(getattr(api, "title", None) or current_app.name),
        specs_url(api),
        STATIC_ENDPOINT,
        options=ui_options(config),
        oauth=oauth_options(config),
    )
