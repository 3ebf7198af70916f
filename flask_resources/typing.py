"""Type aliases shared by the flask-resources modules."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterable, Mapping

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

#: Headers as a resource method may return them.
HeadersValue: t.TypeAlias = Headers | Mapping[str, t.Any] | Iterable[tuple[str, t.Any]]

#: A status code as a resource method may return it.
StatusValue: t.TypeAlias = int | str

#: What a resource method returns: a body, ``(body, status)``,
#: ``(body, status, headers)`` or a ready :class:`~werkzeug.wrappers.Response`.
ResourceReturnValue: t.TypeAlias = (
    Response
    | t.Any
    | tuple[t.Any, StatusValue]
    | tuple[t.Any, StatusValue, HeadersValue]
)

#: A representation: turns ``(data, code, headers)`` into a response.
Representation: t.TypeAlias = Callable[..., Response]

#: A request body parser: turns ``(body, mimetype, options)`` into data; the
#: options are the ``Content-Type`` parameters, such as ``charset``.
Parser: t.TypeAlias = Callable[[bytes, str, Mapping[str, str]], t.Any]

#: Any callable; used for view functions and decorators.
AnyCallable: t.TypeAlias = Callable[..., t.Any]

#: A decorator over a view function or a resource method.
Decorator: t.TypeAlias = Callable[[AnyCallable], AnyCallable]
