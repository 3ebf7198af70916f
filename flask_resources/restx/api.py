"""Flask-RESTX's ``Api``: the core :class:`~flask_resources.Api` with
namespaces, models, RESTX's constructor, endpoint names and error handlers."""

from __future__ import annotations

import sys
import threading
import typing as t
from collections.abc import Callable, Iterable, Mapping

from flask import Blueprint, Flask, current_app, url_for
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from .._utils import current_flask_app
from ..api import Api as _CoreApi
from ..api import _propagate_exceptions
from ..negotiation import JSON_MEDIATYPE
from ..operations import Operation
from ..resource import Resource as _CoreResource
from ._doc import DocMixin, route_doc
from .errors import abort
from .namespace import Namespace, ResourceRoute
from .representations import output_json
from .resource import Resource, request_payload
from .swagger import SwaggerMixin, register_docs
from .utils import camel_to_dash, default_id, unpack

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from ..api import ErrorTranslator
    from ..typing import Decorator

__all__ = ["Api", "camel_to_dash", "default_id"]

#: Keyword arguments the core :class:`~flask_resources.Api` takes that
#: Flask-RESTX's constructor has no name for; passed on when given.
_CORE_OPTIONS = frozenset(
    {
        "url_part_order",
        "errors",
        "etag",
        "page_options",
        "openapi_version",
        "servers",
        "parsers",
        "browsable",
        "validate_responses",
    }
)

#: The ``init_app`` keywords that update the Api's documentation settings.
_INFO_OPTIONS = (
    "title",
    "description",
    "terms_url",
    "contact",
    "contact_url",
    "contact_email",
    "license",
    "license_url",
    "url_scheme",
)

ErrorHandler: t.TypeAlias = Callable[[t.Any], t.Any]

#: The base URI of the models' schemas in :attr:`Api.refresolver`.
_SCHEMA_ROOT = "http://localhost/schema.json"


class HandledError(HTTPException):
    """What an error handler of a Flask-RESTX Api answered: its body,
    status and headers, handed to the core error path as an HTTP error."""

    def __init__(self, data: t.Any, code: int, headers: t.Any = None) -> None:
        super().__init__()
        self.code = int(code)
        self.data = data
        self.extra_headers = Headers(headers or {})

    def get_headers(
        self,
        environ: WSGIEnvironment | None = None,
        scope: dict[str, t.Any] | None = None,
    ) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), *self.extra_headers.items()]


