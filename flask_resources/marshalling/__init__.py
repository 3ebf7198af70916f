"""Marshalling objects through fields dicts, compiled once into flat functions.

``decorators`` holds the public functions, ``cache`` keeps each
fields dict's compiled function, and ``compiler`` writes it.
"""

from __future__ import annotations

from .compiler import Dump as Dump
from .compiler import _compile as _compile
from .decorators import MarshalSource as MarshalSource
from .decorators import marshal as marshal
from .decorators import marshal_with as marshal_with
from .decorators import marshal_with_field as marshal_with_field

__all__ = ["marshal", "marshal_with", "marshal_with_field"]
