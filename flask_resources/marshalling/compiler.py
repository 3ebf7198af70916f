"""Compile a fields dict into one flat function that marshals with it."""

from __future__ import annotations

import types
import typing as t
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from keyword import iskeyword

from ..fields import (
    FORMAT_ERRORS,
    Arbitrary,
    Boolean,
    DateTime,
    FieldsMapping,
    Fixed,
    Float,
    Integer,
    List,
    MarshallingException,
    Nested,
    Raw,
    String,
    get_key,
    get_value,
    iso8601,
    make_field,
    rfc822,
)

#: A function from the data to marshal to its output.
Dump: t.TypeAlias = Callable[[t.Any], t.Any]

# How values are read from the object being marshalled; chosen per object
# from its type, so each compiled function has one body per kind.
_DICT, _ATTRS, _ANY = "dict", "attrs", "any"
# Attributes read as ``o.name``, which is faster than ``getattr(o, name,
# None)`` but raises AttributeError for a missing one: code of this kind
# runs inside ``try`` and the ``_ATTRS`` code redoes the object on that error.
_ATTRS_FAST = "attrs-fast"

#: ``True`` for types whose instances are read by attribute only.
_READS_ATTRS: dict[type, bool] = {}

#: Built-in types that list ``__getattribute__`` in their ``__dict__`` but
#: look attributes up as ``object`` does.
_GENERIC_LOOKUP = frozenset((types.SimpleNamespace,))


def _reads_attrs(tp: type) -> bool:
    """Tell whether ``get_key`` reads instances of ``tp`` by attribute only.

    Decided from the type once, unless the type customises attribute
    lookup; then every object takes the general path.
    """
    custom = any(
        "__getattr__" in vars(base) or "__getattribute__" in vars(base)
        for base in tp.__mro__[:-1]
        if base not in _GENERIC_LOOKUP
    )
    result = not custom and (hasattr(tp, "strip") or not hasattr(tp, "__iter__"))
    if len(_READS_ATTRS) >= 4096:
        _READS_ATTRS.clear()
    _READS_ATTRS[tp] = result
    return result


class _Fallback(Exception):
    """Raised inside a compiled list to redo it with the field's own code."""


def _fallback() -> t.NoReturn:
    raise _Fallback


def _bad_fixed() -> t.NoReturn:
    raise MarshallingException("Invalid Fixed precision number.")


def _name_error(exc: Exception, path: str) -> MarshallingException:
    error = MarshallingException(exc, field=path)
    error.__cause__ = exc
    return error


def _named(func: Callable[[t.Any], t.Any], path: str) -> Callable[[t.Any], t.Any]:
    """Wrap ``func`` so a MarshallingException from it names ``path``."""

    def call(value: t.Any) -> t.Any:
        try:
            return func(value)
        except MarshallingException as e:
            e.add_parent(path)
            raise

    return call


#: Inline formatting for fields whose ``format`` is the built-in one;
#: ``{}`` is the value expression.
_INLINE: dict[t.Any, str] = {
    Raw.format: "{}",
    String.format: "str({})",
    Integer.format: "int({})",
    Float.format: "float({})",
    Boolean.format: "bool({})",
    Arbitrary.format: "str(_Decimal({}))",
}

#: For the inline formats above, the type whose instances they return
#: unchanged: a value of exactly that type is output as it is, without the
#: call. Only where the check costs less than the call: ``str(s)`` of a
#: ``str`` is as cheap as the check, but not inside a list, where the check
#: also saves the item's ``None`` and dict tests.
_EXACT: dict[t.Any, str] = {
    Integer.format: "_int",
    Float.format: "_float",
    Boolean.format: "_bool",
}
_EXACT_ITEM: dict[t.Any, str] = {**_EXACT, String.format: "_str"}


class _Cell:
    """A compiled function, or a placeholder while its dict is compiled."""

    __slots__ = ("run",)

    def __init__(self) -> None:
        self.run: Dump | None = None


