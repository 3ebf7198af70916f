"""``Api``: binds resources to Flask apps and blueprints."""

from __future__ import annotations

import sys
import threading
import typing as t
import weakref
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from types import TracebackType

from flask import (
    Blueprint,
    Flask,
    current_app,
    got_request_exception,
    has_app_context,
    has_request_context,
    request,
)
from flask import make_response as flask_make_response
from flask import url_for as flask_url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.views import View
from werkzeug.exceptions import HTTPException, InternalServerError, NotAcceptable
from werkzeug.wrappers import Response

from . import conditional, errors
from ._state import AppState, create_state, get_state
from ._utils import current_flask_app, current_request, unpack
from .negotiation import HTML_MEDIATYPE, JSON_MEDIATYPE, best_match
from .negotiation import mediatypes as accept_mediatypes
from .parsers import DEFAULT_PARSERS
from .representations import DEFAULT_REPRESENTATIONS, Representations, output_json
from .resource import Resource, check_async_support, render_own
from .typing import AnyCallable, Decorator, HeadersValue, Parser, Representation

if t.TYPE_CHECKING:
    from .browsable import BrowsableAPI
    from .pagination import PageOptions

R = t.TypeVar("R", bound=type[View])

_URL_PART_KEYS = frozenset("bae")

#: What :meth:`Api.errorhandler` registers: turns an exception into the HTTP
#: error to answer with, or ``None`` to leave it to the usual handling.
ErrorTranslator: t.TypeAlias = Callable[[t.Any], HTTPException | None]
E = t.TypeVar("E", bound=ErrorTranslator)


class _Registration(t.NamedTuple):
    resource: type[View]
    urls: tuple[str, ...]
    endpoint: str
    args: tuple[t.Any, ...]
    kwargs: Mapping[str, t.Any]
    rule_options: Mapping[str, t.Any]


