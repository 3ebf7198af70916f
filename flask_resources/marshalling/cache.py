"""The cache of compiled marshallers: one per fields dict, kept while the
dict and its fields stay unchanged."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from ..fields import FieldsMapping, List, Nested, Raw, marshal_slow

if t.TYPE_CHECKING:
    from .compiler import Dump

#: Entries by ``id()`` of their fields dict; each holds the dict, so the id
#: cannot be reused while cached. Views run in threads: every operation on
#: it is a single dict call, and a race costs at worst a compile or an
#: entry more than the size for a moment, never an exception.
_CACHE: dict[int, _Entry] = {}
_CACHE_SIZE = 512


class _Entry:
    """A fields dict, a snapshot of its state, and its compiled function."""

    __slots__ = ("fields", "snapshot", "run")

    def __init__(self, fields: FieldsMapping) -> None:
        self.fields = fields
        self.snapshot = _snapshot(fields)
        self.run: Dump | None = None

    def is_fresh(self) -> bool:
        for live, saved in self.snapshot:
            if live != saved:
                return False
        return True

    def compile(self) -> Dump:
        # Loaded at the first compile, not with the package (issue 24).
        from .compiler import _compile

        self.run = _compile(self.fields, {})
        return self.run


def _get_dump(fields: FieldsMapping, many: bool) -> Dump:
    """Return the function that marshals with ``fields``.

    A dict seen for the first time with a single object is run through the
    fields' own ``output`` methods, since compiling costs more than that
    for a dict built on every call. It is compiled when seen again, or
    right away for a list of several objects.
    """
    key = id(fields)
    entry = _CACHE.get(key)
    if entry is not None and entry.is_fresh():
        return entry.run or entry.compile()
    entry = _Entry(fields)
    if len(_CACHE) >= _CACHE_SIZE:
        _evict_oldest()
    _CACHE[key] = entry
    if many:
        return entry.compile()
    return lambda data: marshal_slow(data, fields)


def _evict_oldest() -> None:
    """Drop the oldest cache entry (dicts keep insertion order).

    Another thread may evict the same entry, or change the cache between
    taking the iterator and reading it; ``pop`` with a default and the
    ``except`` make both harmless without a lock.
    """
    try:
        _CACHE.pop(next(iter(_CACHE)), None)
    except (StopIteration, RuntimeError):
        pass


def _snapshot(fields: FieldsMapping) -> list[tuple[t.Any, dict[t.Any, t.Any]]]:
    """Pair every dict and field ``__dict__`` reachable from ``fields`` with a copy.

    Compiled code bakes in what fields hold, so any change seen by comparing
    these pairs means recompiling.
    """
    pairs: list[tuple[t.Any, dict[t.Any, t.Any]]] = []
    seen: set[int] = set()

    def visit(value: t.Any) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, Mapping):
            pairs.append((value, dict(value)))
            for item in value.values():
                visit(item)
        elif isinstance(value, Raw):
            state = getattr(value, "__dict__", None)
            if state is not None:
                pairs.append((state, dict(state)))
            if isinstance(value, Nested):
                visit(value.nested)
            elif isinstance(value, List):
                visit(value.container)

    visit(fields)
    return pairs
