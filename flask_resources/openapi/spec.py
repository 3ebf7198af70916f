"""Build the OpenAPI document of an :class:`~flask_resources.Api` on one app.

Reads the app's URL map (every rule of the Api's endpoints, with blueprint
and Api prefixes), the resource classes behind them and their operation
records (:mod:`flask_resources.operations`); marshmallow schemas go through
apispec's ``MarshmallowPlugin``, pydantic models through their own JSON
Schema (:func:`flask_resources.pydantic.json_schema`), reqparse parsers,
fields and URL converters through :mod:`.convert`.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing as t
from collections.abc import Mapping

import marshmallow as ma
from werkzeug.http import HTTP_STATUS_CODES

from .._state import get_state
from .._utils import is_pydantic_model
from ..conditional import verb_operation
from ..errors import ERROR_FORMAT_KEY, PROBLEM_MEDIATYPE, error_body_schema
from ..exceptions import OpenAPIError
from ..fields import Raw
from ..negotiation import HTML_MEDIATYPE
from ..operations import (
    Arguments,
    Operation,
    ResponseDoc,
    merge_parameter,
    resource_operations,
)
from ..parsers import parse_bytes, parse_text
from .convert import (
    DescribedModel,
    FieldsConverter,
    parser_arguments,
    rule_parameters,
)
from .convert.converters import openapi_path

if t.TYPE_CHECKING:
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin
    from flask import Flask
    from werkzeug.routing import Rule

    from ..api import Api

#: Defaults of the settings an Api takes as arguments or app config keys.
DEFAULTS: Mapping[str, t.Any] = {
    "title": None,  # the app's name
    "version": "1.0.0",
    "openapi_version": "3.1.0",
    "servers": None,
    "security_schemes": None,
    "security": None,
}

#: The app config key of each setting.
CONFIG_KEYS: Mapping[str, str] = {
    "title": "RESOURCES_API_TITLE",
    "version": "RESOURCES_API_VERSION",
    "openapi_version": "RESOURCES_OPENAPI_VERSION",
    "servers": "RESOURCES_OPENAPI_SERVERS",
    "security_schemes": "RESOURCES_OPENAPI_SECURITY_SCHEMES",
    "security": "RESOURCES_OPENAPI_SECURITY",
}

_BODY_MEDIA = {
    "json": ("application/json",),
    "form": ("application/x-www-form-urlencoded",),
    "json_or_form": ("application/json", "application/x-www-form-urlencoded"),
    "files": ("multipart/form-data",),
}
_PARAMETER_IN = {"query": "query", "headers": "header", "cookies": "cookie"}
_PARSER_TARGET_MEDIA = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "files": "multipart/form-data",
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]+")

#: The error bodies every document describes.
ERROR_SCHEMAS: Mapping[str, dict[str, t.Any]] = {
    "Error": {
        "type": "object",
        "description": "An error: `message` says what went wrong; `abort()`"
        " may add other keys.",
        "properties": {"message": {"description": "What went wrong."}},
    },
    "ValidationError": {
        "type": "object",
        "description": "Request data that failed validation.",
        "properties": {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "Messages by location, then by field.",
                "additionalProperties": {"type": "object"},
            },
        },
        "required": ["message", "errors"],
    },
    "ParserError": {
        "type": "object",
        "description": "Arguments a request parser refused.",
        "properties": {
            "message": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "description": "Message by argument name.",
                        "additionalProperties": {"type": "string"},
                    },
                ]
            }
        },
        "required": ["message"],
    },
}


#: The same error bodies with ``RESOURCES_ERROR_FORMAT = "problem"``.
PROBLEM_SCHEMAS: Mapping[str, dict[str, t.Any]] = {
    "Error": error_body_schema("any", problem=True),
    "ValidationError": error_body_schema("use_args", problem=True),
    "ParserError": error_body_schema("reqparse", problem=True),
}


def setting(api: Api, app: Flask, name: str) -> t.Any:
    """An Api setting: the constructor's value, else the app config's, else
    the default."""
    value = getattr(api, name, None) if name != "version" else api.api_version
    if value is None:
        value = app.config.get(CONFIG_KEYS[name])
    if value is None:
        value = DEFAULTS[name]
    return value


def load_apispec() -> tuple[type[APISpec], type[MarshmallowPlugin]]:
    """apispec's classes, or an error naming the extra to install."""
    try:
        from apispec import APISpec
        from apispec.ext.marshmallow import MarshmallowPlugin
    except ImportError:
        raise OpenAPIError(
            "OpenAPI support needs the 'openapi' extra:"
            " pip install 'flask-resources[openapi]'"
        ) from None
    return APISpec, MarshmallowPlugin


