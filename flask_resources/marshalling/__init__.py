"""Marshalling objects through fields dicts, compiled once into flat functions.

``decorators`` holds the public functions, ``cache`` keeps each
fields dict's compiled function, and ``compiler`` writes it.
"""

from __future__ import annotations

import typing as t

from .decorators import MarshalSource as MarshalSource
from .decorators import marshal as marshal
from .decorators import marshal_with as marshal_with
from .decorators import marshal_with_field as marshal_with_field

__all__ = ["marshal", "marshal_with", "marshal_with_field"]

if t.TYPE_CHECKING:
    from .compiler import Dump as Dump
    from .compiler import _compile as _compile


def __getattr__(name: str) -> t.Any:
    # The compiler loads at the first compile (issue 24); its names are
    # still here.
    if name in ("Dump", "_compile"):
        from . import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
