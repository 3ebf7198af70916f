"""``Argument``: one request argument, where to find it and how to convert it."""

from __future__ import annotations

import decimal
import inspect
import typing as t
from collections.abc import MutableSequence

from flask import current_app
from werkzeug.datastructures import FileStorage

from ..exceptions import abort
from .sources import _entry, _Sources

#: How :class:`Argument` may treat the values found for it.
ArgumentAction: t.TypeAlias = t.Literal["store", "append", "split"]

_FRIENDLY_LOCATION = {
    "json": "the JSON body",
    "form": "the post body",
    "args": "the query string",
    "values": "the post body or the query string",
    "headers": "the HTTP headers",
    "cookies": "the request's cookies",
    "files": "an uploaded file",
}

# The attributes whose change makes an Argument work out its plan again.
_OPTIONS = frozenset(
    {
        "name",
        "dest",
        "type",
        "location",
        "choices",
        "action",
        "help",
        "operators",
        "case_sensitive",
        "trim",
    }
)


def _strict_int(value: t.Any, name: str, op: str) -> int:
    # ``int()`` alone takes ``true`` as 1 and truncates 2.5 to 2.
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"{value} is not a valid integer")
    return int(value)


def _decimal(value: t.Any, name: str, op: str) -> decimal.Decimal:
    # Through ``str`` so that the float 0.1 gives Decimal("0.1").
    try:
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise ValueError(f"{value} is not a valid decimal") from None


def _arities(func: t.Callable[..., t.Any]) -> tuple[int, ...]:
    """Which of ``func(value, name, op)``, ``(value, name)``, ``(value)`` bind."""
    if isinstance(func, type) and func.__module__ == "builtins":
        return (1,)
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return (3, 2, 1)
    found = []
    for count in (3, 2, 1):
        try:
            signature.bind(*range(count))
        except TypeError:
            continue
        found.append(count)
    return tuple(found) or (3, 2, 1)


def _caller(func: t.Callable[..., t.Any]) -> t.Callable[[t.Any, str, str], t.Any]:
    """Wrap a ``type`` so it is always called as ``(value, name, op)``.

    Flask-RESTful tried ``type(value, name, op)``, then ``(value, name)``,
    then ``(value)``, moving on at each :exc:`TypeError`. The tries that
    cannot bind are worked out here once; the others keep that order.
    """
    if func is int:
        return _strict_int
    if func is decimal.Decimal:
        return _decimal
    arities = _arities(func)
    if arities == (1,):
        return lambda value, name, op: func(value)
    if arities == (2,):
        return lambda value, name, op: func(value, name)
    if arities == (3,):
        return func

    def call(value: t.Any, name: str, op: str) -> t.Any:
        given = (value, name, op)
        for count in arities[:-1]:
            try:
                return func(*given[:count])
            except TypeError:
                pass
        return func(*given[: arities[-1]])

    return call


def _bundle_config() -> bool:
    try:
        return bool(current_app.config.get("BUNDLE_ERRORS", False))
    except RuntimeError:  # no application context
        return False


