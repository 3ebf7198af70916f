"""Output fields: how each value of a marshalled object is fetched and formatted."""

from __future__ import annotations

import typing as t
from calendar import timegm as timegm
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from email.utils import formatdate as formatdate
from urllib.parse import urlparse, urlunparse

from flask import request, url_for

from .exceptions import FlaskResourcesError

if t.TYPE_CHECKING:
    import datetime

__all__ = [
    "Arbitrary",
    "Documentation",
    "Boolean",
    "DateTime",
    "Fixed",
    "Float",
    "FormattedString",
    "Integer",
    "List",
    "MarshallingException",
    "Nested",
    "Price",
    "Raw",
    "String",
    "Url",
]

#: Where a field reads its value: a key or attribute name (dots walk into
#: nested objects), a list index, or a callable given the whole object.
Attribute: t.TypeAlias = "str | int | Callable[[t.Any], t.Any] | None"

#: A fields dict: output keys mapped to fields, field classes or inner dicts.
FieldsMapping: t.TypeAlias = "Mapping[t.Any, Raw | type[Raw] | FieldsMapping]"

#: The errors a built-in field's formatting turns into
#: :class:`MarshallingException`. Flask-RESTful let some of them (such as
#: ``decimal.InvalidOperation`` from :class:`Fixed`) escape as they were.
FORMAT_ERRORS = (
    TypeError,
    ValueError,
    ArithmeticError,
    AttributeError,
)


