"""Flask-RESTX's models: named fields dicts that document and validate bodies."""

from __future__ import annotations

import copy
import functools
import threading
import typing as t
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping

from .._fastcheck import fast_check
from ..exceptions import FlaskResourcesError, abort
from ..openapi.convert.fields import (
    DEFINITIONS,
    FieldsConverter,
    ModelParts,
    model_parts,
    with_ref_prefix,
)

if t.TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = ("ModelBase", "RawModel", "Model", "OrderedModel", "SchemaModel")

#: The message of the 400 answered for a payload that fails its model.
VALIDATION_MESSAGE = "Input payload validation failed"

# Building a validator converts the model and its relatives once; readers
# find it without the lock, writers take it so each is built once.
_BUILD_LOCK = threading.Lock()
#: Validators kept per model, the most recent (resolver, checker) pairs.
_MAX_VALIDATORS = 8


class _ClassOrInstance:
    """A constructor usable from the class or from a model, as Flask-RESTX's
    ``inherit`` and ``clone`` are: ``Model.inherit(name, parent, fields)``
    equals ``parent.inherit(name, fields)``, the model coming first."""

    def __init__(self, func: Callable[..., t.Any]) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, obj: t.Any, owner: type | None = None) -> Callable[..., t.Any]:
        func = self.func
        if obj is None:
            return functools.partial(func, owner)
        cls = type(obj)

        def from_instance(name: str, *others: t.Any) -> t.Any:
            return func(cls, name, obj, *others)

        functools.update_wrapper(from_instance, func)
        return from_instance


_M = t.TypeVar("_M", bound="ModelBase")
_R = t.TypeVar("_R", bound="RawModel")


def _inherit(cls: type[_M], name: str, *parents: t.Any) -> _M:
    """A model called ``name`` that extends ``parents`` with the fields
    (or schema) given last, documented as ``allOf`` their references and
    its own object (Swagger's composition). From a model,
    ``parent.inherit(name, fields)``; from the class,
    ``Model.inherit(name, parent, fields)``.
    """
    model = cls(name, parents[-1])
    model.__parents__ = list(parents[:-1])
    return model


def _clone(cls: type[_R], name: str, *parents: Mapping[str, t.Any]) -> _R:
    """A model called ``name`` holding copies of the fields of ``parents``,
    later ones winning, with no link to them (unlike ``inherit``). From a
    model, ``model.clone(name, fields)``; from the class,
    ``Model.clone(name, model, fields)``.
    """
    fields = cls.wrapper()
    for parent in parents:
        fields.update(copy.deepcopy(parent))
    return cls(name, fields)