class Api:
    """The entry point: resources are added to an Api, which is bound to a
    Flask app or a :class:`~flask.Blueprint`.

    ::

        app = Flask(__name__)
        api = Api(app)

        class HelloWorld(Resource):
            def get(self):
                return {"hello": "world"}

        api.add_resource(HelloWorld, "/")

    With an app factory, create the Api without an app and call
    :meth:`init_app` later; one Api may be bound to several apps, and an
    app may hold several Apis. Per-app state lives in ``app.extensions``.

    :param app: a Flask app or a Blueprint to bind to now.
    :param prefix: prepended to every URL of this Api.
    :param default_mediatype: answered when the client's ``Accept`` header
        matches no representation; ``None`` answers 406 instead.
    :param decorators: applied to every view function of this Api.
    :param catch_all_404s: answer 404s for URLs no rule matches with JSON,
        and any other error routing the request raised (such as the 400
        for a Host header that cannot be bound).
    :param serve_challenge_on_401: add a ``WWW-Authenticate: Basic`` header
        to 401 responses that have none.
    :param url_part_order: the order of the blueprint prefix (``b``), the
        Api prefix (``a``) and the resource URL (``e``) in each rule.
    :param errors: maps exception class names to the JSON body, and the
        ``status`` of the response, to answer with.
    :param etag: answer GET and HEAD on every resource with an ``ETag`` and
        a matching ``If-None-Match`` with 304; see
        :mod:`flask_resources.conditional`. A resource's own ``etag``
        attribute wins. Only set when resources are added.
    :param page_options: the defaults of :meth:`paginate` (parameter names,
        page sizes, link style) for this Api.
    :param parsers: media type -> request body parser, instead of
        :data:`~flask_resources.parsers.DEFAULT_PARSERS`; see
        :meth:`parser`.
    :param browsable: answer browsers with HTML pages of the API (see
        :class:`~flask_resources.browsable.BrowsableAPI`); ``None`` leaves it
        to the ``RESOURCES_BROWSABLE`` config key of the app the Api is
        bound to (off by default).

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: Flask | Blueprint | None = None,
        prefix: str = "",
        default_mediatype: str | None = JSON_MEDIATYPE,
        decorators: Iterable[Decorator] | None = None,
        catch_all_404s: bool = False,
        serve_challenge_on_401: bool = False,
        url_part_order: str = "bae",
        errors: Mapping[str, Mapping[str, t.Any]] | None = None,
        *,
        etag: bool = False,
        page_options: PageOptions | None = None,
        title: str | None = None,
        version: str | None = None,
        openapi_version: str | None = None,
        openapi_url: str | None = None,
        docs_url: str | None = None,
        servers: Iterable[Mapping[str, t.Any]] | None = None,
        security_schemes: Mapping[str, Mapping[str, t.Any]] | None = None,
        security: Iterable[Mapping[str, t.Sequence[str]]] | None = None,
        parsers: Mapping[str, Parser] | None = None,
        browsable: bool | None = None,
    ) -> None:
        if set(url_part_order) != _URL_PART_KEYS or len(url_part_order) != 3:
            raise ValueError(
                f"url_part_order must order 'b', 'a' and 'e', not {url_part_order!r}"
            )
        #: Media type -> representation. Code may change it in place or
        #: replace it with any dict.
        self.representations: dict[str, Representation] = Representations(
            DEFAULT_REPRESENTATIONS
        )
        #: Media type -> request body parser, read by
        #: :func:`~flask_resources.parsers.parsed_body`; a 415 lists the
        #: keys in this order.
        self.parsers: dict[str, Parser] = {
            mediatype.lower(): parser
            for mediatype, parser in (
                DEFAULT_PARSERS if parsers is None else parsers
            ).items()
        }
        self.urls: dict[str, str] = {}
        self.prefix = prefix
        self.default_mediatype = default_mediatype
        self.decorators: list[Decorator] = list(decorators or ())
        self.catch_all_404s = catch_all_404s
        self.serve_challenge_on_401 = serve_challenge_on_401
        self.url_part_order = url_part_order
        self.errors: dict[str, Mapping[str, t.Any]] = dict(errors or {})
        #: Exception class -> the function turning it into an HTTP error; see
        #: :meth:`errorhandler`.
        self.error_handlers: dict[type[BaseException], ErrorTranslator] = {}
        #: Give every resource's GET/HEAD answers an ETag (and 304s), unless
        #: the resource sets its own ``etag`` attribute.
        self.etag = etag
        self._page_options = page_options
        #: OpenAPI settings; ``None`` falls back to the app config key
        #: (``RESOURCES_API_TITLE``, ``RESOURCES_API_VERSION``,
        #: ``RESOURCES_OPENAPI_VERSION``, ``RESOURCES_OPENAPI_URL``,
        #: ``RESOURCES_DOCS_URL``, ``RESOURCES_OPENAPI_SERVERS``,
        #: ``RESOURCES_OPENAPI_SECURITY_SCHEMES``,
        #: ``RESOURCES_OPENAPI_SECURITY``), then to the default.
        self.title = title
        self.api_version = version
        self.openapi_version = openapi_version
        self.openapi_url = openapi_url
        self.docs_url = docs_url
        self.servers = None if servers is None else list(servers)
        self.security_schemes = (
            None if security_schemes is None else dict(security_schemes)
        )
        self.security = None if security is None else list(security)
        # Names given to fields dicts for the OpenAPI document, by id (a
        # dict is not hashable); the dict is kept so its id stays its own.
        self._schema_names: dict[int, tuple[str, Mapping[t.Any, t.Any]]] = {}
        self._specs: weakref.WeakKeyDictionary[Flask, t.Any] = (
            weakref.WeakKeyDictionary()
        )
        self._specs_lock = threading.Lock()
        self.browsable = browsable
        #: The renderer of the HTML pages, once the Api is browsable.
        self.browsable_renderer: BrowsableAPI | None = None
        # The full endpoint of the root listing on each app.
        self._root_endpoints: weakref.WeakKeyDictionary[Flask, str] = (
            weakref.WeakKeyDictionary()
        )
        if browsable:
            self._enable_browsable()
        #: The endpoints of this Api's resources, without blueprint prefix.
        self.endpoints: set[str] = set()
        self.resources: list[_Registration] = []
        self.app: Flask | None = None
        self.blueprint: Blueprint | None = None
        self._endpoint_of: dict[type[View], str] = {}
        # The apps this Api is bound to, each with the setup state of every
        # registration of its blueprint (``None`` when bound to the app
        # itself), so a resource added after binding is registered on each
        # and endpoints resolve as Flask names them.
        self._bound: weakref.WeakKeyDictionary[
            Flask, list[BlueprintSetupState | None]
        ] = weakref.WeakKeyDictionary()
        if app is not None:
            if isinstance(app, Flask):
                self.app = app
            self.init_app(app)

    # -- binding -----------------------------------------------------------

    def init_app(self, app: Flask | Blueprint) -> None:
        """Bind this Api, and every resource added so far, to an app or a
        blueprint. For a blueprint, the binding happens each time the
        blueprint is registered on an app."""
        if isinstance(app, Blueprint):
            self.blueprint = app
            app.record(self._bind_blueprint)
        else:
            self._bind(app, None)

    def _bind_blueprint(self, setup_state: BlueprintSetupState) -> None:
        self._bind(t.cast(Flask, setup_state.app), setup_state)

    def _bind(self, app: Flask, setup_state: BlueprintSetupState | None) -> None:
        state = get_state(app)
        if state is None:
            state = create_state(app)
            errors.register_handlers(app)
        if self not in state.apis:
            state.apis.append(self)
        self._bound.setdefault(app, []).append(setup_state)
        for registration in self.resources:
            self._register(app, setup_state, registration)
        openapi_url = self.openapi_url or app.config.get("RESOURCES_OPENAPI_URL")
        docs_url = self.docs_url or app.config.get("RESOURCES_DOCS_URL")
        if openapi_url or docs_url:
            # Only Apis that serve a document need the optional layer.
            from .openapi import views

            prefix = "" if setup_state is None else setup_state.url_prefix or ""
            docs_url = docs_url and self._complete_url(docs_url, prefix)
            views.register(
                self,
                app,
                setup_state,
                openapi_url=openapi_url and self._complete_url(openapi_url, prefix),
                docs_url=docs_url,
            )
        if self.browsable is None and app.config.get("RESOURCES_BROWSABLE"):
            self._enable_browsable()
        if self.browsable_renderer is not None:
            self._bind_browsable(app, setup_state, docs_url=docs_url or None)

    def _enable_browsable(self) -> None:
        if self.browsable_renderer is not None:
            return
        # The optional layer is loaded only by an Api that is browsable.
        from .browsable import BrowsableAPI

        renderer = self.browsable_renderer = BrowsableAPI(self)
        # A text/html representation of the app's own wins.
        self.representations.setdefault(HTML_MEDIATYPE, renderer.render)

    def _bind_browsable(
        self,
        app: Flask,
        setup_state: BlueprintSetupState | None,
        *,
        docs_url: str | None,
    ) -> None:
        from .browsable import ROOT_RULE, ApiRoot
        from .browsable.root import add_converter

        t.cast("BrowsableAPI", self.browsable_renderer).init_app(app)
        add_converter(app)
        # One listing per Api: another Api's at the same root keeps its own.
        prefix = _endpoint_prefix(setup_state)
        endpoint = "_resources_root"
        number = 1
        while _join_endpoint(prefix, endpoint) in app.view_functions:
            number += 1
            endpoint = f"_resources_root_{number}"
        # The root links the docs page this Api serves on the app, if any.
        kwargs = {"api": self, "docs_url": docs_url}
        root = _Registration(ApiRoot, (ROOT_RULE,), endpoint, (), kwargs, {})
        self._register(app, setup_state, root)
        self._root_endpoints[app] = _join_endpoint(prefix, endpoint)

    def root_endpoint(self, app: Flask) -> str | None:
        """The endpoint of the page listing this Api's resources on ``app``,
        when the Api is browsable (``url_for(endpoint, _root="")``)."""
        return self._root_endpoints.get(app)

    # -- resources ---------------------------------------------------------

    def add_resource(
        self,
        resource: type[View],
        *urls: str,
        endpoint: str | None = None,
        resource_class_args: Iterable[t.Any] = (),
        resource_class_kwargs: Mapping[str, t.Any] | None = None,
        **rule_options: t.Any,
    ) -> None:
        """Route one or more URLs to a resource.

        :param resource: the :class:`Resource` subclass, or any other
            Flask view class (a :class:`~flask.views.MethodView`), whose
            view then answers like a resource's.
        :param urls: URL rules, as for :meth:`flask.Flask.add_url_rule`.
        :param endpoint: the endpoint name; defaults to the lower-cased
            class name.
        :param resource_class_args: positional arguments for the resource's
            constructor, given on every request.
        :param resource_class_kwargs: keyword arguments for the resource's
            constructor, given on every request.
        :param rule_options: passed on to :meth:`flask.Flask.add_url_rule`.
        """
        if not urls:
            raise TypeError("add_resource() needs at least one URL")
        if not isinstance(resource, type):
            # Flask-RESTful accepted an instance (as_view is a classmethod)
            # and served its class.
            resource = type(resource)
        if not callable(getattr(resource, "as_view", None)):
            raise TypeError(
                "add_resource() needs a Resource or another view class with"
                f" as_view, not {resource!r}"
            )
        check_async_support(resource)
        endpoint = endpoint or resource.__name__.lower()
        registered = self._resource_at(endpoint)
        if registered is not None and registered is not resource:
            raise ValueError(
                f"This endpoint ({endpoint}) is already set to the class"
                f" {registered.__name__}."
            )
        registration = _Registration(
            resource,
            urls,
            endpoint,
            tuple(resource_class_args),
            dict(resource_class_kwargs or {}),
            rule_options,
        )
        self.resources.append(registration)
        self.endpoints.add(endpoint)
        self._endpoint_of[resource] = endpoint
        # Flask-RESTful code reads the endpoint, and calls mediatypes(), on
        # the class.
        resource.endpoint = endpoint  # type: ignore[attr-defined]
        resource.mediatypes = self.mediatypes_method()  # type: ignore[attr-defined]
        for url in urls:
            self.urls[url] = endpoint
        for app, setup_states in list(self._bound.items()):
            for setup_state in setup_states:
                self._register(app, setup_state, registration)
        self._forget_specs()

    def resource(self, *urls: str, **kwargs: t.Any) -> Callable[[R], R]:
        """Decorator form of :meth:`add_resource`.

        Example::

            @api.resource("/cats/<int:cat_id>")
            class Cat(Resource):
                ...
        """

        def decorator(cls: R) -> R:
            self.add_resource(cls, *urls, **kwargs)
            return cls

        return decorator

    def _resource_at(self, endpoint: str) -> type[View] | None:
        for registration in self.resources:
            if registration.endpoint == endpoint:
                return registration.resource
        return None

    def _register(
        self,
        app: Flask,
        setup_state: BlueprintSetupState | None,
        registration: _Registration,
    ) -> None:
        resource = registration.resource
        endpoint = registration.endpoint
        full_endpoint = _join_endpoint(_endpoint_prefix(setup_state), endpoint)
        blueprint_prefix = "" if setup_state is None else setup_state.url_prefix or ""
        existing = app.view_functions.get(full_endpoint)
        if existing is not None:
            if getattr(existing, "view_class", None) is not resource:
                raise ValueError(
                    f"This endpoint ({full_endpoint}) is already taken by another"
                    " view function."
                )
            view = existing
        else:
            view = self._make_view(registration)
        options = dict(registration.rule_options)
        options.setdefault("methods", getattr(view, "methods", None))
        for url in registration.urls:
            rule = self._complete_url(url, blueprint_prefix)
            if setup_state is None:
                app.add_url_rule(rule, endpoint, view, **options)
            else:
                # The rule already carries the blueprint prefix where
                # url_part_order puts it; stop Flask adding it again.
                saved_prefix = setup_state.url_prefix
                setup_state.url_prefix = None
                try:
                    setup_state.add_url_rule(rule, endpoint, view, **options)
                finally:
                    setup_state.url_prefix = saved_prefix
        t.cast(AppState, get_state(app)).endpoints[full_endpoint] = self

    def _complete_url(self, url: str, blueprint_prefix: str) -> str:
        parts = {"b": blueprint_prefix, "a": self.prefix, "e": url}
        return "".join(parts[key] for key in self.url_part_order if parts[key])

    def _make_view(self, registration: _Registration) -> AnyCallable:
        """Build the view function for a resource, once, at registration.

        The result carries what :meth:`flask.views.View.as_view` sets
        (``view_class``, ``methods``, ``provide_automatic_options``, the
        endpoint as ``__name__``, the class's ``__doc__`` and
        ``__module__``), whatever decorators wrap it.
        """
        resource = registration.resource
        endpoint = registration.endpoint
        if issubclass(resource, Resource):
            view = _resource_view(resource, registration.args, registration.kwargs)
            # MethodView's own `decorators` wrap the bare view, as in as_view.
            view.__name__ = endpoint
            view.__module__ = resource.__module__
            for decorator in resource.decorators:
                view = decorator(view)
        else:
            # Any other view class (a plain MethodView, say) builds its own
            # view function, as Flask-RESTful let it.
            view = resource.as_view(endpoint, *registration.args, **registration.kwargs)
        view = self.output(view)
        # Decided here, once: resources that opt into nothing keep the bare
        # view and pay nothing per request.
        settings = conditional.Conditional.of(resource, api_etag=self.etag)
        if settings is not None:
            conditional.record(resource, settings)
            class_args, class_kwargs = registration.args, registration.kwargs
            view = conditional.conditional_view(
                view,
                settings,
                instance=lambda: resource(*class_args, **class_kwargs),
                render=self._renderer(resource),
            )
        attributes = {
            "view_class": resource,
            "__name__": endpoint,
            "__doc__": resource.__doc__,
            "__module__": resource.__module__,
            "methods": resource.methods,
            "provide_automatic_options": resource.provide_automatic_options,
        }
        for name, value in attributes.items():
            setattr(view, name, value)
        for decorator in self.decorators:
            view = decorator(view)
        for name, value in attributes.items():
            if not hasattr(view, name):
                setattr(view, name, value)
        return view

    # -- OpenAPI -----------------------------------------------------------

    def openapi(self) -> dict[str, t.Any]:
        """The OpenAPI document of this Api on the current app, as a dict.

        Needs the ``openapi`` extra and an app context; raises
        :class:`~flask_resources.exceptions.OpenAPIError` naming what cannot
        be described.

        .. versionadded:: 0.1
        """
        document: dict[str, t.Any] = self.spec.to_dict()
        return document

    @property
    def spec(self) -> t.Any:
        """The :class:`apispec.APISpec` of this Api on the current app (or
        the app given to the constructor), built the first time it is asked
        for; add to it by hand and :meth:`openapi` includes the additions.
        Adding a resource starts a new one.

        .. versionadded:: 0.1
        """
        app = current_app._get_current_object() if has_app_context() else self.app  # type: ignore[attr-defined]
        if app is None:
            raise RuntimeError("Api.spec needs an app context or an app")
        spec = self._specs.get(app)
        if spec is None:
            from .openapi.spec import build

            with self._specs_lock:
                spec = self._specs.get(app)
                if spec is None:
                    spec = self._specs[app] = build(self, app)
        return spec

    def schema_name(self, name: str, fields: Mapping[t.Any, t.Any]) -> None:
        """Name a fields dict: wherever it describes a body, the document
        refers to ``#/components/schemas/<name>``.

        .. versionadded:: 0.1
        """
        self._schema_names[id(fields)] = (name, fields)
        self._forget_specs()

    def _forget_specs(self) -> None:
        """Drop the documents built so far: they are out of date."""
        if self._specs:
            with self._specs_lock:
                self._specs.clear()

    def schema_name_of(self, fields: Mapping[t.Any, t.Any]) -> str | None:
        """The name given to a fields dict with :meth:`schema_name`."""
        entry = self._schema_names.get(id(fields))
        return entry[0] if entry is not None and entry[1] is fields else None

    # -- responses ---------------------------------------------------------

    def output(self, view: AnyCallable) -> AnyCallable:
        """Wrap a view function so that what it returns is rendered by
        :meth:`make_response`; a ready response passes unchanged.

        :meth:`add_resource` wraps every resource with this; it also turns
        a plain Flask view into one answering like a resource.
        """
        make_response = self.make_response

        @wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> Response:
            try:
                rv = view(*args, **kwargs)
            except HTTPException as e:
                if e.code is not None:
                    raise
                # Flask sends an HTTP exception without a code back as is,
                # before any error handler sees it (an HTML "Unknown Error"
                # with status 200); give it to the Api instead.
                return self.handle_error(e)
            if isinstance(rv, Response):
                return rv
            data, code, headers = unpack(rv)
            return make_response(data, code, headers)

        return wrapper

    def paginate(self, *, cursor: bool = False, **settings: t.Any) -> Decorator:
        """:func:`~flask_resources.pagination.paginate` with this Api's
        :attr:`page_options` as the defaults::

            api = Api(app, page_options=PageOptions(per_page=50))

            class CatList(Resource):
                @api.paginate(max_per_page=200)
                def get(self):
                    ...

        :param cursor: page by signed cursor instead of page number.
        :param settings: :class:`~flask_resources.pagination.PageOptions`
            fields overriding the Api's.

        .. versionadded:: 0.1
        """
        from .pagination import paginate

        return paginate(cursor=cursor, options=self.page_options, **settings)

    @property
    def page_options(self) -> PageOptions:
        """The defaults of :meth:`paginate`. Pagination is loaded on first
        use, so an app that never paginates does not import it."""
        options = self._page_options
        if options is None:
            from .pagination import PageOptions

            # Two threads may both get here; both build the same frozen value.
            options = self._page_options = PageOptions()
        return options

    @page_options.setter
    def page_options(self, options: PageOptions) -> None:
        self._page_options = options

    def representation(
        self, mediatype: str
    ) -> Callable[[Representation], Representation]:
        """Register a representation for a media type.

        Example::

            @api.representation("application/xml")
            def output_xml(data, code, headers=None):
                ...
        """

        def wrapper(func: Representation) -> Representation:
            self.representations[mediatype] = func
            return func

        return wrapper

    def parser(self, mediatype: str) -> Callable[[Parser], Parser]:
        """Register a request body parser for a media type, as
        :meth:`representation` registers a representation.

        A parser is called as ``parser(body, mimetype, options)`` with the
        body's bytes, its media type and the ``Content-Type`` parameters
        (``charset``, ``boundary``); what it returns is what
        :func:`~flask_resources.parsers.parsed_body` gives. Raising
        :exc:`ValueError` answers 400 naming the media type. ``type/*`` and
        ``*/*`` register a parser for every type they match::

            @api.parser("text/csv")
            def parse_csv(body, mimetype, options):
                text = body.decode(options.get("charset", "utf-8"))
                return list(csv.DictReader(io.StringIO(text)))
        """

        def wrapper(func: Parser) -> Parser:
            self.parsers[mediatype.lower()] = func
            return func

        return wrapper

    def errorhandler(self, exc_class: type[BaseException]) -> Callable[[E], E]:
        """Register a function that turns an exception raised in this Api's
        routes into the HTTP error to answer with.

        The function gets the exception and returns an
        :class:`~werkzeug.exceptions.HTTPException` (such as one
        :func:`abort` would raise), which is then answered as if the route
        had raised it: in the Api's error format, with its headers. It may
        return ``None`` to leave the exception to the usual handling. A
        handler for a base class also takes its subclasses; the most
        specific one registered wins. When the answer is a 5xx, the original
        exception is logged and ``got_request_exception`` is sent for it, as
        for an unhandled one.

        Turn a lost database into a 503 that tells clients when to retry::

            from sqlalchemy.exc import OperationalError
            from werkzeug.exceptions import ServiceUnavailable

            @api.errorhandler(OperationalError)
            def database_unavailable(e):
                return ServiceUnavailable("The database is unavailable.", retry_after=5)

        Unlike Flask's own ``app.errorhandler``, the response stays the
        Api's: its representations, its ``errors`` mapping, its bodies.

        :param exc_class: the exception class to handle, with its subclasses.

        .. versionadded:: 0.1
        """

        def decorator(func: E) -> E:
            self.error_handlers[exc_class] = func
            return func

        return decorator

    def _translate_error(self, e: Exception) -> HTTPException | None:
        """The HTTP error the most specific :meth:`errorhandler` gives for ``e``."""
        handlers = self.error_handlers
        if not handlers:
            return None
        for cls in type(e).__mro__:
            handler = handlers.get(cls)
            if handler is not None:
                answer = handler(e)
                if answer is not None and not isinstance(answer, HTTPException):
                    name = getattr(handler, "__qualname__", repr(handler))
                    raise TypeError(
                        f"error handler {name} returned {type(answer).__name__},"
                        " not an HTTPException or None"
                    )
                if answer is not None:
                    answer.__cause__ = e
                return answer
        return None

    def make_response(
        self,
        data: t.Any,
        code: t.Any = 200,
        headers: HeadersValue | None = None,
        *,
        fallback_mediatype: str | None = None,
    ) -> Response:
        """Render ``data`` in the representation the client prefers.

        Raises :class:`~werkzeug.exceptions.NotAcceptable` when nothing
        matches and there is no default media type.
        """
        accept = current_request().environ.get("HTTP_ACCEPT")
        default = fallback_mediatype or self.default_mediatype
        # No Accept header means no preference: the default, unnegotiated.
        mediatype = best_match(accept, self._offered(), default) if accept else default
        if mediatype is None:
            raise NotAcceptable()
        if mediatype == HTML_MEDIATYPE and self.browsable_renderer is not None:
            # ?format=json
            mediatype = self.browsable_renderer.mediatype(mediatype)
        return self._render(mediatype, data, code, headers)

    def _offered(self) -> tuple[str, ...]:
        """The media types of :attr:`representations`, in order."""
        representations = self.representations
        if type(representations) is Representations:
            return representations.offered
        return tuple(representations)

    def _render(
        self, mediatype: str, data: t.Any, code: t.Any, headers: HeadersValue | None
    ) -> Response:
        representation = self.representations.get(mediatype)
        if representation is not None:
            resp = representation(data, code, headers)
            # output_json already sets exactly this header; skip the rewrite
            # on the hot path.
            if representation is not output_json or mediatype != JSON_MEDIATYPE:
                resp.headers["Content-Type"] = mediatype
            return resp
        if mediatype == "text/plain":
            resp = flask_make_response(str(data), code, headers or {})
            resp.headers["Content-Type"] = "text/plain"
            return resp
        raise InternalServerError()

    def _renderer(self, resource: type[View]) -> Callable[[t.Any], Response]:
        """Render a body as a resource's answer: in one of the resource's own
        representations when the client asks for one, as
        :meth:`Resource.dispatch_request` does, else in the Api's."""

        def render(data: t.Any) -> Response:
            own = getattr(resource, "representations", None)
            if own:
                resp = render_own(own, data)
                if resp is not None:
                    return resp
            return self.make_response(data, 200)

        return render

    def mediatypes(self) -> list[str]:
        """The media types the client accepts, most wanted first."""
        return accept_mediatypes(request.environ.get("HTTP_ACCEPT"))

    def mediatypes_method(self) -> Callable[[t.Any], list[str]]:
        """Return the ``mediatypes`` method given to registered resources:
        the client's media types, most wanted first, then the Api's
        default."""

        def mediatypes(resource: t.Any) -> list[str]:
            accepted = self.mediatypes()
            if self.default_mediatype is not None:
                accepted.append(self.default_mediatype)
            return accepted

        return mediatypes

    def url_for(self, resource: type[View], **values: t.Any) -> str:
        """Build the URL of a resource, as :func:`flask.url_for` does for an
        endpoint.

        On a blueprint registered several times (under other names, or
        nested in another blueprint), the URL is the one of the current
        request's registration when it is one of them, else of the first.
        """
        endpoint = self._endpoint_of.get(resource) or resource.__name__.lower()
        prefixes = self._endpoint_prefixes()
        prefix = prefixes[0]
        if len(prefixes) > 1 and has_request_context():
            current = request.blueprint
            if current in prefixes:
                prefix = current
        return flask_url_for(_join_endpoint(prefix, endpoint), **values)

    def owns_endpoint(self, endpoint: str) -> bool:
        """Whether ``endpoint`` (blueprint prefix included, as Flask names
        it) is one of this Api's."""
        for prefix in self._endpoint_prefixes():
            if not prefix:
                name = endpoint
            elif endpoint.startswith(f"{prefix}."):
                name = endpoint[len(prefix) + 1 :]
            else:
                continue
            if name in self.endpoints:
                return True
        return False

    def _endpoint_prefixes(self) -> list[str]:
        """The prefixes Flask gives this Api's endpoints on the current app:
        ``""`` on the app itself, the dotted name of each registration of
        the blueprint (``"parent.child"`` when nested)."""
        setup_states = None
        if has_app_context():
            app = current_app._get_current_object()  # type: ignore[attr-defined]
            setup_states = self._bound.get(app)
        if setup_states:
            return list(dict.fromkeys(map(_endpoint_prefix, setup_states)))
        return [self.blueprint.name if self.blueprint is not None else ""]

    # -- errors ------------------------------------------------------------

    def handle_error(self, e: Exception) -> Response:
        """Answer an exception raised in one of this Api's routes with JSON.

        With ``RESOURCES_ERROR_FORMAT = "problem"`` the body is an RFC 9457
        problem object (see :func:`~flask_resources.errors.problem_details`),
        served as ``application/problem+json`` where it would be JSON.

        Override it to change every error response of the Api. Outside
        debug and testing, an unhandled exception is logged and answered
        with a generic 500; with ``PROPAGATE_EXCEPTIONS`` it is re-raised,
        as Flask does, unless :attr:`errors` names its class or an
        :meth:`errorhandler` answers it.
        """
        app = current_flask_app()
        cause = e
        answer = self._translate_error(e)
        if answer is not None:
            e = answer
        custom = self.errors.get(type(e).__name__)
        if not isinstance(e, HTTPException):
            if custom is None and _propagate_exceptions(app):
                if sys.exc_info()[1] is e:
                    raise
                raise e
            got_request_exception.send(app, exception=e)
        elif e.response is not None:
            return e.get_response()

        data, code, headers = errors.describe(e, trusted=custom is not None)
        if code >= 500 and cause is not e and not isinstance(cause, HTTPException):
            # What the errorhandler answered for is what went wrong.
            got_request_exception.send(app, exception=cause)
        if code >= 500 and custom is None:
            app.log_exception(
                (type(cause), cause, t.cast(TracebackType, cause.__traceback__))
            )
        if custom is not None:
            data = {**data, **custom} if isinstance(data, dict) else dict(custom)
            code = custom.get("status", 500)
        if (
            code == 404
            and isinstance(data, dict)
            and app.config.get("ERROR_404_HELP", False)
        ):
            message = data.get("message")
            if message is None or isinstance(message, str):
                data["message"] = errors.help_on_404(message)

        problem = errors.problem_format()
        if problem:
            data = errors.problem_details(data, code)
        resp = self._render(self._error_mediatype(), data, code, headers)
        if problem and resp.mimetype == JSON_MEDIATYPE:
            resp.headers["Content-Type"] = errors.PROBLEM_MEDIATYPE
        if resp.status_code == 401:
            resp = self.unauthorized(resp)
        return resp

    def _error_mediatype(self) -> str:
        """The media type to render an error in: what the client asked for
        when the Api can render it, else the first representation; an
        error is always rendered, never turned into another error."""
        representations = self.representations
        mediatype = best_match(
            current_request().environ.get("HTTP_ACCEPT"),
            self._offered(),
            self.default_mediatype,
        )
        if mediatype == HTML_MEDIATYPE and self.browsable_renderer is not None:
            mediatype = self.browsable_renderer.mediatype(mediatype)
        if mediatype in representations or mediatype == "text/plain":
            return mediatype
        return next(iter(representations), "text/plain")

    def unauthorized(self, response: Response) -> Response:
        """Add a Basic challenge to a 401 response when the Api serves one
        and the response has no challenge of its own."""
        if self.serve_challenge_on_401 and "WWW-Authenticate" not in response.headers:
            realm = current_app.config.get("HTTP_BASIC_AUTH_REALM", "flask-restful")
            response.headers["WWW-Authenticate"] = f'Basic realm="{realm}"'
        return response