class _Compiler:
    """Generate the source of one marshalling function for a fields dict."""

    def __init__(self, cells: dict[int, _Cell]) -> None:
        self.cells = cells
        self.namespace: dict[str, t.Any] = {
            "_ME": MarshallingException,
            "_FE": FORMAT_ERRORS,
            "_LT": (list, tuple),
            "_LTS": (list, tuple, set),
            "_Fallback": _Fallback,
            "_fallback": _fallback,
            "_name_error": _name_error,
            "_get_key": get_key,
            "_get_value": get_value,
            "_reads_attrs": _reads_attrs,
            "_READS_ATTRS": _READS_ATTRS,
            "_Decimal": Decimal,
            "_ZERO": Decimal(),
            "_HALF_EVEN": ROUND_HALF_EVEN,
            "_bad_fixed": _bad_fixed,
            "_rfc822": rfc822,
            "_dict": dict,
            "_int": int,
            "_float": float,
            "_bool": bool,
            "_str": str,
        }
        self.names: dict[int, str] = {}
        self.count = 0
        #: The variable holding the object read from.
        self.obj = "o"
        #: Variables remembering a type, set to ``None`` on entry.
        self.known: list[str] = []

    def bind(self, value: t.Any) -> str:
        """Put ``value`` in the namespace and return its name there."""
        name = self.names.get(id(value))
        if name is None:
            name = f"_c{len(self.names)}"
            self.names[id(value)] = name
            self.namespace[name] = value
        return name

    def const(self, value: t.Any) -> str:
        """Return an expression for ``value``, a literal where that is safe."""
        if value is None or type(value) in (str, int, bool):
            return repr(value)
        return self.bind(value)

    def var(self) -> str:
        self.count += 1
        return f"r{self.count}"

    def fetch(self, kind: str, source: t.Any) -> str:
        """Return the expression reading ``source`` (a key or attribute) from ``o``."""
        if callable(source):
            return f"{self.bind(source)}({self.obj})"
        if type(source) is not str:
            return f"_get_value({self.const(source)}, {self.obj})"
        if "." in source:
            return f"_get_value({source!r}, {self.obj})"
        if kind == _DICT and not hasattr(dict, source):
            return f"{self.obj}.get({source!r})"
        if kind == _ATTRS_FAST and source.isidentifier() and not iskeyword(source):
            return f"{self.obj}.{source}"
        if kind in (_ATTRS, _ATTRS_FAST):
            return f"getattr({self.obj}, {source!r}, None)"
        return f"_get_key({source!r}, {self.obj})"

    def format_expr(self, field: Raw, value: str) -> str | None:
        """Return inline formatting of ``value`` (not None) for ``field``.

        ``None`` if the field's own methods must be called.
        """
        cls = type(field)
        if cls.output is not Raw.output:
            return None
        template = _INLINE.get(cls.format)
        if template is not None:
            return template.format(value)
        if cls.format is Fixed.format:
            # Fixed.format written out: a method call costs as much as the rest.
            precision = self.bind(field.precision)  # type: ignore[attr-defined]
            return (
                f"(str(n.quantize({precision}, rounding=_HALF_EVEN))"
                f" if (n := _Decimal({value})).is_normal() or n == _ZERO"
                " else _bad_fixed())"
            )
        if cls.format is DateTime.format:
            formatter = field.formatters.get(field.dt_format)  # type: ignore[attr-defined]
            if formatter is rfc822:
                return f"_rfc822({value})"
            if formatter is iso8601:
                return f"{value}.isoformat()"
            return f"{self.bind(field.format)}({value})"
        return None

    def nested_run(self, nested: FieldsMapping) -> str:
        """Return an expression for the compiled function of an inner dict."""
        cell = self.cells.get(id(nested))
        if cell is None:
            _compile(nested, self.cells)
            cell = self.cells[id(nested)]
        if cell.run is None:
            # The dict is being compiled further up: it contains itself.
            return f"{self.bind(cell)}.run"
        return self.bind(cell.run)

    def nested_inline(
        self, field: Nested, kind: str, var: str, indent: str
    ) -> list[str]:
        """Statements setting ``var`` to a Nested field's output for ``v``,
        with the inner dict written out for dicts and plain objects; a call
        to its compiled function costs as much as a small dict (issue 15).

        Any other value goes to that function, as :meth:`nested_value` does.
        """
        lines = [f"{indent}tn = type(v)"]
        keyword = "if"
        if field.allow_null or field.default is not None:
            when_none = "None" if field.allow_null else self.const(field.default)
            lines += [f"{indent}if v is None:", f"{indent}    {var} = {when_none}"]
            keyword = "elif"
        saved, self.count = self.obj, self.count + 1
        self.obj = f"o{self.count}"
        # The last type read by attribute here, as in a list's loop.
        known = f"k{self.count}"
        self.known.append(known)
        inner = indent + "    "
        # Inside fast code, the inner object's attributes are read fast too.
        attrs = _ATTRS_FAST if kind == _ATTRS_FAST else _ATTRS
        for test, inner_kind, remember in (
            ("tn is _dict", _DICT, []),
            (
                f"tn is {known} or _READS_ATTRS.get(tn)",
                attrs,
                [f"{inner}{known} = tn"],
            ),
        ):
            lines += [f"{indent}{keyword} {test}:", *remember, f"{inner}{self.obj} = v"]
            display = self.emit_dict(
                field.nested, inner_kind, "", lines, inner, frozenset()
            )
            lines.append(f"{inner}{var} = {display}")
            keyword = "elif"
        self.obj = saved
        run = self.nested_run(field.nested)
        lines += [f"{indent}else:", f"{inner}{var} = {run}(v)"]
        return lines

    def nested_value(self, field: Nested, value: str) -> str:
        """Return the output expression of a Nested field for ``value``."""
        run = self.nested_run(field.nested)
        if field.allow_null:
            when_none = "None"
        elif field.default is not None:
            when_none = self.const(field.default)
        else:
            return f"{run}({value})"
        return f"{when_none} if {value} is None else {run}({value})"

    def emit_attrs(
        self,
        fields: FieldsMapping,
        lines: list[str],
        indent: str,
        done: tuple[str, ...],
    ) -> None:
        """Append the code reading ``fields`` from an object's attributes,
        then the lines ``done``, where ``{}`` stands for the result's dict
        display; they must leave the block (``return``, ``continue``).

        Runs the ``o.name`` code first and, if an attribute is missing,
        the ``getattr`` code again from the start.
        """
        lines.append(f"{indent}try:")
        display = self.emit_dict(
            fields, _ATTRS_FAST, "", lines, indent + "    ", frozenset()
        )
        lines += [f"{indent}    {line.format(display)}" for line in done]
        lines += [f"{indent}except AttributeError:", f"{indent}    pass"]
        display = self.emit_dict(fields, _ATTRS, "", lines, indent, frozenset())
        lines += [f"{indent}{line.format(display)}" for line in done]

    def emit_dict(
        self,
        fields: FieldsMapping,
        kind: str,
        prefix: str,
        lines: list[str],
        indent: str,
        inline: frozenset[int],
    ) -> str:
        """Append statements computing ``fields`` from ``o``.

        Returns the dict display that gathers them.
        """
        if id(fields) in inline:
            raise ValueError("a fields dict cannot contain itself")
        inline = inline | {id(fields)}
        items = []
        for key, entry in fields.items():
            path = f"{prefix}{key}"
            var = self.var()
            if isinstance(entry, Mapping):
                display = self.emit_dict(entry, kind, f"{path}.", lines, indent, inline)
                lines.append(f"{indent}{var} = {display}")
            else:
                field = make_field(entry).compiled_as(key)
                self.emit_field(field, key, path, var, kind, lines, indent)
            items.append(f"{self.const(key)}: {var}")
        return "{" + ", ".join(items) + "}"

    def emit_field(
        self,
        field: Raw,
        key: t.Any,
        path: str,
        var: str,
        kind: str,
        lines: list[str],
        indent: str,
    ) -> None:
        """Append the statements that set ``var`` to one field's output."""
        cls = type(field)
        source = key if field.attribute is None else field.attribute
        default = self.const(field.default)
        inner = indent + "    "
        body: list[str] = []
        convert = False
        if cls.output is Nested.output:
            assert isinstance(field, Nested)
            lines.append(f"{indent}v = {self.fetch(kind, source)}")
            if _is_flat(field.nested):
                body += self.nested_inline(field, kind, var, inner)
            else:
                body.append(f"{inner}{var} = {self.nested_value(field, 'v')}")
        elif (
            isinstance(field, List)
            and cls.output is List.output
            and cls.format is List.format
            and type(field).format_value is List.format_value
        ):
            items, convert = self.list_items(field)
            # The field's own code, for values the list expression does not
            # cover; called outside the ``try`` below so that only its
            # MarshallingException is named and nothing else converted.
            slow = self.bind(_named(field.format_value, path))
            lines += [
                f"{indent}v = {self.fetch(kind, source)}",
                f"{indent}if v is None:",
                f"{indent}    {var} = {default}",
            ]
            if items is not None:
                lines += [f"{indent}elif isinstance(v, _LTS):", f"{indent}    try:"]
                if items == "x":
                    lines.append(f"{indent}        {var} = list(v)")
                else:
                    # A loop rather than a comprehension: on Python 3.11 a
                    # comprehension is a function made and called per list,
                    # which costs more than formatting a short list.
                    lines += [
                        f"{indent}        {var} = []",
                        f"{indent}        for x in v:",
                        f"{indent}            {var}.append({items})",
                    ]
                lines += [
                    # A handler's own errors skip its sibling handlers.
                    f"{indent}    except _Fallback:",
                    f"{indent}        {var} = {slow}(v)",
                ]
                lines += self.handlers(path, convert, indent + "    ")
            lines += [f"{indent}else:", f"{indent}    {var} = {slow}(v)"]
            return
        else:
            formatted = self.format_expr(field, "v")
            if formatted is None:
                body.append(
                    f"{inner}{var} ="
                    f" {self.bind(field.output)}({self.const(key)}, {self.obj})"
                )
            else:
                lines.append(f"{indent}v = {self.fetch(kind, source)}")
                if formatted == "v":
                    # Raw: nothing to format, so nothing can fail.
                    value = (
                        "v" if default == "None" else f"{default} if v is None else v"
                    )
                    lines.append(f"{indent}{var} = {value}")
                    return
                convert = True
                value = f"{default} if v is None else {formatted}"
                exact = _EXACT.get(cls.format)
                if exact is not None:
                    value = f"v if type(v) is {exact} else ({value})"
                body.append(f"{inner}{var} = {value}")
        lines.append(f"{indent}try:")
        lines += body
        lines += self.handlers(path, convert, indent)

    def handlers(self, path: str, convert: bool, indent: str) -> list[str]:
        """Return the ``except`` clauses that name errors after ``path``."""
        lines = [
            f"{indent}except _ME as e:",
            f"{indent}    e.add_parent({path!r})",
            f"{indent}    raise",
        ]
        if convert:
            lines += [
                f"{indent}except _FE as e:",
                f"{indent}    raise _name_error(e, {path!r}) from e",
            ]
        return lines

    def list_items(self, field: List) -> tuple[str | None, bool]:
        """Return an expression over ``x`` for one item of a List, if one fits.

        It raises ``_Fallback`` for an item only the field's own code
        handles. ``"x"`` means the items are output as they are. The second
        value tells whether the items are formatted inline, so that their
        errors need converting.
        """
        container = field.container.compiled_as(None)
        if container.attribute is not None:
            return None, False
        cls = type(container)
        if cls is Raw:
            if container.default is None:
                return "x", False
            default = self.const(container.default)
            return f"{default} if x is None else x", False
        if cls.output is Nested.output:
            assert isinstance(container, Nested)
            return self.nested_value(container, "x"), False
        formatted = self.format_expr(container, "x")
        if formatted is None:
            return None, False
        default = self.const(container.default)
        # Flask-RESTful formats a dict item by looking up its index in it;
        # leave that odd case to the field's own code.
        item = (
            f"({default} if x is None else {formatted})"
            " if not isinstance(x, _dict) else _fallback()"
        )
        exact = _EXACT_ITEM.get(cls.format) if cls.output is Raw.output else None
        if exact is not None:
            item = f"x if type(x) is {exact} else ({item})"
        return item, True


