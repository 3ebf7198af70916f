"""The base of Flask-RESTX's fields: :class:`Raw`, the option mixins, the
error class and how values are read."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from ... import fields as core
from ...exceptions import OpenAPIError
from ..errors import RestError

if t.TYPE_CHECKING:
    from ...openapi.convert.fields import FieldsConverter

JSON_TYPES = frozenset(
    ("string", "number", "integer", "boolean", "object", "array", "null")
)


class MarshallingError(core.MarshallingException, RestError):
    """A value could not be formatted by its field.

    Also a :class:`~flask_resources.fields.MarshallingException`, so the
    core's handlers (a JSON 500 inside a request) apply to it.

    :param underlying_exception: the error that stopped formatting, or a
        message.
    :param field: the output key of the field, when known.
    """

    def __init__(
        self, underlying_exception: BaseException | str, *, field: str | None = None
    ) -> None:
        super().__init__(underlying_exception, field=field)


is_indexable_but_not_string = core.is_indexable_but_not_string
to_marshallable_type = core.to_marshallable_type


def is_integer_indexable(obj: object) -> bool:
    """Tell whether a numeric key such as ``"0"`` indexes ``obj``."""
    return isinstance(obj, (list, tuple))


def get_value(key: t.Any, obj: t.Any, default: t.Any = None) -> t.Any:
    """Read ``key`` from ``obj`` as Flask-RESTX's fields do.

    As :func:`flask_resources.fields.get_value`, and a dotted path's
    numeric parts also index lists and tuples: ``"tags.0"``.
    """
    if isinstance(key, int):
        return _value_for_key(key, obj, default)
    if callable(key):
        return key(obj)
    if "." not in key:
        return _value_for_key(key, obj, default)
    for part in key.split("."):
        obj = _value_for_key(part, obj, default)
    return obj


def _value_for_key(key: t.Any, obj: t.Any, default: t.Any) -> t.Any:
    if is_indexable_but_not_string(obj):
        try:
            return obj[key]
        except (IndexError, TypeError, KeyError):
            pass
    if is_integer_indexable(obj):
        try:
            return obj[int(key)]
        except (IndexError, TypeError, ValueError):
            pass
    return getattr(obj, key, default)


def _marshal(data: t.Any, fields: t.Any, **options: t.Any) -> t.Any:
    # marshalling imports this module: look it up when first needed.
    from ..marshalling import marshal

    return marshal(data, fields, **options)


def _plain_source(source: t.Any) -> bool:
    """Whether the core reads ``source`` as Flask-RESTX does: not a dotted
    path nor a number written as text, which Flask-RESTX also uses to
    index lists."""
    return not isinstance(source, str) or ("." not in source and not source.isdigit())


def _not_none(data: Mapping[str, t.Any]) -> dict[str, t.Any]:
    return {key: value for key, value in data.items() if value is not None}


class Raw(core.Raw):
    """A field that outputs its value unchanged; the base of all fields.

    Takes Flask-RESTX's arguments in its order; unknown keyword arguments
    are ignored, as Flask-RESTX ignores them. ``default`` may be a callable
    giving the value, and a truthy default is formatted like a value.

    :param default: output when the value is missing or ``None``.
    :param attribute: where to read the value instead of the output key.
    :param title: documentation: a short title.
    :param description: documentation: what the value means.
    :param required: whether a request body must hold the key.
    :param readonly: documentation: only the server sends the value.
    :param example: documentation: a typical value.
    :param mask: a :class:`~flask_resources.restx.mask.Mask` applied to the
        value.
    :param nullable: whether a request body may hold ``null`` for the key.
    """

    #: The JSON Schema type of the value; a subclass may set its own.
    __schema_type__: t.ClassVar[t.Any] = "object"
    #: The JSON Schema format of the value; a subclass may set its own.
    __schema_format__: t.ClassVar[t.Any] = None
    #: The example used when the field is given none.
    __schema_example__: t.ClassVar[t.Any] = None

    mask: t.Any = None
    nullable: t.Any = None

    def __init__(
        self,
        default: t.Any = None,
        attribute: t.Any = None,
        title: t.Any = None,
        description: t.Any = None,
        required: t.Any = None,
        readonly: t.Any = None,
        example: t.Any = None,
        mask: t.Any = None,
        nullable: t.Any = None,
        **kwargs: t.Any,
    ) -> None:
        # The core class's own __init__ only: the core subclasses' set what
        # the Flask-RESTX classes set themselves, in their own way.
        core.Raw.__init__(
            self,
            default,
            attribute,
            title=title,
            description=description,
            required=required,
            readonly=readonly,
        )
        if example is None:
            example = type(self).__schema_example__
        if example is not None:
            self.example = example
        if mask is not None:
            self.mask = mask
        if nullable is not None:
            self.nullable = nullable

    def _v(self, key: str) -> t.Any:
        """The attribute ``key``, called first if it is callable."""
        value = getattr(self, key)
        return value() if callable(value) else value

    def format(self, value: t.Any) -> t.Any:
        """Format a value read from the object; unchanged by default.

        :raises MarshallingError: if the value cannot be formatted.
        """
        return value

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        """Read this field's value from ``obj``, format it and apply the
        field's mask.

        :raises MarshallingError: if the value cannot be formatted.
        """
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if value is None:
            default = self._v("default")
            return self.format(default) if default else default
        try:
            data = self.format(value)
        except core.MarshallingException as e:
            raise MarshallingError(
                f'Unable to marshal field "{key}" value "{value}": {e}'
            ) from e
        return self.mask.apply(data) if self.mask else data

    # -- the compiled marshallers ------------------------------------------

    def compiled_as(self, key: t.Any) -> core.Raw:
        base = _twin_base(type(self))
        if base is None or self.mask is not None or callable(self.default):
            return self
        source = key if self.attribute is None else self.attribute
        if not _plain_source(source):
            return self
        default = self.default
        if default:
            try:
                default = self.format(default)
            except Exception:
                return self
        return base._twin(self, default)

    def _twin(self, default: t.Any) -> core.Raw:
        """The core field that outputs what this one does, ``default``
        already formatted; only called for fields with the class's own
        ``output`` and ``format``."""
        return core.Raw(default, self.attribute)

    # -- JSON Schema ---------------------------------------------------------

    def openapi_schema(self, converter: FieldsConverter, path: str) -> t.Any:
        """The field's JSON Schema in the OpenAPI document; the hook
        :class:`~flask_resources.openapi.convert.FieldsConverter` calls.

        A subclass that overrides Flask-RESTX's :meth:`schema` gets what it
        returns, less ``None`` values.
        """
        if type(self).schema is not Raw.schema:
            return _not_none(self.schema())
        return self.json_schema(converter, path)

    def json_schema(self, converter: FieldsConverter, path: str) -> dict[str, t.Any]:
        """Build the field's JSON Schema with ``converter``.

        The type is Flask-RESTX's (``__schema_type__`` and
        ``__schema_format__``), since Flask-RESTX validates request bodies
        against it; ``null`` is accepted only with ``nullable=True``.
        """
        schema = self._type_schema(path)
        if self.nullable:
            schema = _nullable(schema)
        return converter.documented(schema, self._keywords(converter, path))

    def _type_schema(self, path: str) -> dict[str, t.Any]:
        cls = type(self)
        schema: dict[str, t.Any] = {}
        kind = cls.__schema_type__
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            if not kinds or not all(k in JSON_TYPES for k in kinds):
                raise OpenAPIError(
                    f"field {path or '?'}: {cls.__name__}.__schema_type__ is"
                    f" {kind!r}, not a JSON Schema type (one of"
                    f" {', '.join(sorted(JSON_TYPES))}, or a list of them)"
                )
            schema["type"] = kind
        if cls.__schema_format__ is not None:
            schema["format"] = cls.__schema_format__
        return schema

    def _keywords(
        self,
        converter: FieldsConverter,
        path: str,
        options: Mapping[str, t.Any] | None = None,
    ) -> dict[str, t.Any]:
        keywords = converter.keywords(self, path, options)
        default = self._schema_default()
        if default is not None:
            keywords["default"] = default
        return keywords

    def _schema_default(self) -> t.Any:
        default = self._v("default")
        if default is None:
            return None
        return default if _is_json(default) else None

    def schema(self) -> dict[str, t.Any]:
        """The field's JSON Schema, as the OpenAPI document shows it; a
        named model is a ``$ref`` to ``#/components/schemas/<name>``."""
        from ...openapi.convert.fields import FieldsConverter

        converter = FieldsConverter(_model_name, _ignore_component)
        return self.json_schema(converter, "")

    @property
    def __schema__(self) -> dict[str, t.Any]:
        """:meth:`schema`, under Flask-RESTX's name."""
        return self.schema()