class MarshallingException(FlaskResourcesError):
    """A value could not be formatted by its field.

    Inside a request it becomes a generic JSON 500 response: the message,
    which may quote the value, is logged but not sent to the client.

    :param underlying_exception: the error that stopped formatting, or a
        message.
    :param field: the output key of the field, dotted for nested fields.
        The marshalling functions fill it in when they catch the error.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        underlying_exception: BaseException | str,
        *,
        field: str | None = None,
    ) -> None:
        super().__init__(str(underlying_exception))
        #: The message of the underlying error.
        self.reason = str(underlying_exception)
        #: Dotted path of the output key that failed, such as
        #: ``"author.born"``, or ``None`` if unknown.
        self.field = field

    def __str__(self) -> str:
        if self.field is None:
            return self.reason
        return f"cannot marshal field {self.field!r}: {self.reason}"

    def add_parent(self, key: t.Any) -> MarshallingException:
        """Prefix :attr:`field` with an enclosing output key and return self.

        Used while the error propagates out of nested fields dicts.
        """
        self.field = str(key) if self.field is None else f"{key}.{self.field}"
        return self


def is_indexable_but_not_string(obj: object) -> bool:
    """Tell whether values are read from ``obj`` by indexing first.

    True for iterables other than strings (dicts, lists, tuples); for those,
    ``obj[key]`` is tried before ``getattr(obj, key)``.
    """
    return not hasattr(obj, "strip") and hasattr(obj, "__iter__")


def get_value(key: Attribute, obj: t.Any, default: t.Any = None) -> t.Any:
    """Read ``key`` from ``obj`` the way every field does.

    An ``int`` indexes, a callable is called with ``obj``, and a string is
    split on dots, each part read as an item (for non-string iterables) or
    else as an attribute. A missing part gives ``default``.

    :param key: name, dotted path, index or callable.
    :param obj: a dict, object or sequence.
    :param default: returned when a part is missing.
    """
    if isinstance(key, int):
        return get_key(key, obj, default)
    if callable(key):
        return key(obj)
    if key is None:
        return default
    for part in key.split("."):
        obj = get_key(part, obj, default)
    return obj


def get_key(key: str | int, obj: t.Any, default: t.Any = None) -> t.Any:
    """Read one undotted ``key`` from ``obj``, as one step of :func:`get_value`."""
    if not hasattr(obj, "strip") and hasattr(obj, "__iter__"):
        try:
            return obj[key]
        except (IndexError, TypeError, KeyError):
            pass
    # A non-string attribute name raises TypeError here, as in Flask-RESTful.
    return getattr(obj, key, default)  # type: ignore[arg-type]


def to_marshallable_type(obj: t.Any) -> t.Any:
    """Return something ``str.format(**...)`` and ``url_for(**...)`` accept.

    ``None`` stays ``None``; an object with ``__marshallable__()`` gives its
    result; anything indexable is returned as is; any other object gives a
    copy of its ``__dict__``.
    """
    if obj is None:
        return None
    if hasattr(obj, "__marshallable__"):
        return obj.__marshallable__()
    if hasattr(obj, "__getitem__"):
        return obj
    return dict(obj.__dict__)


class Documentation(t.TypedDict, total=False):
    """The documentation options every field takes, keyword-only.

    They change nothing in the output; the OpenAPI document shows them as
    the JSON Schema keywords ``title``, ``description``, ``readOnly`` and
    ``examples``. Each may also be a callable returning the value, read
    when the document is built.
    """

    #: A short title for the value.
    title: t.Any
    #: What the value means.
    description: t.Any
    #: Whether the key must be present (Flask-RESTX's models read it for
    #: request bodies; responses always hold every key).
    required: t.Any
    #: Whether the value is only ever sent by the server.
    readonly: t.Any
    #: A typical value.
    example: t.Any


def _set_options(field: Raw, options: Mapping[str, t.Any]) -> None:
    """Set on ``field`` the options given a value other than ``None``.

    Unset options stay class attributes (``None``), so a field's
    ``__dict__``, which the compiled marshallers compare on every call to
    see whether the field changed, holds only what was set.
    """
    for name, value in options.items():
        if value is not None:
            setattr(field, name, value)


class Raw:
    """A field that outputs its value unchanged; the base of all fields.

    Subclass it and override :meth:`format` to change how a value is shown,
    or :meth:`output` to build the value from the whole object. Both may
    raise :class:`MarshallingException`. ::

        class Upper(fields.Raw):
            def format(self, value):
                return str(value).upper()

    Every field also takes the keyword-only documentation options of
    :class:`Documentation`, kept as attributes of the same names::

        fields.String(description="The cat's name", example="Tom")

    :param default: output when the value is missing or ``None``.
    :param attribute: where to read the value instead of the output key: a
        name, a dotted path such as ``"author.name"``, or a callable given
        the object.

    .. versionadded:: 0.1
    """

    title: t.Any = None
    description: t.Any = None
    required: t.Any = None
    readonly: t.Any = None
    example: t.Any = None

    def __init__(
        self,
        default: t.Any = None,
        attribute: Attribute = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        self.attribute = attribute
        self.default = default
        if options:
            _set_options(self, options)

    def compiled_as(self, key: t.Any) -> Raw:
        """Return the field the compiled marshallers write out in its place.

        They inline the reading and formatting of the built-in fields and
        call :meth:`output` for any other. A subclass whose ``output``
        differs from a built-in field's only in ways fixed when the field is
        made may return a built-in field that outputs the same for every
        object, so that it is inlined too. The default is the field itself.

        :param key: the output key the field is under, or ``None`` inside a
            :class:`List`.

        .. versionadded:: 0.1
        """
        return self

    def format(self, value: t.Any) -> t.Any:
        """Turn a value that is not ``None`` into its output form.

        :param value: the value read from the object.
        :raises MarshallingException: if the value cannot be formatted.
        """
        return value

    def output(self, key: t.Any, obj: t.Any) -> t.Any:
        """Read this field's value from ``obj`` and format it.

        :param key: the output key, read when :attr:`attribute` is unset.
        :param obj: the object being marshalled.
        :raises MarshallingException: if the value cannot be formatted.
        """
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if value is None:
            return self.default
        return self.format(value)


class String(Raw):
    """Output the value as ``str(value)``.

    The keyword-only options document the value (the JSON Schema keyword
    each becomes in brackets):

    :param pattern: a regular expression the text matches (``pattern``).
    :param enum: the values it takes (``enum``).
    :param min_length: its fewest characters (``minLength``).
    :param max_length: its most characters (``maxLength``).
    :param discriminator: whether it names the type of the object holding
        it, as Flask-RESTX's models use it.

    .. versionadded:: 0.1
    """

    pattern: t.Any = None
    enum: t.Any = None
    min_length: t.Any = None
    max_length: t.Any = None
    discriminator: t.Any = None

    def __init__(
        self,
        default: t.Any = None,
        attribute: Attribute = None,
        *,
        pattern: t.Any = None,
        enum: t.Any = None,
        min_length: t.Any = None,
        max_length: t.Any = None,
        discriminator: t.Any = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(default, attribute, **options)
        if (pattern, enum, min_length, max_length, discriminator) != _NONE5:
            _set_options(
                self,
                {
                    "pattern": pattern,
                    "enum": enum,
                    "min_length": min_length,
                    "max_length": max_length,
                    "discriminator": discriminator,
                },
            )

    def format(self, value: t.Any) -> str:
        try:
            return str(value)
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


class _Number(Raw):
    """The documentation options of the number fields; see :class:`Integer`."""

    min: t.Any = None
    max: t.Any = None
    exclusiveMin: t.Any = None
    exclusiveMax: t.Any = None
    multiple: t.Any = None

    def __init__(
        self,
        default: t.Any = None,
        attribute: Attribute = None,
        *,
        min: t.Any = None,
        max: t.Any = None,
        exclusiveMin: t.Any = None,
        exclusiveMax: t.Any = None,
        multiple: t.Any = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(default, attribute, **options)
        if (min, max, exclusiveMin, exclusiveMax, multiple) != _NONE5:
            _set_options(
                self,
                {
                    "min": min,
                    "max": max,
                    "exclusiveMin": exclusiveMin,
                    "exclusiveMax": exclusiveMax,
                    "multiple": multiple,
                },
            )


_NONE5 = (None, None, None, None, None)


class Integer(_Number):
    """Output the value as ``int(value)``; a missing value gives ``0``.

    :class:`Integer`, :class:`Float`, :class:`Fixed` and :class:`Arbitrary`
    take these keyword-only options to document the value (the JSON Schema
    keyword each becomes in brackets):

    :param default: output when the value is missing or ``None``.
    :param min: the smallest value (``minimum``).
    :param max: the largest value (``maximum``).
    :param exclusiveMin: ``True`` if the value is always above ``min``
        (``exclusiveMinimum``); a number is taken as that bound itself.
    :param exclusiveMax: ``True`` if the value is always below ``max``
        (``exclusiveMaximum``); a number is taken as that bound itself.
    :param multiple: what the value is a multiple of (``multipleOf``).

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        default: t.Any = 0,
        *,
        attribute: Attribute = None,
        min: t.Any = None,
        max: t.Any = None,
        exclusiveMin: t.Any = None,
        exclusiveMax: t.Any = None,
        multiple: t.Any = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(
            default,
            attribute,
            min=min,
            max=max,
            exclusiveMin=exclusiveMin,
            exclusiveMax=exclusiveMax,
            multiple=multiple,
            **options,
        )

    def format(self, value: t.Any) -> t.Any:
        if value is None:
            return self.default
        try:
            return int(value)
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