def build(api: Api, app: Flask) -> APISpec:
    """Build the document of ``api`` as bound to ``app``."""
    return _Builder(api, app).build()


class _Builder:
    def __init__(self, api: Api, app: Flask) -> None:
        APISpec, MarshmallowPlugin = load_apispec()
        self.api = api
        self.app = app
        self.plugin = MarshmallowPlugin(
            schema_name_resolver=t.cast(t.Any, self.schema_name)
        )
        options = dict(app.config.get("RESOURCES_OPENAPI_OPTIONS") or {})
        servers = setting(api, app, "servers")
        if servers is not None:
            options["servers"] = list(servers)
        info = api.openapi_info(app)
        if info:
            options["info"] = {**dict(options.get("info") or {}), **info}
        self.spec = APISpec(
            title=setting(api, app, "title") or app.name,
            version=str(setting(api, app, "version")),
            openapi_version=str(setting(api, app, "openapi_version")),
            plugins=[self.plugin],
            **options,
        )
        converter = self.plugin.converter
        assert converter is not None  # Set when the spec was made.
        converter.add_attribute_function(validator_keywords)  # type: ignore[no-untyped-call]
        self.fields = FieldsConverter(api.schema_name_of, self.add_schema)
        self.security = setting(api, app, "security")
        self.validation_status = int(
            app.config.get("RESOURCES_VALIDATION_ERROR_STATUS", 400)
        )
        #: Errors are problem details (RFC 9457), served as
        #: application/problem+json where they would be JSON.
        self.problem = app.config.get(ERROR_FORMAT_KEY) == "problem"
        self.openapi30 = self.spec.openapi_version.major == 3 and (
            self.spec.openapi_version.minor == 0
        )
        self.operation_ids: set[str] = set()
        self.tags: dict[str, str | None] = {}
        self.used_errors: set[str] = set()

    # -- the document ------------------------------------------------------

    def build(self) -> APISpec:
        spec = self.spec
        for name, scheme in (
            setting(self.api, self.app, "security_schemes") or {}
        ).items():
            spec.components.security_scheme(name, dict(scheme))
        for rule in self.rules():
            self.add_rule(rule)
        for source in self.api.openapi_schemas(self.app):
            try:
                self.body_schema(source)
            except OpenAPIError as exc:
                raise OpenAPIError(f"schema {_source_name(source)}: {exc}") from exc
        error_schemas = PROBLEM_SCHEMAS if self.problem else ERROR_SCHEMAS
        for name in sorted(self.used_errors):
            spec.components.schema(name, error_schemas[name])
        # Described tags first, in the order described; then the others in
        # the order the operations use them.
        tags: dict[str, str | None] = {}
        for name, (description, always) in self.api.described_tags().items():
            if always or name in self.tags:
                tags[name] = description or self.tags.get(name)
        for name, description in self.tags.items():
            tags.setdefault(name, description)
        for name, description in tags.items():
            spec.tag(
                {"name": name, **({"description": description} if description else {})}
            )
        return spec

    def rules(self) -> list[Rule]:
        state = get_state(self.app)
        owners = state.endpoints if state is not None else {}
        return [
            rule
            for rule in self.app.url_map.iter_rules()
            if owners.get(rule.endpoint) is self.api
        ]

    def add_rule(self, rule: Rule) -> None:
        view = self.app.view_functions.get(rule.endpoint)
        resource = getattr(view, "view_class", None)
        if not isinstance(resource, type):
            return
        path = openapi_path(rule.rule)
        try:
            path_parameters = rule_parameters(rule, self.app.url_map)
        except Exception as exc:
            raise OpenAPIError(f"{resource.__name__} at {rule.rule}: {exc}") from exc
        records = resource_operations(
            resource, route=self.api.endpoint_record(self.api_endpoint(rule.endpoint))
        )
        operations: dict[str, t.Any] = {}
        for method in sorted(rule.methods or (), key=_method_order):
            verb = method.lower()
            record = records.get(verb)
            if record is None or record.hide:
                continue
            where = f"{resource.__name__}.{verb} ({rule.rule})"
            try:
                operations[verb] = self.operation(
                    resource, verb, record, rule, path_parameters
                )
            except OpenAPIError as exc:
                raise OpenAPIError(f"{where}: {exc}") from exc
            except Exception as exc:
                raise OpenAPIError(f"{where}: {type(exc).__name__}: {exc}") from exc
        if operations:
            self.spec.path(path=path, operations=operations)

    def api_endpoint(self, endpoint: str) -> str:
        """The endpoint a rule's (blueprint-prefixed) endpoint has in the Api."""
        if endpoint in self.api.endpoints:
            return endpoint
        return endpoint.rsplit(".", 1)[-1]

    # -- one operation -----------------------------------------------------

    def operation(
        self,
        resource: type,
        verb: str,
        record: Operation,
        rule: Rule,
        path_parameters: list[dict[str, t.Any]],
    ) -> dict[str, t.Any]:
        summary, description = _docstring(getattr(resource, verb, None))
        conditional = record.extensions.get("conditional")
        if conditional:
            # ETag/If-Match headers and 304/412/428 for what the resource
            # opted into (flask_resources.conditional).
            record = record.merged(verb_operation(verb, conditional))
        self.add_security_schemes(record.extensions.get("security_schemes"))
        operation: dict[str, t.Any] = {
            "operationId": self.operation_id(record, verb, rule.endpoint, resource),
            "tags": list(record.tags)
            if record.tags is not None
            else [self.tag(resource)],
        }
        summary = record.summary if record.summary is not None else summary
        description = (
            record.description if record.description is not None else description
        )
        if summary:
            operation["summary"] = summary
        if description:
            operation["description"] = description
        if record.deprecated:
            operation["deprecated"] = True
        for tag in operation["tags"]:
            self.tags.setdefault(tag, None)

        parameters = list(path_parameters)
        bodies: dict[str, list[dict[str, t.Any]]] = {}
        body_required = False
        body_description = None
        errors: dict[int, list[str]] = {}
        for arguments in record.arguments:
            required = self.add_arguments(
                arguments, verb, parameters, bodies, resource=resource
            )
            body_required = body_required or required
            if body_description is None and bodies:
                body_description = arguments.description
            for status, schema in self.argument_errors(arguments):
                errors.setdefault(status, [])
                if schema not in errors[status]:
                    errors[status].append(schema)
        parameters = _with_recorded(
            _unique_parameters(parameters), record, path_parameters
        )
        if parameters:
            operation["parameters"] = parameters
        if bodies:
            operation["requestBody"] = {
                "content": {
                    media: {
                        "schema": pieces[0] if len(pieces) == 1 else {"allOf": pieces}
                    }
                    for media, pieces in bodies.items()
                },
                "required": body_required,
            }
            if body_description:
                operation["requestBody"]["description"] = body_description

        security = record.security if record.security is not None else self.security
        if security is not None:
            operation["security"] = [dict(requirement) for requirement in security]
            if any(requirement for requirement in security):
                errors.setdefault(401, []).append("Error")
        operation["responses"] = self.responses(resource, record, errors)
        operation.update(record.openapi)
        self.api.openapi_operation(operation, record, self.app)
        return operation

    def add_security_schemes(self, schemes: Mapping[str, t.Any] | None) -> None:
        """Add the schemes an operation's auth decorators recorded
        (:func:`flask_resources.auth.api_auth`); a scheme the Api or the
        config names already is theirs."""
        known = self.spec.components.security_schemes
        for name, scheme in (schemes or {}).items():
            if name not in known:
                self.spec.components.security_scheme(name, dict(scheme))

    def operation_id(
        self, record: Operation, verb: str, endpoint: str, resource: type
    ) -> str:
        base = (
            record.operation_id
            or self.api.openapi_operation_id(
                resource, verb, self.api_endpoint(endpoint)
            )
            or _UNSAFE_ID.sub("_", f"{verb}_{endpoint}")
        )
        candidate, number = base, 1
        while candidate in self.operation_ids:
            number += 1
            candidate = f"{base}_{number}"
        self.operation_ids.add(candidate)
        return candidate

    def tag(self, resource: type) -> str:
        name = resource.__name__
        if name not in self.tags or self.tags[name] is None:
            self.tags[name] = inspect.getdoc(resource) if resource.__doc__ else None
        return name

    def add_arguments(
        self,
        arguments: Arguments,
        verb: str,
        parameters: list[dict[str, t.Any]],
        bodies: dict[str, list[dict[str, t.Any]]],
        *,
        resource: type,
    ) -> bool:
        """Add what one :class:`Arguments` reads; whether a body is required."""
        source = arguments.source
        if is_pydantic_model(source):
            return self.add_model_arguments(
                source, arguments, parameters, bodies, resource=resource
            )
        if isinstance(source, ma.Schema):
            location = arguments.location or "json"
            if location in _PARAMETER_IN:
                converter = self.plugin.converter
                assert converter is not None  # Set when the spec was made.
                parameters += converter.schema2parameters(
                    source, location=_PARAMETER_IN[location]
                )
                return False
            if location == "path":
                return False  # The rule's variables are documented already.
            schema = self.schema_ref(source)
            media_types: t.Sequence[str]
            if arguments.content_types:
                media_types = arguments.content_types
            elif location == "body":
                media_types = self.body_media_types(resource)
            else:
                media_types = _BODY_MEDIA[location]
            for media in media_types:
                bodies.setdefault(media, []).append(schema)
            if source.partial is True:
                return bool(source.many)
            partial = set(source.partial or ())
            return bool(source.many) or any(
                field.required and name not in partial
                for name, field in source.load_fields.items()
            )
        if callable(getattr(source, "parse_args", None)):
            return self.add_parser(source, arguments, verb, parameters, bodies)
        # A fields dict (a model), a one-item list of one, or JSON Schema:
        # a body in the location's media types.
        location = arguments.location or "json"
        if location not in _BODY_MEDIA:
            raise OpenAPIError(
                f"cannot describe {location} arguments from {type(source).__name__}"
            )
        try:
            schema = self.body_schema(source, mode="validation")
        except OpenAPIError:
            raise OpenAPIError(
                f"cannot describe request arguments from {type(source).__name__}"
            ) from None
        for media in arguments.content_types or _BODY_MEDIA[location]:
            bodies.setdefault(media, []).append(schema)
        if isinstance(source, Mapping) and not _is_fields_dict(source):
            # JSON Schema: a body is needed when the schema requires a key.
            return bool(source.get("required"))
        return True

    def add_model_arguments(
        self,
        model: t.Any,
        arguments: Arguments,
        parameters: list[dict[str, t.Any]],
        bodies: dict[str, list[dict[str, t.Any]]],
        *,
        resource: type,
    ) -> bool:
        """Add what a pydantic model reads; whether a body is required."""
        location = arguments.location or "json"
        if location == "path":
            return False  # The rule's variables are documented already.
        schema = self.model_schema(model, "validation")
        if location in _PARAMETER_IN:
            ref = schema.get("$ref", "")
            component = self.spec.components.schemas.get(ref.rpartition("/")[2])
            if component is None:
                raise OpenAPIError(f"cannot describe {location} from {model!r}")
            required = set(component.get("required") or ())
            for name, value in (component.get("properties") or {}).items():
                parameter: dict[str, t.Any] = {
                    "name": name,
                    "in": _PARAMETER_IN[location],
                    "required": name in required,
                    "schema": value,
                }
                if isinstance(value, Mapping) and value.get("description"):
                    parameter["description"] = value["description"]
                parameters.append(parameter)
            return False
        media_types: t.Sequence[str]
        if arguments.content_types:
            media_types = arguments.content_types
        elif location == "body":
            media_types = self.body_media_types(resource)
        else:
            media_types = _BODY_MEDIA.get(location, ("application/json",))
        for media in media_types:
            bodies.setdefault(media, []).append(schema)
        if schema.get("type") == "array":
            return True
        name = str(schema.get("$ref", "")).rpartition("/")[2]
        return bool(self.spec.components.schemas.get(name, {}).get("required"))

    def add_parser(
        self,
        parser: t.Any,
        arguments: Arguments,
        verb: str,
        parameters: list[dict[str, t.Any]],
        bodies: dict[str, list[dict[str, t.Any]]],
    ) -> bool:
        objects: dict[str, dict[str, t.Any]] = {}
        required_body = False
        for placed in parser_arguments(parser, verb, arguments.location):
            if placed.target in ("query", "header", "cookie"):
                parameter: dict[str, t.Any] = {
                    "name": placed.name,
                    "in": placed.target,
                    "required": placed.required,
                    "schema": placed.schema,
                }
                if placed.description:
                    parameter["description"] = placed.description
                if placed.schema.get("type") == "array":
                    parameter["explode"] = True
                parameters.append(parameter)
                continue
            media = _PARSER_TARGET_MEDIA[placed.target]
            obj = objects.setdefault(media, {"type": "object", "properties": {}})
            schema = dict(placed.schema)
            if placed.description:
                schema["description"] = placed.description
            obj["properties"][placed.name] = schema
            if placed.required:
                obj.setdefault("required", []).append(placed.name)
                required_body = True
        # Form fields travel in a multipart body too when there are files.
        multipart = objects.get("multipart/form-data")
        form = objects.pop("application/x-www-form-urlencoded", None)
        if form is not None:
            if multipart is not None:
                multipart["properties"] = {
                    **form["properties"],
                    **multipart["properties"],
                }
                required = [*form.get("required", ()), *multipart.get("required", ())]
                if required:
                    multipart["required"] = required
            else:
                objects["application/x-www-form-urlencoded"] = form
        for media, obj in objects.items():
            for content_type in arguments.content_types or (media,):
                bodies.setdefault(content_type, []).append(obj)
        return required_body

    def argument_errors(self, arguments: Arguments) -> list[tuple[int, str]]:
        """The error responses reading ``arguments`` can give."""
        source = arguments.source
        if not arguments.parses and is_pydantic_model(source):
            # A model documented only (Flask-RESTX's expect): what refuses
            # the body answers its own 400, not use_args' ValidationError.
            return [(400, "Error")]
        if isinstance(source, ma.Schema) or is_pydantic_model(source):
            statuses = {self.validation_status}
            if arguments.location in ("json", "json_or_form", "body"):
                statuses.add(400)  # Unreadable JSON is 400 whatever the setting.
            return [(status, "ValidationError") for status in sorted(statuses)]
        if callable(getattr(arguments.source, "parse_args", None)):
            return [(400, "ParserError")]
        # A body the method reads itself: unreadable, or refused, is a 400.
        return [(400, "Error")]

    # -- responses ---------------------------------------------------------

    def responses(
        self, resource: type, record: Operation, errors: dict[int, list[str]]
    ) -> dict[str, t.Any]:
        media_types = self.media_types(resource)
        error_media = self.error_media_types(media_types)
        if record.content_types:
            media_types = list(record.content_types)
        responses: dict[str, t.Any] = {}
        documented = dict(record.responses)
        if not any(_is_success(status) for status in documented):
            documented = {200: ResponseDoc(200), **documented}
        for status, response in documented.items():
            if response.source is None and _is_error(status):
                # An error said in words only still has the error body.
                self.used_errors.add("Error")
                response = dataclasses.replace(response, source=_ERROR_REF)
            media = error_media if _is_error(status) else media_types
            # paginate() answers a list of what marshal_with formats.
            listed = response.success and "pagination" in record.extensions
            if record.response_headers:
                response = dataclasses.replace(
                    response,
                    headers={**record.response_headers, **response.headers},
                )
            responses[str(status)] = self.response(
                response, media, listed=listed, resource=resource
            )
        for status, names in errors.items():
            key = str(status)
            if key in responses and "content" in responses[key]:
                continue
            for name in names:
                self.used_errors.add(name)
            refs = [{"$ref": f"#/components/schemas/{name}"} for name in names]
            schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
            responses[key] = {
                "description": responses.get(key, {}).get("description")
                or _phrase(status),
                "content": {
                    media: {"schema": self.media_schema(media, schema, resource)}
                    for media in error_media
                },
            }
        if "default" not in responses:
            self.used_errors.add("Error")
            responses["default"] = {
                "description": "Error",
                "content": {
                    media: {"schema": self.media_schema(media, _ERROR_REF, resource)}
                    for media in error_media
                },
            }
        return responses

    def response(
        self,
        response: ResponseDoc,
        media_types: list[str],
        *,
        listed: bool = False,
        resource: type | None = None,
    ) -> dict[str, t.Any]:
        result: dict[str, t.Any] = {
            "description": response.description or _phrase(response.status)
        }
        if response.source is not None:
            schema = self.body_schema(response.source)
            if listed and schema.get("type") != "array":
                schema = {"type": "array", "items": schema}
            if response.envelope:
                schema = {
                    "type": "object",
                    "properties": {response.envelope: schema},
                    "required": [response.envelope],
                }
            result["content"] = {
                media: {"schema": self.media_schema(media, schema, resource)}
                for media in (response.content_types or media_types)
            }
        if response.headers:
            result["headers"] = {
                name: _header(value) for name, value in response.headers.items()
            }
        return result

    def body_schema(
        self,
        source: t.Any,
        *,
        mode: t.Literal["validation", "serialization"] = "serialization",
    ) -> t.Any:
        """The JSON Schema of a body formatted with ``source``; a pydantic
        model's is the one of ``mode``: ``validation`` for a request body,
        ``serialization`` for a response."""
        if is_pydantic_model(source):
            return self.model_schema(source, mode)
        if isinstance(source, type) and issubclass(source, ma.Schema):
            source = source()
        if isinstance(source, ma.Schema):
            return self.schema_ref(source)
        if isinstance(source, DescribedModel):
            return self.fields.dict_schema(source)
        if isinstance(source, (list, tuple)) and len(source) == 1:
            # [model]: a list of what the model formats.
            return {"type": "array", "items": self.body_schema(source[0], mode=mode)}
        if isinstance(source, (Raw, type)):
            return self.fields.field_schema(source)
        if isinstance(source, Mapping):
            if _is_fields_dict(source):
                return self.fields.dict_schema(source)
            return dict(source)  # Already JSON Schema.
        raise OpenAPIError(f"cannot describe a response body from {source!r}")

    def media_schema(self, media: str, schema: t.Any, resource: type | None) -> t.Any:
        """The schema of a body in ``media``: ``schema`` for JSON; for any
        other media type, what its representation declares in an
        ``openapi_schema`` attribute (a dict), else a string (a CSV or XML
        body is text, not the JSON object it was rendered from)."""
        if is_json_media(media):
            return schema
        representation = None
        if resource is not None:
            representation = (getattr(resource, "representations", None) or {}).get(
                media
            )
        if representation is None:
            representation = self.api.representations.get(media)
        own = getattr(representation, "openapi_schema", None)
        if isinstance(own, Mapping):
            return dict(own)
        return {"type": "string"}

    def error_media_types(self, media_types: list[str]) -> list[str]:
        """The media types of error bodies: with problem details, JSON is
        served as ``application/problem+json``."""
        if not self.problem:
            return media_types
        return [
            PROBLEM_MEDIATYPE if media == "application/json" else media
            for media in media_types
        ]

    def media_types(self, resource: type) -> list[str]:
        media = list(getattr(resource, "representations", None) or ())
        media += [m for m in self.api.representations if m not in media]
        renderer = self.api.browsable_renderer
        if (
            renderer is not None
            and self.api.representations.get(HTML_MEDIATYPE) == renderer.render
        ):
            # The browsable API's pages are for people, not part of the
            # contract.
            media.remove(HTML_MEDIATYPE)
        return media or ["application/json"]

    def body_media_types(self, resource: type) -> list[str]:
        """The media types a ``use_args(location="body")`` schema loads:
        those the resource's (else the Api's) parsers take, less those the
        built-in parsers read as text or bytes, which no schema loads."""
        parsers = getattr(resource, "parsers", None)
        if parsers is None:
            parsers = self.api.parsers
        return [
            media
            for media, parser in parsers.items()
            if parser not in (parse_text, parse_bytes)
        ]

    # -- components --------------------------------------------------------

    def schema_ref(self, schema: ma.Schema) -> dict[str, t.Any]:
        """A marshmallow schema as a reference to its component (an array of
        them for ``many=True``), or inline for a schema built from a dict."""
        resolver = self.plugin.resolver
        assert resolver is not None  # Set when the spec was made.
        resolved: dict[str, t.Any] = resolver.resolve_schema_dict(schema)  # type: ignore[no-untyped-call]
        return resolved

    def model_schema(
        self, model: t.Any, mode: t.Literal["validation", "serialization"]
    ) -> dict[str, t.Any]:
        """A pydantic model (or ``list[Model]``) as a reference to its
        component (in an array for a list).

        Each model it refers to is a component too, named as pydantic names
        it; a name already taken by a different schema (a marshmallow
        schema's, or the other mode's when a model's request and response
        differ, as with ``computed_field`` or ``Decimal``) gets ``Input`` or
        ``Output``, then a number, appended.
        """
        from ..pydantic import REF_PREFIX, json_schema

        try:
            schema, defs = json_schema(model, mode, openapi30=self.openapi30)
        except ValueError as exc:
            raise OpenAPIError(str(exc)) from None
        taken = self.spec.components.schemas
        suffix = "Input" if mode == "validation" else "Output"
        bases = {key: _UNSAFE_ID.sub("", key) or "Model" for key in defs}
        tries = dict.fromkeys(defs, 0)

        def candidate(key: str) -> str:
            number = tries[key]
            if number == 0:
                return bases[key]
            return bases[key] + suffix + (str(number) if number > 1 else "")

        while True:
            names = {key: candidate(key) for key in defs}
            rewritten = {
                key: _renamed_refs(value, names, REF_PREFIX)
                for key, value in defs.items()
            }
            clashes = [
                key
                for key in defs
                if names[key] in taken and taken[names[key]] != rewritten[key]
            ]
            if not clashes:
                break
            for key in clashes:
                tries[key] += 1
        for key, value in rewritten.items():
            if names[key] not in taken:
                self.spec.components.schema(names[key], value)
        result: dict[str, t.Any] = _renamed_refs(schema, names, REF_PREFIX)
        return result

    def add_schema(self, name: str, schema: dict[str, t.Any]) -> None:
        if name in self.spec.components.schemas:
            raise OpenAPIError(f"two schemas are named {name!r}")
        self.spec.components.schema(name, schema)

    def schema_name(self, schema: t.Any) -> str | None:
        """Name a marshmallow schema's component: its class name without
        ``Schema``, plus what its modifiers change; ``None`` (inline) for
        the schemas ``Schema.from_dict`` builds."""
        cls = schema if isinstance(schema, type) else type(schema)
        if cls.__name__ == "GeneratedSchema":
            return None
        base = cls.__name__
        if base.endswith("Schema") and base != "Schema":
            base = base[: -len("Schema")]
        if not isinstance(schema, type):
            if schema.partial:
                base += "Partial"
            if schema.only:
                base += "Only" + "".join(n.title() for n in sorted(schema.only))
            if schema.exclude:
                base += "Without" + "".join(n.title() for n in sorted(schema.exclude))
        base = _UNSAFE_ID.sub("", base) or "Schema"
        name, number = base, 1
        taken = self.spec.components.schemas
        while name in taken:
            number += 1
            name = f"{base}{number}"
        return name