def _twin_base(cls: type[Raw]) -> type[Raw] | None:
    """The nearest class of ``cls`` that has a core twin (defines
    ``_twin``), if ``cls`` keeps its ``output`` and ``format``."""
    for base in cls.__mro__:
        if "_twin" in vars(base):
            if cls.output is base.output and cls.format is base.format:  # type: ignore[attr-defined]
                return base
            return None
    return None


def _model_name(mapping: Mapping[t.Any, t.Any]) -> str | None:
    name = getattr(mapping, "name", None)
    return name if isinstance(name, str) else None


def _ignore_component(name: str, schema: dict[str, t.Any]) -> None:
    pass


def _nullable(schema: dict[str, t.Any]) -> dict[str, t.Any]:
    from ...openapi.convert._json import nullable

    return nullable(schema)


def _is_json(value: t.Any) -> bool:
    from ...openapi.convert._json import json_value

    return json_value(value)[0]


class StringMixin:
    """Documentation options of text: ``min_length``, ``max_length`` and
    ``pattern``."""

    __schema_type__: t.ClassVar[t.Any] = "string"

    min_length: t.Any = None
    max_length: t.Any = None
    pattern: t.Any = None

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        options = {
            name: kwargs.pop(name, None)
            for name in ("min_length", "max_length", "pattern")
        }
        super().__init__(*args, **kwargs)
        _set(self, options)