class Argument:
    """One argument of a :class:`RequestParser`.

    :param name: the key to look for in the request.
    :param default: the value when the argument is absent; a callable is
        called to make it.
    :param dest: the key in the parsed :class:`Namespace`; ``name`` if not
        given.
    :param required: answer 400 when the argument is absent.
    :param ignore: skip values that ``type`` fails to convert instead of
        answering 400.
    :param type: converts each value; called as ``type(value, name, op)``,
        ``type(value, name)`` or ``type(value)``, whichever it accepts. Its
        error message becomes the 400 response's message. ``int`` rejects
        booleans and floats with a fraction.
    :param location: the request attributes to read, such as ``"json"``,
        ``"values"``, ``"args"``, ``"form"``, ``"headers"``, ``"cookies"``
        or ``"files"``; a string or a sequence searched in order.
    :param choices: the values allowed after conversion.
    :param action: ``"store"`` keeps the first value, ``"append"`` a list of
        all of them, ``"split"`` a list of the comma-separated parts of all
        of them.
    :param help: the error message to send instead of the converter's;
        ``{error_msg}`` in it stands for the converter's message.
    :param operators: suffixes for names to look for: ``">="`` looks for
        ``name>``; each is passed to ``type`` as ``op``.
    :param case_sensitive: if false, string values (and choices) are
        lower-cased.
    :param store_missing: store ``default`` when the argument is absent.
    :param trim: strip white space around string values.
    :param nullable: accept ``null`` (``None``) as a value.

    .. versionadded:: 0.1
    """

    #: Whether ``parse`` and ``source`` are the ones defined here, so the
    #: parser can share one read of each location between arguments.
    _shared_sources: t.ClassVar[bool] = True
    #: Whether ``handle_validation_error`` is the one defined here.
    _own_error_handler: t.ClassVar[bool] = True
    #: Whether ``convert`` is the one defined here.
    _own_convert: t.ClassVar[bool] = True
    #: Whether ``make_converter`` is the one defined here.
    _own_converter: t.ClassVar[bool] = True

    # Worked out by ``_compile`` from the options.
    _single: bool
    _locations: tuple[str, ...]
    _lookups: tuple[tuple[str, str], ...]
    _choices: t.Collection[t.Any] | None
    _missing: str
    _reshape: bool
    _call: t.Callable[[t.Any, str, str], t.Any]

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._shared_sources = (
            cls.parse is Argument.parse and cls.source is Argument.source
        )
        cls._own_convert = cls.convert is Argument.convert
        cls._own_converter = cls.make_converter is Argument.make_converter
        cls._own_error_handler = (
            cls.handle_validation_error is Argument.handle_validation_error
        )

    def __init__(
        self,
        name: str,
        default: t.Any = None,
        dest: str | None = None,
        required: bool = False,
        ignore: bool = False,
        type: t.Callable[..., t.Any] = str,
        location: str | t.Sequence[str] = ("json", "values"),
        choices: t.Collection[t.Any] = (),
        action: ArgumentAction = "store",
        help: str | None = None,
        operators: t.Sequence[str] = ("=",),
        case_sensitive: bool = True,
        store_missing: bool = True,
        trim: bool = False,
        nullable: bool = True,
    ) -> None:
        self.name = name
        self.default = default
        self.dest = dest
        self.required = required
        self.ignore = ignore
        self.type = type
        self.location = location
        self.choices = choices
        self.action = action
        self.help = help
        self.operators = operators
        self.case_sensitive = case_sensitive
        self.store_missing = store_missing
        self.trim = trim
        self.nullable = nullable
        self._compile()

    #: Bumped by every attribute set, so a parser's compiled plan can tell
    #: that the argument changed.
    _version: int = 0

    def __setattr__(self, key: str, value: t.Any) -> None:
        object.__setattr__(self, key, value)
        state = self.__dict__
        state["_version"] = state.get("_version", 0) + 1
        if key in _OPTIONS and "_call" in state:
            self._compile()

    def __setstate__(self, state: dict[str, t.Any]) -> None:
        self.__dict__.update(state)
        self._compile()

    def _compile(self) -> None:
        """Work out, once, everything parsing needs that options decide."""
        location = self.location
        single = isinstance(location, str)
        locations = (location,) if isinstance(location, str) else tuple(location)
        friendly = " or ".join(_FRIENDLY_LOCATION.get(loc, loc) for loc in locations)
        choices: t.Collection[t.Any] | None = self.choices or None
        if choices is not None and not self.case_sensitive:
            choices = [c.lower() if isinstance(c, str) else c for c in choices]
        state = self.__dict__
        state["_single"] = single
        state["_locations"] = locations
        state["_lookups"] = tuple(
            (self.name + op.replace("=", "", 1), op) for op in self.operators
        )
        state["_choices"] = choices
        state["_missing"] = f"Missing required parameter in {friendly}"
        state["_reshape"] = (
            self.action == "split" or self.trim or not self.case_sensitive
        )
        state["_call"] = self.make_converter()

    def make_converter(self) -> t.Callable[[t.Any, str, str], t.Any]:
        """Return the function that converts each value, called as
        ``(value, name, op)``.

        By default ``type`` itself, called with as many of those as it
        accepts, with ``int`` and ``Decimal`` made strict (see the ``type``
        option). Called again whenever an option changes. A subclass
        overrides it to convert a ``type`` of its own kind while keeping the
        parser's fast path, which :meth:`convert` overridden gives up.

        .. versionadded:: 0.1
        """
        return _caller(self.type)

    def choice_error(self, value: t.Any, name: str) -> Exception:
        """Return the error for a value that is not one of ``choices``.

        :param value: the converted value.
        :param name: the name it was found under, with its operator's
            suffix.

        .. versionadded:: 0.1
        """
        return ValueError(f"{value} is not a valid choice")

    def __str__(self) -> str:
        choices = list(self.choices)
        if len(choices) > 5:
            choices = [*choices[:3], "...", choices[-1]]
        return f"Name: {self.name}, type: {self.type}, choices: {choices}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.name!r}, default={self.default!r},"
            f" dest={self.dest!r}, required={self.required!r},"
            f" ignore={self.ignore!r}, location={self.location!r},"
            f" type={self.type!r}, choices={self.choices!r},"
            f" action={self.action!r}, help={self.help!r},"
            f" case_sensitive={self.case_sensitive!r},"
            f" operators={self.operators!r}, store_missing={self.store_missing!r},"
            f" trim={self.trim!r}, nullable={self.nullable!r})"
        )

    def source(self, request: t.Any) -> t.Any:
        """Return this argument's locations of ``request`` as one mapping.

        One location gives that attribute of the request as it is (the JSON
        body is a :class:`dict`); several are merged into a
        :class:`~werkzeug.datastructures.MultiDict`, JSON lists spread into
        one value per item. Parsing does not call this; it is kept for code
        written against Flask-RESTful.
        """
        from werkzeug.datastructures import MultiDict

        sources = _Sources(request)
        if self._single:
            return sources[self._locations[0]][0] or MultiDict()
        merged: MultiDict[str, t.Any] = MultiDict()
        for location in self._locations:
            data = sources[location][0]
            if data is not None:
                merged.update(data)
        return merged

    def convert(self, value: t.Any, op: str) -> t.Any:
        """Convert one value with ``type``.

        :param value: the value found in the request.
        :param op: the operator it was found with, ``"="`` for a plain name.
        :raises ValueError: or whatever ``type`` raises, if it fails.
        """
        if value is None:
            if self.nullable:
                return None
            raise ValueError("Must not be null!")
        if self.type is FileStorage and isinstance(value, FileStorage):
            return value
        return self._call(value, self.name, op)

    def error_message(self, error: BaseException) -> str:
        """Return the message sent for ``error``: ``help`` if set, filled in.

        .. versionadded:: 0.1
        """
        text = str(error)
        if not self.help:
            return text
        try:
            return self.help.format(error_msg=text)
        except (KeyError, IndexError, ValueError):
            # Braces in ``help`` that are not ``{error_msg}``: send it as is.
            return self.help

    def handle_validation_error(
        self, error: BaseException, bundle_errors: bool
    ) -> tuple[BaseException, dict[str, str]]:
        """Answer 400 for ``error``, or return it when errors are bundled.

        :param error: what went wrong.
        :param bundle_errors: return ``(error, {name: message})`` instead of
            aborting; the ``BUNDLE_ERRORS`` config does the same.
        """
        message = {self.name: self.error_message(error)}
        if bundle_errors or _bundle_config():
            return error, message
        abort(400, message=message)

    def _fail(
        self, error: BaseException, bundle: bool | None, code: int
    ) -> tuple[t.Any, t.Any]:
        if bundle is None:
            # Looked up only now: parses that succeed never need it.
            bundle = _bundle_config()
        if not self._own_error_handler:
            return self.handle_validation_error(error, bundle)
        message = {self.name: self.error_message(error)}
        if bundle:
            return error, message
        abort(code, message=message)

    def parse(self, request: t.Any, bundle_errors: bool = False) -> tuple[t.Any, t.Any]:
        """Find and convert this argument's value in ``request``.

        :return: ``(value, True)`` if found, ``(default, False)`` if not, or
            ``(error, {name: message})`` if it failed and errors are bundled.
        """
        bundle = bundle_errors or _bundle_config()
        if type(self).source is Argument.source:
            return self._parse(
                _Sources(request), self._locations, self._single, bundle, 400, None
            )
        sources = _Sources(request)
        sources["source"] = _entry(self.source(request))
        return self._parse(sources, ("source",), True, bundle, 400, None)

    def _parse(
        self,
        sources: _Sources,
        locations: tuple[str, ...],
        single: bool,
        bundle: bool | None,
        code: int,
        known: set[str] | None,
    ) -> tuple[t.Any, t.Any]:
        action = self.action
        choices = self._choices
        reshape = self._reshape
        # Calling ``type`` directly saves a method call per value, unless a
        # subclass has its own ``convert``.
        call = self._call if self._own_convert else None
        nullable = self.nullable
        arg_name = self.name
        results: list[t.Any] = []
        for name, op in self._lookups:
            for location in locations:
                data, multi = sources[location]
                if data is None or name not in data:
                    continue
                values: t.Iterable[t.Any]
                if multi:
                    values = data.getlist(name)
                else:
                    value = data[name]
                    if single:
                        # One JSON location keeps a list whole unless appending.
                        if action == "append" and isinstance(value, MutableSequence):
                            values = value
                        else:
                            values = (value,)
                    elif isinstance(value, (list, tuple, set)):
                        # Merged like a MultiDict: one value per item.
                        values = value
                    else:
                        values = (value,)
                if known is not None:
                    known.add(name)
                for value in values:
                    for part in self._reshape_value(value) if reshape else (value,):
                        try:
                            if call is None:
                                part = self.convert(part, op)
                            elif part is None:
                                if not nullable:
                                    raise ValueError("Must not be null!")
                            elif not (
                                isinstance(part, FileStorage)
                                and self.type is FileStorage
                            ):
                                part = call(part, arg_name, op)
                        except Exception as error:
                            if self.ignore:
                                continue
                            return self._fail(error, bundle, code)
                        if choices is not None:
                            try:
                                allowed = part in choices
                            except TypeError:  # an unhashable value and a set
                                allowed = False
                            if not allowed:
                                invalid = self.choice_error(part, name)
                                return self._fail(invalid, bundle, code)
                        results.append(part)

        if not results:
            if self.required:
                return self._fail(ValueError(self._missing), bundle, code)
            default = self.default
            return (default() if callable(default) else default), False
        if action == "append" or action == "split":
            return results, True
        if action == "store" or len(results) == 1:
            return results[0], True
        return results, True

    def _reshape_value(self, value: t.Any) -> list[t.Any]:
        """Split, trim and lower-case one value as the options ask."""
        if self.action == "split":
            if isinstance(value, str):
                parts = value.split(",")
            elif isinstance(value, (list, tuple)):
                parts = list(value)
            else:
                parts = [value]
        else:
            parts = [value]
        if self.trim:
            parts = [p.strip() if isinstance(p, str) else p for p in parts]
        if not self.case_sensitive:
            parts = [p.lower() if isinstance(p, str) else p for p in parts]
        return parts
