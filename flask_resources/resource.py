"""``Resource``: a :class:`~flask.views.MethodView` whose verbs return data."""

from __future__ import annotations

import inspect
import typing as t
from collections.abc import Mapping

from flask.views import MethodView, View, http_method_funcs
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.wrappers import Response

from ._utils import current_flask_app, current_request, unpack
from .exceptions import FlaskResourcesError
from .negotiation import best_match
from .typing import Decorator, Parser, Representation

if t.TYPE_CHECKING:
    from .conditional import VerbCheck

#: The verbs a ``current_etag``/``last_modified`` hook guards, in lower
#: case: :data:`flask_resources.conditional.WRITE_METHODS`.
WRITE_VERBS = frozenset({"put", "patch", "delete"})


class Resource(MethodView):
    """A REST resource: define ``get``, ``post``, ``put``, ``patch``,
    ``delete`` (plain or ``async def``) and register the class with
    :meth:`Api.add_resource <flask_resources.Api.add_resource>`.

    A verb returns a body (anything the representation can serialise),
    ``(body, status)``, ``(body, status, headers)`` or a ready
    :class:`~werkzeug.wrappers.Response`::

        class Cat(Resource):
            def get(self, cat_id):
                return {"id": cat_id, "name": "Tom"}

            def delete(self, cat_id):
                return "", 204

    .. versionadded:: 0.1
    """

    #: Media type -> representation for this resource only; it wins over
    #: the Api's when the client's ``Accept`` header asks for one of them.
    representations: t.ClassVar[Mapping[str, Representation] | None] = None

    #: Media type -> request body parser for this resource only: when set,
    #: these are the media types its bodies may have, instead of the Api's
    #: (extend with ``{**DEFAULT_PARSERS, "text/csv": parse_csv}``).
    parsers: t.ClassVar[Mapping[str, Parser] | None] = None

    #: Decorators applied to every verb method, or a mapping from a lower
    #: case verb (``"get"``) to the decorators for that verb only.
    method_decorators: t.ClassVar[
        t.Sequence[Decorator] | Mapping[str, t.Sequence[Decorator]]
    ] = []

    #: ``True`` gives GET and HEAD answers an ``ETag`` computed from the
    #: representation sent, and answers a matching ``If-None-Match`` with
    #: 304; ``None`` follows the Api's ``etag`` option. Define a
    #: ``current_etag(self, *args, **kwargs)`` method (the URL variables, as
    #: the verbs get them) returning the item's current ETag, or ``None``
    #: when there is none, to have ``If-Match`` checked before PUT, PATCH and
    #: DELETE (412 on a mismatch), and a ``last_modified`` method returning a
    #: :class:`~datetime.datetime` for ``Last-Modified``. See
    #: :mod:`flask_resources.conditional`.
    etag: t.ClassVar[bool | None] = None

    #: Answer 428 to PUT, PATCH and DELETE without ``If-Match``; needs a
    #: ``current_etag`` method.
    require_if_match: t.ClassVar[bool] = False

    #: Lower case names of the verbs defined with ``async def``; filled in
    #: for each subclass when it is defined.
    _async_verbs: t.ClassVar[frozenset[str]] = frozenset()

    #: Wraps PUT, PATCH and DELETE with the preconditions of the class's
    #: ``current_etag``/``last_modified`` hooks; filled in for each subclass
    #: when it is defined, ``None`` when it has neither.
    _verb_check: t.ClassVar[VerbCheck | None] = None

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        parsers = cls.__dict__.get("parsers")
        if parsers is not None:
            # Media types are matched in lower case, as Werkzeug gives them.
            cls.parsers = {key.lower(): value for key, value in parsers.items()}
        cls._async_verbs = async_verbs(cls)
        cls._verb_check = _verb_check(cls)

    def dispatch_request(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Call the method for the request's verb and return what it returns.

        When this resource has its own :attr:`representations` and the
        client asks for one of them, the result is rendered here; otherwise
        the :class:`~flask_resources.Api` renders it.
        """
        req = current_request()
        verb = req.method.lower()
        meth = getattr(self, verb, None)
        if meth is None and verb == "head":
            verb = "get"
            meth = getattr(self, "get", None)
        if meth is None:
            # Only reachable when the rule was given methods the class lacks.
            raise MethodNotAllowed(valid_methods=sorted(self.methods or ()))

        check = type(self)._verb_check
        if check is not None and verb in WRITE_VERBS:
            # Innermost: method_decorators (authentication) answer first.
            meth = check(self, meth)

        decorators = self.method_decorators
        if decorators:
            if isinstance(decorators, Mapping):
                decorators = decorators.get(verb, ())
            for decorator in decorators:
                meth = decorator(meth)
            meth = current_flask_app().ensure_sync(meth)
        elif verb in self._async_verbs:
            meth = current_flask_app().async_to_sync(meth)

        rv = meth(*args, **kwargs)
        if isinstance(rv, Response):
            return rv

        representations = self.representations
        if representations:
            resp = render_own(representations, rv)
            if resp is not None:
                return resp
        return rv


def render_own(
    representations: Mapping[str, Representation], rv: t.Any
) -> Response | None:
    """Render a verb's return value in one of a resource's own
    representations, if the client's ``Accept`` header asks for one."""
    mediatype = best_match(
        current_request().environ.get("HTTP_ACCEPT"), tuple(representations), None
    )
    if mediatype is None:
        return None
    data, code, headers = unpack(rv)
    resp: Response = representations[mediatype](data, code, headers)
    resp.headers["Content-Type"] = mediatype
    return resp


def _verb_check(cls: type[t.Any]) -> VerbCheck | None:
    """:func:`flask_resources.conditional.verb_check` for a class with a
    precondition hook; the module is loaded only then (issue 24)."""
    for hook in ("current_etag", "last_modified"):
        if callable(getattr(cls, hook, None)):
            from .conditional import verb_check

            return verb_check(cls)
    return None


def async_verbs(view_class: type[View]) -> frozenset[str]:
    """The lower case names of the verbs a view class defines with
    ``async def``, among Flask's :data:`~flask.views.http_method_funcs`."""
    return frozenset(
        name
        for name in http_method_funcs
        if inspect.iscoroutinefunction(getattr(view_class, name, None))
    )


def check_async_support(view_class: type[View]) -> None:
    """Fail at registration, not at the first request, when a view class
    has ``async def`` verbs and asgiref (the ``async`` extra) is missing."""
    verbs = async_verbs(view_class)
    if inspect.iscoroutinefunction(getattr(view_class, "dispatch_request", None)):
        verbs |= {"dispatch_request"}
    if not verbs:
        return
    try:
        import asgiref.sync  # noqa: F401
    except ImportError:
        raise FlaskResourcesError(
            f"{view_class.__name__} defines async methods"
            f" ({', '.join(sorted(verbs))}), which need the"
            " 'async' extra: pip install 'flask-resources[async]'"
        ) from None
