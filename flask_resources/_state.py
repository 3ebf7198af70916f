"""What flask-resources keeps on each app, in ``app.extensions``."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from flask import Flask

    from .api import Api

#: The key of :class:`AppState` in ``app.extensions``.
EXTENSION_KEY = "flask-resources"


class AppState:
    """The Apis bound to one app, and which endpoints are theirs."""

    def __init__(self) -> None:
        #: Full endpoint name (with blueprint prefix) -> the Api owning it.
        self.endpoints: dict[str, Api] = {}
        #: Every Api bound to the app, in the order they were bound.
        self.apis: list[Api] = []
        #: For a 405's set of allowed methods: the owner of each group of
        #: rules that could have routed it, with the literal start of their
        #: URLs, and the number of endpoints it was built with (see
        #: :func:`flask_resources.errors.owning_api`).
        self.owners_by_methods: dict[
            frozenset[str], tuple[int, tuple[tuple[Api | None, tuple[str, ...]], ...]]
        ] = {}


def get_state(app: Flask) -> AppState | None:
    """Return the app's :class:`AppState`, or ``None`` before an Api is
    bound to it."""
    return app.extensions.get(EXTENSION_KEY)


def create_state(app: Flask) -> AppState:
    """Give the app a new, empty :class:`AppState` and return it."""
    state = app.extensions[EXTENSION_KEY] = AppState()
    return state
