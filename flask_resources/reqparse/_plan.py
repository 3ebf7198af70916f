"""The compiled fast path of a request parser's plain ``store`` arguments."""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Sequence

from werkzeug.datastructures import FileStorage

if t.TYPE_CHECKING:
    from .argument import Argument

#: ``slow(arg, sources, namespace, errors, bundle, code)``: parse one argument
#: the general way and store its value or error.
Slow: t.TypeAlias = Callable[
    [t.Any, t.Any, dict[str, t.Any], dict[str, t.Any], t.Any, int], None
]

#: ``plan(args, sources, namespace, errors, bundle, code)`` parses every
#: argument; it returns ``False``, having done nothing, if ``args`` or an
#: argument changed since it was compiled.
Plan: t.TypeAlias = Callable[
    [Sequence[t.Any], t.Any, dict[str, t.Any], dict[str, t.Any], t.Any, int], bool
]


def is_plain(arg: t.Any, argument_class: type[Argument]) -> bool:
    """Whether the plan can parse ``arg`` inline: one value kept as is,
    converted by ``type`` and nothing else a subclass could change."""
    return (
        isinstance(arg, argument_class)
        and arg._shared_sources
        and arg._own_convert
        and arg._own_error_handler
        and arg.action == "store"
        and not arg._reshape
        and arg._lookups == ((arg.name, "="),)
        and type(arg.name) is str
    )


def compile_plan(
    args: Sequence[t.Any], argument_class: type[Argument], slow: Slow
) -> Plan:
    """Compile one function that parses ``args`` as the arguments' own
    ``_parse`` does.

    Plain arguments (see :func:`is_plain`) are parsed inline in the common
    case: found in one location, with one value. Anything else (several
    values, a value in two locations, a failed conversion, a missing
    required argument) goes to ``slow``, which gives the exact result and
    error of the general path; so do the arguments that are not plain.
    """
    namespace: dict[str, t.Any] = {"_slow": slow, "_FileStorage": FileStorage}
    lines = ["def plan(args, sources, ns, errors, bundle, code):"]
    # Stale if the list or any argument changed: every attribute set on an
    # Argument bumps its ``_version``.
    checks = [f"len(args) != {len(args)}"]
    for index, arg in enumerate(args):
        namespace[f"a{index}"] = arg
        checks.append(f"args[{index}] is not a{index}")
        checks.append(f"a{index}._version != {arg._version}")
    lines.append(f"    if {' or '.join(checks)}:")
    lines.append("        return False")
    for index, arg in enumerate(args):
        if is_plain(arg, argument_class):
            lines += _plain(index, arg, namespace)
        else:
            lines.append(f"    _slow(a{index}, sources, ns, errors, bundle, code)")
    lines.append("    return True")
    source = "\n".join(lines)
    exec(compile(source, f"<request parser {len(args)} arguments>", "exec"), namespace)
    return t.cast(Plan, namespace["plan"])


def _plain(index: int, arg: Argument, namespace: dict[str, t.Any]) -> list[str]:
    """The statements that parse one plain argument."""
    a = f"a{index}"
    name = repr(arg.name)
    dest = repr(arg.dest or arg.name)
    slow = f"_slow({a}, sources, ns, errors, bundle, code)"
    lines = ["    n = 0"]
    for location in arg._locations:
        lines += [
            f"    d, m = sources[{location!r}]",
            f"    if d is not None and {name} in d:",
            "        n += 1",
            "        data = d",
            "        multi = m",
        ]
    lines.append("    if n == 0:")
    if arg.required:
        lines.append(f"        {slow}")
    elif not arg.store_missing:
        lines.append("        pass")
    elif callable(arg.default):
        lines.append(f"        ns[{dest}] = {a}.default()")
    else:
        lines.append(f"        ns[{dest}] = {a}.default")
    lines += [
        "    elif n > 1:",
        f"        {slow}",
        "    else:",
        "        if multi:",
        f"            v = data.getlist({name})",
        "            v = v[0] if len(v) == 1 else _slow",
        "        else:",
        f"            v = data[{name}]",
    ]
    if not arg._single:
        # Several locations merge like a MultiDict: a list is several values.
        lines += [
            "            if isinstance(v, (list, tuple, set)):",
            "                v = _slow",
        ]
    lines += [
        "        if v is _slow:",
        f"            {slow}",
        "        elif v is None:",
    ]
    if arg.nullable:
        lines.append(f"            ns[{dest}] = None")
    else:
        lines.append(f"            {slow}")
    namespace[f"f{index}"] = arg._call
    call = f"f{index}(v, {name}, '=')"
    tp = arg.type
    if (
        isinstance(tp, type)
        and tp.__module__ == "builtins"
        and tp is not int
        and arg._own_converter
    ):
        # A built-in type takes the value alone; ``int`` has its own checks,
        # and a subclass's ``make_converter`` may convert it otherwise.
        namespace[f"t{index}"] = tp
        call = f"t{index}(v)"
    if tp is FileStorage:
        lines += [
            "        elif isinstance(v, _FileStorage):",
            f"            ns[{dest}] = v",
        ]
    lines += [
        "        else:",
        "            try:",
        f"                v = {call}",
        "            except Exception:",
        "                v = _slow",
    ]
    if arg._choices is not None:
        namespace[f"c{index}"] = arg._choices
        lines += [
            "            else:",
            "                try:",
            f"                    if v not in c{index}:",
            "                        v = _slow",
            "                except TypeError:",
            "                    v = _slow",
        ]
    lines += [
        "            if v is _slow:",
        f"                {slow}",
        "            else:",
        f"                ns[{dest}] = v",
    ]
    return lines
