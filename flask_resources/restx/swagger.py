"""What Flask-RESTX's Api documents, in the OpenAPI 3.1 document our one
builder makes, and the routes serving it (``/swagger.json`` and the docs page).
"""

from __future__ import annotations

import inspect
import re
import typing as t
from collections.abc import Iterable, Mapping

from flask import Flask, abort, current_app, url_for
from flask.typing import ResponseReturnValue

from ..exceptions import OpenAPIError

if t.TYPE_CHECKING:
    from flask.sansio.blueprints import BlueprintSetupState

    from ..api import Api
    from ..operations import Operation

    _Base = Api
else:
    _Base = object

__all__ = [
    "Swagger",
    "SwaggerMixin",
    "extract_path",
    "extract_path_params",
    "mask_parameter",
    "parse_docstring",
    "register_docs",
    "security_schemes",
    "ui_options",
]

#: Swagger 2.0's OAuth 2 ``flow`` -> the OpenAPI 3 ``flows`` key.
OAUTH2_FLOWS: Mapping[str, str] = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}
# The fields each OAuth 2 flow has in OpenAPI 3.
_FLOW_URLS: Mapping[str, tuple[str, ...]] = {
    "implicit": ("authorizationUrl",),
    "password": ("tokenUrl",),
    "clientCredentials": ("tokenUrl",),
    "authorizationCode": ("authorizationUrl", "tokenUrl"),
}