class MinMaxMixin:
    """Documentation options of bounds: ``min``, ``max``, ``exclusiveMin``
    and ``exclusiveMax`` (also read as ``minimum``, ``maximum``,
    ``exclusiveMinimum`` and ``exclusiveMaximum``)."""

    min: t.Any = None
    max: t.Any = None
    exclusiveMin: t.Any = None
    exclusiveMax: t.Any = None

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        options = {
            name: kwargs.pop(name, None)
            for name in ("min", "max", "exclusiveMin", "exclusiveMax")
        }
        super().__init__(*args, **kwargs)
        _set(self, options)

    @property
    def minimum(self) -> t.Any:
        return self.min

    @minimum.setter
    def minimum(self, value: t.Any) -> None:
        self.min = value

    @property
    def maximum(self) -> t.Any:
        return self.max

    @maximum.setter
    def maximum(self, value: t.Any) -> None:
        self.max = value

    @property
    def exclusiveMinimum(self) -> t.Any:
        return self.exclusiveMin

    @exclusiveMinimum.setter
    def exclusiveMinimum(self, value: t.Any) -> None:
        self.exclusiveMin = value

    @property
    def exclusiveMaximum(self) -> t.Any:
        return self.exclusiveMax

    @exclusiveMaximum.setter
    def exclusiveMaximum(self, value: t.Any) -> None:
        self.exclusiveMax = value


class NumberMixin(MinMaxMixin):
    """The bounds of :class:`MinMaxMixin` and ``multiple``."""

    __schema_type__: t.ClassVar[t.Any] = "number"

    multiple: t.Any = None

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        multiple = kwargs.pop("multiple", None)
        super().__init__(*args, **kwargs)
        if multiple is not None:
            self.multiple = multiple


def _set(obj: object, options: Mapping[str, t.Any]) -> None:
    for name, value in options.items():
        if value is not None:
            setattr(obj, name, value)