class Float(_Number):
    """Output the value as ``float(value)``.

    Takes the number options of :class:`Integer`.

    .. versionadded:: 0.1
    """

    def format(self, value: t.Any) -> float:
        try:
            return float(value)
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


class Boolean(Raw):
    """Output the truth of the value; empty strings and containers are false.

    .. versionadded:: 0.1
    """

    def format(self, value: t.Any) -> bool:
        try:
            return bool(value)
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


class Arbitrary(_Number):
    """Output a number of any precision as a decimal string.

    ``Decimal("634271127864378216478362784632784678324.23432")`` comes out
    with every digit, which a JSON float would lose. Takes the number
    options of :class:`Integer`.

    .. versionadded:: 0.1
    """

    def format(self, value: t.Any) -> str:
        try:
            return str(Decimal(value))
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


#: Zero as a Decimal; Flask-RESTful's module exposes it as ``ZERO``.
ZERO = _ZERO = Decimal()
#: Flask-RESTful's name for :class:`decimal.Decimal` in this module.
MyDecimal = Decimal


class Fixed(_Number):
    """Output a number as a decimal string with a fixed number of decimals.

    Rounds half to even: ``Fixed(2)`` gives ``"3.14"`` for ``3.14159``.
    Infinity and NaN raise :class:`MarshallingException`. Takes the number
    options of :class:`Integer`.

    :param decimals: digits after the decimal point.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        decimals: int = 5,
        *,
        default: t.Any = None,
        attribute: Attribute = None,
        min: t.Any = None,
        max: t.Any = None,
        exclusiveMin: t.Any = None,
        exclusiveMax: t.Any = None,
        multiple: t.Any = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(
            default,
            attribute,
            min=min,
            max=max,
            exclusiveMin=exclusiveMin,
            exclusiveMax=exclusiveMax,
            multiple=multiple,
            **options,
        )
        self.precision = Decimal("0." + "0" * (decimals - 1) + "1")

    def format(self, value: t.Any) -> str:
        try:
            number = Decimal(value)
            if not number.is_normal() and number != _ZERO:
                raise MarshallingException("Invalid Fixed precision number.")
            return str(number.quantize(self.precision, rounding=ROUND_HALF_EVEN))
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


#: :class:`Fixed` under the name Flask-RESTful also gave it.
Price = Fixed

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def rfc822(value: datetime.datetime) -> str:
    """Format a datetime as RFC 822 in UTC: ``"Sat, 01 Jan 2011 00:00:00 -0000"``.

    A naive datetime is taken to be UTC. Gives the same text as
    ``email.utils.formatdate(calendar.timegm(value.utctimetuple()))``
    without the round trip through a timestamp.
    """
    tt = value.utctimetuple()
    return (
        f"{_DAYS[tt.tm_wday]}, {tt.tm_mday:02d} {_MONTHS[tt.tm_mon - 1]}"
        f" {tt.tm_year:04d} {tt.tm_hour:02d}:{tt.tm_min:02d}:{tt.tm_sec:02d} -0000"
    )


def iso8601(value: datetime.datetime) -> str:
    """Format a datetime as ISO 8601, keeping its offset if it has one."""
    return value.isoformat()


class DateTime(Raw):
    """Output a datetime as RFC 822 (the default) or ISO 8601 text.

    ``datetime(2011, 1, 1)`` gives ``"Sat, 01 Jan 2011 00:00:00 -0000"`` or,
    with ``dt_format="iso8601"``, ``"2011-01-01T00:00:00"``. RFC 822 output
    is converted to UTC; ISO 8601 output keeps the value's own offset.

    :param dt_format: ``"rfc822"`` or ``"iso8601"``.

    .. versionadded:: 0.1
    """

    #: The formatter for each ``dt_format`` name.
    formatters: t.ClassVar[dict[str, Callable[[t.Any], str]]] = {
        "rfc822": rfc822,
        "iso8601": iso8601,
    }

    def __init__(
        self,
        dt_format: str = "rfc822",
        *,
        default: t.Any = None,
        attribute: Attribute = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(default, attribute, **options)
        self.dt_format = dt_format

    def format(self, value: t.Any) -> str:
        formatter = self.formatters.get(self.dt_format)
        if formatter is None:
            raise MarshallingException(f"Unsupported date format {self.dt_format}")
        try:
            return formatter(value)
        except FORMAT_ERRORS as e:
            raise MarshallingException(e) from e


class FormattedString(Raw):
    """Output a :meth:`str.format` template filled from the whole object.

    ``FormattedString("{first} {last}")`` reads ``first`` and ``last`` from
    the object (keys of a dict, otherwise attributes). ::

        greeting = fields.FormattedString("Hello {name}")

    :param src_str: the template.

    .. versionadded:: 0.1
    """

    def __init__(self, src_str: str, **options: t.Unpack[Documentation]) -> None:
        super().__init__(**options)
        self.src_str = str(src_str)

    def output(self, key: t.Any, obj: t.Any) -> str:
        try:
            return self.src_str.format(**to_marshallable_type(obj))
        except (*FORMAT_ERRORS, IndexError, KeyError) as e:
            raise MarshallingException(e) from e


class Url(Raw):
    """Output the URL of an endpoint, built from the object's values.

    The object's keys or attributes fill the rule's variables, as in
    ``url_for(endpoint, **vars(obj))``; the query string is dropped. Needs
    an application context (and a request one when ``endpoint`` is unset).

    :param endpoint: the endpoint name; ``None`` uses the current request's.
    :param absolute: include scheme and host.
    :param scheme: replace the scheme of an absolute URL, such as ``"https"``.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        endpoint: str | None = None,
        absolute: bool = False,
        scheme: str | None = None,
        *,
        default: t.Any = None,
        attribute: Attribute = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(default, attribute, **options)
        self.endpoint = endpoint
        self.absolute = absolute
        self.scheme = scheme

    def output(self, key: t.Any, obj: t.Any) -> str:
        try:
            values = to_marshallable_type(obj)
            endpoint = self.endpoint if self.endpoint is not None else request.endpoint
            parts = urlparse(url_for(endpoint, _external=self.absolute, **values))  # type: ignore[arg-type]
        except TypeError as e:
            raise MarshallingException(e) from e
        if self.absolute:
            scheme = self.scheme if self.scheme is not None else parts.scheme
            return urlunparse((scheme, parts.netloc, parts.path, "", "", ""))
        return urlunparse(("", "", parts.path, "", "", ""))


