"""Flask-RESTX's documentation decorators, recorded in the operation records."""

from __future__ import annotations

import dataclasses
import typing as t
import warnings
from collections.abc import Callable, Mapping
from http import HTTPStatus

from ..operations import (
    Arguments,
    Operation,
    ResponseDoc,
    Status,
    amend,
    get_operation,
    parameter_map,
    set_operation,
)

__all__ = ["DocMixin", "doc_record", "route_doc"]

T = t.TypeVar("T")

#: The verbs a class's documentation may say something for alone.
VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")

# Python types as JSON Schema types, as Flask-RESTX maps them.
_PY_TYPES: dict[t.Any, str] = {
    int: "integer",
    float: "number",
    str: "string",
    bool: "boolean",
}
_SCHEMA_TYPES = frozenset(
    ("string", "number", "integer", "boolean", "array", "object", "null")
)
# Keys of an OpenAPI parameter object; the other keys of a Flask-RESTX
# parameter dict describe its value (its schema).
_PARAMETER_KEYS = frozenset(
    (
        "description",
        "required",
        "deprecated",
        "allowEmptyValue",
        "style",
        "explode",
        "allowReserved",
        "example",
        "examples",
        "content",
    )
)
# Swagger 2.0's collectionFormat as an OpenAPI 3 style.
_COLLECTION_FORMATS: dict[str, dict[str, t.Any]] = {
    "csv": {"style": "form", "explode": False},
    "multi": {"style": "form", "explode": True},
    "ssv": {"style": "spaceDelimited", "explode": False},
    "pipes": {"style": "pipeDelimited", "explode": False},
}
_IN = {"query": "query", "header": "header", "path": "path", "cookie": "cookie"}