def _renamed_refs(schema: t.Any, names: Mapping[str, str], prefix: str) -> t.Any:
    """``schema`` with each ``$ref`` to ``prefix + key`` pointing at
    ``prefix + names[key]``."""
    if isinstance(schema, list):
        return [_renamed_refs(item, names, prefix) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _renamed_refs(value, names, prefix) for key, value in schema.items()}
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(prefix):
        key = ref[len(prefix) :]
        result["$ref"] = prefix + names.get(key, key)
    return result


def validator_keywords(
    converter: t.Any, field: t.Any, **kwargs: t.Any
) -> dict[str, t.Any]:
    """The JSON Schema keywords a marshmallow field's validators declare in
    an ``openapi_schema`` attribute (a dict), for validators apispec does
    not know (it states ``Regexp``, ``OneOf``, ``Length``, ``Range``, ...).
    Registered with apispec as an attribute function."""
    keywords: dict[str, t.Any] = {}
    for validator in field.validators:
        own = getattr(validator, "openapi_schema", None)
        if isinstance(own, Mapping):
            keywords.update(own)
    return keywords


def is_json_media(media: str) -> bool:
    """Whether a media type is JSON (``application/json``, ``*/*+json``)."""
    main = media.split(";", 1)[0].strip().lower()
    return main == "application/json" or main.endswith("+json")