class Nested(Raw):
    """Output the value marshalled with another fields dict.

    A list or tuple value gives a list of dicts. A ``None`` value gives
    ``None`` with ``allow_null=True``, else ``default`` if one is set, else
    a dict of the inner fields' defaults. ::

        author_fields = {"name": fields.String}
        book_fields = {"author": fields.Nested(author_fields, allow_null=True)}

    :param nested: the inner fields dict.
    :param allow_null: output ``None`` for a ``None`` value.
    :param default: output for a ``None`` value when ``allow_null`` is false.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        nested: FieldsMapping,
        allow_null: bool = False,
        *,
        default: t.Any = None,
        attribute: Attribute = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        self.nested = nested
        self.allow_null = allow_null
        super().__init__(default, attribute, **options)

    def output(self, key: t.Any, obj: t.Any) -> t.Any:
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if value is None:
            if self.allow_null:
                return None
            if self.default is not None:
                return self.default
        return marshal_slow(value, self.nested)


class List(Raw):
    """Output a list, each item formatted by an inner field.

    ``List(String)`` gives a list of strings; ``List(Nested(fields))`` a
    list of dicts, and for a single object a one-item list. A set is
    output in iteration order.

    :param cls_or_instance: the item field, a :class:`Raw` subclass or
        instance.
    :param min_items: the fewest items, documented as ``minItems``.
    :param max_items: the most items, documented as ``maxItems``.
    :param unique: whether no item appears twice (``uniqueItems``).

    .. versionadded:: 0.1
    """

    min_items: t.Any = None
    max_items: t.Any = None
    unique: t.Any = None

    def __init__(
        self,
        cls_or_instance: Raw | type[Raw],
        *,
        default: t.Any = None,
        attribute: Attribute = None,
        min_items: t.Any = None,
        max_items: t.Any = None,
        unique: t.Any = None,
        **options: t.Unpack[Documentation],
    ) -> None:
        super().__init__(default, attribute, **options)
        if min_items is not None or max_items is not None or unique is not None:
            _set_options(
                self,
                {"min_items": min_items, "max_items": max_items, "unique": unique},
            )
        if isinstance(cls_or_instance, type) and issubclass(cls_or_instance, Raw):
            self.container: Raw = cls_or_instance()
        elif isinstance(cls_or_instance, Raw):
            self.container = cls_or_instance
        else:
            raise MarshallingException(
                "The type of the list elements must be a subclass of"
                " flask_resources.fields.Raw"
            )

    def format(self, value: t.Any) -> list[t.Any]:
        if isinstance(value, set):
            value = list(value)
        container = self.container
        # Flask-RESTful's rule for what each item field reads from: the item
        # itself if it is a dict or has the item field's attribute (so that
        # ``List(String(attribute="name"))`` works), else the list by index.
        by_item = not isinstance(container, Nested) and type(container) is not Raw
        attribute = container.attribute
        return [
            container.output(
                index,
                item
                if by_item
                and (
                    isinstance(item, dict) or (attribute and hasattr(item, attribute))  # type: ignore[arg-type]
                )
                else value,
            )
            for index, item in enumerate(value)
        ]

    def output(self, key: t.Any, obj: t.Any) -> t.Any:
        value = get_value(key if self.attribute is None else self.attribute, obj)
        return self.format_value(value)

    def format_value(self, value: t.Any) -> t.Any:
        """Output an already read value: what :meth:`output` does after reading.

        :param value: the value read from the object.
        """
        if is_indexable_but_not_string(value) and not isinstance(value, dict):
            return self.format(value)
        if value is None:
            return self.default
        if not isinstance(self.container, Nested):
            raise MarshallingException(
                f"a single {type(value).__name__} value needs a List of Nested"
            )
        return [marshal_slow(value, self.container.nested)]


def make_field(field: Raw | type[Raw]) -> Raw:
    """Return ``field``, instantiated first if it is a field class."""
    return field() if isinstance(field, type) else field


def marshal_slow(data: t.Any, fields: FieldsMapping) -> t.Any:
    """Marshal by asking every field for its :meth:`~Raw.output` each time.

    This is the reference behaviour the compiled marshallers of
    :mod:`flask_resources.marshalling` reproduce; it is also what they run
    for a fields dict used only once. Use :func:`~flask_resources.marshal`.
    """
    if isinstance(data, (list, tuple)):
        return [marshal_slow(item, fields) for item in data]
    return _marshal_slow_one(data, fields)


def _marshal_slow_one(obj: t.Any, fields: FieldsMapping) -> dict[t.Any, t.Any]:
    result = {}
    for key, field in fields.items():
        try:
            if isinstance(field, Mapping):
                result[key] = _marshal_slow_one(obj, field)
            else:
                result[key] = make_field(field).output(key, obj)
        except MarshallingException as e:
            e.add_parent(key)
            raise
    return result


def __getattr__(name: str) -> t.Any:
    # Flask-RESTful's fields module imported ``marshal`` from its package,
    # and code imports it (and ``marshal_with``) from there. Looked up on
    # first use so that this module, which marshalling builds on, does not
    # import it at load time.
    if name in ("marshal", "marshal_with", "marshal_with_field"):
        from . import marshalling

        return getattr(marshalling, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
