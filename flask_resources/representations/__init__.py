"""Representations: turn ``(data, code, headers)`` into a response.

The JSON representation lives in :mod:`flask_resources.representations.json`,
at the path Flask-RESTful code imports it from.
"""

from __future__ import annotations

import typing as t

from ..typing import Representation
from .json import ENCODER_CONFIG_KEY as ENCODER_CONFIG_KEY
from .json import dumps as dumps
from .json import output_json as output_json

#: The representations every new Api starts with, as in Flask-RESTful.
DEFAULT_REPRESENTATIONS = [("application/json", output_json)]


class Representations(dict[str, Representation]):
    """An Api's media types and their representations: a :class:`dict`
    that keeps the tuple of its media types, which negotiation takes on
    every response, and rebuilds it only after a change.

    .. versionadded:: 0.1
    """

    __slots__ = ("_offered",)

    def __init__(self, *args: t.Any, **kwargs: Representation) -> None:
        super().__init__(*args, **kwargs)
        self._offered: tuple[str, ...] | None = None

    @property
    def offered(self) -> tuple[str, ...]:
        """The media types, in order."""
        offered = self._offered
        if offered is None:
            offered = self._offered = tuple(self)
        return offered

    # Every method that changes the keys forgets the tuple.

    def __setitem__(self, key: str, value: Representation) -> None:
        super().__setitem__(key, value)
        self._offered = None

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._offered = None

    def __ior__(self, other: t.Any) -> t.Self:  # type: ignore[override,misc]
        self.update(other)
        return self

    def update(self, *args: t.Any, **kwargs: Representation) -> None:
        super().update(*args, **kwargs)
        self._offered = None

    def setdefault(self, key: str, default: Representation) -> Representation:
        value = super().setdefault(key, default)
        self._offered = None
        return value

    def pop(self, key: str, *default: t.Any) -> t.Any:
        try:
            return super().pop(key, *default)
        finally:
            self._offered = None

    def popitem(self) -> tuple[str, Representation]:
        try:
            return super().popitem()
        finally:
            self._offered = None

    def clear(self) -> None:
        super().clear()
        self._offered = None