class ModelBase:
    """What every model has: a name, parents, a JSON Schema and validation.

    :param name: the model's public name, its component's name in the
        OpenAPI document.

    .. versionadded:: 0.1
    """

    name: str
    #: The models this one inherits from (:meth:`inherit`), referenced in
    #: its schema's ``allOf``.
    __parents__: list[ModelBase]

    def __init__(self, name: str, *args: t.Any, **kwargs: t.Any) -> None:
        # Cooperative: the mapping class after this one in the MRO (dict,
        # OrderedDict) takes the fields.
        super().__init__(*args, **kwargs)
        self.__apidoc__: dict[str, t.Any] = {"name": name}
        self.name = name
        self.__parents__ = []
        self._validators: dict[
            tuple[int, int],
            tuple[t.Any, t.Any, Validator, Callable[[t.Any], bool] | None],
        ] = {}

    def schema_parts(self) -> ModelParts:
        """How the OpenAPI converter describes this model
        (:class:`~flask_resources.openapi.convert.DescribedModel`)."""
        raise NotImplementedError

    @property
    def ancestors(self) -> set[str]:
        """The names of this model and of every model it inherits from."""
        names = {self.name}
        for parent in self.__parents__:
            names |= parent.ancestors
        return names

    def get_parent(self, name: str) -> ModelBase:
        """This model or the ancestor called ``name``.

        :raises ValueError: when there is none.
        """
        if self.name == name:
            return self
        for parent in self.__parents__:
            try:
                return parent.get_parent(name)
            except ValueError:
                continue
        raise ValueError(f"Parent {name} not found")

    @property
    def __schema__(self) -> dict[str, t.Any]:
        """This model's JSON Schema as Flask-RESTX spells it: other models
        are ``{"$ref": "#/definitions/<name>"}``, a child of :meth:`inherit`
        is ``allOf`` its parents' references and its own object.

        It comes from the converter that writes the OpenAPI document's
        components, so both say the same.
        """
        return self._convert()[0]

    def _convert(self) -> tuple[dict[str, t.Any], dict[str, dict[str, t.Any]]]:
        """This model's schema and those of the models it refers to."""
        related: dict[str, dict[str, t.Any]] = {}
        converter = FieldsConverter(
            _unnamed, related.__setitem__, ref_prefix=DEFINITIONS
        )
        return converter.object_schema(self), related

    inherit = _ClassOrInstance(_inherit)

    def validate(
        self,
        data: t.Any,
        resolver: t.Any = None,
        format_checker: t.Any = None,
    ) -> None:
        """Check ``data`` against this model's JSON Schema.

        The first call builds a validator (jsonschema's for the schema's
        dialect, 2020-12 unless it says otherwise), kept for the next calls.

        :param data: the decoded JSON payload.
        :param resolver: where references to models this one does not
            contain are found (a :class:`SchemaModel`'s ``$ref``): a
            ``referencing.Registry`` as Flask-RESTX's ``Api.refresolver``,
            or a mapping of names to models.
        :param format_checker: a ``jsonschema.FormatChecker`` to check
            ``format`` too; without it formats are not checked.
        :raises werkzeug.exceptions.BadRequest: when ``data`` does not fit,
            with the body ``{"errors": {<path>: <message>}, "message":
            "Input payload validation failed"}``.
        """
        validator, is_valid = self._validator(resolver, format_checker)
        if is_valid is not None and is_valid(data):
            return
        errors = dict(self.format_error(error) for error in validator.iter_errors(data))
        if errors:
            abort(400, errors=errors, message=VALIDATION_MESSAGE)

    def format_error(self, error: ValidationError) -> tuple[str, str]:
        """The key and message of one validation error: the path to the
        value, dotted (``members.0.age``), with the missing property's name
        for a ``required`` error."""
        path = list(error.path)
        if error.validator == "required":
            missing = _missing_property(error)
            if missing is not None:
                path.append(missing)
        return ".".join(str(part) for part in path), error.message

    def _validator(
        self, resolver: t.Any, format_checker: t.Any
    ) -> tuple[Validator, Callable[[t.Any], bool] | None]:
        """jsonschema's validator for this model, and a faster check that a
        payload is valid when jsonschema-rs can give one."""
        key = (id(resolver), id(format_checker))
        entry = self._validators.get(key)
        if entry is None or entry[0] is not resolver or entry[1] is not format_checker:
            with _BUILD_LOCK:
                entry = self._validators.get(key)
                if (
                    entry is None
                    or entry[0] is not resolver
                    or entry[1] is not format_checker
                ):
                    validator = _build_validator(self, resolver, format_checker)
                    # jsonschema-rs checks no formats: with a checker,
                    # jsonschema alone decides.
                    is_valid = (
                        fast_check(validator.schema) if format_checker is None else None
                    )
                    entry = (resolver, format_checker, validator, is_valid)
                    # Copy on write: readers never see a dict being changed.
                    # A few entries: one per Api (resolver) and checker.
                    kept = list(self._validators.items())[-(_MAX_VALIDATORS - 1) :]
                    self._validators = {**dict(kept), key: entry}
        return entry[2], entry[3]


