"""Flask-RESTX's fields holding other fields: :class:`Nested`,
:class:`List`, :class:`Polymorph` and :class:`Wildcard`."""

from __future__ import annotations

import copy
import fnmatch
import inspect
import re
import typing as t
from collections.abc import Mapping

from ... import fields as core
from ._base import (
    MarshallingError,
    Raw,
    _marshal,
    _nullable,
    _plain_source,
    _set,
    get_value,
    is_indexable_but_not_string,
)

if t.TYPE_CHECKING:
    from ...openapi.convert.fields import FieldsConverter
    from ..mask import Mask


class Nested(Raw, core.Nested):
    """Output the value marshalled with a model or fields dict.

    :param model: the model (or fields dict) of the value.
    :param allow_null: output ``None`` for a ``None`` value instead of a
        dict of the model's defaults.
    :param skip_none: leave out the keys whose value is ``None`` or empty.
    :param as_list: documentation: the value is a list.
    """

    __schema_type__: t.ClassVar[t.Any] = None

    def __init__(
        self,
        model: t.Any,
        allow_null: bool = False,
        skip_none: bool = False,
        as_list: bool = False,
        **kwargs: t.Any,
    ) -> None:
        self.model = model
        self.as_list = as_list
        self.allow_null = allow_null
        self.skip_none = skip_none
        super().__init__(**kwargs)

    @property
    def nested(self) -> t.Any:
        """The fields the value is marshalled with: the model, resolved."""
        return getattr(self.model, "resolved", self.model)

    @nested.setter
    def nested(self, value: t.Any) -> None:
        self.model = value

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if value is None:
            if self.allow_null:
                return None
            if self.default is not None:
                return self.default
        return _marshal(value, self.nested, skip_none=self.skip_none, ordered=ordered)

    def compiled_as(self, key: t.Any) -> core.Raw:
        if type(self).output is not Nested.output:
            return self
        nested = self.nested
        source = key if self.attribute is None else self.attribute
        if (
            self.skip_none
            or self.mask is not None
            or callable(self.default)
            or not _plain_source(source)
            or not isinstance(nested, Mapping)
            or getattr(nested, "__mask__", None)
            or _needs_walk(nested)
        ):
            return self
        return core.Nested(
            nested, self.allow_null, default=self.default, attribute=self.attribute
        )

    def json_schema(self, converter: FieldsConverter, path: str) -> dict[str, t.Any]:
        inner = converter.dict_schema(self.model, path)
        schema = {"type": "array", "items": inner} if self.as_list else inner
        if self.nullable:
            schema = _nullable(schema)
        return converter.documented(schema, self._keywords(converter, path))

    def clone(self, mask: Mask | None = None) -> Nested:
        """A copy whose model is masked with ``mask``."""
        clone = copy.copy(self)
        if mask:
            clone.model = mask.apply(self.nested)
        return clone