class Swagger:
    """The document of a restx :class:`~flask_resources.restx.Api`, as
    Flask-RESTX's class of this name gives it; the document is OpenAPI 3.1
    (from :meth:`flask_resources.Api.openapi`), not Swagger 2.0."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def as_dict(self) -> dict[str, t.Any]:
        """The document, as a dict; needs an app context."""
        return self.api.openapi()


def security_schemes(
    authorizations: Mapping[str, Mapping[str, t.Any]] | None,
) -> dict[str, dict[str, t.Any]]:
    """Flask-RESTX's ``authorizations`` (Swagger 2.0 security definitions)
    as OpenAPI 3.1 security schemes::

        {"apikey": {"type": "apiKey", "in": "header", "name": "X-API"}}  # kept
        {"basic": {"type": "basic"}}  # -> {"type": "http", "scheme": "basic"}
        {"oauth2": {"type": "oauth2", "flow": "accessCode",
                    "authorizationUrl": ..., "tokenUrl": ..., "scopes": {...}}}
        # -> {"type": "oauth2", "flows": {"authorizationCode": {...}}}

    Schemes already in OpenAPI 3 form (``http``, ``openIdConnect``, OAuth 2
    with ``flows``) are kept.
    """
    schemes: dict[str, dict[str, t.Any]] = {}
    for name, definition in (authorizations or {}).items():
        if not isinstance(definition, Mapping):
            raise OpenAPIError(f"authorization {name!r}: expected a dict")
        scheme = dict(definition)
        kind = scheme.get("type")
        if kind == "basic":
            scheme["type"], scheme["scheme"] = "http", "basic"
        elif kind == "oauth2" and "flows" not in scheme:
            flow = OAUTH2_FLOWS.get(scheme.pop("flow", None) or "")
            if flow is None:
                raise OpenAPIError(
                    f"authorization {name!r}: an oauth2 flow is one of"
                    f" {', '.join(OAUTH2_FLOWS)}"
                )
            details: dict[str, t.Any] = {"scopes": dict(scheme.pop("scopes", {}))}
            for url in ("authorizationUrl", "tokenUrl", "refreshUrl"):
                value = scheme.pop(url, None)
                if value is not None:
                    details[url] = value
            missing = [url for url in _FLOW_URLS[flow] if url not in details]
            if missing:
                raise OpenAPIError(
                    f"authorization {name!r}: the {flow} flow needs"
                    f" {' and '.join(missing)}"
                )
            scheme["flows"] = {flow: details}
        elif kind not in ("apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"):
            raise OpenAPIError(f"authorization {name!r}: unknown type {kind!r}")
        schemes[name] = scheme
    return schemes


def security_requirements(value: t.Any) -> list[dict[str, list[str]]] | None:
    """Flask-RESTX's Api ``security`` (a scheme name, a dict of scheme
    name -> scope(s), or a list of them) as OpenAPI security requirements;
    ``None`` for none said."""
    from ._doc import security_requirements as convert

    if value is None:
        return None
    requirements = convert(value)
    return None if requirements is None else list(requirements)


def info(api: t.Any) -> dict[str, t.Any]:
    """The ``info`` fields a Flask-RESTX Api says besides its title and
    version: ``description``, ``terms_url``, ``contact`` (``contact_email``,
    ``contact_url``), ``license`` (``license_url``). A callable value is
    called, as Flask-RESTX does."""

    def value(name: str) -> t.Any:
        found = getattr(api, name, None)
        return found() if callable(found) else found

    result: dict[str, t.Any] = {}
    if value("description"):
        result["description"] = value("description")
    if value("terms_url"):
        result["termsOfService"] = value("terms_url")
    contact = {
        key: value(name)
        for key, name in (
            ("name", "contact"),
            ("email", "contact_email"),
            ("url", "contact_url"),
        )
        if value(name)
    }
    if contact:
        result["contact"] = contact
    if value("license"):
        result["license"] = {"name": value("license")}
        if value("license_url"):
            result["license"]["url"] = value("license_url")
    return result


def mask_parameter(app: Flask, mask: t.Any) -> dict[str, t.Any] | None:
    """The header parameter a masked response is asked for with (named by
    ``RESTX_MASK_HEADER``), or ``None`` when ``RESTX_MASK_SWAGGER`` is off.

    :param mask: what ``marshal_with`` recorded: ``True``, or the default
        mask.
    """
    if not mask or not app.config.get("RESTX_MASK_SWAGGER", True):
        return None
    schema: dict[str, t.Any] = {"type": "string", "format": "mask"}
    if isinstance(mask, str):
        schema["default"] = mask
    return {
        "name": app.config.get("RESTX_MASK_HEADER", "X-Fields"),
        "in": "header",
        "description": "An optional fields mask",
        "schema": schema,
    }


class SwaggerMixin(_Base):
    """What a restx :class:`~flask_resources.restx.Api` documents, through
    the hooks of :class:`flask_resources.Api`'s document: ``info`` from
    ``description``, ``terms_url``, ``contact``... ; security schemes from
    the Api's and its namespaces' ``authorizations``; ``security`` in
    Flask-RESTX's forms; operation ids from ``default_id``; every model when
    ``RESTX_INCLUDE_ALL_MODELS`` is set; and the mask header where a
    response is masked. Put it before the core Api among the bases.
    """

    _restx_security: t.Any = None
    _own_security_schemes: dict[str, Mapping[str, t.Any]] | None = None

    @property
    def security(self) -> list[Mapping[str, t.Sequence[str]]] | None:
        """The default security requirements, in OpenAPI's form; set it in
        any of Flask-RESTX's (``"apikey"``, ``{"oauth2": "read"}``, a list)."""
        requirements = security_requirements(self._restx_security)
        return None if requirements is None else list(requirements)

    @security.setter
    def security(self, value: t.Any) -> None:
        self._restx_security = value

    @property
    def security_schemes(self) -> dict[str, Mapping[str, t.Any]] | None:
        """The security schemes: those set here, then the Api's
        ``authorizations``, then each namespace's, in OpenAPI 3.1 form."""
        schemes: dict[str, Mapping[str, t.Any]] = dict(self._own_security_schemes or {})
        schemes.update(security_schemes(getattr(self, "authorizations", None)))
        for namespace in getattr(self, "namespaces", ()):
            schemes.update(security_schemes(getattr(namespace, "authorizations", None)))
        return schemes or None

    @security_schemes.setter
    def security_schemes(self, value: Mapping[str, Mapping[str, t.Any]] | None) -> None:
        self._own_security_schemes = None if value is None else dict(value)

    def openapi_info(self, app: Flask) -> Mapping[str, t.Any]:
        return info(self)

    def openapi_schemas(self, app: Flask) -> Iterable[t.Any]:
        if not app.config.get("RESTX_INCLUDE_ALL_MODELS"):
            return ()
        models = getattr(self, "models", None)
        return list(models.values()) if isinstance(models, Mapping) else ()

    def openapi_operation_id(
        self, resource: type, verb: str, endpoint: str
    ) -> str | None:
        default_id = getattr(self, "default_id", None)
        if callable(default_id):
            return str(default_id(resource.__name__, verb))
        return f"{verb}_{_camel_to_dash(resource.__name__)}"

    def openapi_operation(
        self, operation: dict[str, t.Any], record: Operation, app: Flask
    ) -> None:
        parameter = mask_parameter(app, record.extensions.get("restx_mask"))
        if parameter is None:
            return
        parameters = operation.setdefault("parameters", [])
        if not any(
            p.get("name") == parameter["name"] and p.get("in") == "header"
            for p in parameters
        ):
            parameters.append(parameter)


