"""Flask-RESTX's ``Namespace``: a group of resources, models and error
handlers under one path, added to one or more Apis."""

from __future__ import annotations

import logging
import typing as t
import warnings
from collections.abc import Callable, Iterable, Mapping

from ._doc import DocMixin
from .errors import abort
from .resource import request_payload

if t.TYPE_CHECKING:
    from ..typing import Decorator
    from .api import Api

__all__ = ["Namespace", "ResourceRoute"]

C = t.TypeVar("C", bound=type)


class ResourceRoute(t.NamedTuple):
    """One :meth:`Namespace.add_resource` (or ``route``) of a namespace."""

    #: The resource class.
    resource: t.Any
    #: Its URLs, relative to the namespace's path.
    urls: tuple[str, ...]
    #: What ``route(..., doc=...)`` said for this route only: a dict of
    #: documentation, ``False`` to hide it, ``{}`` when nothing.
    route_doc: t.Any
    #: The other keyword arguments: ``endpoint``, ``resource_class_args``,
    #: ``resource_class_kwargs`` and rule options for Flask.
    kwargs: Mapping[str, t.Any]


class Namespace(DocMixin):
    """A group of resources, as a :class:`~flask.Blueprint` is a group of
    views: its resources live under its :attr:`path`, are tagged with its
    :attr:`name` in the OpenAPI document, and share its decorators,
    models and error handlers::

        ns = Namespace("cats", description="Cats and their owners")

        @ns.route("/<int:cat_id>")
        class Cat(Resource):
            def get(self, cat_id):
                ...

        api.add_namespace(ns)  # under /cats

    :param name: the name, also the tag of its resources.
    :param description: the tag's description.
    :param path: the URL prefix; ``/<name>`` by default.
    :param decorators: applied to the view of every resource, inside the
        Api's.
    :param validate: validate payloads against the models ``expect``
        names; ``None`` leaves it to the Api.
    :param authorizations: security schemes, as Flask-RESTX takes them.
    :param ordered: build :class:`~flask_resources.restx.OrderedModel`
        models with :meth:`model`.
    :param kwargs: ``api``: an Api this namespace already belongs to.
    """

    def __init__(
        self,
        name: str,
        description: str | None = None,
        path: str | None = None,
        decorators: Iterable[Decorator] | None = None,
        validate: bool | None = None,
        authorizations: Mapping[str, t.Any] | None = None,
        ordered: bool = False,
        **kwargs: t.Any,
    ) -> None:
        self.name = name
        self.description = description
        self._path = path
        self.validate = validate
        #: Model name -> model, of every model made or added here.
        self.models: dict[str, t.Any] = {}
        self.urls: dict[str, str] = {}
        self.decorators: list[Decorator] = list(decorators or ())
        #: Every route added, in order.
        self.resources: list[ResourceRoute] = []
        #: Exception class -> handler, as :meth:`errorhandler` registers them.
        self.error_handlers: dict[type[BaseException], Callable[[t.Any], t.Any]] = {}
        self.default_error_handler: Callable[[t.Any], t.Any] | None = None
        self.authorizations = authorizations
        self.ordered = ordered
        #: The Apis this namespace is added to.
        self.apis: list[Api] = []
        api = kwargs.get("api")
        if api is not None:
            self.apis.append(api)
        #: A logger of its own, named as Flask-RESTX names it
        #: (``flask_restx.namespace.<name>``); an Api gives it the app
        #: logger's handlers and level when the namespace is added.
        self.logger = logging.getLogger(f"flask_restx.namespace.{name}")

    @property
    def _validate(self) -> bool | None:
        # What Flask-RESTX code (and expect) reads.
        return self.validate

    @property
    def path(self) -> str:
        """The URL prefix of this namespace's resources, without a trailing
        slash (``""`` for ``/``)."""
        return (self._path or f"/{self.name}").rstrip("/")

    # -- resources ---------------------------------------------------------

    def add_resource(self, resource: t.Any, *urls: str, **kwargs: t.Any) -> None:
        """Route URLs of this namespace to a resource, on every Api it is
        added to (now and later).

        :param resource: the :class:`~flask_resources.restx.Resource` class.
        :param urls: URL rules, relative to :attr:`path`.
        :param kwargs: ``endpoint`` (default: the namespace's name and the
            class name, as Flask-RESTX makes it), ``resource_class_args``,
            ``resource_class_kwargs``; the rest goes to
            :meth:`flask.Flask.add_url_rule`.
        """
        route_doc = kwargs.pop("route_doc", {})
        route = ResourceRoute(resource, tuple(urls), route_doc, kwargs)
        self.resources.append(route)
        for api in self.apis:
            api.register_route(self, route)

    def route(self, *urls: str, **kwargs: t.Any) -> Callable[[C], C]:
        """Decorator form of :meth:`add_resource`; ``doc=`` documents this
        route only (``doc=False`` leaves it out of the document)::

            @ns.route("/<int:cat_id>", doc={"params": {"cat_id": "An id"}})
            class Cat(Resource):
                ...
        """

        def wrapper(cls: C) -> C:
            options = dict(kwargs)
            doc = options.pop("doc", None)
            if doc is not None:
                options["route_doc"] = doc
            self.add_resource(cls, *urls, **options)
            return cls

        return wrapper

    # -- errors ------------------------------------------------------------

    def abort(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        """:func:`~flask_resources.restx.abort`."""
        abort(*args, **kwargs)

    def errorhandler(self, exception: t.Any) -> t.Any:
        """Register a handler for an exception class (and its subclasses)
        raised in any route of an Api this namespace is added to::

            @ns.errorhandler(KeyError)
            def no_such_thing(error):
                return {"message": f"No such thing: {error}"}, 404

        The handler returns a body, ``(body, status)`` or ``(body, status,
        headers)``; the status defaults to 500. Used without an exception
        class, it stores the function as :attr:`default_error_handler`,
        which, as in Flask-RESTX, the Api does not call: use the Api's.
        """
        if isinstance(exception, type) and issubclass(exception, Exception):
            exc_class = exception

            def wrapper(func: Callable[[t.Any], t.Any]) -> Callable[[t.Any], t.Any]:
                self.error_handlers[exc_class] = func
                return func

            return wrapper
        self.default_error_handler = exception
        return exception

    # -- models ------------------------------------------------------------

    def add_model(self, name: str, definition: t.Any) -> t.Any:
        """Register a model by name, here and on every Api of this namespace."""
        self.models[name] = definition
        for api in self.apis:
            api.models[name] = definition
        return definition

    def model(
        self,
        name: str | None = None,
        model: Mapping[str, t.Any] | None = None,
        mask: t.Any = None,
        strict: bool = False,
        **kwargs: t.Any,
    ) -> t.Any:
        """Make and register a :class:`~flask_resources.restx.Model` (an
        :class:`~flask_resources.restx.OrderedModel` when the namespace is
        ``ordered``).

        :param name: the model's name, its schema's name in the document.
        :param model: field name -> field.
        :param mask: a default mask.
        :param strict: refuse payloads with properties the model lacks.
        :param kwargs: documentation for the model.
        """
        from .model import Model, OrderedModel

        cls = OrderedModel if self.ordered else Model
        made = cls(t.cast(str, name), model, mask=mask, strict=strict)
        if kwargs:
            made.__apidoc__.update(kwargs)
        return self.add_model(t.cast(str, name), made)

    def schema_model(
        self, name: str | None = None, schema: Mapping[str, t.Any] | None = None
    ) -> t.Any:
        """Make and register a :class:`~flask_resources.restx.SchemaModel`
        from a JSON Schema."""
        from .model import SchemaModel

        return self.add_model(t.cast(str, name), SchemaModel(t.cast(str, name), schema))

    def extend(self, name: str, parent: t.Any, fields: Mapping[str, t.Any]) -> t.Any:
        """Register a model with the fields of ``parent`` (a model, or a list
        of them) and ``fields``: :meth:`clone`, by the name Flask-RESTX
        deprecated in 0.9.

        .. deprecated:: 0.1
            Use :meth:`clone`; it will be removed in flask-resources 1.0.
        """
        warnings.warn(
            "Namespace.extend is deprecated and will be removed in"
            " flask-resources 1.0; use Namespace.clone",
            DeprecationWarning,
            stacklevel=2,
        )
        parents = parent if isinstance(parent, list) else [parent]
        return self.clone(name, *parents, fields)

    def clone(self, name: str, *specs: t.Any) -> t.Any:
        """Register a model with a copy of the fields of ``specs``."""
        from .model import Model

        return self.add_model(name, Model.clone(name, *specs))

    def inherit(self, name: str, *specs: t.Any) -> t.Any:
        """Register a model inheriting ``specs`` (``allOf`` in the document)."""
        from .model import Model

        return self.add_model(name, Model.inherit(name, *specs))

    def parser(self) -> t.Any:
        """A new :class:`~flask_resources.restx.reqparse.RequestParser`."""
        # Loaded on first use, as the package loads it.
        from .reqparse import RequestParser

        return RequestParser()

    def marshal(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """:func:`~flask_resources.restx.marshal`."""
        from .marshalling import marshal

        return marshal(*args, **kwargs)

    @property
    def payload(self) -> t.Any:
        """The request's JSON body (see
        :func:`~flask_resources.restx.resource.request_payload`)."""
        return request_payload()