def _docstring(func: t.Any) -> tuple[str | None, str | None]:
    text = inspect.getdoc(func) if func is not None and func.__doc__ else None
    if not text:
        return None, None
    summary, _, rest = text.partition("\n")
    return summary.strip() or None, rest.strip() or None


def _is_success(status: t.Any) -> bool:
    text = str(status)
    return text.startswith("2") or text == "default"


def _is_error(status: t.Any) -> bool:
    return str(status)[:1] in ("4", "5")


def _is_fields_dict(mapping: Mapping[t.Any, t.Any]) -> bool:
    """Whether ``mapping`` holds output fields, rather than JSON Schema."""
    return any(
        isinstance(value, Raw)
        or (isinstance(value, type) and issubclass(value, Raw))
        or (isinstance(value, Mapping) and _is_fields_dict(value))
        for value in mapping.values()
    )


def _phrase(status: t.Any) -> str:
    try:
        return HTTP_STATUS_CODES.get(int(status), "Response")
    except ValueError:
        return "Response" if status != "default" else "Error"


def _header(value: t.Any) -> dict[str, t.Any]:
    if isinstance(value, str):
        return {"description": value, "schema": {"type": "string"}}
    header = dict(value)
    header.setdefault("schema", {"type": "string"})
    return header


def _source_name(source: t.Any) -> str:
    name = getattr(source, "name", None)
    return repr(name) if isinstance(name, str) else type(source).__name__


