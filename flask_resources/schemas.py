"""marshmallow for request arguments (:func:`use_args`) and response bodies."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import typing as t
from collections.abc import Callable, Mapping

from flask import current_app, request
from werkzeug.datastructures import MultiDict

from ._utils import (
    FORM_MIMETYPES,
    check_body_length,
    is_pydantic_model,
    json_kind,
    load_json_body,
    read_body,
)
from .exceptions import (
    RequestValidationError,
    http_error_class,
    validation_error_class,
)
from .parsers import parsed_body

if t.TYPE_CHECKING:
    import marshmallow as ma
    import pydantic

    from .operations import Operation
    from .typing import AnyCallable, Decorator

#: Where :func:`use_args` reads its data from. ``args`` is an alias of
#: ``query``.
Location: t.TypeAlias = t.Literal[
    "body",
    "json",
    "form",
    "json_or_form",
    "query",
    "args",
    "headers",
    "cookies",
    "files",
    "path",
]

#: What to do with keys the schema does not declare; marshmallow's policies.
UnknownPolicy: t.TypeAlias = t.Literal["exclude", "include", "raise"]

#: The unknown-key policy of each location unless the decorator or the
#: ``RESOURCES_UNKNOWN_BY_LOCATION`` config key says otherwise. Bodies reject
#: undeclared keys, so a client cannot slip in a field such as ``is_admin``
#: (mass assignment); query strings, headers, cookies and URL variables carry
#: keys that belong to others and are ignored.
DEFAULT_UNKNOWN_BY_LOCATION: Mapping[str, UnknownPolicy] = {
    "body": "raise",
    "json": "raise",
    "form": "raise",
    "json_or_form": "raise",
    "files": "raise",
    "query": "exclude",
    "headers": "exclude",
    "cookies": "exclude",
    "path": "exclude",
}

# marshmallow's RAISE, EXCLUDE and INCLUDE, spelled out so that importing
# this module does not import marshmallow.
_POLICIES = frozenset(("raise", "exclude", "include"))

_LABELS = {
    "body": "request body",
    "json": "JSON body",
    "form": "form data",
    "query": "query string",
    "headers": "headers",
    "cookies": "cookies",
    "files": "uploaded files",
    "path": "URL",
}


class _UseLocationDefault:
    """Type of :data:`LOCATION_DEFAULT`."""

    def __repr__(self) -> str:
        return "LOCATION_DEFAULT"


#: The default of ``unknown``: use the app's or the built-in policy for the
#: location. Passing ``unknown=None`` instead defers to the schema's own
#: ``Meta.unknown``.
LOCATION_DEFAULT: t.Final = _UseLocationDefault()


class ArgumentParser(t.Protocol):
    """What :func:`use_args` needs from a request parser.

    :class:`flask_resources.reqparse.RequestParser` is one.
    """

    def parse_args(self, req: t.Any = None, strict: bool = False) -> t.Any:
        """Parse the current request and return the arguments."""


#: What :func:`use_args` accepts: a schema class or instance, a dict of
#: marshmallow fields, or a request parser.
ArgumentsSource: t.TypeAlias = (
    "type[ma.Schema] | ma.Schema | Mapping[str, ma.fields.Field[t.Any]]"
    " | ArgumentParser | type[pydantic.BaseModel] | t.Any"
)


def use_args(
    source: ArgumentsSource,
    *,
    location: Location = "json",
    unknown: UnknownPolicy | _UseLocationDefault | None = LOCATION_DEFAULT,
    arg_name: str | None = None,
) -> Decorator:
    """Load request data with a schema and pass it to the decorated function.

    The loaded data is appended to the positional arguments, or passed as
    the keyword argument ``arg_name``. Decorators stack, the outermost one
    giving the first argument::

        class CatList(Resource):
            @use_args(CatQuerySchema, location="query")
            @use_args(CatSchema)
            def post(self, query, cat):
                ...

    Data that fails validation aborts with a :class:`RequestValidationError`
    (400, or ``RESOURCES_VALIDATION_ERROR_STATUS``) whose body is
    ``{"message": ..., "errors": {location: {field: [messages]}}}``.

    :param source: a :class:`marshmallow.Schema` class or instance, a dict
        of marshmallow fields, a pydantic model class or ``list[Model]``
        (see :doc:`/guide/pydantic`), or a request parser such as
        :class:`~flask_resources.reqparse.RequestParser` (whose own argument
        locations then apply).
    :param location: where to read: ``json``, ``form``, ``json_or_form``,
        ``query`` (or ``args``), ``headers``, ``cookies``, ``files``,
        ``path`` (the URL variables) or ``body``: the body parsed by its
        content type with the resource's or the Api's parsers (see
        :func:`~flask_resources.parsers.parsed_body`), which answers 415
        for a media type no parser takes.
    :param unknown: ``"raise"``, ``"exclude"`` or ``"include"`` for keys the
        schema does not declare; by default the location's policy, see
        :data:`DEFAULT_UNKNOWN_BY_LOCATION`; ``None`` uses the schema's
        ``Meta.unknown``. With a request parser, ``"raise"`` parses strictly.
        A pydantic model takes none: its ``extra`` setting decides.
    :param arg_name: pass the data as this keyword argument instead.

    .. versionadded:: 0.1

    .. versionchanged:: 0.2
        ``source`` may be a pydantic model.
    """
    load = _make_loader(source, location, unknown)
    record = _arguments_record(load, source, location, unknown, arg_name=arg_name)

    def inject(
        args: tuple[t.Any, ...], kwargs: dict[str, t.Any], value: t.Any
    ) -> tuple[tuple[t.Any, ...], dict[str, t.Any]]:
        if arg_name is None:
            return (*args, value), kwargs
        kwargs[arg_name] = value
        return args, kwargs

    return functools.partial(_wrap, load=load, inject=inject, record=record)


def use_kwargs(
    source: ArgumentsSource,
    *,
    location: Location = "json",
    unknown: UnknownPolicy | _UseLocationDefault | None = LOCATION_DEFAULT,
) -> Decorator:
    """Like :func:`use_args`, but pass each loaded field as a keyword argument.

    ::

        @use_kwargs({"page": fields.Int(load_default=1)}, location="query")
        def get(self, page):
            ...

    A field a schema leaves out (absent and without ``load_default``) is not
    passed, so give such parameters a default. A key that is also a URL
    variable is an error, except with ``location="path"``, whose loaded values
    replace the URL variables.

    .. versionadded:: 0.1
    """
    load = _make_loader(source, location, unknown, as_kwargs=True)
    if isinstance(load, _Reader) and load.many:
        raise ValueError("use_kwargs needs a schema with many=False")
    replaces = location == "path"
    record = _arguments_record(load, source, location, unknown, as_kwargs=True)

    def inject(
        args: tuple[t.Any, ...], kwargs: dict[str, t.Any], value: t.Any
    ) -> tuple[tuple[t.Any, ...], dict[str, t.Any]]:
        if not isinstance(value, Mapping):
            # A schema whose post_load builds an object, for instance.
            kind = type(value).__name__
            raise TypeError(f"use_kwargs needs data loaded as a dict, not {kind}")
        if not replaces and not kwargs.keys().isdisjoint(value):
            clash = ", ".join(sorted(kwargs.keys() & value.keys()))
            raise TypeError(f"use_kwargs: {clash} given twice")
        kwargs.update(value)
        return args, kwargs

    return functools.partial(_wrap, load=load, inject=inject, record=record)


def _arguments_record(
    load: Callable[[], t.Any],
    source: ArgumentsSource,
    location: str,
    unknown: UnknownPolicy | _UseLocationDefault | None,
    *,
    arg_name: str | None = None,
    as_kwargs: bool = False,
) -> Operation:
    """What ``use_args``/``use_kwargs`` record about the operation."""
    # Imported on first use: importing this module does not load the records.
    from .operations import Arguments, Operation

    if isinstance(load, _Reader):
        arguments = Arguments(load.source, location=load.location)
    else:
        # A request parser: its arguments name their own locations.
        arguments = Arguments(source, location=None)
    arguments = dataclasses.replace(
        arguments,
        unknown="location" if unknown is LOCATION_DEFAULT else t.cast(str, unknown),
        arg_name=arg_name,
        as_kwargs=as_kwargs,
    )
    return Operation(arguments=(arguments,))


_Inject = Callable[
    [tuple[t.Any, ...], dict[str, t.Any], t.Any],
    tuple[tuple[t.Any, ...], dict[str, t.Any]],
]


def _wrap(
    func: AnyCallable,
    *,
    load: Callable[[], t.Any],
    inject: _Inject,
    record: Operation,
) -> AnyCallable:
    from .operations import amend

    # A coroutine function needs a coroutine wrapper, or Flask's ensure_sync
    # would take the wrapper for a plain view.
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            args, kwargs = inject(args, kwargs, load())
            return await func(*args, **kwargs)

        amend(async_wrapper, record)
        return async_wrapper

    @functools.wraps(func)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        args, kwargs = inject(args, kwargs, load())
        return func(*args, **kwargs)

    amend(wrapper, record)
    return wrapper


def schema_dumper(source: object) -> Callable[[t.Any], t.Any] | None:
    """Return the function that dumps a body with ``source``, if it is a schema.

    ``source`` is a :class:`marshmallow.Schema` class (instantiated once,
    here) or instance; anything else gives ``None``. As with a fields dict,
    a list or tuple body is dumped item by item even when the schema has
    ``many=False``. :class:`~flask_resources.marshal_with` calls this.

    .. versionadded:: 0.1
    """
    schema = _schema_instance(source)
    if schema is None:
        return None
    dump = schema.dump
    if schema.many:
        return dump

    def dump_one_or_many(data: t.Any) -> t.Any:
        if isinstance(data, (list, tuple)):
            return dump(data, many=True)
        return dump(data)

    return dump_one_or_many


def _make_loader(
    source: ArgumentsSource,
    location: str,
    unknown: UnknownPolicy | _UseLocationDefault | None,
    *,
    as_kwargs: bool = False,
) -> Callable[[], t.Any]:
    if location == "args":
        location = "query"
    if location not in DEFAULT_UNKNOWN_BY_LOCATION:
        choices = ", ".join(sorted({*DEFAULT_UNKNOWN_BY_LOCATION, "args"}))
        raise ValueError(f"unknown location {location!r}, expected one of {choices}")
    if unknown is not None and unknown is not LOCATION_DEFAULT:
        if unknown not in _POLICIES:
            raise ValueError(f"unknown={unknown!r} is not raise, exclude or include")
    if is_pydantic_model(source):
        from .pydantic import model_loader

        if unknown is not LOCATION_DEFAULT:
            raise ValueError(
                "unknown= does not apply to a pydantic model: its"
                " model_config's extra setting decides"
            )
        return model_loader(source, location, as_dict=as_kwargs)
    schema = _schema_instance(source)
    if schema is not None:
        return _SchemaLoader(schema, location, unknown)
    if isinstance(source, Mapping):
        return _SchemaLoader(_schema_from_fields(source), location, unknown)
    parse_args = getattr(source, "parse_args", None)
    if callable(parse_args):
        return functools.partial(parse_args, strict=unknown == "raise")
    raise TypeError(
        "use_args needs a marshmallow Schema class or instance, a dict of"
        " marshmallow fields, a pydantic model (or list[Model]) or a request"
        f" parser, not {type(source).__name__}"
    )


def _schema_instance(source: object) -> ma.Schema | None:
    """Return ``source`` as a schema instance if it is a schema class or
    instance, else ``None``.

    No schema exists before something imports marshmallow, so when nothing
    has, ``source`` is not one and marshmallow stays unloaded: apps that
    never use it do not pay for importing it.
    """
    if "marshmallow" not in sys.modules:
        return None
    import marshmallow as ma

    if isinstance(source, type) and issubclass(source, ma.Schema):
        return source()
    if isinstance(source, ma.Schema):
        return source
    return None


def _schema_from_fields(source: Mapping[t.Any, t.Any]) -> ma.Schema:
    """Build a schema from a dict of marshmallow fields, or raise TypeError."""
    if "marshmallow" in sys.modules:
        import marshmallow as ma

        bad = [k for k, v in source.items() if not isinstance(v, ma.fields.Field)]
        if not bad:
            return ma.Schema.from_dict(dict(source))()
    else:
        # Nothing imported marshmallow, so none of the values is a field.
        bad = list(source)
    raise TypeError(
        f"use_args needs marshmallow fields; not fields: {', '.join(map(str, bad))}"
    )


class _Reader:
    """Reads one location of the current request, then loads it.

    What the request holds is read here, the same way whatever loads it:
    :class:`_SchemaLoader` with a marshmallow schema, the pydantic support
    (:mod:`flask_resources.pydantic`) with a model. Everything that depends
    only on the schema or model is worked out once, at decoration time, so
    that a request only reads, loads and, on failure, explains.

    :param source: what the operation record names as the arguments.
    :param location: the location read.
    :param keys: the keys the loader reads, as they appear in the request.
    :param multi_keys: the keys whose repeated values load as a list.
    :param many: whether the body is a list of items.
    """

    def __init__(
        self,
        source: t.Any,
        location: str,
        *,
        keys: t.Iterable[str],
        multi_keys: t.Iterable[str],
        many: bool,
    ) -> None:
        self.source = source
        self.location = location
        self.many = many
        #: The keys the loader reads, as they appear in the request.
        self.keys = frozenset(keys)
        #: Keys whose repeated values (``?tag=a&tag=b``) load as a list.
        self.multi_keys = frozenset(multi_keys)
        # Header names are case-insensitive.
        self.lower_keys = {key.lower(): key for key in self.keys}

    def __call__(self) -> t.Any:
        location = self.location
        if location == "json_or_form":
            location = "json" if request.is_json else "form"
        if location == "json":
            data = self.read_json()
        elif location == "body":
            data = self.read_body()
        elif location == "headers":
            data = self.read_headers()
        elif location == "path":
            data = dict(request.view_args or {})
        else:
            data = self.read_multidict(location)
        return self.load(data, location)

    def load(self, data: t.Any, location: str) -> t.Any:
        """Load what was read from ``location``, or raise the
        :class:`RequestValidationError` saying why not."""
        raise NotImplementedError

    def read_json(self) -> t.Any:
        """The JSON body: ``{}`` when there is none, a 4xx when it is bad."""
        raw = read_body(request)
        many = self.many
        if not raw:
            if many:
                raise self.error("json", ["Expected a JSON array, got no body."])
            return {}
        if not request.is_json:
            mimetype = request.mimetype or "no content type"
            raise http_error_class(415)(
                f"Expected a JSON body (application/json), got {mimetype}."
            )
        try:
            data = load_json_body(raw, current_app.json.loads)
        except UnicodeError:
            raise _bad_json("The JSON body is not valid UTF-8.") from None
        except RecursionError:
            raise _too_deep("json") from None
        except ValueError as exc:
            raise _bad_json(f"Malformed JSON body: {exc}") from None
        if many:
            if not isinstance(data, list):
                got = json_kind(data)
                raise self.error("json", [f"Expected a JSON array, got {got}."])
        elif not isinstance(data, dict):
            got = json_kind(data)
            raise self.error("json", [f"Expected a JSON object, got {got}."])
        return data

    def read_body(self) -> t.Any:
        """The body as its parser gives it: forms become a plain dict as
        in :meth:`read_multidict`; no body is ``{}``, or an error for
        ``many``, as for JSON."""
        data = parsed_body()
        if data is None:
            if self.many:
                raise self.error("body", ["Expected a list, got no body."])
            return {}
        if isinstance(data, MultiDict):
            return self.flatten(data)
        return data

    def read_multidict(self, location: str) -> dict[str, t.Any]:
        """A query string, form, cookies or files as a plain dict.

        Keys of list fields get every value, other keys the first one.
        """
        if location == "form":
            self.check_form_body()
        values: MultiDict[str, t.Any] = getattr(
            request, "args" if location == "query" else location
        )
        if location in ("form", "files"):
            check_body_length(request)
        return self.flatten(values)

    def flatten(self, values: MultiDict[str, t.Any]) -> dict[str, t.Any]:
        """Keys of list fields get every value, other keys the first one."""
        multi = self.multi_keys
        return {
            key: values.getlist(key) if key in multi else values[key] for key in values
        }

    def check_form_body(self) -> None:
        """Refuse a body Werkzeug would not parse as a form (415)."""
        if request.mimetype in FORM_MIMETYPES:
            return
        if request.content_length or read_body(request):
            mimetype = request.mimetype or "no content type"
            raise http_error_class(415)(f"Expected form data, got {mimetype}.")

    def read_headers(self) -> dict[str, t.Any]:
        """The headers under the schema's spelling of their names.

        A list field gets the comma-separated items of every line of its
        header: WSGI servers join repeated lines with commas, and HTTP
        defines the two forms as equal.
        """
        headers = request.headers
        multi = self.multi_keys
        data: dict[str, t.Any] = {}
        for name, value in headers.items():
            key = self.lower_keys.get(name.lower(), name)
            if key in data:
                continue
            data[key] = _split_header(headers.getlist(name)) if key in multi else value
        return data

    def error(self, location: str, messages: t.Any) -> RequestValidationError:
        """The error for ``messages`` from loading ``location``."""
        if not isinstance(messages, Mapping):
            messages = {"_schema": messages}
        status = current_app.config.get("RESOURCES_VALIDATION_ERROR_STATUS", 400)
        summary = _summarize(location, messages, self.keys, self.many)
        return validation_error_class(status)(summary, {location: messages})


class _SchemaLoader(_Reader):
    """Loads one location of the current request with a marshmallow schema."""

    def __init__(
        self,
        schema: ma.Schema,
        location: str,
        unknown: UnknownPolicy | _UseLocationDefault | None,
    ) -> None:
        import marshmallow as ma

        keys = {
            field.data_key if field.data_key is not None else name: field
            for name, field in schema.load_fields.items()
        }
        super().__init__(
            schema,
            location,
            keys=keys,
            multi_keys=(
                key
                for key, field in keys.items()
                if isinstance(field, (ma.fields.List, ma.fields.Tuple))
            ),
            many=bool(schema.many),
        )
        self.schema = schema
        self.unknown = unknown
        self.validation_error = ma.ValidationError

    def load(self, data: t.Any, location: str) -> t.Any:
        try:
            return self.schema.load(data, unknown=self.policy())
        except self.validation_error as exc:
            raise self.error(location, exc.messages) from exc
        except RecursionError:
            raise _too_deep(location) from None

    def policy(self) -> UnknownPolicy | None:
        """The unknown-key policy for the current app."""
        if self.unknown is not LOCATION_DEFAULT:
            return t.cast("UnknownPolicy | None", self.unknown)
        configured = current_app.config.get("RESOURCES_UNKNOWN_BY_LOCATION")
        if configured and self.location in configured:
            policy = configured[self.location]
            if policy not in _POLICIES:
                raise ValueError(
                    f"RESOURCES_UNKNOWN_BY_LOCATION[{self.location!r}] is"
                    f" {policy!r}, not raise, exclude or include"
                )
            return t.cast(UnknownPolicy, policy)
        return DEFAULT_UNKNOWN_BY_LOCATION[self.location]


def _summarize(
    location: str, messages: Mapping[t.Any, t.Any], keys: frozenset[str], many: bool
) -> str:
    """One line naming what went wrong, for the ``message`` key."""
    parts = []
    others = [key for key in messages if key != "_schema"]
    if many:
        if others:
            parts.append(_names("invalid item", others))
    else:
        invalid = [key for key in others if key in keys]
        unknown = [key for key in others if key not in keys]
        if invalid:
            parts.append(_names("invalid field", invalid))
        if unknown:
            parts.append(_names("unknown field", unknown))
    schema_messages = messages.get("_schema")
    if isinstance(schema_messages, list):
        parts.extend(str(m).rstrip(".") for m in schema_messages)
    elif schema_messages is not None:
        parts.append("invalid data")
    label = _LABELS[location]
    return f"Invalid {label}: {'; '.join(parts)}."


def _names(what: str, keys: list[t.Any]) -> str:
    names = ", ".join(repr(str(key)) for key in sorted(keys, key=str))
    return f"{what}{'s' if len(keys) > 1 else ''} {names}"


def _split_header(lines: list[str]) -> list[str]:
    return [item.strip() for line in lines for item in line.split(",") if item.strip()]


def _bad_json(message: str) -> RequestValidationError:
    # Unreadable bodies are 400 whatever RESOURCES_VALIDATION_ERROR_STATUS
    # says: 422 means well-formed but wrong.
    return validation_error_class(400)(message, {"json": {"_schema": [message]}})


def _too_deep(location: str) -> RequestValidationError:
    message = f"The {_LABELS[location]} is nested too deeply."
    return validation_error_class(400)(message, {location: {"_schema": [message]}})