class DocMixin:
    """Flask-RESTX's documentation decorators, as methods of a
    :class:`~flask_resources.restx.Namespace` and of the restx
    :class:`~flask_resources.restx.Api` (where they act as its default
    namespace's do). ::

        ns = Namespace("todos", description="TODO operations")

        @ns.route("/<int:id>")
        @ns.response(404, "Todo not found")
        @ns.param("id", "The task identifier")
        class Todo(Resource):
            @ns.doc("get_todo")
            @ns.marshal_with(todo)
            def get(self, id):
                ...

    Each decorator documents without changing what the decorated code does
    (only :meth:`marshal_with` formats, as Flask-RESTX's does), and records
    what it says in :mod:`flask_resources.operations`, where the OpenAPI
    builder reads it. The ``__apidoc__`` attribute Flask-RESTX's decorators
    set is kept as it kept it, for code that reads it; nothing here reads it.
    """

    #: Keep the order of fields in what :meth:`marshal_with` formats.
    ordered: bool = False

    def doc(
        self, shortcut: str | bool | None = None, **kwargs: t.Any
    ) -> Callable[[T], T]:
        """Document a resource class or method.

        :param shortcut: a string is the operation's ``id``; ``False`` hides
            the class or method from the documentation.
        :param kwargs: ``id``, ``description``, ``params`` (name -> a
            description or a parameter dict: ``in``, ``description``,
            ``type``, ``required``, ``enum``, ``default``, ...),
            ``responses`` (status -> a description, or ``(description,
            model)``, or ``(description, model, {"headers": ...,
            "envelope": ...})``), ``headers``, ``security``, ``deprecated``,
            ``model`` (and ``default_code``), ``expect`` (and ``validate``),
            ``produces``, ``vendor`` (and ``x-`` keys), and on a class, a
            verb (``get=...``) for what applies to that verb alone.
        """
        if isinstance(shortcut, str):
            kwargs["id"] = shortcut
        show = shortcut if isinstance(shortcut, bool) else True
        spec: Mapping[str, t.Any] | t.Literal[False] = (
            _normalized(kwargs) if show else False
        )
        record = doc_record(spec)

        def decorator(documented: T) -> T:
            amend(documented, record)
            _update_apidoc(documented, spec)
            return documented

        return decorator

    def hide(self, func: T) -> T:
        """Leave a resource class or method out of the documentation."""
        return self.doc(False)(func)

    def deprecated(self, func: T) -> T:
        """Mark a resource class or method deprecated."""
        return self.doc(deprecated=True)(func)

    def response(
        self,
        code: int | str | HTTPStatus,
        description: str | None,
        model: t.Any = None,
        **kwargs: t.Any,
    ) -> Callable[[T], T]:
        """Document one response.

        :param code: the status.
        :param description: what it means.
        :param model: what formats its body: a model, ``[model]`` for a list
            of them, a field, or a Python type.
        :param kwargs: ``headers`` (name -> description or header dict) and
            ``envelope``.
        """
        return self.doc(responses={str(code): (description, model, kwargs)})

    def param(
        self,
        name: str,
        description: str | None = None,
        _in: str = "query",
        **kwargs: t.Any,
    ) -> Callable[[T], T]:
        """Document one parameter.

        :param name: its name; a URL variable's name describes that path
            parameter.
        :param description: what it is for.
        :param _in: where it is: ``query``, ``header``, ``path``,
            ``cookie``, ``formData`` or ``body``.
        :param kwargs: ``type``, ``required``, ``enum``, ``default``, and any
            other JSON Schema keyword of its value.
        """
        return self.doc(
            params={name: {**kwargs, "in": _in, "description": description}}
        )

    def header(
        self, name: str, description: str | None = None, **kwargs: t.Any
    ) -> Callable[[T], T]:
        """Document a header every response carries.

        :param kwargs: ``type`` and other JSON Schema keywords of its value.
        """
        return self.doc(headers={name: {**kwargs, "description": description}})

    def produces(self, mimetypes: str | t.Sequence[str]) -> Callable[[T], T]:
        """Document the media types of the successful responses."""
        return self.doc(produces=mimetypes)

    def vendor(self, *args: Mapping[str, t.Any], **kwargs: t.Any) -> Callable[[T], T]:
        """Add vendor extensions (``x-`` keys, the prefix added if missing)
        to the operations, given as dicts or keyword arguments."""
        for arg in args:
            kwargs.update(arg)
        return self.doc(vendor=kwargs)

    def expect(self, *inputs: t.Any, **kwargs: t.Any) -> Callable[[T], T]:
        """Document what a request carries: a model (the JSON body), a list
        of one model (a JSON array of them), ``(model, description)``, or a
        request parser (its arguments).

        :param validate: validate the payload against the model (see
            :meth:`~flask_resources.restx.Resource.validate_payload`); by
            default, this namespace's ``validate`` setting.
        """
        validate = kwargs.get("validate", getattr(self, "_validate", None))
        return self.doc(validate=validate, expect=list(inputs))

    def marshal_with(
        self,
        fields: t.Any,
        as_list: bool = False,
        code: int | HTTPStatus = HTTPStatus.OK,
        description: str | None = None,
        **kwargs: t.Any,
    ) -> Callable[[T], T]:
        """Format what the method returns with ``fields``, as
        :func:`flask_resources.restx.marshal_with` does, and document it as
        the response of status ``code``.

        :param as_list: document the body as a list of what ``fields``
            formats.
        :param code: the status documented (the status answered is the
            method's).
        :param description: what the response means.
        :param kwargs: ``envelope``, ``skip_none``, ``mask``, as
            :func:`~flask_resources.restx.marshal_with` takes them.
        """

        def decorator(func: T) -> T:
            # Loaded on first use: the marshalling layer loads only for code
            # that marshals.
            from .marshalling import marshal_with

            before = get_operation(func)
            method = t.cast("Callable[..., t.Any]", func)
            wrapped = marshal_with(fields, ordered=self.ordered, **kwargs)(method)
            document_marshal(
                wrapped,
                before,
                fields,
                as_list=as_list,
                code=code,
                description=description,
                options=kwargs,
            )
            return t.cast(T, wrapped)

        return decorator

    def marshal_list_with(self, fields: t.Any, **kwargs: t.Any) -> Callable[[T], T]:
        """:meth:`marshal_with` for a method returning a list."""
        return self.marshal_with(fields, True, **kwargs)

    def as_list(self, field: T) -> T:
        """Mark a field as documenting a list (kept in ``__apidoc__``, as
        Flask-RESTX keeps it; the OpenAPI document reads the field itself)."""
        _update_apidoc(field, {"as_list": True})
        return field