class List(Raw, core.List):
    """Output a list, each item formatted by ``cls_or_instance``.

    :param min_items: documentation: the fewest items.
    :param max_items: documentation: the most items.
    :param unique: documentation: no item appears twice.
    """

    min_items: t.Any = None
    max_items: t.Any = None
    unique: t.Any = None

    def __init__(self, cls_or_instance: t.Any, **kwargs: t.Any) -> None:
        options = {
            name: kwargs.pop(name, None)
            for name in ("min_items", "max_items", "unique")
        }
        super().__init__(**kwargs)
        _set(self, options)
        message = "The type of the list elements must be a subclass of fields.Raw"
        if isinstance(cls_or_instance, type):
            if not issubclass(cls_or_instance, core.Raw):
                raise MarshallingError(message)
            self.container: core.Raw = cls_or_instance()
        else:
            if not isinstance(cls_or_instance, core.Raw):
                raise MarshallingError(message)
            self.container = cls_or_instance

    def format(self, value: t.Any) -> t.Any:
        if value is None:
            return []
        if isinstance(value, set):
            value = list(value)
        container = self.container
        whole = isinstance(container, core.Nested) or type(container) is Raw
        attribute = container.attribute
        return [
            _output(
                container,
                index,
                item
                if (
                    isinstance(item, dict) or (attribute and hasattr(item, attribute))  # type: ignore[arg-type]
                )
                and not whole
                else value,
            )
            for index, item in enumerate(value)
        ]

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if is_indexable_but_not_string(value) and not isinstance(value, dict):
            return self.format(value)
        if value is None:
            return self._v("default")
        return [_marshal(value, self.container.nested)]  # type: ignore[attr-defined]

    def compiled_as(self, key: t.Any) -> core.Raw:
        cls = type(self)
        source = key if self.attribute is None else self.attribute
        if (
            cls.output is not List.output
            or cls.format is not List.format
            or self.mask is not None
            or callable(self.default)
            or not _plain_source(source)
        ):
            return self
        container = self.container
        twin = container.compiled_as(None)
        if twin is container and (
            type(container) is Raw or isinstance(container, core.Nested)
        ):
            # The core's List reads these items another way.
            return self
        return core.List(twin, default=self.default, attribute=self.attribute)

    def json_schema(self, converter: FieldsConverter, path: str) -> dict[str, t.Any]:
        items = converter.field_schema(self.container, f"{path}[]")
        schema: dict[str, t.Any] = {"type": "array", "items": items}
        if self.nullable:
            schema = _nullable(schema)
        return converter.documented(schema, self._keywords(converter, path))

    def clone(self, mask: Mask | None = None) -> List:
        """A copy whose item field is masked with ``mask``."""
        clone = copy.copy(self)
        if mask:
            clone.container = mask.apply(self.container)
        return clone


def _output(field: core.Raw, key: t.Any, obj: t.Any, ordered: bool = False) -> t.Any:
    """``field.output``, with ``ordered`` for Flask-RESTX's fields."""
    if isinstance(field, Raw):
        return field.output(key, obj, ordered=ordered)
    return field.output(key, obj)


class Polymorph(Nested):
    """Output the value marshalled with the model its class maps to.

    :param mapping: classes mapped to their models, which share one parent.
    :param required: output ``default`` (else a dict of defaults) for a
        ``None`` value, instead of ``None``.
    """

    def __init__(
        self, mapping: Mapping[type, t.Any], required: bool = False, **kwargs: t.Any
    ) -> None:
        self.mapping = mapping
        parent = self.resolve_ancestor(list(mapping.values()))
        super().__init__(parent, allow_null=not required, **kwargs)

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        value = get_value(key if self.attribute is None else self.attribute, obj)
        if value is None:
            if self.allow_null:
                return None
            if self.default is not None:
                return self.default
        candidates = [
            fields for cls, fields in self.mapping.items() if type(value) is cls
        ]
        if not candidates:
            raise ValueError("Unknown class: " + type(value).__name__)
        if len(candidates) > 1:
            raise ValueError(
                "Unable to determine a candidate for: " + type(value).__name__
            )
        return _marshal(value, candidates[0].resolved, mask=self.mask, ordered=ordered)

    def compiled_as(self, key: t.Any) -> core.Raw:
        return self

    def resolve_ancestor(self, models: t.Sequence[t.Any]) -> t.Any:
        """The one model every model of ``models`` inherits from.

        :raises ValueError: if there is not exactly one.
        """
        candidates = set.intersection(*(set(m.ancestors) for m in models))
        if len(candidates) != 1:
            names = ", ".join(m.name for m in models)
            raise ValueError("Unable to determine the common ancestor for: " + names)
        return models[0].get_parent(candidates.pop())

    def json_schema(self, converter: FieldsConverter, path: str) -> dict[str, t.Any]:
        choices = [
            converter.dict_schema(model, path) for model in self.mapping.values()
        ]
        schema: dict[str, t.Any] = {"anyOf": choices}
        if self.nullable:
            schema = {"anyOf": [*choices, {"type": "null"}]}
        return converter.documented(schema, self._keywords(converter, path))

    def clone(self, mask: Mask | None = None) -> Polymorph:
        """A copy that masks the value's model with ``mask``; as in
        Flask-RESTX, it outputs ``None`` for a ``None`` value even if this
        one was ``required``."""
        clone = copy.copy(self)
        clone.mask = mask
        clone.allow_null = True
        return clone


