"""The OpenAPI document of an Api, built once per app."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from flask import current_app, has_app_context

from .base import ApiBase

if t.TYPE_CHECKING:
    from .core import Api


class SpecMixin(ApiBase):
    """The part of :class:`~flask_resources.Api` that builds and caches its
    OpenAPI document."""

    def openapi(self) -> dict[str, t.Any]:
        """The OpenAPI document of this Api on the current app, as a dict.

        Needs the ``openapi`` extra and an app context; raises
        :class:`~flask_resources.exceptions.OpenAPIError` naming what cannot
        be described.

        .. versionadded:: 0.1
        """
        document: dict[str, t.Any] = self.spec.to_dict()
        return document

    @property
    def spec(self) -> t.Any:
        """The :class:`apispec.APISpec` of this Api on the current app (or
        the app given to the constructor), built the first time it is asked
        for; add to it by hand and :meth:`openapi` includes the additions.
        Adding a resource starts a new one.

        .. versionadded:: 0.1
        """
        app = current_app._get_current_object() if has_app_context() else self.app  # type: ignore[attr-defined]
        if app is None:
            raise RuntimeError("Api.spec needs an app context or an app")
        spec = self._specs.get(app)
        if spec is None:
            from ..openapi.spec import build

            with self._specs_lock:
                spec = self._specs.get(app)
                if spec is None:
                    spec = self._specs[app] = build(t.cast("Api", self), app)
        return spec

    def schema_name(self, name: str, fields: Mapping[t.Any, t.Any]) -> None:
        """Name a fields dict: wherever it describes a body, the document
        refers to ``#/components/schemas/<name>``.

        .. versionadded:: 0.1
        """
        self._schema_names[id(fields)] = (name, fields)
        self._forget_specs()

    def _forget_specs(self) -> None:
        """Drop the documents built so far: they are out of date."""
        if self._specs:
            with self._specs_lock:
                self._specs.clear()

    def schema_name_of(self, fields: Mapping[t.Any, t.Any]) -> str | None:
        """The name given to a fields dict with :meth:`schema_name`."""
        entry = self._schema_names.get(id(fields))
        return entry[0] if entry is not None and entry[1] is fields else None
