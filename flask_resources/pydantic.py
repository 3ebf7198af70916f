"""pydantic models where :mod:`.schemas` takes a marshmallow schema."""

from __future__ import annotations

import collections.abc
import threading
import typing as t
from collections.abc import Callable, Mapping

from .exceptions import ResponseValidationError
from .schemas import _Reader, _too_deep

_MISSING_EXTRA = (
    "pydantic models need pydantic 2.6 or later:"
    " pip install 'flask-resources[pydantic]'"
)

try:
    import pydantic
    from pydantic_core import PydanticSerializationError
except ImportError as exc:  # pragma: no cover - tested in a fresh interpreter
    raise ImportError(_MISSING_EXTRA) from exc

if int(pydantic.VERSION.split(".")[0]) < 2:  # pragma: no cover - v1 installed
    raise ImportError(f"{_MISSING_EXTRA} (found pydantic {pydantic.VERSION})")

__all__ = [
    "example",
    "is_model",
    "json_schema",
    "model_dumper",
    "model_loader",
    "problems",
    "type_adapter",
]

#: A model class, or ``list[Model]``.
ModelSource: t.TypeAlias = t.Any

#: Types whose fields read every value of a repeated query or form key.
_LIST_ORIGINS = (
    list,
    tuple,
    set,
    frozenset,
    collections.abc.Sequence,
    collections.abc.MutableSequence,
    collections.abc.Set,
    collections.abc.MutableSet,
)

_adapters: dict[t.Any, pydantic.TypeAdapter[t.Any]] = {}
_adapters_lock = threading.Lock()


def type_adapter(source: ModelSource) -> pydantic.TypeAdapter[t.Any]:
    """The :class:`pydantic.TypeAdapter` of ``source``, built once per type
    and shared by every thread."""
    adapter = _adapters.get(source)
    if adapter is None:
        with _adapters_lock:
            adapter = _adapters.get(source)
            if adapter is None:
                adapter = _adapters[source] = pydantic.TypeAdapter(source)
    return adapter


def _model_of(source: object) -> tuple[type[pydantic.BaseModel], bool] | None:
    """The model ``source`` names and whether it is a list of them."""
    if isinstance(source, type):
        if issubclass(source, pydantic.BaseModel):
            return source, False
        return None
    if t.get_origin(source) is list:
        args = t.get_args(source)
        if (
            len(args) == 1
            and isinstance(args[0], type)
            and issubclass(args[0], pydantic.BaseModel)
        ):
            return args[0], True
    return None


def is_model(source: object) -> bool:
    """Whether ``source`` is a pydantic model class or ``list[Model]``."""
    return _model_of(source) is not None


# -- requests ------------------------------------------------------------------


class _ModelLoader(_Reader):
    """Loads one location of the current request with a model's adapter."""

    def __init__(self, source: ModelSource, location: str, *, as_dict: bool) -> None:
        found = _model_of(source)
        assert found is not None
        model, many = found
        keys: list[str] = []
        multi_keys: list[str] = []
        for name, field in model.model_fields.items():
            alias = field.validation_alias
            key = alias if isinstance(alias, str) else field.alias or name
            keys.append(key)
            if _is_list(field.annotation):
                multi_keys.append(key)
        super().__init__(source, location, keys=keys, multi_keys=multi_keys, many=many)
        self.validate = type_adapter(source).validate_python
        self.as_dict = as_dict

    def load(self, data: t.Any, location: str) -> t.Any:
        if location == "headers":
            # Every request carries headers the model does not name (Host,
            # User-Agent...): even a model that forbids extras sees only its own.
            keys = self.keys
            data = {key: value for key, value in data.items() if key in keys}
        try:
            value = self.validate(data)
        except pydantic.ValidationError as exc:
            # from None: the cause holds the input, which never goes back out.
            raise self.error(location, error_messages(exc)) from None
        except RecursionError:
            raise _too_deep(location) from None
        return dict(value) if self.as_dict else value


def model_loader(
    source: ModelSource, location: str, *, as_dict: bool = False
) -> Callable[[], t.Any]:
    """What :func:`~flask_resources.use_args` calls per request to load
    ``location`` with ``source`` (a model, or ``list[Model]`` for a JSON
    array); ``as_dict`` gives the model's fields as a dict
    (:func:`~flask_resources.use_kwargs`)."""
    return _ModelLoader(source, location, as_dict=as_dict)


