"""``marshal``, ``marshal_with`` and ``marshal_with_field``: format what a
view returns through a fields dict, a field, a marshmallow schema or a
pydantic model."""

from __future__ import annotations

import inspect
import sys
import typing as t
from collections.abc import Callable
from functools import wraps

from werkzeug.sansio.response import Response

from .._utils import is_pydantic_model, unpack
from ..fields import FieldsMapping, Raw, make_field
from .cache import _Entry, _get_dump
from .compiler import Dump

if t.TYPE_CHECKING:
    import marshmallow as ma
    import pydantic

F = t.TypeVar("F", bound=Callable[..., t.Any])

#: What :class:`marshal_with` formats with: a fields dict, a marshmallow
#: schema class or instance, or a pydantic model class (or ``list[Model]``).
MarshalSource: t.TypeAlias = (
    "FieldsMapping | type[ma.Schema] | ma.Schema | type[pydantic.BaseModel] | t.Any"
)


def marshal(data: t.Any, fields: MarshalSource, envelope: str | None = None) -> t.Any:
    """Filter and format ``data`` through a fields dict or a marshmallow schema.

    ``data`` is an object, a dict, or a list or tuple of them (which gives
    a list). Output keys come in the order of ``fields``. ::

        >>> marshal({"a": 100, "b": "foo"}, {"a": fields.Raw})
        {'a': 100}
        >>> marshal({"a": 100}, {"a": fields.Raw}, envelope="data")
        {'data': {'a': 100}}

    A fields dict is compiled into a flat function the second time it is
    used, and that function is kept while the dict (and the fields in it)
    stay unchanged.

    A :class:`marshmallow.Schema` class or instance works in place of the
    fields dict; a list or tuple is dumped item by item. So does a pydantic
    model class or ``list[Model]`` (see :doc:`/guide/pydantic`): objects are
    read by attribute or key and dumped in JSON mode by alias; one that does
    not fit raises :class:`~flask_resources.ResponseValidationError`.

    :param data: what to marshal.
    :param fields: output keys mapped to fields (instances or classes) or to
        inner fields dicts, which output a dict read from the same object;
        or a marshmallow schema.
    :param envelope: wrap the output in a dict under this key.
    :raises MarshallingException: if a field cannot format its value; its
        ``field`` attribute names the output key.

    .. versionadded:: 0.1
    """
    schema_dump = _schema_dumper(fields)
    if schema_dump is not None:
        result = schema_dump(data)
    else:
        many = isinstance(data, (list, tuple)) and len(data) > 1
        result = _get_dump(t.cast(FieldsMapping, fields), many)(data)
    return {envelope: result} if envelope else result