def ui_options(config: Mapping[str, t.Any]) -> dict[str, str]:
    """The Swagger UI options Flask-RESTX's docs page reads from the app
    config (``SWAGGER_VALIDATOR_URL``, ``SWAGGER_UI_DOC_EXPANSION``,
    ``SWAGGER_UI_OPERATION_ID``, ``SWAGGER_UI_REQUEST_DURATION``,
    ``SWAGGER_SUPPORTED_SUBMIT_METHODS``), as JavaScript expressions."""
    from ..openapi.views import _js_value

    options = {
        "validatorUrl": f"{_js_value(config.get('SWAGGER_VALIDATOR_URL'))} || null",
        "displayOperationId": _js_value(
            bool(config.get("SWAGGER_UI_OPERATION_ID", False))
        ),
        "displayRequestDuration": _js_value(
            bool(config.get("SWAGGER_UI_REQUEST_DURATION", False))
        ),
        "docExpansion": _js_value(
            str(config.get("SWAGGER_UI_DOC_EXPANSION") or "none")
        ),
    }
    methods = config.get("SWAGGER_SUPPORTED_SUBMIT_METHODS")
    if methods is not None:
        options["supportedSubmitMethods"] = _js_value(list(methods))
    return options


def oauth_options(config: Mapping[str, t.Any]) -> dict[str, t.Any] | None:
    """``ui.initOAuth()``'s options from ``SWAGGER_UI_OAUTH_CLIENT_ID``,
    ``SWAGGER_UI_OAUTH_REALM`` and ``SWAGGER_UI_OAUTH_APP_NAME``."""
    client_id = config.get("SWAGGER_UI_OAUTH_CLIENT_ID")
    if not client_id:
        return None
    return {
        "clientId": str(client_id),
        "realm": str(config.get("SWAGGER_UI_OAUTH_REALM") or ""),
        "appName": str(config.get("SWAGGER_UI_OAUTH_APP_NAME") or ""),
    }


def register_docs(
    api: Api,
    app: Flask,
    setup_state: BlueprintSetupState | None = None,
    *,
    doc: str | t.Literal[False] | None = "/",
    specs_path: str = "/swagger.json",
    add_specs: bool = True,
    root: bool = True,
) -> dict[str, str]:
    """Serve ``api``'s document and docs page on ``app`` where Flask-RESTX
    serves them: the document at ``<prefix>/swagger.json`` (endpoint
    ``specs``), the docs page at ``doc`` (endpoint ``doc``; ``False`` for
    none) and, with ``root``, the endpoint ``root`` at the Api's prefix (its
    ``render_root()``, else a 404). For an Api on a blueprint, call it with
    the blueprint's setup state: the endpoints take the blueprint's name.

    The docs page is the Api's ``render_doc()`` when it has one, else
    :func:`flask_resources.restx.apidoc.ui_for`; its Swagger UI files are
    served by :data:`flask_resources.restx.apidoc.apidoc`, registered on the
    app here if it is not yet.

    :returns: the full endpoint names added, by key (``"openapi"``,
        ``"docs"``, ``"root"``).
    """
    from .._state import get_state
    from ..openapi import views
    from . import apidoc

    prefix = "" if setup_state is None else setup_state.url_prefix or ""
    added: dict[str, str] = {}
    if add_specs:
        _check_extra(bool(doc))
        if doc:
            apidoc.register_on(app)
        render_doc = getattr(api, "render_doc", None)
        added = views.register(
            api,
            app,
            setup_state,
            openapi_url=_join(prefix, api.prefix, specs_path),
            docs_url=_join(prefix, doc) if doc else None,
            endpoints={"openapi": "specs", "docs": "doc"},
            static_endpoint=apidoc.STATIC_ENDPOINT,
            docs_view=render_doc
            if callable(render_doc)
            else lambda: apidoc.ui_for(api),
        )
    if root:
        render_root = getattr(api, "render_root", None)

        def root_view() -> ResponseReturnValue:
            if callable(render_root):
                return t.cast(ResponseReturnValue, render_root())
            abort(404)

        rule = _join(prefix, api.prefix or "/")
        if setup_state is None:
            app.add_url_rule(rule, "root", root_view)
            added["root"] = "root"
        else:
            saved = setup_state.url_prefix
            setup_state.url_prefix = None  # The rule carries the prefix already.
            try:
                setup_state.add_url_rule(rule, "root", root_view)
            finally:
                setup_state.url_prefix = saved
            name = f"{setup_state.name_prefix}.{setup_state.name}.root"
            added["root"] = name.lstrip(".")
    # Errors on these routes are the Api's, answered in its format.
    state = get_state(app)
    if state is not None:
        for key in ("openapi", "root"):
            if key in added:
                state.endpoints[added[key]] = api
    return added