def _is_flat(fields: t.Any) -> bool:
    """Whether ``fields`` is a dict of fields that hold no other dict, so
    that writing it out inside another cannot recurse."""
    if not isinstance(fields, Mapping):
        return False
    for key, entry in fields.items():
        if isinstance(entry, Mapping):
            return False
        field = make_field(entry).compiled_as(key)
        if isinstance(field, (Nested, List)) or type(field).output is Nested.output:
            return False
    return True


def _compile(fields: FieldsMapping, cells: dict[int, _Cell]) -> Dump:
    """Compile ``fields`` into one function taking an object or a list of them.

    ``cells`` holds the functions of the inner dicts compiled so far, so a
    dict reached again (or from inside itself) is compiled once.
    """
    cell = cells[id(fields)] = _Cell()
    compiler = _Compiler(cells)
    lines = [
        "def run(o):",
        "    tp = type(o)",
        "    if tp is _dict:",
    ]
    display = compiler.emit_dict(fields, _DICT, "", lines, "        ", frozenset())
    lines.append(f"        return {display}")
    lines += [
        "    reads_attrs = _READS_ATTRS.get(tp)",
        "    if reads_attrs is None:",
        "        reads_attrs = _reads_attrs(tp)",
        "    if reads_attrs:",
    ]
    compiler.emit_attrs(fields, lines, "        ", ("return {}",))
    lines += [
        "    if isinstance(o, _LT):",
        # The same bodies again, inside the loop: a call per item costs
        # more than marshalling a small object (issue 15).
        "        out = []",
        # The last type read by attribute: the items of a list mostly share
        # one, which then needs no look-up (issue 24).
        "        known = None",
        "        for o in o:",
        "            tp = type(o)",
        "            if tp is not known:",
        "                if tp is _dict:",
    ]
    display = compiler.emit_dict(fields, _DICT, "", lines, " " * 20, frozenset())
    lines += [
        # ``out.append(...)`` rather than a saved bound method: Python 3.11
        # and later run that call without a method object.
        f"                    out.append({display})",
        "                    continue",
        "                reads_attrs = _READS_ATTRS.get(tp)",
        "                if reads_attrs is None:",
        "                    reads_attrs = _reads_attrs(tp)",
        "                if not reads_attrs:",
        "                    out.append(run(o))",
        "                    continue",
        "                known = tp",
    ]
    compiler.emit_attrs(fields, lines, " " * 12, ("out.append({})", "continue"))
    lines += ["        return out"]
    display = compiler.emit_dict(fields, _ANY, "", lines, "    ", frozenset())
    lines.append(f"    return {display}")
    if compiler.known:
        lines.insert(1, f"    {' = '.join(compiler.known)} = None")
    source = "\n".join(lines)
    namespace = compiler.namespace
    exec(compile(source, f"<marshal {_describe(fields)}>", "exec"), namespace)
    run: Dump = namespace["run"]
    cell.run = run
    return run


def _describe(fields: FieldsMapping) -> str:
    """Name the generated code after the first keys, for tracebacks.

    Keys may hold anything; ``compile()`` refuses a file name with a NUL,
    and ``ascii`` leaves NULs (and only them) that a ``__repr__`` returns.
    """
    keys = ", ".join(ascii(key) for key in list(fields)[:4]).replace("\0", "")
    return f"{{{keys}{', ...' if len(fields) > 4 else ''}}}"