def document_marshal(
    wrapped: t.Any,
    before: Operation | None,
    fields: t.Any,
    *,
    as_list: bool = False,
    code: int | HTTPStatus = HTTPStatus.OK,
    description: str | None = None,
    options: Mapping[str, t.Any] | None = None,
) -> None:
    """Record on ``wrapped`` (a method that a ``marshal_with`` decorator
    returned) its success response at ``code``, as
    :meth:`DocMixin.marshal_with` documents it.

    :param before: the record of the method before it was wrapped: the
        response the wrapping decorator recorded at 200 is replaced.
    :param options: the options given to ``marshal_with`` (``envelope``,
        ``mask``, ...).
    """
    options = dict(options or {})
    after = get_operation(wrapped) or Operation()
    record = dataclasses.replace(
        after, responses=dict(before.responses) if before is not None else {}
    )
    status = _status(code)
    mask = options.get("mask", True)
    response = ResponseDoc(
        status,
        description=description,
        source=[fields] if as_list else fields,
        envelope=options.get("envelope"),
        success=True,
        # Flask-RESTX documents 200 when no code is given: only another
        # status is one the author stated.
        stated=status != 200,
    )
    record = record.merged(
        Operation(responses={status: response}, extensions={"restx_mask": mask})
    )
    set_operation(wrapped, record)
    _update_apidoc(
        wrapped,
        {
            "responses": {
                str(status): (description, [fields] if as_list else fields, options)
            },
            "__mask__": mask,
        },
    )


def route_doc(
    resource: type, doc: Mapping[str, t.Any] | bool | None
) -> Operation | None:
    """The record of ``ns.route(..., doc=doc)`` for one route of
    ``resource``: what ``doc`` says (as :meth:`DocMixin.doc` takes it),
    ``None`` when it says nothing, a hidden record for ``doc=False``.

    Give it to :meth:`flask_resources.Api.document_endpoint` with the
    route's endpoint: the OpenAPI builder reads it over the class's records
    and under its methods'.
    """
    if doc is None or doc is True:
        return None
    if doc is False:
        return Operation(hide=True)
    return doc_record(_normalized(doc))


def doc_record(spec: Mapping[str, t.Any] | t.Literal[False]) -> Operation:
    """The :class:`~flask_resources.operations.Operation` a Flask-RESTX
    documentation dict (what ``@ns.doc`` takes) says; ``False`` hides."""
    if spec is False:
        return Operation(hide=True)
    record = _record(spec)
    verbs = {}
    for verb in VERBS:
        if verb in spec:
            value = spec[verb]
            if value is False:
                verbs[verb] = Operation(hide=True)
            elif isinstance(value, Mapping):
                verbs[verb] = _record(_normalized(value))
            else:
                raise TypeError(f"doc({verb}=...) takes a dict or False, not {value!r}")
    if verbs:
        record = dataclasses.replace(record, verbs=verbs)
    return record


