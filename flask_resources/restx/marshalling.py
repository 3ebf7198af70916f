"""Flask-RESTX's ``marshal``, ``marshal_with`` and ``marshal_with_field``:
envelopes, ``skip_none``, ``ordered``, field masks and the ``X-Fields``
header, over the core's compiled marshallers."""

from __future__ import annotations

import inspect
import typing as t
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import wraps

from flask import current_app, has_request_context, request
from werkzeug.sansio.response import Response

from .. import fields as core
from ..marshalling.cache import _Entry, _get_dump
from ..marshalling.decorators import _record_success
from .fields import Raw, Wildcard
from .fields._containers import _needs_walk
from .mask import Mask

F = t.TypeVar("F", bound=Callable[..., t.Any])

#: The header a client sends a mask in, unless ``RESTX_MASK_HEADER`` says.
DEFAULT_MASK_HEADER = "X-Fields"


def make(cls: t.Any) -> t.Any:
    """An instance of ``cls`` if it is a class, else ``cls`` itself."""
    if isinstance(cls, type):
        return cls()
    return cls


def marshal(
    data: t.Any,
    fields: t.Any,
    envelope: str | None = None,
    skip_none: bool = False,
    mask: t.Any = None,
    ordered: bool = False,
) -> t.Any:
    """Filter and format ``data`` (an object, a dict, or a list or tuple of
    them) through a model or fields dict, as Flask-RESTX does. ::

        >>> model = {"a": fields.Raw, "c": fields.Raw, "d": fields.Raw}
        >>> marshal({"a": 100, "b": "foo", "c": None}, model)
        {'a': 100, 'c': None, 'd': None}
        >>> marshal({"a": 100, "b": "foo", "c": None}, model, skip_none=True)
        {'a': 100}

    Without ``skip_none``, ``ordered``, a mask or a
    :class:`~flask_resources.restx.fields.Wildcard`, the fields are compiled
    into one function as :func:`flask_resources.marshal` compiles them.

    :param envelope: wrap the output in a dict under this key.
    :param skip_none: leave out keys whose value is ``None`` or an empty dict.
    :param mask: a :class:`~flask_resources.restx.mask.Mask` or its text,
        applied to the fields first; a model's own mask applies otherwise.
    :param ordered: give :class:`~collections.OrderedDict` outputs.
    :raises MarshallingError: if a field cannot format its value.
    :raises ~flask_resources.restx.mask.MaskError: if the mask does not fit
        the fields; :class:`~flask_resources.restx.mask.ParseError` if its
        text is malformed.
    """
    mask = mask or getattr(fields, "__mask__", None)
    fields = getattr(fields, "resolved", fields)
    if mask:
        fields = _masked(fields, mask)
    if ordered or not isinstance(fields, Mapping) or _needs_walk(fields):
        out = _marshal_each(data, fields, skip_none, ordered)
    else:
        many = isinstance(data, (list, tuple)) and len(data) > 1
        try:
            out = _get_dump(fields, many)(data)
        except core.MarshallingException:
            # The compiled code raises its own error for a value it cannot
            # format; field by field gives the error Flask-RESTX raises.
            out = _marshal_each(data, fields, skip_none, ordered)
        else:
            if skip_none:
                out = _drop_empty(out, fields)
    if envelope:
        return OrderedDict([(envelope, out)]) if ordered else {envelope: out}
    return out


def _is_empty(value: t.Any) -> bool:
    """What ``skip_none`` leaves out: ``None`` and empty dicts."""
    return value is None or (isinstance(value, Mapping) and not value)


def _drop_empty(out: t.Any, fields: Mapping[t.Any, t.Any]) -> t.Any:
    """``skip_none`` on an output of ``fields``: the keys of each output
    dict, and of the dicts inside it read by inner fields dicts, whose
    value is empty. (Nested fields apply their own ``skip_none``.)"""
    if isinstance(out, list):
        return [_drop_empty(item, fields) for item in out]
    result = {}
    for key, entry in fields.items():
        value = out[key]
        if isinstance(entry, Mapping):
            value = _drop_empty(value, entry)
        if not _is_empty(value):
            result[key] = value
    return result


def _marshal_each(data: t.Any, fields: t.Any, skip_none: bool, ordered: bool) -> t.Any:
    """Flask-RESTX's marshalling, field by field."""
    if isinstance(data, (list, tuple)):
        return [_marshal_each(item, fields, skip_none, ordered) for item in data]
    items: list[tuple[t.Any, t.Any]] = []

    def add(key: t.Any, value: t.Any) -> None:
        if skip_none and _is_empty(value):
            return
        items.append((key, value))

    # The keys given so far, which the next Wildcard leaves out.
    given: list[t.Any] = []
    for key, entry in fields.items():
        if isinstance(entry, Mapping):
            add(key, marshal(data, entry, skip_none=skip_none, ordered=ordered))
            given.append(key)
            continue
        field = make(entry)
        if not isinstance(field, Wildcard):
            if isinstance(field, Raw):
                add(key, field.output(key, data, ordered=ordered))
            else:
                add(key, field.output(key, data))
            given.append(key)
            continue
        # A copy per call: Wildcard.output keeps its place in the object.
        wild = field.clone()
        wild.exclude |= set(given)
        given = []
        value = wild.output(key, data, ordered=ordered)
        add(wild.key or key, value)
        end = wild.container.format(wild.default)
        while True:
            value = wild.output(key, data, ordered=ordered)
            if value is None or value == end:
                break
            add(wild.key, value)
    return OrderedDict(items) if ordered else dict(items)


