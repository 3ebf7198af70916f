"""Stand-in for area D's ``errors`` module: only :class:`RestError`, which
the masks and fields of area A derive from. Area D's module replaces it."""

from __future__ import annotations

import typing as t


class RestError(Exception):
    """Base of Flask-RESTX's errors.

    :param msg: the message, kept as :attr:`msg`.
    """

    def __init__(self, msg: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(msg, *args, **kwargs)
        self.msg = msg

    def __str__(self) -> str:
        return str(self.msg)