def _normalized(spec: Mapping[str, t.Any]) -> dict[str, t.Any]:
    """A copy of a documentation dict as Flask-RESTX normalises it: string
    parameters as ``{"description": ...}``, the deprecated ``parser`` and
    ``body`` keys folded into ``expect``."""
    spec = dict(spec)
    params = spec.get("params")
    if isinstance(params, Mapping):
        spec["params"] = {
            name: {"description": value} if isinstance(value, str) else value
            for name, value in params.items()
        }
    for old in ("parser", "body"):
        if old in spec:
            warnings.warn(
                f"The {old} attribute is deprecated, use expect instead",
                DeprecationWarning,
                stacklevel=3,
            )
            spec["expect"] = [*_as_list(spec.get("expect")), spec.pop(old)]
    return spec


def _record(spec: Mapping[str, t.Any]) -> Operation:
    arguments: list[Arguments] = []
    responses: dict[Status, ResponseDoc] = {}
    extensions: dict[str, t.Any] = {}
    openapi: dict[str, t.Any] = {}
    parameters: list[dict[str, t.Any]] = []
    form: dict[str, t.Any] = {"type": "object", "properties": {}}
    files = False

    for name, param in dict(spec.get("params") or {}).items():
        if not isinstance(param, Mapping):
            raise TypeError(f"parameter {name!r}: expected a dict, not {param!r}")
        where = param.get("in") or "query"
        if where == "formData":
            schema = _value_schema(param, f"parameter {name!r}")
            if "type" not in schema and "$ref" not in schema:
                schema["type"] = "string"  # A form field is text.
            if schema.get("format") == "binary":
                files = True
            if param.get("description"):
                schema["description"] = param["description"]
            form["properties"][name] = schema
            if param.get("required"):
                form.setdefault("required", []).append(name)
        elif where == "body":
            source = param.get("schema")
            if source is None:
                raise TypeError(f"body parameter {name!r} needs a 'schema'")
            arguments.append(
                Arguments(
                    _body_source(source),
                    location="json",
                    parses=False,
                    description=param.get("description"),
                )
            )
        elif where in _IN:
            parameters.append(_parameter(name, _IN[where], param))
        else:
            raise ValueError(
                f"parameter {name!r}: 'in' must be query, header, path, cookie,"
                f" formData or body, not {where!r}"
            )
    if form["properties"]:
        location = "files" if files else "form"
        arguments.append(Arguments(form, location=location, parses=False))

    for item in _as_list(spec.get("expect")):
        arguments.append(_expected(item))
    if "validate" in spec:
        extensions["restx_validate"] = spec["validate"]

    for code, value in dict(spec.get("responses") or {}).items():
        status = _status(code)
        responses[status] = _response(status, value)
    if spec.get("model") is not None:
        status = _status(spec.get("default_code", HTTPStatus.OK))
        doc = ResponseDoc(
            status,
            source=_body_source(spec["model"]),
            stated="default_code" in spec,
        )
        responses[status] = (
            responses[status].merged(doc) if status in responses else doc
        )

    if "__mask__" in spec:
        extensions["restx_mask"] = spec["__mask__"]
    vendor = dict(spec.get("vendor") or {})
    vendor.update({key: value for key, value in spec.items() if key.startswith("x-")})
    for key, value in vendor.items():
        openapi[key if key.startswith("x-") else f"x-{key}"] = value

    produces = spec.get("produces")
    description = spec.get("description")
    return Operation(
        arguments=tuple(arguments),
        responses=responses,
        summary=spec.get("summary"),
        description="" if description is False else description,
        operation_id=spec.get("id"),
        deprecated=spec.get("deprecated"),
        security=security_requirements(spec["security"])
        if "security" in spec
        else None,
        extensions=extensions,
        openapi=openapi,
        parameters=parameter_map(parameters),
        response_headers={
            name: _header(value, name)
            for name, value in dict(spec.get("headers") or {}).items()
        },
        content_types=None
        if produces is None
        else (produces,)
        if isinstance(produces, str)
        else tuple(produces),
    )