class Wildcard(Raw):
    """Output every key of the object whose name matches the output key,
    a pattern such as ``"*"`` or ``"a*"``, formatted by ``cls_or_instance``.

    Inside :func:`~flask_resources.restx.marshal` each matching key becomes
    an output key. Called alone, :meth:`output` gives the next match each
    time, as in Flask-RESTX; :attr:`key` names it.
    """

    def __init__(self, cls_or_instance: t.Any, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        message = "The type of the wildcard elements must be a subclass of fields.Raw"
        if isinstance(cls_or_instance, type):
            if not issubclass(cls_or_instance, core.Raw):
                raise MarshallingError(message)
            self.container: core.Raw = cls_or_instance()
        else:
            if not isinstance(cls_or_instance, core.Raw):
                raise MarshallingError(message)
            self.container = cls_or_instance
        self.reset()

    def reset(self) -> None:
        """Forget the object being read and the keys already given."""
        #: Keys never to give (the model's other keys).
        self.exclude: set[t.Any] = set()
        self._flat: list[tuple[t.Any, t.Any]] | None = None
        self._obj: t.Any = None
        self._cache: set[t.Any] = set()
        self._last: t.Any = None

    @property
    def key(self) -> t.Any:
        """The key of the value :meth:`output` gave last."""
        return self._last

    def _flatten(self, obj: t.Any) -> list[tuple[t.Any, t.Any]] | None:
        if obj is None:
            return None
        if obj == self._obj and self._flat is not None:
            return self._flat
        if isinstance(obj, dict):
            self._flat = list(obj.items())
        else:
            self._flat = [
                (name, value)
                for name, value in inspect.getmembers(obj)
                if not inspect.isroutine(value)
                and not (name.startswith("__") and name.endswith("__"))
            ]
        self._cache = set()
        self._obj = obj
        return self._flat

    def output(
        self, key: t.Any, obj: t.Any, ordered: bool = False, **kwargs: t.Any
    ) -> t.Any:
        value = None
        pattern = re.compile(fnmatch.translate(key), re.IGNORECASE)
        flat = self._flatten(obj)
        while flat:
            name, item = flat.pop(0) if ordered else flat.pop()
            if (
                name not in self._cache
                and name not in self.exclude
                and pattern.match(name)
            ):
                value = item
                self._cache.add(name)
                self._last = name
                break
        if value is None:
            if self.default is not None:
                return self.container.format(self.default)
            return None
        container = self.container
        if isinstance(container, core.Nested):
            return _marshal(
                value,
                container.nested,
                skip_none=getattr(container, "skip_none", False),
                ordered=ordered,
            )
        return container.format(value)

    def compiled_as(self, key: t.Any) -> core.Raw:
        return self

    def json_schema(self, converter: FieldsConverter, path: str) -> dict[str, t.Any]:
        schema: dict[str, t.Any] = {
            "type": "object",
            "additionalProperties": converter.field_schema(self.container, f"{path}.*"),
        }
        if self.nullable:
            schema = _nullable(schema)
        return converter.documented(schema, self._keywords(converter, path))

    def clone(self) -> Wildcard:
        """A copy with nothing read yet."""
        clone = copy.copy(self)
        clone.reset()
        return clone


def _needs_walk(fields: Mapping[t.Any, t.Any]) -> bool:
    """Whether ``fields`` must be marshalled field by field, by Flask-RESTX's
    rules, rather than compiled: it holds a :class:`Wildcard` (which reads
    the whole object), or an inner dict that is a model (marshalled
    resolved, with its own mask), directly or in an inner dict."""
    for value in fields.values():
        if isinstance(value, Wildcard) or value is Wildcard:
            return True
        if isinstance(value, Mapping) and (
            hasattr(value, "resolved")
            or getattr(value, "__mask__", None)
            or _needs_walk(value)
        ):
            return True
    return False