class RawModel(ModelBase, dict[str, t.Any]):
    """A model made of fields; :class:`Model` and :class:`OrderedModel`
    are the ones to use.

    :param name: the model's public name.
    :param mask: a default field mask for marshalling (``"{name,age}"``).
    :param strict: refuse properties the model does not name
        (``additionalProperties: false``).

    .. versionadded:: 0.1
    """

    #: The mapping class the model's fields live in.
    wrapper: t.ClassVar[type[dict[str, t.Any]]] = dict
    #: The model a :attr:`resolved` copy was made from.
    _resolved_from: RawModel | None = None

    def __init__(
        self,
        name: str,
        *args: t.Any,
        mask: t.Any = None,
        strict: bool = False,
        **kwargs: t.Any,
    ) -> None:
        if args and args[0] is None:
            # ns.model(name) passes None for "no fields yet".
            args = args[1:]
        if mask and isinstance(mask, str):
            # Parsed as Flask-RESTX does, so a malformed mask fails here.
            from .mask import Mask

            mask = Mask(mask)
        self.__mask__ = mask or None
        self.__strict__ = strict
        super().__init__(name, *args, **kwargs)

    def schema_parts(self) -> ModelParts:
        if self._resolved_from is not None:
            # A resolved copy is documented as the model it was made from.
            return self._resolved_from.schema_parts()
        keywords: dict[str, t.Any] = {}
        if self.__mask__:
            keywords["x-mask"] = str(self.__mask__)
        if self.__strict__:
            keywords["additionalProperties"] = False
        return ModelParts(
            self.name, fields=self, parents=self.__parents__, keywords=keywords
        )

    @property
    def __schema__(self) -> dict[str, t.Any]:
        schema = super().__schema__
        own = schema["allOf"][-1] if "allOf" in schema else schema
        discriminator = own.get("discriminator")
        if isinstance(discriminator, Mapping):
            # Swagger 2.0 names the property; OpenAPI 3 wraps it.
            own["discriminator"] = discriminator["propertyName"]
        return schema

    @functools.cached_property
    def resolved(self) -> t.Self:
        """A copy with the parents' fields merged in, for marshalling; its
        discriminator field, if any, outputs this model's name."""
        resolved = copy.deepcopy(self)
        for parent in self.__parents__:
            if isinstance(parent, RawModel):
                resolved.update(parent.resolved)
        resolved._resolved_from = self
        candidates = [
            field
            for field in resolved.values()
            if getattr(field, "discriminator", False)
        ]
        if len(candidates) > 1:
            raise ValueError("There can only be one discriminator by schema")
        if candidates:
            candidates[0].default = self.name
        return resolved

    clone = _ClassOrInstance(_clone)

    def extend(self, name: str, fields: t.Any) -> t.Any:
        """:meth:`clone` by another name.

        .. deprecated:: 0.1
            Flask-RESTX deprecated it in 0.9; use :meth:`clone`. It will be
            removed in flask-resources 1.0.
        """
        warnings.warn(
            "Model.extend is deprecated and will be removed in flask-resources"
            " 1.0; use Model.clone",
            DeprecationWarning,
            stacklevel=2,
        )
        if isinstance(fields, (list, tuple)):
            return self.clone(name, *fields)
        return self.clone(name, fields)

    def __deepcopy__(self, memo: dict[int, t.Any]) -> t.Self:
        copied = type(self)(
            self.name,
            [(key, copy.deepcopy(value, memo)) for key, value in self.items()],
            mask=self.__mask__,
            strict=self.__strict__,
        )
        copied.__parents__ = self.__parents__
        return copied

    def __str__(self) -> str:
        return f"Model({self.name},{{{','.join(map(str, self))}}})"


class Model(RawModel):
    """A named fields dict: marshals like one, and documents and validates
    the JSON it describes. ::

        person = Model("Person", {
            "name": fields.String(required=True),
            "age": fields.Integer,
        })
        person.validate({"age": 3})  # 400: 'name' is a required property

    .. versionadded:: 0.1
    """


class OrderedModel(RawModel, OrderedDict[str, t.Any]):
    """A :class:`Model` that is an :class:`~collections.OrderedDict`.

    .. versionadded:: 0.1
    """

    wrapper = t.cast("type[dict[str, t.Any]]", OrderedDict)