def security_requirements(value: t.Any) -> tuple[dict[str, list[str]], ...] | None:
    """Flask-RESTX's ``security`` (a scheme name, a dict of scheme name ->
    scope(s), or a list of them) as OpenAPI security requirements; a false
    value means none at all, something else ``None`` (the default)."""
    if isinstance(value, (list, tuple)):
        requirements = [_requirement(item) for item in value]
        return tuple(r for r in requirements if r is not None)
    if value:
        requirement = _requirement(value)
        return None if requirement is None else (requirement,)
    return ()


def _requirement(value: t.Any) -> dict[str, list[str]] | None:
    if isinstance(value, str):
        return {value: []}
    if isinstance(value, Mapping):
        return {
            str(name): list(scopes) if isinstance(scopes, (list, tuple)) else [scopes]
            for name, scopes in value.items()
        }
    return None


def _expected(item: t.Any) -> Arguments:
    """One input of ``expect``."""
    if callable(getattr(item, "parse_args", None)):
        return Arguments(item, location=None, parses=False)
    if isinstance(item, (list, tuple)):
        if len(item) == 2 and isinstance(item[1], str):
            model, description = item
            return Arguments(
                _body_source(model),
                location="json",
                parses=False,
                description=description,
            )
        if len(item) != 1:
            raise TypeError(
                "expect() takes a model, [model], (model, description) or a"
                f" parser, not {item!r}"
            )
        return Arguments([_body_source(item[0])], location="json", parses=False)
    if item is None:
        raise TypeError("expect() takes a model, [model] or a parser, not None")
    return Arguments(_body_source(item), location="json", parses=False)


def _response(status: Status, value: t.Any) -> ResponseDoc:
    if isinstance(value, ResponseDoc):
        return dataclasses.replace(value, status=status, stated=True)
    if isinstance(value, str):
        return ResponseDoc(status, description=value, stated=True)
    if isinstance(value, (list, tuple)) and len(value) in (2, 3):
        description, model = value[0], value[1]
        options = dict(value[2]) if len(value) == 3 and value[2] else {}
        return ResponseDoc(
            status,
            description=description,
            source=None if model is None else _body_source(model),
            envelope=options.get("envelope"),
            headers={
                name: _header(header, name)
                for name, header in dict(options.get("headers") or {}).items()
            },
            stated=True,
        )
    raise ValueError(f"Unsupported response specification for {status}: {value!r}")


def _body_source(model: t.Any) -> t.Any:
    """What formats a body, as the OpenAPI builder reads it: models, fields
    and fields dicts as they are, ``[model]`` as a one-item list, a Python
    type or a model's name as JSON Schema."""
    if isinstance(model, (list, tuple)):
        if len(model) != 1:
            raise TypeError(f"a list model holds one model, not {model!r}")
        return [_body_source(model[0])]
    if isinstance(model, str):
        return {"$ref": f"#/components/schemas/{model}"}
    if isinstance(model, type) and model in _PY_TYPES:
        return {"type": _PY_TYPES[model]}
    return model


def _status(code: t.Any) -> Status:
    if isinstance(code, int):  # HTTPStatus too
        return int(code)
    text = str(code)
    return int(text) if text.isdigit() else text


