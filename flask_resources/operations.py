"""The per-operation record that decorators fill and readers share.

Every decorator that knows something about an operation (one verb of one
resource) records it on the function it returns, in one
:class:`Operation`: :func:`~flask_resources.use_args` and
:func:`~flask_resources.use_kwargs` add an :class:`Arguments`,
:class:`~flask_resources.marshal_with` and
:class:`~flask_resources.marshal_with_field` the success
:class:`ResponseDoc`, :func:`doc` what code cannot say (summary, tags,
extra responses, security, ...). Readers, such as the OpenAPI generator and
the browsable API, call :func:`get_operation` (one function) or
:func:`resource_operations` (every verb of a resource class); none of them
reaches into a decorator's closure.

The contract, for writers of decorators:

- A record is immutable. To add to it, build a new one from the wrapped
  function's record (:meth:`Operation.merged`, :meth:`Operation.add_arguments`,
  :meth:`Operation.add_response`) and store it on the function you return with
  :func:`set_operation`. :func:`functools.wraps` copies the record to the
  wrapper (it updates ``__dict__``), so a wrapper that adds nothing needs to do
  nothing, and two wrappers of one function never see each other's additions.
- Arguments are kept in the order the decorators appear in the source, top
  first: that is the order their values are passed to the method.
- Anything a feature needs to record that has no field here goes under its
  own key in :attr:`Operation.extensions` (``"pagination"``, ...); readers
  ignore keys they do not know. Raw OpenAPI operation fields go in
  :attr:`Operation.openapi`.
- A record on a resource class may say things for one verb only, in
  :attr:`Operation.verbs`; an Api may keep a record per endpoint (one route
  of a class, :meth:`~flask_resources.Api.document_endpoint`), read between
  the class's records and the method's.

.. versionadded:: 0.1
"""

from __future__ import annotations

import dataclasses
import threading
import typing as t
import weakref
from collections.abc import Callable, Mapping

from ._utils import is_pydantic_model

if t.TYPE_CHECKING:
    from .typing import AnyCallable

__all__ = [
    "Arguments",
    "Operation",
    "ParameterKey",
    "ResponseDoc",
    "SecurityRequirement",
    "Status",
    "amend",
    "doc",
    "get_operation",
    "merge_parameter",
    "parameter_map",
    "resource_operations",
    "set_operation",
]

#: A response status as a record keys it: an ``int`` or ``"default"``, or a
#: range such as ``"4XX"``.
Status: t.TypeAlias = int | str

#: One OpenAPI security requirement: scheme name -> scopes. ``{}`` (an empty
#: requirement) in a list makes authentication optional.
SecurityRequirement: t.TypeAlias = Mapping[str, t.Sequence[str]]

#: One documented parameter, keyed as :attr:`Operation.parameters` keys it:
#: ``(in, name)``, ``in`` being ``query``, ``header``, ``path`` or ``cookie``.
ParameterKey: t.TypeAlias = tuple[str, str]

#: What :func:`doc` takes for one response: a description, a dict of
#: :class:`ResponseDoc` fields (``schema`` for ``source``), a ResponseDoc, or
#: a pydantic model (``t.Any`` here, so that pydantic need not be installed).
ResponseValue: t.TypeAlias = "str | Mapping[str, t.Any] | ResponseDoc | t.Any"

#: The attribute a record is stored under on a function or resource class.
#: Use :func:`get_operation` and :func:`set_operation` rather than this name.
ATTRIBUTE = "_resources_operation"

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


@dataclasses.dataclass(frozen=True)
class Arguments:
    """Request data an operation reads: one :func:`use_args`, or one
    :func:`doc` ``args=``."""

    #: A :class:`marshmallow.Schema` instance (a dict of fields is recorded as
    #: the schema built from it) or a request parser such as
    #: :class:`~flask_resources.reqparse.RequestParser`.
    source: t.Any
    #: ``json``, ``form``, ``json_or_form``, ``query``, ``headers``,
    #: ``cookies``, ``files`` or ``path``; ``None`` for a request parser whose
    #: arguments name their own locations.
    location: str | None = "json"
    #: The unknown-key policy given to the decorator: ``"raise"``,
    #: ``"exclude"``, ``"include"``, ``None`` (the schema's own) or
    #: ``"location"`` (the location's default, the usual case).
    unknown: str | None = "location"
    #: The keyword argument the data is passed as, if not positionally.
    arg_name: str | None = None
    #: Whether each loaded field is passed as a keyword (:func:`use_kwargs`).
    as_kwargs: bool = False
    #: ``False`` when only documented (:func:`doc` ``args=``): the method
    #: parses the request itself.
    parses: bool = True
    #: Request body media types accepted, when not the location's usual ones.
    content_types: tuple[str, ...] = ()
    #: A description of the request body, if it has one.
    description: str | None = None


