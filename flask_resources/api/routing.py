"""Binding an Api to apps and blueprints, and routing URLs to its resources."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterable, Mapping

from flask import (
    Blueprint,
    Flask,
    current_app,
    has_app_context,
    has_request_context,
    request,
)
from flask import url_for as flask_url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.views import View

from .. import conditional, errors
from .._state import AppState, create_state, get_state
from ..negotiation import HTML_MEDIATYPE
from ..resource import Resource, check_async_support
from ..typing import AnyCallable, Decorator
from .base import ApiBase
from .responses import check_response

if t.TYPE_CHECKING:
    from ..browsable import BrowsableAPI
    from .core import Api


R = t.TypeVar("R", bound=type[View])


class _Registration(t.NamedTuple):
    resource: type[View]
    urls: tuple[str, ...]
    endpoint: str
    args: tuple[t.Any, ...]
    kwargs: Mapping[str, t.Any]
    rule_options: Mapping[str, t.Any]


class RoutingMixin(ApiBase):
    """The part of :class:`~flask_resources.Api` that binds it to apps and
    blueprints, registers its resources and builds their URLs."""

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
            app.after_request(check_response)
        if self.validate_responses or (
            self.validate_responses is None
            and app.config.get("RESOURCES_VALIDATE_RESPONSES")
        ):
            # Asked for explicitly: without its packages, say so now.
            from ..validation import missing_extra

            missing = missing_extra()
            if missing is not None:
                raise ImportError(missing)
        if self not in state.apis:
            state.apis.append(t.cast("Api", self))
        self._bound.setdefault(app, []).append(setup_state)
        for registration in self.resources:
            self._register(app, setup_state, registration)
        openapi_url = self.openapi_url or app.config.get("RESOURCES_OPENAPI_URL")
        docs_url = self.docs_url or app.config.get("RESOURCES_DOCS_URL")
        if openapi_url or docs_url:
            # Only Apis that serve a document need the optional layer.
            from ..openapi import views

            prefix = "" if setup_state is None else setup_state.url_prefix or ""
            docs_url = docs_url and self._complete_url(docs_url, prefix)
            views.register(
                t.cast("Api", self),
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
        from ..browsable import BrowsableAPI

        renderer = self.browsable_renderer = BrowsableAPI(t.cast("Api", self))
        # A text/html representation of the app's own wins.
        self.representations.setdefault(HTML_MEDIATYPE, renderer.render)

    def _bind_browsable(
        self,
        app: Flask,
        setup_state: BlueprintSetupState | None,
        *,
        docs_url: str | None,
    ) -> None:
        from ..browsable import ROOT_RULE, ApiRoot
        from ..browsable.root import add_converter

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
        if isinstance(resource, View):
            # Flask-RESTful accepted an instance (as_view is a classmethod)
            # and served its class.
            resource = type(resource)
        if not callable(getattr(resource, "as_view", None)):
            raise TypeError(
                "add_resource() needs a Resource or another view class with"
                f" as_view, not {resource!r}"
            )
        # Anything else with an as_view is taken as it is, as Flask-RESTful
        # took it (duck typing: a test double, a view factory object).
        if isinstance(resource, type):
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
        t.cast(AppState, get_state(app)).endpoints[full_endpoint] = t.cast("Api", self)

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
        if not isinstance(resource, type):
            # Duck-typed (see add_resource): its as_view says it all.
            view = resource.as_view(endpoint, *registration.args, **registration.kwargs)
            view = self.output(view)
            for decorator in self.view_decorators(endpoint):
                view = decorator(view)
            return view
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
        for decorator in self.view_decorators(endpoint):
            view = decorator(view)
        for name, value in attributes.items():
            if not hasattr(view, name):
                setattr(view, name, value)
        return view

    def view_decorators(self, endpoint: str) -> Iterable[Decorator]:
        """The decorators wrapping the view function of the resource at
        ``endpoint`` (without blueprint prefix), innermost first, applied
        once when the view is built: the Api's :attr:`decorators`.

        Override it to give some resources more, as
        :class:`flask_resources.restx.Api` adds each namespace's.

        .. versionadded:: 0.1
        """
        return self.decorators

    # -- URLs --------------------------------------------------------------

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