def _with_recorded(
    parameters: list[dict[str, t.Any]],
    record: Operation,
    path_parameters: list[dict[str, t.Any]],
) -> list[dict[str, t.Any]]:
    """``parameters`` with the record's own on top: one with the name of a
    URL variable describes that path parameter (a path parameter of another
    URL of the resource is left out), one with the name and place of a
    generated one adds to it, the others come after."""
    if not record.parameters:
        return parameters
    result = [dict(parameter) for parameter in parameters]
    index = {(p.get("in", ""), p.get("name", "")): i for i, p in enumerate(result)}
    path_names = {p["name"] for p in path_parameters}
    for (where, name), recorded in record.parameters.items():
        if name in path_names:
            where = "path"
        elif where == "path":
            continue  # A variable of another URL of the resource.
        extra = {key: value for key, value in recorded.items() if key != "in"}
        at = index.get((where, name))
        if at is None:
            parameter = {"in": where, **extra, "name": name}
            if "content" not in parameter:
                parameter["schema"] = _string_by_default(parameter.get("schema"))
            index[(where, name)] = len(result)
            result.append(parameter)
            continue
        parameter = merge_parameter(result[at], extra)
        if where == "path":
            parameter["required"] = True  # OpenAPI requires it of path parameters.
        result[at] = parameter
    return result


def _string_by_default(given: Mapping[str, t.Any] | None) -> dict[str, t.Any]:
    """A recorded parameter's schema: a value said to be of no type, and
    not a reference or a combination, is a string, as URLs and headers
    carry them."""
    schema: dict[str, t.Any] = dict(given or {})
    if (
        "type" not in schema
        and not {"$ref", "allOf", "anyOf", "oneOf", "not", "const"} & set(schema)
        and all(isinstance(value, str) for value in schema.get("enum", ()))
    ):
        schema["type"] = "string"
    return schema


def _unique_parameters(parameters: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Keep the first of parameters with the same name and place."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for parameter in parameters:
        key = (parameter.get("name", ""), parameter.get("in", ""))
        if key not in seen:
            seen.add(key)
            unique.append(parameter)
    return unique


_ORDER = {"GET": 0, "PUT": 1, "POST": 2, "PATCH": 3, "DELETE": 4}


def _method_order(method: str) -> tuple[int, str]:
    return _ORDER.get(method, 9), method