def _endpoint_prefix(setup_state: BlueprintSetupState | None) -> str:
    """The prefix Flask puts before the endpoints of one registration of a
    blueprint, as :meth:`BlueprintSetupState.add_url_rule
    <flask.sansio.blueprints.BlueprintSetupState.add_url_rule>` builds it."""
    if setup_state is None:
        return ""
    return f"{setup_state.name_prefix}.{setup_state.name}".lstrip(".")


def _join_endpoint(prefix: str, endpoint: str) -> str:
    return f"{prefix}.{endpoint}" if prefix else endpoint


def _resource_view(
    resource: type[Resource],
    class_args: tuple[t.Any, ...],
    class_kwargs: Mapping[str, t.Any],
) -> AnyCallable:
    """The bare view of a :class:`Resource`: :meth:`View.as_view
    <flask.views.View.as_view>`'s, without its per-request
    ``ensure_sync``, since :meth:`Resource.dispatch_request` runs async
    verbs itself."""
    if resource.init_every_request:

        def view(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return resource(*class_args, **class_kwargs).dispatch_request(
                *args, **kwargs
            )

    else:
        dispatch = resource(*class_args, **class_kwargs).dispatch_request

        def view(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return dispatch(*args, **kwargs)

    return view


def _propagate_exceptions(app: Flask) -> bool:
    """Whether Flask would re-raise an unhandled exception, as it decides in
    :meth:`flask.Flask.handle_exception`."""
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:
        return bool(app.testing or app.debug)
    return bool(propagate)