#: Masked fields dicts by (id of the fields, the mask): the fields'
#: freshness entry (see the core cache) and the masked dict. Threads share
#: it: every operation is a single dict call, and a race costs a mask
#: applied twice, never an exception.
_MASKED: dict[tuple[int, t.Any], tuple[_Entry, t.Any]] = {}
_MASKED_SIZE = 256


def _mask_key(mask: t.Any) -> t.Any:
    """A hashable value equal for masks that filter alike."""
    if isinstance(mask, str):
        return mask
    if isinstance(mask, Mask):
        return (
            mask.skip,
            tuple(
                (k, _mask_key(v) if isinstance(v, Mask) else v) for k, v in mask.items()
            ),
        )
    return None


def _masked(fields: t.Any, mask: t.Any) -> t.Any:
    """``fields`` with ``mask`` applied (keys missing from the fields left
    out), kept while the fields are unchanged."""
    key = _mask_key(mask)
    if key is None or not isinstance(fields, Mapping):
        return Mask(mask, skip=True).apply(fields)
    cache_key = (id(fields), key)
    cached = _MASKED.get(cache_key)
    if cached is not None and cached[0].fields is fields and cached[0].is_fresh():
        return cached[1]
    masked = Mask(mask, skip=True).apply(fields)
    if len(_MASKED) >= _MASKED_SIZE:
        try:
            _MASKED.pop(next(iter(_MASKED)), None)
        except (StopIteration, RuntimeError):
            pass
    _MASKED[cache_key] = (_Entry(fields), masked)
    return masked


def _unpack(value: t.Any) -> tuple[t.Any, t.Any, t.Any]:
    """Flask-RESTX's split of a return value into ``(data, code, headers)``.

    :raises ValueError: for a tuple of more than three values.
    """
    if not isinstance(value, tuple):
        return value, 200, {}
    if len(value) == 1:
        return value[0], 200, {}
    if len(value) == 2:
        return value[0], value[1], {}
    if len(value) == 3:
        return value[0], value[1], value[2]
    raise ValueError("Too many response values")


def _wrap(f: F, dump: Callable[[t.Any], t.Any]) -> F:
    """Wrap a view or resource method so ``dump`` formats its data; a tuple
    stays a ``(data, code, headers)`` tuple, a ``Response`` passes."""

    def apply(rv: t.Any) -> t.Any:
        if isinstance(rv, Response):
            return rv
        if isinstance(rv, tuple):
            data, code, headers = _unpack(rv)
            return dump(data), code, headers
        return dump(rv)

    if inspect.iscoroutinefunction(f):

        @wraps(f)
        async def async_wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return apply(await f(*args, **kwargs))

        return t.cast(F, async_wrapper)

    @wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return apply(f(*args, **kwargs))

    return t.cast(F, wrapper)


class marshal_with:
    """Decorate a resource method to marshal what it returns, as
    :func:`marshal` does. ::

        @marshal_with(model, envelope="data", skip_none=True)
        def get(self):
            return Cat.query.all()

    Inside a request, a client's mask in the ``X-Fields`` header (the header
    named by the ``RESTX_MASK_HEADER`` setting; a false value turns masks
    off) replaces ``mask``; a malformed one answers 400 with
    ``{"message": "Mask parse error: ..."}``.

    The operation's record gets the response, and ``restx_mask`` in its
    extensions so the OpenAPI document shows the mask header.

    :param fields: the model or fields dict.
    :param envelope: wrap the output in a dict under this key.
    :param skip_none: leave out keys whose value is ``None`` or empty.
    :param mask: the default mask, its text or a
        :class:`~flask_resources.restx.mask.Mask`.
    :param ordered: give :class:`~collections.OrderedDict` outputs.
    :param code: documentation: the status of the response.
    :param description: documentation: what the response is.
    """

    def __init__(
        self,
        fields: t.Any,
        envelope: str | None = None,
        skip_none: bool = False,
        mask: t.Any = None,
        ordered: bool = False,
        *,
        code: int = 200,
        description: str | None = None,
    ) -> None:
        self.fields = fields
        self.envelope = envelope
        self.skip_none = skip_none
        self.ordered = ordered
        self.mask = Mask(mask, skip=True)
        self.code = code
        self.description = description

    def __call__(self, f: F) -> F:
        fields = self.fields
        envelope = self.envelope
        skip_none = self.skip_none
        ordered = self.ordered
        default_mask = self.mask

        def dump(data: t.Any) -> t.Any:
            mask: t.Any = default_mask
            if has_request_context():
                header = current_app.config.get(
                    "RESTX_MASK_HEADER", DEFAULT_MASK_HEADER
                )
                if header:
                    mask = request.headers.get(header) or mask
            return marshal(data, fields, envelope, skip_none, mask, ordered)

        wrapper = _wrap(f, dump)
        extensions: dict[str, t.Any] = {"restx_mask": True}
        if default_mask:
            extensions["restx_mask_default"] = str(default_mask)
        _record_success(
            wrapper,
            self.code,
            fields,
            envelope,
            description=self.description,
            extensions=extensions,
            # Flask-RESTX documents 200 when no code is given: only another
            # status is one the author stated.
            stated=self.code != 200,
        )
        return wrapper


class marshal_with_field:
    """Decorate a resource method to format what it returns with one field. ::

        @marshal_with_field(fields.List(fields.Integer))
        def get(self):
            return ["1", 2, 3.0]  # gives [1, 2, 3]

    :param field: a field instance or class.
    """

    def __init__(self, field: t.Any) -> None:
        self.field = make(field)

    def __call__(self, f: F) -> F:
        wrapper = _wrap(f, self.field.format)
        _record_success(wrapper, 200, self.field)
        return wrapper