def specs_url(api: t.Any) -> str:
    """The URL of ``api``'s document: its ``specs_url`` when it has one,
    else the URL of its ``specs`` endpoint."""
    own = getattr(api, "specs_url", None)
    if isinstance(own, str):
        return own
    blueprint = getattr(api, "blueprint", None)
    return url_for(f"{blueprint.name}.specs" if blueprint is not None else "specs")


def _join(*parts: str | None) -> str:
    return "".join(part for part in parts if part)


_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])|(?<=[A-Z])([A-Z])(?=[a-z])")


def _camel_to_dash(name: str) -> str:
    """``TodoList`` as ``todo_list``, as Flask-RESTX names endpoints."""
    return _CAMEL.sub(lambda m: "_" + (m[1] or m[2]), name).lower()


# -- Flask-RESTX's helpers of this module ------------------------------------

_RULE_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
_PATH_TYPES = {
    "int": "integer",
    "float": "number",
    "string": "string",
    "default": "string",
}
_RAISES = re.compile(
    r"^:raises\s+(?P<name>[\w\d_]+)\s*:\s*(?P<description>.*)$", re.MULTILINE
)


def _check_extra(docs_page: bool) -> None:
    """Fail, naming the one extra that brings everything a Flask-RESTX app
    uses, when what serving its document (and docs page) needs is missing."""
    try:
        import apispec  # noqa: F401

        if docs_page:
            import flask_swagger_ui  # noqa: F401
    except ImportError:
        raise OpenAPIError(
            "A Flask-RESTX Api serves its OpenAPI document"
            + (" and docs page" if docs_page else "")
            + ", which need the 'restx' extra: pip install 'flask-resources[restx]'"
            " (or init_app(app, add_specs=False) to serve neither)"
        ) from None


def extract_path(path: str) -> str:
    """A Werkzeug URL rule as an OpenAPI path: ``/<int:id>`` -> ``/{id}``."""
    return _RULE_VARIABLE.sub(lambda m: "{" + m["name"] + "}", path)


def extract_path_params(path: str) -> dict[str, dict[str, t.Any]]:
    """The URL variables of a rule as Swagger 2.0 path parameters, by name
    (Flask-RESTX's helper; the OpenAPI document describes them itself)."""
    params: dict[str, dict[str, t.Any]] = {}
    for match in _RULE_VARIABLE.finditer(path):
        converter = match["converter"] or "default"
        if converter in _PATH_TYPES:
            kind = _PATH_TYPES[converter]
        elif converter in current_app.url_map.converters:
            kind = "string"
        else:
            raise ValueError(f"Unsupported type converter: {converter}")
        params[match["name"]] = {
            "name": match["name"],
            "in": "path",
            "required": True,
            "type": kind,
        }
    return params


def parse_docstring(obj: t.Any) -> dict[str, t.Any]:
    """An object's docstring parsed as Flask-RESTX parses it: ``summary``
    (the first line, to its first full stop), ``details`` (the rest),
    ``raises`` (``:raises Name: description`` lines), ``raw``."""
    raw = inspect.getdoc(obj)
    summary = raw.strip(" \n").split("\n")[0].split(".")[0] if raw else None
    details = None
    raises: dict[str, str] = {}
    if raw:
        details = raw.replace(summary or "", "").lstrip(". \n").strip(" \n")
        for match in _RAISES.finditer(raw):
            raises[match["name"]] = match["description"]
            if details:
                details = details.replace(match[0], "")
    return {
        "raw": raw,
        "summary": summary or None,
        "details": details or None,
        "returns": None,
        "params": [],
        "raises": raises,
    }
