"""Rendering an Api's answers in the representation the client asks for."""

from __future__ import annotations

import typing as t
from collections.abc import Callable
from functools import cache, wraps

from flask import Flask, request
from flask import make_response as flask_make_response
from flask.views import View
from werkzeug.exceptions import HTTPException, InternalServerError, NotAcceptable
from werkzeug.wrappers import Response

from .._state import get_state
from .._utils import RENDERED_KEY, current_flask_app, current_request, unpack
from ..negotiation import HTML_MEDIATYPE, JSON_MEDIATYPE, best_match
from ..negotiation import mediatypes as accept_mediatypes
from ..representations import Representations, output_json
from ..resource import render_own
from ..typing import AnyCallable, Decorator, HeadersValue, Parser, Representation
from .base import ApiBase

if t.TYPE_CHECKING:
    from ..pagination import PageOptions


class ResponseMixin(ApiBase):
    """The part of :class:`~flask_resources.Api` that holds its
    representations and request body parsers, renders its answers and
    pages them."""

    #: The representations that write what they are given as JSON and
    #: nothing else: response validation can check the structure they
    #: rendered instead of parsing the body back. A subclass whose JSON
    #: representation is another such function lists it here.
    json_representations: t.ClassVar[tuple[Representation, ...]] = (output_json,)

    def validates_responses(self, app: Flask) -> bool:
        """Whether this Api checks its responses on ``app`` against its
        OpenAPI document (see :doc:`/guide/testing`): the
        ``validate_responses`` argument, else the
        ``RESOURCES_VALIDATE_RESPONSES`` config key, else ``app.testing``
        when the ``validation`` extra is installed.

        .. versionadded:: 0.2
        """
        setting = self.validate_responses
        if setting is None:
            setting = app.config.get("RESOURCES_VALIDATE_RESPONSES")
        if setting is None:
            return app.testing and _validation_installed()
        return bool(setting)

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
        from ..pagination import paginate

        return paginate(cursor=cursor, options=self.page_options, **settings)

    @property
    def page_options(self) -> PageOptions:
        """The defaults of :meth:`paginate`. Pagination is loaded on first
        use, so an app that never paginates does not import it."""
        options = self._page_options
        if options is None:
            from ..pagination import PageOptions

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
            if mediatype == JSON_MEDIATYPE and (
                representation is output_json
                or representation in self.json_representations
            ):
                if representation is not output_json:
                    resp.headers["Content-Type"] = mediatype
                # Response validation checks the structure before its body
                # is parsed again (issue 22); one dict entry for the request.
                current_request().environ[RENDERED_KEY] = (resp, resp.response, data)
            else:
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


def check_response(response: Response) -> Response:
    """The ``after_request`` function an app with an Api runs: a response
    of a resource whose Api validates responses is checked against the
    Api's OpenAPI document (:func:`flask_resources.validation.check_response`)."""
    # Runs after every request of the app: the request and the app are
    # unwrapped once, not read through Flask's proxies (issue 27).
    rule = current_request().url_rule
    if rule is None:
        return response
    app = current_flask_app()
    state = get_state(app)
    api = state.endpoints.get(t.cast(str, rule.endpoint)) if state else None
    if api is None or not api.validates_responses(app):
        return response
    # Loaded only by apps that check responses.
    from ..validation import check_response as check

    return check(api, app, rule, response)


@cache
def _validation_installed() -> bool:
    from ..validation import missing_extra

    return missing_extra() is None
