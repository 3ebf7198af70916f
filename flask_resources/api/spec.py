"""The OpenAPI document of an Api, built once per app."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Mapping

from flask import current_app, has_app_context

from .base import ApiBase

if t.TYPE_CHECKING:
    from flask import Flask

    from ..operations import Operation
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

    # -- what the document says beyond the resources ----------------------

    def describe_tag(
        self, name: str, description: str | None = None, *, always: bool = False
    ) -> None:
        """Describe a tag in the document's ``tags`` list, which lists the
        described tags first, in the order described.

        :param name: the tag, as operations name it.
        :param description: what the operations under it are about.
        :param always: list it even when no operation uses it; by default a
            tag no operation uses is left out.

        .. versionadded:: 0.1
        """
        self._tag_descriptions[name] = (description, always)
        self._forget_specs()

    def described_tags(self) -> dict[str, tuple[str | None, bool]]:
        """The tags :meth:`describe_tag` described: name ->
        ``(description, always)``, in the order described."""
        return dict(self._tag_descriptions)

    def document_endpoint(self, endpoint: str, record: Operation) -> None:
        """Document one route of a resource: ``record`` (see
        :mod:`flask_resources.operations`) applies to the operations of
        ``endpoint`` only, over what the resource class's records say and
        under what its methods' say. Records given for one endpoint merge.

        .. versionadded:: 0.1
        """
        mine = self._endpoint_records.get(endpoint)
        self._endpoint_records[endpoint] = (
            record if mine is None else mine.merged(record)
        )
        self._forget_specs()

    def endpoint_record(self, endpoint: str) -> Operation | None:
        """The record :meth:`document_endpoint` keeps for ``endpoint``."""
        return self._endpoint_records.get(endpoint)

    # Hooks for subclasses: the builder calls each once per document (or
    # per operation); the defaults add nothing.

    def openapi_info(self, app: Flask) -> Mapping[str, t.Any]:
        """Fields of the document's ``info`` object besides its title and
        version (``description``, ``termsOfService``, ``contact``,
        ``license``); a subclass may return them. None by default.

        .. versionadded:: 0.1
        """
        return {}

    def openapi_schemas(self, app: Flask) -> Iterable[t.Any]:
        """Bodies whose schema the document includes even when no operation
        uses them: named fields dicts (see :meth:`schema_name`) become
        components. None by default.

        .. versionadded:: 0.1
        """
        return ()

    def openapi_operation_id(
        self, resource: type, verb: str, endpoint: str
    ) -> str | None:
        """The ``operationId`` of an operation no record names; ``None``
        (the default) for ``<verb>_<endpoint>``. Ids are made unique after.

        .. versionadded:: 0.1
        """
        return None

    def openapi_operation(
        self, operation: dict[str, t.Any], record: Operation, app: Flask
    ) -> None:
        """Called with each operation of the document as built from
        ``record``; a subclass may change it in place. Does nothing by
        default.

        .. versionadded:: 0.1
        """