class marshal_with:
    """Decorate a resource method to marshal what it returns.

    The body of a ``(body, status, headers)`` or ``(body, status)`` tuple is
    marshalled and the tuple kept; a ready response passes unchanged. The
    fields dict is compiled on the first call, so that defining resources
    costs no more than with Flask-RESTful. ::

        class Todo(Resource):
            @marshal_with({"id": fields.Integer, "task": fields.String})
            def get(self, todo_id):
                return TODOS[todo_id]

    A marshmallow schema works in place of the fields dict; a list or tuple
    body is dumped item by item, whether the schema has ``many=True`` or
    not::

        @marshal_with(CatSchema, code=201)
        def post(self):
            ...

    :param fields: the fields dict, as for :func:`marshal`, a
        :class:`marshmallow.Schema` class or instance, or a pydantic model
        class or ``list[Model]``.
    :param envelope: wrap the output in a dict under this key.
    :param code: the status of a body returned without one.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        fields: MarshalSource,
        envelope: str | None = None,
        *,
        code: int | None = None,
    ) -> None:
        self.fields = fields
        self.envelope = envelope
        self.code = code

    def make_dump(self) -> Dump:
        """Return the function applied to each returned body."""
        dump = _source_dump(self.fields)
        envelope = self.envelope
        if not envelope:
            return dump
        return lambda data: {envelope: dump(data)}

    def __call__(self, f: F) -> F:
        wrapper = _wrap_result(f, self.make_dump(), self.code)
        source = self.fields
        if isinstance(source, type) and hasattr(source, "_declared_fields"):
            # A marshmallow schema class: record an instance, as for every
            # schema. (A pydantic model is recorded as its class.)
            source = source()
        _record_success(
            wrapper,
            self.code or 200,
            source,
            self.envelope,
            stated=self.code is not None,
        )
        return wrapper


class marshal_with_field:
    """Decorate a resource method to format what it returns with one field.

    Calls the field's :meth:`~flask_resources.fields.Raw.format` on the
    returned body, keeping a ``(body, status, headers)`` tuple. ::

        @marshal_with_field(fields.List(fields.Integer))
        def get(self):
            return ["1", 2, 3.0]  # gives [1, 2, 3]

    :param field: a field instance or class.

    .. versionadded:: 0.1
    """

    def __init__(self, field: Raw | type[Raw]) -> None:
        self.field = make_field(field)

    def __call__(self, f: F) -> F:
        wrapper = _wrap_result(f, self.field.format)
        _record_success(wrapper, 200, self.field)
        return wrapper


def _record_success(
    wrapper: t.Any,
    status: int,
    source: t.Any,
    envelope: str | None = None,
    *,
    description: str | None = None,
    extensions: t.Mapping[str, t.Any] | None = None,
    stated: bool = False,
) -> None:
    """Record that the method's return value gives the ``status`` response,
    formatted by ``source`` (inside ``envelope``); ``extensions`` go in the
    operation's record (Flask-RESTX's ``marshal_with`` notes its mask);
    ``stated`` when the code gave the status rather than it being assumed."""
    # Imported on first use, so that importing this module does not load the
    # documentation records (issue 15).
    from ..operations import Operation, ResponseDoc, amend

    response = ResponseDoc(
        status,
        description=description,
        source=source,
        envelope=envelope,
        success=True,
        stated=stated,
    )
    amend(
        wrapper,
        Operation(responses={status: response}, extensions=dict(extensions or {})),
    )


def _wrap_result(f: F, dump: Dump, code: int | None = None) -> F:
    """Wrap a view or resource method so ``dump`` formats its body.

    ``code`` is the status of a body returned alone.
    """

    def apply(rv: t.Any) -> t.Any:
        if isinstance(rv, Response):
            return rv
        if type(rv) is tuple:
            body, status, headers = unpack(rv)
            return dump(body), status, headers
        if code is not None:
            return dump(rv), code
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


#: :func:`~flask_resources.schemas.schema_dumper`, once loaded; an import
#: statement on every ``marshal`` call would cost more than the call itself.
_loaded_schema_dumper: Callable[[object], Dump | None] | None = None
#: :func:`flask_resources.pydantic.model_dumper`, once loaded.
_loaded_model_dumper: Callable[[object], Dump | None] | None = None


def _schema_dumper(source: object) -> Dump | None:
    """:func:`~flask_resources.schemas.schema_dumper`, once marshmallow is
    loaded: until then no schema exists, and apps that marshal with fields
    dicts alone never load the marshmallow support. The same for pydantic
    models and :func:`flask_resources.pydantic.model_dumper`."""
    global _loaded_schema_dumper, _loaded_model_dumper
    if not isinstance(source, dict) and is_pydantic_model(source):
        if _loaded_model_dumper is None:
            from ..pydantic import model_dumper

            # Threads racing here all store the same function.
            _loaded_model_dumper = model_dumper
        return _loaded_model_dumper(source)
    dumper = _loaded_schema_dumper
    if dumper is None:
        if "marshmallow" not in sys.modules:
            return None
        from ..schemas import schema_dumper

        # Threads racing here all store the same function.
        dumper = _loaded_schema_dumper = schema_dumper
    return dumper(source)


def _source_dump(source: MarshalSource) -> Dump:
    """Turn what ``marshal_with`` was given into a dump function.

    The one place that knows the kinds of source: a marshmallow schema or
    a fields dict.
    """
    schema_dump = _schema_dumper(source)
    if schema_dump is not None:
        return schema_dump
    fields = t.cast(FieldsMapping, source)
    # Compiled on first use: compiling costs more than defining a resource,
    # and an app that never calls the method should not pay for it at start.
    # Two threads may both compile; either result is the same function.
    entry = _Entry(fields)

    def dump(data: t.Any) -> t.Any:
        nonlocal entry
        if not entry.is_fresh():
            entry = _Entry(fields)
            return entry.compile()(data)
        run = entry.run or entry.compile()
        return run(data)

    return dump