def problems(source: ModelSource, data: t.Any) -> list[tuple[tuple[t.Any, ...], str]]:
    """Where ``data`` does not fit ``source`` and why, as ``(path,
    message)`` pairs; none when it fits. The RESTX layer's ``expect``
    reports these in Flask-RESTX's format."""
    try:
        type_adapter(source).validate_python(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors(
            include_url=False, include_context=False, include_input=False
        )
        return [(tuple(error["loc"]), error["msg"]) for error in errors]
    return []


def _is_list(annotation: t.Any) -> bool:
    """Whether a field of this type reads every value of a repeated key."""
    origin = t.get_origin(annotation)
    if origin in _LIST_ORIGINS or annotation in _LIST_ORIGINS:
        return True
    if origin is not None and t.get_origin(annotation) not in (dict, Mapping):
        # Optional[list[str]], Annotated[list[str], ...]: look inside.
        return any(_is_list(arg) for arg in t.get_args(annotation))
    return False


def error_messages(exc: pydantic.ValidationError) -> dict[t.Any, t.Any]:
    """pydantic's errors nested as marshmallow nests its messages: by field
    path (list indexes as ints), each a list of strings, ``_schema`` for
    the whole. The input, context and documentation links are left out."""
    messages: dict[t.Any, t.Any] = {}
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    for error in errors:
        path = error["loc"] or ("_schema",)
        node = messages
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                # Messages for the value itself and for what is inside it.
                child = node[part] = {"_schema": child}
            node = child
        leaf = node.setdefault(path[-1], [])
        if isinstance(leaf, dict):
            leaf = leaf.setdefault("_schema", [])
        leaf.append(error["msg"])
    return messages


# -- responses -----------------------------------------------------------------


def model_dumper(source: object) -> Callable[[t.Any], t.Any] | None:
    """The function that dumps a response body with ``source``, if it is a
    model or ``list[Model]``; ``None`` otherwise.

    Objects are read by attribute (``from_attributes``, so ORM rows work)
    or as dicts, validated, and dumped in JSON mode by alias: only the
    model's fields go out. As with a marshmallow schema, a list or tuple
    body is dumped item by item with a model too.
    """
    found = _model_of(source)
    if found is None:
        return None
    model, _ = found
    dump_many = _dump_with(type_adapter(list[model]), f"list[{model.__name__}]")  # type: ignore[valid-type]
    if source is not model:
        return dump_many
    dump_one = _dump_with(type_adapter(model), model.__name__)

    def dump_one_or_many(data: t.Any) -> t.Any:
        if isinstance(data, (list, tuple)):
            return dump_many(data)
        return dump_one(data)

    return dump_one_or_many


def _dump_with(
    adapter: pydantic.TypeAdapter[t.Any], name: str
) -> Callable[[t.Any], t.Any]:
    validate = adapter.validate_python
    dump = adapter.dump_python

    def run(data: t.Any) -> t.Any:
        try:
            return dump(
                validate(data, from_attributes=True), mode="json", by_alias=True
            )
        except pydantic.ValidationError as exc:
            errors = exc.errors(
                include_url=False, include_context=False, include_input=False
            )
            raise ResponseValidationError(
                f"The response body does not fit {name}: {_summary(errors)}",
                [{"loc": list(e["loc"]), "msg": e["msg"]} for e in errors],
            ) from None
        except PydanticSerializationError as exc:
            raise ResponseValidationError(
                f"The response body cannot be dumped by {name}: {exc}",
                [{"loc": [], "msg": str(exc)}],
            ) from None

    return run


def _summary(errors: t.Sequence[t.Any]) -> str:
    parts = [
        f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in errors[:3]
    ]
    more = len(errors) - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


# -- examples for the browsable API's forms -------------------------------------

#: Example strings by JSON Schema ``format``, as the marshmallow forms give them.
_FORMAT_EXAMPLES = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def example(source: ModelSource) -> dict[str, t.Any] | None:
    """An example request body for a model, from its validation JSON
    Schema: each field's first ``examples`` item, else its default, else a
    value of its type; ``None`` for ``list[Model]``."""
    found = _model_of(source)
    if found is None or found[1]:
        return None
    schema = type_adapter(found[0]).json_schema(by_alias=True, mode="validation")
    value = _example_of(schema, schema.get("$defs", {}), depth=0)
    return value if isinstance(value, dict) else None


def _example_of(schema: t.Any, defs: Mapping[str, t.Any], depth: int) -> t.Any:
    if not isinstance(schema, Mapping) or depth > 8:
        return None  # A model that contains itself stops somewhere.
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _example_of(defs.get(ref.rpartition("/")[2]), defs, depth + 1)
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if schema.get("default") is not None:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key) or () if o != {"type": "null"}]
        if options:
            return _example_of(options[0], defs, depth + 1)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties") or {}
        return {
            name: _example_of(value, defs, depth + 1)
            for name, value in properties.items()
        }
    if kind == "array":
        item = _example_of(schema.get("items"), defs, depth + 1)
        return [] if item is None else [item]
    if kind == "string":
        return _FORMAT_EXAMPLES.get(str(schema.get("format")), "string")
    return {"integer": 0, "number": 0.0, "boolean": False}.get(str(kind))


