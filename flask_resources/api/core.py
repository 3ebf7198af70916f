"""``Api``: its settings, on top of the parts of this package."""

from __future__ import annotations

import threading
import typing as t
import weakref
from collections.abc import Iterable, Mapping

from flask import Blueprint, Flask
from flask.sansio.blueprints import BlueprintSetupState
from flask.views import View

from ..negotiation import JSON_MEDIATYPE
from ..parsers import DEFAULT_PARSERS
from ..representations import DEFAULT_REPRESENTATIONS, Representations
from ..typing import Decorator, Parser, Representation
from .errorhandling import ErrorMixin, ErrorTranslator
from .responses import ResponseMixin
from .routing import RoutingMixin, _Registration
from .spec import SpecMixin

if t.TYPE_CHECKING:
    from ..browsable import BrowsableAPI
    from ..operations import Operation
    from ..pagination import PageOptions


_URL_PART_KEYS = frozenset("bae")


class Api(RoutingMixin, ResponseMixin, ErrorMixin, SpecMixin):
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
    :param validate_responses: check every response of the Api's resources
        against the JSON Schema its OpenAPI document gives it (see
        :doc:`/guide/contract`); ``None`` leaves it to the
        ``RESOURCES_VALIDATE_RESPONSES`` config key, then to ``app.testing``.
        Needs the ``validation`` extra.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
        ``validate_responses``.
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
        validate_responses: bool | None = None,
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
        # Tags described for the document, and records of single routes.
        self._tag_descriptions: dict[str, tuple[str | None, bool]] = {}
        self._endpoint_records: dict[str, Operation] = {}
        self._specs: weakref.WeakKeyDictionary[Flask, t.Any] = (
            weakref.WeakKeyDictionary()
        )
        self._specs_lock = threading.Lock()
        self.browsable = browsable
        #: Whether responses are checked against the document; ``None``
        #: leaves it to the app (see :meth:`validates_responses`).
        self.validate_responses = validate_responses
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
