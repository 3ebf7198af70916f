"""``Api``: binds resources to Flask apps and blueprints."""

from __future__ import annotations

import sys
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

from . import errors
from ._state import AppState, create_state, get_state
from ._utils import current_flask_app, current_request, unpack
from .negotiation import JSON_MEDIATYPE, best_match
from .negotiation import mediatypes as accept_mediatypes
from .representations import DEFAULT_REPRESENTATIONS, Representations, output_json
from .resource import Resource, check_async_support
from .typing import AnyCallable, Decorator, HeadersValue, Representation

R = t.TypeVar("R", bound=type[View])

_URL_PART_KEYS = frozenset("bae")


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
        self.urls: dict[str, str] = {}
        self.prefix = prefix
        self.default_mediatype = default_mediatype
        self.decorators: list[Decorator] = list(decorators or ())
        self.catch_all_404s = catch_all_404s
        self.serve_challenge_on_401 = serve_challenge_on_401
        self.url_part_order = url_part_order
        self.errors: dict[str, Mapping[str, t.Any]] = dict(errors or {})
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

        Override it to change every error response of the Api. Outside
        debug and testing, an unhandled exception is logged and answered
        with a generic 500; with ``PROPAGATE_EXCEPTIONS`` it is re-raised,
        as Flask does, unless :attr:`errors` names its class.
        """
        app = current_flask_app()
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
        if code >= 500 and custom is None:
            app.log_exception((type(e), e, t.cast(TracebackType, e.__traceback__)))
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

        resp = self._render(self._error_mediatype(), data, code, headers)
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