class SchemaModel(ModelBase):
    """A model given as a JSON Schema rather than fields, for documentation
    and validation (it cannot marshal). ``$ref`` to
    ``#/definitions/<name>`` refers to other models.

    :param name: the model's public name.
    :param schema: the JSON Schema.

    .. versionadded:: 0.1
    """

    def __init__(self, name: str, schema: Mapping[str, t.Any] | None = None) -> None:
        super().__init__(name)
        self._schema: Mapping[str, t.Any] = schema or {}

    def schema_parts(self) -> ModelParts:
        return ModelParts(self.name, schema=self._schema, parents=self.__parents__)

    def __str__(self) -> str:
        return f"SchemaModel({self.name},{self._schema})"


def _unnamed(mapping: Mapping[t.Any, t.Any]) -> None:
    """Plain fields dicts inside a model are inlined."""
    return None


def _missing_property(error: ValidationError) -> str | None:
    """The property a ``required`` error is about."""
    instance = error.instance
    required = error.validator_value
    if not isinstance(instance, Mapping) or not isinstance(required, list):
        return None
    missing = [name for name in required if name not in instance]
    for name in missing:
        # jsonschema says which one only in its message.
        if error.message == f"{name!r} is a required property":
            return str(name)
    return str(missing[0]) if missing else None


def _jsonschema() -> t.Any:
    try:
        import jsonschema.validators
    except ImportError:
        raise FlaskResourcesError(
            "Validating a payload against a model needs the 'restx' extra:"
            " pip install 'flask-resources[restx]'"
        ) from None
    return jsonschema.validators


def _build_validator(
    model: ModelBase, resolver: t.Any, format_checker: t.Any
) -> Validator:
    """A validator of ``model``'s schema, which holds every model it refers
    to under ``definitions`` so that its references resolve inside it."""
    validators = _jsonschema()
    schema, related = model._convert()
    lookup = _external_lookup(resolver)
    converter = FieldsConverter(_unnamed, related.__setitem__, ref_prefix=DEFINITIONS)
    while True:
        wanted = {name for name in _referenced(schema, related) if name not in related}
        if not wanted:
            break
        for name in sorted(wanted):
            found = lookup(name)
            if found is None:
                raise FlaskResourcesError(
                    f"model {model.name}: it refers to #/definitions/{name},"
                    " which is no model it contains nor one the Api knows"
                )
            if model_parts(found) is not None:
                related[name] = converter.object_schema(found)
            else:
                related[name] = with_ref_prefix(found, DEFINITIONS)
    document = dict(schema)
    if related:
        document["definitions"] = {**related, **schema.get("definitions", {})}
    cls = validators.validator_for(document, default=validators.Draft202012Validator)
    options: dict[str, t.Any] = {"format_checker": format_checker}
    if _is_registry(resolver):
        options["registry"] = resolver
    elif resolver is not None and hasattr(resolver, "resolve"):
        # A jsonschema RefResolver, as Flask-RESTX accepted before 1.3.2.
        options["resolver"] = resolver
    validator: Validator = cls(document, **options)
    return validator


def _referenced(schema: t.Any, related: Mapping[str, t.Any]) -> Iterator[str]:
    """The model names ``#/definitions/`` references in the schemas name."""
    for document in (schema, *related.values()):
        yield from _refs(document)


def _refs(schema: t.Any) -> Iterator[str]:
    if isinstance(schema, Mapping):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFINITIONS):
            yield ref[len(DEFINITIONS) :].split("/", 1)[0]
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _refs(item)


def _is_registry(resolver: t.Any) -> bool:
    return type(resolver).__module__.startswith("referencing")


def _external_lookup(resolver: t.Any) -> Callable[[str], t.Any]:
    """Find a model, or a schema, by name in what ``resolver`` holds."""
    if resolver is None:
        return lambda name: None
    if _is_registry(resolver):
        # Flask-RESTX's Api.refresolver: documents whose ``definitions``
        # (or OpenAPI ``components``) hold the models' schemas.
        def from_registry(name: str) -> t.Any:
            for uri in resolver:
                contents = resolver.contents(uri)
                if not isinstance(contents, Mapping):
                    continue
                for where in (
                    contents.get("definitions"),
                    (contents.get("components") or {}).get("schemas"),
                ):
                    if isinstance(where, Mapping) and name in where:
                        return where[name]
            return None

        return from_registry
    if isinstance(resolver, Mapping):
        return lambda name: resolver.get(name)
    return lambda name: None