@dataclasses.dataclass(frozen=True)
class ResponseDoc:
    """One documented response of an operation."""

    #: The status code, ``"default"`` or a range such as ``"4XX"``.
    status: Status
    #: What the response means; readers fall back to the status phrase.
    description: str | None = None
    #: What formats the body: a fields dict, a marshmallow schema instance, a
    #: :class:`~flask_resources.fields.Raw` field, or a JSON Schema dict;
    #: ``None`` for no body, or a body not described.
    source: t.Any = None
    #: The key the body is wrapped under (``marshal_with(envelope=...)``).
    envelope: str | None = None
    #: Response headers: name -> description, or a dict with ``description``
    #: and ``schema`` (JSON Schema) keys.
    headers: Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    #: Media types of the body, when not the Api's representations.
    content_types: tuple[str, ...] = ()
    #: Whether the body is the one the method returns (``marshal_with``), as
    #: opposed to an error or other documented response.
    success: bool = False
    #: Whether the code's author stated this status (``marshal_with(code=...)``,
    #: :func:`doc` ``responses=``), as opposed to a status assumed (200 for
    #: ``marshal_with`` without a code) or added by a feature. Response
    #: validation refuses a 2xx that an operation with a stated success
    #: status does not document. Not compared: it says how the status came
    #: to be documented, not what is documented.
    stated: bool = dataclasses.field(default=False, compare=False)

    def merged(self, other: ResponseDoc) -> ResponseDoc:
        """This response with what ``other`` sets (not ``None``/empty) on top."""
        changes: dict[str, t.Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(other, field.name)
            if field.name == "headers":
                if value:
                    changes["headers"] = {**self.headers, **value}
            elif field.name in ("success", "stated"):
                changes[field.name] = getattr(self, field.name) or value
            elif value is not None and value != ():
                changes[field.name] = value
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class Operation:
    """Everything recorded about one operation. Fields left ``None`` are not
    said, so a reader falls back (to the docstring, the Api's defaults, ...).
    """

    #: What the method reads, top decorator first.
    arguments: tuple[Arguments, ...] = ()
    #: Documented responses by status, in the order first recorded.
    responses: Mapping[Status, ResponseDoc] = dataclasses.field(default_factory=dict)
    #: One line; defaults to the first line of the method's docstring.
    summary: str | None = None
    #: Longer text; defaults to the rest of the method's docstring.
    description: str | None = None
    #: Tags; default to the resource's.
    tags: tuple[str, ...] | None = None
    #: A unique id; readers derive one from the endpoint and verb.
    operation_id: str | None = None
    #: Whether the operation is deprecated.
    deprecated: bool | None = None
    #: Whether to leave the operation out of the documentation.
    hide: bool | None = None
    #: Security requirements; ``None`` means the Api's default and ``()``
    #: none at all.
    security: tuple[SecurityRequirement, ...] | None = None
    #: Per-feature data, keyed by feature (``"pagination"``, ...).
    extensions: Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    #: Raw OpenAPI operation fields, merged last into the generated ones.
    openapi: Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    #: Parameters the method reads itself, as OpenAPI parameter objects keyed
    #: by ``(in, name)``; one for a URL variable describes that path
    #: parameter. Readers give one without ``schema`` a string schema.
    parameters: Mapping[ParameterKey, Mapping[str, t.Any]] = dataclasses.field(
        default_factory=dict
    )
    #: Headers every documented response carries: name -> description, or
    #: an OpenAPI header object (``description``, ``schema``).
    response_headers: Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    #: Media types of the successful responses' bodies, when not the
    #: resource's (or the Api's) representations.
    content_types: tuple[str, ...] | None = None
    #: On a resource class's record: what it says for one verb only, lower
    #: case verb -> record, read between the class's record and the method's.
    verbs: Mapping[str, Operation] = dataclasses.field(default_factory=dict)

    def add_arguments(self, arguments: Arguments) -> Operation:
        """A copy with ``arguments`` read before the ones recorded so far,
        as the decorator applied last is the one on top."""
        return dataclasses.replace(self, arguments=(arguments, *self.arguments))

    def add_response(self, response: ResponseDoc) -> Operation:
        """A copy with ``response`` merged over any for the same status."""
        return self.merged(Operation(responses={response.status: response}))

    def merged(self, other: Operation) -> Operation:
        """This record with ``other`` on top: ``other``'s arguments come
        first, its responses merge into these by status, its parameters into
        these by key (and name), its extensions, raw fields, response headers
        and verbs into these by key, and its other fields win when set."""
        responses = dict(self.responses)
        for status, response in other.responses.items():
            mine = responses.get(status)
            responses[status] = response if mine is None else mine.merged(response)
        parameters = dict(self.parameters)
        for key, parameter in other.parameters.items():
            parameters[key] = merge_parameter(parameters.get(key), parameter)
        verbs = dict(self.verbs)
        for verb, record in other.verbs.items():
            mine_verb = verbs.get(verb)
            verbs[verb] = record if mine_verb is None else mine_verb.merged(record)
        changes: dict[str, t.Any] = {
            "arguments": (*other.arguments, *self.arguments),
            "responses": responses,
            "extensions": {**self.extensions, **other.extensions},
            "openapi": {**self.openapi, **other.openapi},
            "parameters": parameters,
            "response_headers": {**self.response_headers, **other.response_headers},
            "verbs": verbs,
        }
        for field in dataclasses.fields(self):
            if field.name not in changes:
                value = getattr(other, field.name)
                if value is not None:
                    changes[field.name] = value
        return dataclasses.replace(self, **changes)

    @property
    def success(self) -> ResponseDoc | None:
        """The response the method's own return value gives, if recorded."""
        for response in self.responses.values():
            if response.success:
                return response
        return None


_EMPTY = Operation()


def merge_parameter(
    mine: Mapping[str, t.Any] | None, other: Mapping[str, t.Any]
) -> dict[str, t.Any]:
    """The parameter object ``mine`` with ``other``'s keys on top; their
    schemas merge by key too, so one can add a description to the other."""
    if mine is None:
        return dict(other)
    merged = {**mine, **other}
    if isinstance(mine.get("schema"), Mapping) and isinstance(
        other.get("schema"), Mapping
    ):
        merged["schema"] = {**mine["schema"], **other["schema"]}
    return merged


def get_operation(obj: t.Any) -> Operation | None:
    """The record on a function, method or resource class, if any.

    A class's record is its own (from :func:`doc` on the class), not one
    inherited from a base class.
    """
    if isinstance(obj, type):
        record = obj.__dict__.get(ATTRIBUTE)
    else:
        record = getattr(obj, ATTRIBUTE, None)
    return record if isinstance(record, Operation) else None


def set_operation(obj: t.Any, record: Operation) -> None:
    """Store ``record`` on a function or class, replacing any there.

    An object that takes no attributes (a builtin, a callable with
    ``__slots__``) is left as it is: it simply has no record.
    """
    try:
        setattr(obj, ATTRIBUTE, record)
    except (AttributeError, TypeError):
        pass


def amend(obj: t.Any, record: Operation, *, source: t.Any = None) -> None:
    """Store on ``obj`` the record of ``source`` (default ``obj``) with
    ``record`` merged on top; the usual last step of a decorator."""
    base = get_operation(obj if source is None else source) or _EMPTY
    set_operation(obj, base.merged(record))


_MISSING: t.Any = object()


def doc(
    *,
    summary: str | None = None,
    description: str | None = None,
    tags: t.Sequence[str] | None = None,
    responses: Mapping[Status, ResponseValue] | None = None,
    security: t.Sequence[SecurityRequirement] | None = None,
    deprecated: bool | None = None,
    operation_id: str | None = None,
    hide: bool | None = None,
    args: t.Any = None,
    location: str | None = _MISSING,
    extensions: Mapping[str, t.Any] | None = None,
    openapi: Mapping[str, t.Any] | None = None,
    parameters: t.Sequence[Mapping[str, t.Any]] | None = None,
    response_headers: Mapping[str, t.Any] | None = None,
    content_types: t.Sequence[str] | None = None,
) -> Callable[[t.Any], t.Any]:
    """Document what code cannot say about an operation, without changing
    what it does. On a :class:`~flask_resources.Resource` class it applies to
    every verb, which can still say otherwise::

        @doc(tags=["cats"], responses={401: "No valid token"})
        class Cat(Resource):
            @doc(summary="One cat", responses={404: "No such cat"})
            @marshal_with(CatSchema)
            def get(self, cat_id):
                ...

            # Flask-RESTful style: the method parses, doc() only documents.
            @doc(args=cat_parser)
            def put(self, cat_id):
                args = cat_parser.parse_args()
                ...

    :param summary: one line; defaults to the docstring's first line.
    :param description: defaults to the rest of the docstring.
    :param tags: group the operation under these tags.
    :param responses: status -> description, or a dict with ``description``,
        ``schema`` (a fields dict, marshmallow schema, pydantic model or
        JSON Schema dict), ``headers`` and ``content_types`` keys, a
        :class:`ResponseDoc`, or a pydantic model (or ``list[Model]``) alone.
    :param security: security requirements (``[{"bearer": []}]``); ``[]``
        for an operation that needs none.
    :param deprecated: mark the operation deprecated.
    :param operation_id: a unique id for the operation.
    :param hide: leave the operation out of the documentation.
    :param args: a request parser, marshmallow schema, dict of marshmallow
        fields or pydantic model that the method applies itself.
    :param location: where ``args`` reads from; by default a parser's
        arguments' own locations, ``json`` for a schema.
    :param extensions: per-feature data, see :attr:`Operation.extensions`.
    :param openapi: raw OpenAPI operation fields to merge in.
    :param parameters: parameters the method reads itself, as OpenAPI
        parameter objects (``{"name": "q", "in": "query", "schema": ...}``);
        one named as a URL variable describes that path parameter.
    :param response_headers: headers every documented response carries,
        name -> description or OpenAPI header object.
    :param content_types: media types of the successful responses, when not
        the resource's (or the Api's) representations.

    .. versionadded:: 0.1
    """
    record = Operation(
        summary=summary,
        description=description,
        tags=None if tags is None else tuple(tags),
        operation_id=operation_id,
        deprecated=deprecated,
        hide=hide,
        security=None if security is None else tuple(security),
        responses={
            status: _response_doc(status, value)
            for status, value in (responses or {}).items()
        },
        extensions=dict(extensions or {}),
        openapi=dict(openapi or {}),
        parameters=parameter_map(parameters or ()),
        response_headers=dict(response_headers or {}),
        content_types=None if content_types is None else tuple(content_types),
    )
    if args is not None:
        record = record.add_arguments(_documented_arguments(args, location))

    def decorator(obj: t.Any) -> t.Any:
        amend(obj, record)
        return obj

    return decorator


def parameter_map(
    parameters: t.Iterable[Mapping[str, t.Any]],
) -> dict[ParameterKey, Mapping[str, t.Any]]:
    """OpenAPI parameter objects keyed as :attr:`Operation.parameters` keys
    them; ``in`` defaults to ``query``."""
    result: dict[ParameterKey, Mapping[str, t.Any]] = {}
    for parameter in parameters:
        name = parameter.get("name")
        if not isinstance(name, str) or not name:
            raise TypeError(f"a parameter needs a name: {parameter!r}")
        where = parameter.get("in") or "query"
        if where not in ("query", "header", "path", "cookie"):
            raise TypeError(
                f"parameter {name!r}: 'in' must be query, header, path or cookie,"
                f" not {where!r}"
            )
        key = (where, name)
        result[key] = merge_parameter(result.get(key), {**parameter, "in": where})
    return result


def _response_doc(status: Status, value: ResponseValue) -> ResponseDoc:
    if isinstance(value, ResponseDoc):
        return dataclasses.replace(value, status=status, stated=True)
    if isinstance(value, str):
        return ResponseDoc(status, description=value, stated=True)
    if not isinstance(value, Mapping) and is_pydantic_model(value):
        return ResponseDoc(status, source=value, stated=True)
    known = {"description", "schema", "headers", "content_types", "envelope"}
    unknown = set(value) - known
    if unknown:
        raise TypeError(
            f"doc(responses={{{status!r}: ...}}): unknown keys"
            f" {', '.join(sorted(unknown))}; expected {', '.join(sorted(known))}"
        )
    return ResponseDoc(
        status,
        description=value.get("description"),
        source=_schema_instance(value.get("schema")),
        envelope=value.get("envelope"),
        headers=dict(value.get("headers") or {}),
        content_types=tuple(value.get("content_types") or ()),
        stated=True,
    )


def _documented_arguments(source: t.Any, location: str | None) -> Arguments:
    if callable(getattr(source, "parse_args", None)):
        return Arguments(
            source, location=None if location is _MISSING else location, parses=False
        )
    return Arguments(
        _schema_instance(source),
        location="json" if location in (_MISSING, None) else location,
        parses=False,
    )


def _schema_instance(source: t.Any) -> t.Any:
    """A marshmallow schema class as an instance and a dict of marshmallow
    fields as a schema; anything else unchanged. Imports marshmallow only
    when given one of its objects."""
    if isinstance(source, type) and hasattr(source, "_declared_fields"):
        return source()
    if isinstance(source, Mapping) and source:
        import marshmallow as ma

        if all(isinstance(v, ma.fields.Field) for v in source.values()):
            return ma.Schema.from_dict(dict(source))()
    return source


_cache: weakref.WeakKeyDictionary[type, tuple[t.Any, dict[str, Operation]]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


def resource_operations(
    resource: type, route: Operation | None = None
) -> dict[str, Operation]:
    """The record of each verb a resource class defines, lower case verb ->
    :class:`Operation`, with everything the decorators say.

    The verbs' functions are read with the class's ``method_decorators``
    applied (once per class, here, as Flask-RESTful applies them per
    request; they are not called), so records those decorators leave are
    seen, and the records of :func:`doc` on the class and its base classes
    are merged under each verb's, with what they say for that verb
    (:attr:`Operation.verbs`) on top. Computed once per class and then
    reused; safe to call from several threads.

    :param route: the record of one route of the class (see
        :meth:`~flask_resources.Api.document_endpoint`), read over the
        class's records and under the method's; not cached.
    """
    if route is not None:
        return _operations(resource, route)
    decorators = getattr(resource, "method_decorators", ())
    key = _cache_key(resource, decorators)
    cached = _cache.get(resource)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = _operations(resource, None)
    with _cache_lock:
        _cache[resource] = (key, result)
    return result


def _operations(resource: type, route: Operation | None) -> dict[str, Operation]:
    decorators = getattr(resource, "method_decorators", ())
    base = _EMPTY
    for klass in reversed(resource.__mro__):
        record = get_operation(klass)
        if record is not None:
            base = base.merged(record)
    if route is not None:
        base = base.merged(route)
    verbs = base.verbs
    if verbs:
        base = dataclasses.replace(base, verbs={})
    result: dict[str, Operation] = {}
    for verb in _VERBS:
        func = getattr(resource, verb, None)
        if func is None:
            continue
        func = _decorated(func, decorators, verb)
        record = base.merged(verbs[verb]) if verb in verbs else base
        result[verb] = record.merged(get_operation(func) or _EMPTY)
    return result


def _cache_key(resource: type, decorators: t.Any) -> tuple[int, ...]:
    """What the cached records of ``resource`` were built from: reading
    them again is needed only when one of these has been replaced."""
    return (
        id(decorators),
        *(id(get_operation(klass)) for klass in resource.__mro__),
        *(id(getattr(resource, verb, None)) for verb in _VERBS),
    )


def _decorated(func: AnyCallable, decorators: t.Any, verb: str) -> AnyCallable:
    if isinstance(decorators, Mapping):
        decorators = decorators.get(verb, ())
    for decorator in decorators or ():
        func = decorator(func)
    return func