def _as_list(value: t.Any) -> list[t.Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _parameter(name: str, where: str, spec: Mapping[str, t.Any]) -> dict[str, t.Any]:
    """A Flask-RESTX parameter dict as an OpenAPI parameter object."""
    parameter: dict[str, t.Any] = {"name": name, "in": where}
    for key, value in spec.items():
        if value is None:
            continue
        if key in _PARAMETER_KEYS or key.startswith("x-"):
            parameter[key] = value
        elif key == "collectionFormat":
            parameter.update(_COLLECTION_FORMATS.get(value, {}))
    schema = _value_schema(spec, f"parameter {name!r}")
    if schema:
        parameter["schema"] = schema
    return parameter


def _header(value: t.Any, name: str) -> dict[str, t.Any]:
    """A Flask-RESTX header (a description or a dict) as an OpenAPI header
    object."""
    if isinstance(value, str):
        return {"description": value}
    if not isinstance(value, Mapping):
        raise TypeError(f"header {name!r}: expected a description or a dict")
    header: dict[str, t.Any] = {}
    if value.get("description"):
        header["description"] = value["description"]
    schema = _value_schema(value, f"header {name!r}")
    if schema:
        header["schema"] = schema
    return header


def _value_schema(spec: Mapping[str, t.Any], where: str) -> dict[str, t.Any]:
    """The JSON Schema of the value a Flask-RESTX parameter or header dict
    describes: its keys other than the parameter's own, with ``type`` (a
    name, a Python type, ``[type]``, ``"file"``, an input function) and
    Swagger 2.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` turned
    into JSON Schema."""
    from ..openapi.convert._json import json_value

    schema: dict[str, t.Any] = {}
    rest: dict[str, t.Any] = {}
    for key, value in spec.items():
        if (
            value is None
            or key in _PARAMETER_KEYS
            or key in ("in", "name", "paramType", "collectionFormat")
            or key.startswith("x-")
        ):
            continue
        if key == "type":
            schema.update(_type_schema(value, where))
        elif key == "items":
            rest["items"] = (
                _value_schema(value, where)
                if isinstance(value, Mapping)
                else _type_schema(value, where)
            )
        elif key in ("default", "example", "const"):
            ok, value = json_value(value)
            if ok:
                rest[key] = value
        elif key == "enum":
            values = [json_value(choice) for choice in value]
            rest["enum"] = [choice for ok, choice in values if ok]
        else:
            rest[key] = value
    schema.update(rest)
    if schema.get("type") == "array":
        # Swagger 2.0 code says the items' choices and default on the array.
        items = schema["items"] = dict(schema.get("items") or {})
        if "enum" in schema and not any(isinstance(v, list) for v in schema["enum"]):
            items["enum"] = schema.pop("enum")
        if "default" in schema and not isinstance(schema["default"], list):
            schema["default"] = [schema["default"]]
    for bound, limit in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        if isinstance(schema.get(bound), bool):
            if schema.pop(bound) and limit in schema:
                schema[bound] = schema.pop(limit)
    return schema


def _type_schema(kind: t.Any, where: str) -> dict[str, t.Any]:
    if isinstance(kind, (list, tuple)):
        if len(kind) != 1:
            raise TypeError(f"{where}: a list type holds one type, not {kind!r}")
        return {"type": "array", "items": _type_schema(kind[0], where)}
    if isinstance(kind, str):
        if kind == "file":
            return {"type": "string", "format": "binary"}
        if kind not in _SCHEMA_TYPES:
            raise ValueError(f"{where}: unknown type {kind!r}")
        return {"type": kind}
    if isinstance(kind, type) and kind in _PY_TYPES:
        return {"type": _PY_TYPES[kind]}
    own = getattr(kind, "__schema__", None)
    if isinstance(own, Mapping):
        return dict(own)
    from ..openapi.convert.reqparse import type_schema

    return type_schema(kind)


def _update_apidoc(obj: t.Any, spec: Mapping[str, t.Any] | t.Literal[False]) -> None:
    """Keep ``obj.__apidoc__`` as Flask-RESTX's decorators leave it: the
    documentation dicts merged, a class's over its base classes'."""
    if spec is False:
        value: t.Any = False
    else:
        current = getattr(obj, "__apidoc__", None)
        value = _merge(current if isinstance(current, dict) else {}, spec)
    try:
        obj.__apidoc__ = value
    except (AttributeError, TypeError):
        pass


def _merge(first: Mapping[str, t.Any], second: Mapping[str, t.Any]) -> dict[str, t.Any]:
    result = dict(first)
    for key, value in second.items():
        mine = result.get(key)
        if type(mine) is dict and type(value) is dict:
            result[key] = _merge(mine, value)
        else:
            result[key] = value
    return result