class Api(SwaggerMixin, DocMixin, _CoreApi):
    """Flask-RESTX's entry point, over the core
    :class:`~flask_resources.Api`: resources are grouped in
    :class:`~flask_resources.restx.Namespace` objects, documented with
    models and decorators, and the OpenAPI document (3.1) is served at
    ``/swagger.json``::

        app = Flask(__name__)
        api = Api(app, version="1.0", title="Todo API")
        ns = api.namespace("todos", description="Todo operations")

        @ns.route("/")
        class TodoList(Resource):
            def get(self):
                return todos

    Every argument is Flask-RESTX's. ``version``, ``title``,
    ``description``, ``terms_url``, ``license``, ``license_url``,
    ``contact``, ``contact_url``, ``contact_email``, ``authorizations``,
    ``security``, ``tags`` and ``default_id`` describe the API in the
    document; ``doc`` is the path of the docs page (``False`` for none);
    ``default`` and ``default_label`` name the namespace of resources
    routed on the Api itself; ``validate`` validates payloads against the
    models ``expect`` names (``None``: the ``RESTX_VALIDATE`` config key);
    ``ordered`` makes models ordered; ``format_checker`` is the
    :class:`jsonschema.FormatChecker` payloads are validated with;
    ``url_scheme`` forces the scheme of :attr:`specs_url` and
    :attr:`base_url`; ``default_swagger_filename`` names the document's
    path. ``prefix``, ``default_mediatype``, ``decorators``,
    ``catch_all_404s`` and ``serve_challenge_on_401`` are the core Api's,
    as are the keyword arguments ``errors``, ``url_part_order``, ``etag``,
    ``page_options``, ``openapi_version``, ``servers``, ``parsers`` and
    ``browsable``; other keyword arguments are ignored, as Flask-RESTX
    ignores them.

    .. versionadded:: 0.1
    """

    #: The realm of the ``WWW-Authenticate: Basic`` challenge, as
    #: Flask-RESTX names it.
    default_realm: t.ClassVar[str] = "flask-restx"

    def __init__(
        self,
        app: Flask | Blueprint | None = None,
        version: str = "1.0",
        title: str | None = None,
        description: str | None = None,
        terms_url: str | None = None,
        license: str | None = None,
        license_url: str | None = None,
        contact: str | None = None,
        contact_url: str | None = None,
        contact_email: str | None = None,
        authorizations: Mapping[str, t.Any] | None = None,
        security: t.Any = None,
        doc: str | bool = "/",
        default_id: Callable[[str, str], str] = default_id,
        default: str = "default",
        default_label: str | None = "Default namespace",
        validate: bool | None = None,
        tags: Iterable[t.Any] | None = None,
        prefix: str = "",
        ordered: bool = False,
        default_mediatype: str | None = JSON_MEDIATYPE,
        decorators: Iterable[Decorator] | None = None,
        catch_all_404s: bool = False,
        serve_challenge_on_401: bool = False,
        format_checker: t.Any = None,
        url_scheme: str | None = None,
        default_swagger_filename: str = "swagger.json",
        **kwargs: t.Any,
    ) -> None:
        options = {name: kwargs[name] for name in _CORE_OPTIONS & kwargs.keys()}
        super().__init__(
            None,
            prefix=prefix,
            default_mediatype=default_mediatype,
            decorators=decorators,
            catch_all_404s=catch_all_404s,
            serve_challenge_on_401=serve_challenge_on_401,
            title=title or "API",
            version=version,
            **options,
        )
        # RESTX_JSON's representation, as Flask-RESTX's.
        self.representations[JSON_MEDIATYPE] = output_json
        #: Default security requirements, in any of Flask-RESTX's forms (a
        #: scheme name, ``{name: scopes}``, a list of those); read back in
        #: OpenAPI's.
        self.security = security
        self.version = version
        self.description = description
        self.terms_url = terms_url
        self.contact = contact
        self.contact_email = contact_email
        self.contact_url = contact_url
        self.license = license
        self.license_url = license_url
        #: Security schemes by name, as Flask-RESTX takes them (Swagger 2.0
        #: security definitions).
        self.authorizations = authorizations
        #: Makes each operation's id from the resource's endpoint and verb.
        self.default_id = default_id
        self.ordered = ordered
        #: Validate payloads against the models ``expect`` names; ``None``
        #: leaves it to the ``RESTX_VALIDATE`` config key.
        self.validate = validate
        self.format_checker = format_checker
        self.url_scheme = url_scheme
        self.default_swagger_filename = default_swagger_filename
        #: Tags of the document, before the namespaces' (a name, a ``(name,
        #: description)`` pair or a ``{"name": ...}`` dict).
        self.tags: list[t.Any] = list(tags or ())
        for tag in self.tags:
            name, tag_description = _tag(tag)
            self.describe_tag(name, tag_description, always=True)
        #: Model name -> model, of every namespace added.
        self.models: dict[str, t.Any] = {}
        #: The namespaces, in the order they were added.
        self.namespaces: list[Namespace] = []
        #: Namespace -> the path it was added under, when not its own.
        self.ns_paths: dict[Namespace, str] = {}
        # Exception class -> handler returning (body, status, headers), in
        # registration order: the first that matches wins, as in Flask-RESTX.
        self.error_handlers = t.cast("dict[type[BaseException], ErrorTranslator]", {})
        self._default_error_handler: ErrorHandler | None = None
        self._doc = doc
        self._doc_view: Callable[[], t.Any] | None = None
        self._add_specs = True
        # Endpoint -> (namespace, route), for the document's tags and route
        # documentation.
        self._routes: dict[str, tuple[Namespace, ResourceRoute]] = {}
        self._namespace_of: dict[t.Any, Namespace] = {}
        self._endpoint_namespaces: dict[str, Namespace] = {}
        self._resolver: tuple[tuple[tuple[str, int], ...], t.Any] | None = None
        self._resolver_lock = threading.Lock()
        #: The namespace of resources routed on the Api itself
        #: (``api.route``, ``api.add_resource``), at the root.
        self.default_namespace = self.namespace(
            default,
            default_label,
            endpoint=f"{default}-declaration",
            validate=validate,
            api=self,
            path="/",
        )
        if app is not None:
            self.init_app(app)

    # -- binding -----------------------------------------------------------

    def init_app(self, app: Flask | Blueprint, **kwargs: t.Any) -> None:
        """Bind the Api to an app or a blueprint, as the core
        :meth:`~flask_resources.Api.init_app` does. ``title``,
        ``description``, ``terms_url``, ``contact``, ``contact_url``,
        ``contact_email``, ``license``, ``license_url`` and ``url_scheme``
        replace the constructor's; ``add_specs=False`` serves no
        ``/swagger.json`` (nor docs page)."""
        for name in _INFO_OPTIONS:
            if name in kwargs:
                setattr(self, name, kwargs[name])
        self._add_specs = bool(kwargs.get("add_specs", True))
        if isinstance(app, Flask):
            self.app = app
        super().init_app(app)

    def _bind(self, app: Flask, setup_state: BlueprintSetupState | None) -> None:
        super()._bind(app, setup_state)
        config = app.config
        config.setdefault("RESTX_MASK_HEADER", "X-Fields")
        config.setdefault("RESTX_MASK_SWAGGER", True)
        config.setdefault("RESTX_INCLUDE_ALL_MODELS", False)
        for namespace in self.namespaces:
            self._configure_namespace_logger(app, namespace)
        if self._add_specs:
            self.endpoints.add("specs")
        register_docs(
            self,
            app,
            setup_state,
            doc=str(self._doc) if self._doc else False,
            specs_path=f"/{self.default_swagger_filename}",
            add_specs=self._add_specs,
        )

    def _configure_namespace_logger(self, app: Flask, namespace: Namespace) -> None:
        """Give a namespace's logger the app logger's handlers and level."""
        for handler in app.logger.handlers:
            namespace.logger.addHandler(handler)
        namespace.logger.setLevel(app.logger.level)

    # -- namespaces and resources -----------------------------------------

    def namespace(self, *args: t.Any, **kwargs: t.Any) -> Namespace:
        """Make a :class:`~flask_resources.restx.Namespace` (with this Api's
        ``ordered`` unless given) and add it."""
        kwargs.setdefault("ordered", self.ordered)
        namespace = Namespace(*args, **kwargs)
        self.add_namespace(namespace)
        return namespace

    def add_namespace(self, ns: Namespace, path: str | None = None) -> None:
        """Add a namespace: its resources, now and later, its models and
        error handlers.

        :param ns: the namespace.
        :param path: the URL prefix of its resources, instead of its own
            :attr:`~flask_resources.restx.Namespace.path`.
        """
        if ns not in self.namespaces:
            self.namespaces.append(ns)
            if self not in ns.apis:
                ns.apis.append(self)
            if path is not None:
                self.ns_paths[ns] = path
            # A tag given to the Api keeps its place (and its description,
            # unless the namespace has one).
            said = self.described_tags().get(ns.name)
            if said is None:
                self.describe_tag(ns.name, ns.description)
            else:
                self.describe_tag(ns.name, ns.description or said[0], always=said[1])
        for route in ns.resources:
            self.register_route(ns, route)
        self.models.update(ns.models)
        for app in list(self._bound.keys()):
            self._configure_namespace_logger(app, ns)

    def get_ns_path(self, ns: Namespace) -> str | None:
        """The path ``ns`` was added under with :meth:`add_namespace`, if any."""
        return self.ns_paths.get(ns)

    def ns_urls(self, ns: Namespace, urls: Iterable[str]) -> list[str]:
        """``urls`` of ``ns`` with the namespace's path before them."""
        path = self.get_ns_path(ns) or ns.path
        return [path + url for url in urls]

    @property
    def _validate(self) -> bool | None:
        # What Flask-RESTX code (and expect) reads.
        return self.validate

    def namespace_of(self, resource: t.Any) -> Namespace | None:
        """The namespace a resource class was first routed in on this Api."""
        return self._namespace_of.get(resource)

    def route_of(self, endpoint: str) -> tuple[Namespace, ResourceRoute] | None:
        """The namespace and route of an endpoint of this Api (without
        blueprint prefix)."""
        return self._routes.get(endpoint)

    def add_resource(self, resource: t.Any, *urls: str, **kwargs: t.Any) -> None:
        """Route URLs to a resource in the default namespace; see
        :meth:`Namespace.add_resource
        <flask_resources.restx.Namespace.add_resource>`."""
        self.default_namespace.add_resource(resource, *urls, **kwargs)

    def route(self, *urls: str, **kwargs: t.Any) -> t.Any:
        """Route a resource in the default namespace; see
        :meth:`Namespace.route <flask_resources.restx.Namespace.route>`."""
        return self.default_namespace.route(*urls, **kwargs)

    def register_route(self, namespace: Namespace, route: ResourceRoute) -> str:
        """Route one route of a namespace added to this Api; its endpoint."""
        urls = self.ns_urls(namespace, route.urls)
        endpoint = self.register_resource(
            namespace, route.resource, *urls, **route.kwargs
        )
        self._routes[endpoint] = (namespace, route)
        # Its operations are tagged with the namespace's name; what
        # route(doc=...) says applies to this route only.
        self.document_endpoint(endpoint, Operation(tags=(namespace.name,)))
        if route.route_doc is False or route.route_doc:
            record = route_doc(route.resource, route.route_doc)
            if record is not None:
                self.document_endpoint(endpoint, record)
        return endpoint

    def register_resource(
        self, namespace: Namespace, resource: t.Any, *urls: str, **kwargs: t.Any
    ) -> str:
        """Route full URLs to a resource of ``namespace``, through the core
        :meth:`~flask_resources.Api.add_resource`; the resource is built with
        this Api first, then ``resource_class_args`` (a
        :class:`flask_resources.Resource` that is not a restx one without the
        Api, as the core Api builds it). Returns the endpoint."""
        options = dict(kwargs)
        endpoint = str(
            options.pop("endpoint", None) or self.default_endpoint(resource, namespace)
        )
        args = tuple(options.pop("resource_class_args", ()))
        if not _takes_no_api(resource):
            args = (self, *args)
        class_kwargs = options.pop("resource_class_kwargs", None)
        # Read by view_decorators while the view is built.
        previous = self._endpoint_namespaces.get(endpoint)
        self._endpoint_namespaces[endpoint] = namespace
        try:
            super().add_resource(
                resource,
                *urls,
                endpoint=endpoint,
                resource_class_args=args,
                resource_class_kwargs=class_kwargs,
                **options,
            )
        except Exception:
            if previous is None:
                del self._endpoint_namespaces[endpoint]
            else:
                self._endpoint_namespaces[endpoint] = previous
            raise
        self._namespace_of.setdefault(resource, namespace)
        return endpoint

    def default_endpoint(self, resource: t.Any, namespace: Namespace) -> str:
        """The endpoint of a resource routed without one: its class name in
        snake case, after the namespace's name outside the default
        namespace, with ``_2``, ``_3``, ... for later routes of the same
        class."""
        endpoint = camel_to_dash(resource.__name__)
        if namespace is not self.default_namespace:
            endpoint = f"{namespace.name}_{endpoint}"
        if endpoint in self.endpoints:
            suffix = 2
            while f"{endpoint}_{suffix}" in self.endpoints:
                suffix += 1
            endpoint = f"{endpoint}_{suffix}"
        return endpoint

    def view_decorators(self, endpoint: str) -> Iterable[Decorator]:
        """The decorators of the endpoint's namespace, then the Api's."""
        namespace = self._endpoint_namespaces.get(endpoint)
        if namespace is None or not namespace.decorators:
            return self.decorators
        return [*namespace.decorators, *self.decorators]

    # -- models ------------------------------------------------------------

    def model(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:meth:`Namespace.model <flask_resources.restx.Namespace.model>`,
        in the default namespace."""
        return self.default_namespace.model(*args, **kwargs)

    def schema_model(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:meth:`Namespace.schema_model
        <flask_resources.restx.Namespace.schema_model>`, in the default
        namespace."""
        return self.default_namespace.schema_model(*args, **kwargs)

    def add_model(self, name: str, definition: t.Any) -> t.Any:
        """Register a model by name in the default namespace."""
        return self.default_namespace.add_model(name, definition)

    def extend(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:meth:`Namespace.extend <flask_resources.restx.Namespace.extend>`."""
        return self.default_namespace.extend(*args, **kwargs)

    def clone(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:meth:`Namespace.clone <flask_resources.restx.Namespace.clone>`."""
        return self.default_namespace.clone(*args, **kwargs)

    def inherit(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:meth:`Namespace.inherit <flask_resources.restx.Namespace.inherit>`."""
        return self.default_namespace.inherit(*args, **kwargs)

    def marshal(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:func:`~flask_resources.restx.marshal`."""
        return self.default_namespace.marshal(*args, **kwargs)

    def parser(self, mediatype: str | None = None) -> t.Any:
        """A new :class:`~flask_resources.restx.reqparse.RequestParser`, as
        in Flask-RESTX; given a media type, the core
        :meth:`~flask_resources.Api.parser`, registering a request body
        parser for it."""
        if mediatype is None:
            return self.default_namespace.parser()
        return super().parser(mediatype)

    def schema_name_of(self, fields: Mapping[t.Any, t.Any]) -> str | None:
        """A model's name: the document refers to it as
        ``#/components/schemas/<name>``."""
        name = getattr(fields, "name", None)
        if isinstance(name, str) and hasattr(fields, "__schema__"):
            return name
        return super().schema_name_of(fields)

    @property
    def refresolver(self) -> t.Any:
        """A :class:`referencing.Registry` holding, as Flask-RESTX's does,
        ``http://localhost/schema.json`` with every model's JSON Schema
        under ``definitions``: where a model's ``validate`` finds the models
        it refers to but does not contain. Built again when models are
        added."""
        # A copy: another thread may be adding a model.
        models = dict(self.models)
        key = tuple((name, id(model)) for name, model in models.items())
        cached = self._resolver
        if cached is not None and cached[0] == key:
            return cached[1]
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        definitions = {name: model.__schema__ for name, model in models.items()}
        root = {"$id": _SCHEMA_ROOT, "definitions": definitions}
        registry: Registry[t.Any] = Registry().with_resource(
            _SCHEMA_ROOT, Resource.from_contents(root, default_specification=DRAFT4)
        )
        with self._resolver_lock:
            self._resolver = (key, registry)
        return registry

    # -- requests ----------------------------------------------------------

    @property
    def payload(self) -> t.Any:
        """The request's JSON body (see
        :func:`~flask_resources.restx.resource.request_payload`)."""
        return request_payload()

    def abort(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        """:func:`~flask_resources.restx.abort`."""
        abort(*args, **kwargs)

    # -- errors ------------------------------------------------------------

    def errorhandler(self, exception: t.Any) -> t.Any:
        """Register a handler for an exception class raised in this Api's
        routes, as Flask-RESTX does::

            @api.errorhandler(KeyError)
            def no_such_thing(error):
                return {"message": f"No such thing: {error}"}, 404

        The handler returns a body, ``(body, status)`` or ``(body, status,
        headers)``; the status defaults to 500, and a dict body without a
        ``message`` gets ``str(error)`` as one (unless
        ``ERROR_INCLUDE_MESSAGE`` is false). The first handler registered
        whose class matches wins, the Api's before its namespaces'.
        Without an exception class, ``@api.errorhandler`` registers the
        default handler, for exceptions that are not HTTP errors and that
        no other handler takes.
        """
        if isinstance(exception, type) and issubclass(exception, Exception):
            exc_class = exception

            def wrapper(func: ErrorHandler) -> ErrorHandler:
                self.error_handlers[exc_class] = func
                return func

            return wrapper
        self._default_error_handler = exception
        return exception

    def _all_error_handlers(self) -> dict[type[BaseException], ErrorHandler]:
        handlers: dict[type[BaseException], ErrorHandler] = {}
        mask = sys.modules.get(f"{__package__}.mask")
        if mask is not None:
            # Only a loaded mask module raises its errors.
            handlers[mask.ParseError] = _mask_parse_error
            handlers[mask.MaskError] = _mask_error
        handlers.update(self.error_handlers)
        for namespace in self.namespaces:
            handlers.update(namespace.error_handlers)
        return handlers

    def translate_error(self, e: Exception) -> HTTPException | None:
        """The answer of the error handler for ``e``, if one takes it (see
        :meth:`errorhandler`), as an HTTP error for the core error path."""
        handler: ErrorHandler | None = None
        for exc_class, candidate in self._all_error_handlers().items():
            if isinstance(e, exc_class):
                handler = candidate
                break
        if handler is None:
            default = self._default_error_handler
            if (
                default is None
                or isinstance(e, HTTPException)
                or _propagate_exceptions(current_flask_app())
            ):
                return None
            handler = default
        data, code, headers = unpack(handler(e), 500)
        if isinstance(data, dict) and "message" not in data:
            if self.include_error_message():
                data = {**data, "message": str(e)}
        return HandledError(data, code, headers)

    def include_error_message(self) -> bool:
        """The ``ERROR_INCLUDE_MESSAGE`` config key (true by default)."""
        return bool(current_app.config.get("ERROR_INCLUDE_MESSAGE", True))

    def help_on_404(self) -> bool:
        """The ``RESTX_ERROR_404_HELP`` config key, else ``ERROR_404_HELP``;
        off unless set."""
        config = current_app.config
        return bool(config.get("RESTX_ERROR_404_HELP", config.get("ERROR_404_HELP")))

    # -- documentation -----------------------------------------------------

    @property
    def __schema__(self) -> dict[str, t.Any]:
        """The OpenAPI document, as :meth:`openapi` gives it."""
        return self.openapi()

    def endpoint(self, name: str) -> str:
        """``name`` with the blueprint's name before it, as Flask names the
        endpoints of an Api on a blueprint."""
        prefix = self._endpoint_prefixes()[0]
        return f"{prefix}.{name}" if prefix else name

    @property
    def specs_url(self) -> str:
        """The URL of the OpenAPI document (``/swagger.json``); absolute,
        with :attr:`url_scheme`, when that is set."""
        external = None if self.url_scheme is None else True
        return url_for(
            self.endpoint("specs"), _scheme=self.url_scheme, _external=external
        )

    @property
    def base_url(self) -> str:
        """The absolute URL of the Api's root."""
        return url_for(self.endpoint("root"), _scheme=self.url_scheme, _external=True)

    @property
    def base_path(self) -> str:
        """The path of the Api's root."""
        return url_for(self.endpoint("root"), _external=False)

    def documentation(self, func: Callable[[], t.Any]) -> Callable[[], t.Any]:
        """Decorate the view function serving the docs page instead of
        the built-in one."""
        self._doc_view = func
        return func

    def render_root(self) -> t.Any:
        """The Api's root, when the docs page is elsewhere: 404."""
        self.abort(404)

    def render_doc(self) -> t.Any:
        """The docs page; override it, or use :meth:`documentation`, to
        serve another."""
        if self._doc_view is not None:
            return self._doc_view()
        if not self._doc:
            self.abort(404)
        from .apidoc import ui_for

        return ui_for(self)


def _takes_no_api(resource: t.Any) -> bool:
    """Whether ``resource`` is a core resource, built without the Api."""
    return (
        isinstance(resource, type)
        and issubclass(resource, _CoreResource)
        and not issubclass(resource, Resource)
    )


def _tag(tag: t.Any) -> tuple[str, str | None]:
    """One of ``Api(tags=...)``: a name, ``(name, description)`` or a dict
    with ``name`` (and ``description``)."""
    if isinstance(tag, str):
        return tag, None
    if isinstance(tag, (list, tuple)) and len(tag) == 2:
        return str(tag[0]), tag[1]
    if isinstance(tag, Mapping) and "name" in tag:
        return str(tag["name"]), tag.get("description")
    raise ValueError(f"Unsupported tag format for {tag!r}")


def _mask_parse_error(error: Exception) -> tuple[dict[str, str], int]:
    return {"message": f"Mask parse error: {error}"}, 400


def _mask_error(error: Exception) -> tuple[dict[str, str], int]:
    return {"message": f"Mask error: {error}"}, 400