# -- OpenAPI -------------------------------------------------------------------

#: Where :func:`json_schema` points references, before the builder names
#: the components.
REF_PREFIX = "#/components/schemas/"


def json_schema(
    source: ModelSource,
    mode: t.Literal["validation", "serialization"],
    *,
    openapi30: bool = False,
) -> tuple[dict[str, t.Any], dict[str, dict[str, t.Any]]]:
    """The JSON Schema of ``source`` in ``mode`` (what requests are validated
    against, or what responses are dumped as) and the definitions it refers
    to, by pydantic's name for them. The model itself is one of them, so the
    schema is a ``$ref`` (in an array for ``list[Model]``); references are
    ``#/components/schemas/<name>``, for the builder to rename. Aliases are
    the wire's. With ``openapi30``, 3.1's ``anyOf`` null becomes
    ``nullable`` and the like; what 3.0 cannot say raises ``ValueError``.
    """
    found = _model_of(source)
    if found is None:
        raise TypeError(f"not a pydantic model: {source!r}")
    model, many = found
    # A list's items are always a reference to the model's definition.
    listed = type_adapter(list[model]).json_schema(  # type: ignore[valid-type]
        by_alias=True, mode=mode, ref_template=REF_PREFIX + "{model}"
    )
    defs: dict[str, dict[str, t.Any]] = listed.pop("$defs", {})
    schema: dict[str, t.Any] = listed if many else listed["items"]
    if openapi30:
        schema = _to_openapi30(schema, "")
        defs = {name: _to_openapi30(value, name) for name, value in defs.items()}
    return schema, defs


def _to_openapi30(schema: t.Any, where: str) -> t.Any:
    """A JSON Schema 2020-12 (OpenAPI 3.1) schema as OpenAPI 3.0 says it."""
    if isinstance(schema, list):
        return [_to_openapi30(item, where) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _to_openapi30(value, where) for key, value in schema.items()}
    if "prefixItems" in result:
        raise ValueError(
            f"{where or 'the schema'}: OpenAPI 3.0 cannot describe a tuple"
            " (prefixItems); use openapi_version 3.1"
        )
    if "const" in result:
        result["enum"] = [result.pop("const")]
    examples = result.pop("examples", None)
    if isinstance(examples, list) and examples:
        result.setdefault("example", examples[0])
    for bound, limit in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        value = result.get(bound)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            result[limit] = value
            result[bound] = True
    kind = result.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) < len(kind):
            result["nullable"] = True
        if len(kinds) == 1:
            result["type"] = kinds[0]
        else:
            del result["type"]
            result["anyOf"] = [{"type": k} for k in kinds]
    for key in ("anyOf", "oneOf"):
        options = result.get(key)
        if not isinstance(options, list):
            continue
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == len(options):
            continue
        result["nullable"] = True
        del result[key]
        if len(kept) == 1:
            (only,) = kept
            if "$ref" in only:
                # 3.0 ignores keywords next to a $ref.
                result["allOf"] = [only]
            else:
                result = {**only, **result}
        elif kept:
            result[key] = kept
    return result
