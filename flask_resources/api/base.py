"""``ApiBase``: what the parts of :class:`~flask_resources.Api` share."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    import threading
    import weakref
    from collections.abc import Callable, Mapping

    from flask import Blueprint, Flask
    from flask.sansio.blueprints import BlueprintSetupState
    from flask.views import View
    from werkzeug.wrappers import Response

    from ..browsable import BrowsableAPI
    from ..operations import Operation
    from ..pagination import PageOptions
    from ..typing import AnyCallable, Decorator, HeadersValue, Parser, Representation
    from .errorhandling import ErrorTranslator
    from .routing import _Registration


class ApiBase:
    """The base of the parts :class:`~flask_resources.Api` is assembled from
    (:mod:`~flask_resources.api.routing`, :mod:`~flask_resources.api.responses`,
    :mod:`~flask_resources.api.errorhandling`, :mod:`~flask_resources.api.spec`),
    as Flask builds its app on ``Scaffold``.

    It holds nothing at run time: it declares, for type checkers, the
    attributes the :class:`~flask_resources.Api` constructor sets
    (documented there) and the methods one part calls on another.
    """

    if t.TYPE_CHECKING:
        representations: dict[str, Representation]
        parsers: dict[str, Parser]
        urls: dict[str, str]
        prefix: str
        default_mediatype: str | None
        decorators: list[Decorator]
        serve_challenge_on_401: bool
        url_part_order: str
        errors: dict[str, Mapping[str, t.Any]]
        error_handlers: dict[type[BaseException], ErrorTranslator]
        etag: bool
        _page_options: PageOptions | None
        openapi_url: str | None
        docs_url: str | None
        _schema_names: dict[int, tuple[str, Mapping[t.Any, t.Any]]]
        _tag_descriptions: dict[str, tuple[str | None, bool]]
        _endpoint_records: dict[str, Operation]
        _specs: weakref.WeakKeyDictionary[Flask, t.Any]
        _specs_lock: threading.Lock
        browsable: bool | None
        validate_responses: bool | None
        browsable_renderer: BrowsableAPI | None
        _root_endpoints: weakref.WeakKeyDictionary[Flask, str]
        endpoints: set[str]
        resources: list[_Registration]
        app: Flask | None
        blueprint: Blueprint | None
        _endpoint_of: dict[type[View], str]
        _bound: weakref.WeakKeyDictionary[Flask, list[BlueprintSetupState | None]]

        # Defined by one part, called by another.
        def output(self, view: AnyCallable) -> AnyCallable: ...
        def mediatypes_method(self) -> Callable[[t.Any], list[str]]: ...
        def _renderer(self, resource: type[View]) -> Callable[[t.Any], Response]: ...
        def _offered(self) -> tuple[str, ...]: ...
        def _render(
            self,
            mediatype: str,
            data: t.Any,
            code: t.Any,
            headers: HeadersValue | None,
        ) -> Response: ...
        def make_response(
            self,
            data: t.Any,
            code: t.Any = 200,
            headers: HeadersValue | None = None,
            *,
            fallback_mediatype: str | None = None,
        ) -> Response: ...
        def handle_error(self, e: Exception) -> Response: ...
        def _forget_specs(self) -> None: ...
