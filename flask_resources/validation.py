"""Responses checked against the JSON Schema their operation documents.

An :class:`~flask_resources.Api` with response validation on (see
:meth:`~flask_resources.Api.validates_responses`) gives every response of
its resources to :func:`check_response` after the request. The document is
the Api's own (:meth:`~flask_resources.Api.openapi`, one builder); each
operation's response schemas are compiled with jsonschema the first time
the operation answers, and kept until the document is rebuilt.

jsonschema is imported only when a response is first checked, so that
``import flask_resources`` stays light.

.. versionadded:: 0.2
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
import typing as t
import weakref
from collections.abc import Mapping

from flask import Flask
from werkzeug.wrappers import Response

from .exceptions import ResponseValidationError

if t.TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from werkzeug.routing import Rule

    from .api import Api

__all__ = ["MISSING_EXTRA", "check_response", "missing_extra"]

#: What an app that asks for response validation without its packages is told.
MISSING_EXTRA = (
    "response validation needs jsonschema and apispec:"
    " pip install 'flask-resources[validation]'"
)

#: How many schema errors a message lists.
FIRST_ERRORS = 3

logger = logging.getLogger("flask_resources.validation")

#: Statuses whose responses carry no body (RFC 9110).
_NO_BODY = frozenset((204, 304))


def missing_extra() -> str | None:
    """:data:`MISSING_EXTRA` when jsonschema or apispec is not installed,
    else ``None``; finds the packages without importing them."""
    for name in ("jsonschema", "apispec"):
        try:
            if importlib.util.find_spec(name) is None:
                return MISSING_EXTRA
        except ValueError:  # Blocked with ``sys.modules[name] = None``.
            return MISSING_EXTRA
    return None


def check_response(api: Api, app: Flask, rule: Rule, response: Response) -> Response:
    """Check ``response`` of the current request, routed by ``rule`` to
    one of ``api``'s resources, against what the operation documents.

    A response that fits, or that its operation does not describe, is
    returned as it is. One that does not fit raises
    :class:`~flask_resources.ResponseValidationError` through
    :meth:`~flask_resources.Api.handle_error`: re-raised when the app
    propagates exceptions (testing, debugging), else logged and answered
    with a 500 in the Api's error format.
    """
    from flask import request

    contracts = _contracts(api, app)
    if contracts is None:
        return response
    operation = contracts.operation(rule, request.method)
    if operation is None:
        return response
    try:
        errors = operation.problems(response)
    except Exception as exc:  # A validator that crashed, not a bad response.
        errors = [{"loc": [], "msg": f"cannot be checked: {type(exc).__name__}"}]
    if not errors:
        return response
    message = (
        f"{operation.name} answered {response.status_code} {response.mimetype}"
        f" that its OpenAPI document does not allow: {_summary(errors)}"
    )
    try:
        raise ResponseValidationError(message, errors)
    except ResponseValidationError as exc:
        response.close()
        return api.handle_error(exc)


def _summary(errors: t.Sequence[Mapping[str, t.Any]]) -> str:
    shown = [
        f"{_where(e['loc'])}: {e['msg']}" if e["loc"] else str(e["msg"])
        for e in errors[:FIRST_ERRORS]
    ]
    more = len(errors) - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def _where(loc: t.Sequence[t.Any]) -> str:
    return "body" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc
    )


# -- the contracts of one Api on one app ---------------------------------------


class _Operation:
    """One operation's documented responses, compiled."""

    def __init__(
        self,
        name: str,
        responses: Mapping[str, Mapping[str, Validator | None]],
        *,
        stated: bool,
        success: str | None,
        listed: Mapping[str, Validator] | None = None,
    ) -> None:
        #: ``METHOD /path (operationId)``, for messages.
        self.name = name
        #: Status key (``"200"``, ``"2XX"``, ``"default"``) -> media type ->
        #: the validator of its schema (``None``: no schema to check).
        self.responses = responses
        #: Whether the operation states its success status: then a 2xx it
        #: does not document is refused.
        self.stated = stated
        #: The response an undocumented 2xx's body is checked against when
        #: nothing is stated: the success response's.
        self.success = success
        #: Media type -> a validator of a list of the success body:
        #: ``marshal_with`` formats a returned list item by item.
        self.listed = listed or {}
        #: id of a jsonschema validator -> jsonschema-rs's check of the
        #: same schema (the ``speed`` extra), which passes a valid body in
        #: a fraction of the time; jsonschema still words the errors.
        self.fast: dict[int, t.Callable[[t.Any], bool]] = {}
        for content in (*self.responses.values(), self.listed):
            for validator in content.values():
                if validator is not None:
                    check = _fast_check(validator.schema)
                    if check is not None:
                        self.fast[id(validator)] = check

    def problems(self, response: Response) -> list[dict[str, t.Any]]:
        status = response.status_code
        key = self.response_key(status)
        if key is None:
            if 200 <= status < 300 and self.stated:
                listed = ", ".join(k for k in self.responses if k[:1] == "2")
                return [
                    {
                        "loc": [],
                        "msg": f"status {status} is not documented"
                        f" (documented: {listed or 'none'})",
                    }
                ]
            return []
        content = self.responses[key]
        if not content or status in _NO_BODY or response.is_streamed:
            return []
        mimetype = response.mimetype or ""
        if not _is_json(mimetype):
            return []
        validator = content.get(mimetype)
        if validator is None and mimetype not in content:
            # A JSON body under a media type not listed: checked against the
            # JSON schema the response has, if any.
            validator = next(
                (v for media, v in content.items() if _is_json(media)), None
            )
        if validator is None:
            return []
        data = response.get_data()
        if not data:
            return []
        try:
            body = json.loads(data)
        except ValueError:
            return [{"loc": [], "msg": f"the body is not {mimetype}"}]
        if type(body) is list and key == self.success:
            validator = self.listed.get(mimetype, validator)
        fast = self.fast.get(id(validator))
        if fast is not None and fast(body):
            return []
        return [
            {"loc": list(error.absolute_path), "msg": _message(error)}
            for error in sorted(
                validator.iter_errors(body), key=lambda e: list(map(str, e.path))
            )
        ]

    def response_key(self, status: int) -> str | None:
        """The documented response a status answers with, or ``None``."""
        responses = self.responses
        for key in (str(status), f"{str(status)[0]}XX"):
            if key in responses:
                return key
        if 200 <= status < 300:
            return None if self.stated else self.success
        if status >= 400 and "default" in responses:
            return "default"
        return None


def _fast_check(schema: t.Any) -> t.Callable[[t.Any], bool] | None:
    """jsonschema-rs's validity check of ``schema``, when it is installed
    and takes the schema."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        fast = jsonschema_rs.validator_for(dict(schema), validate_formats=False)
    except Exception:  # A schema it does not take: jsonschema alone checks.
        return None

    def is_valid(body: t.Any) -> bool:
        try:
            return bool(fast.is_valid(body))
        except Exception:  # A value it cannot read: jsonschema decides.
            return False

    return is_valid


def _message(error: t.Any) -> str:
    """What a schema error says, without the value that failed: messages
    end up in logs, and a body may hold what must not."""
    keyword = error.validator
    expected = error.validator_value
    if keyword == "required":
        missing = [name for name in expected if name not in (error.instance or {})]
        return f"missing required {', '.join(map(repr, missing)) or repr(expected)}"
    if keyword == "type":
        return f"is not of type {expected!r}"
    if keyword == "additionalProperties":
        return "has properties the schema does not allow"
    if keyword in ("enum", "const"):
        return (
            f"is not one of {expected!r}"
            if keyword == "enum"
            else "is not the constant"
        )
    if keyword in ("anyOf", "oneOf", "allOf", "not"):
        return f"does not fit {keyword}"
    if keyword == "$ref":
        return f"does not fit {expected}"
    return f"fails {keyword}: {expected!r}"


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


class _Contracts:
    """The compiled operations of one Api's document on one app."""

    def __init__(self, api: Api, app: Flask, spec: t.Any) -> None:
        from jsonschema import validators

        self.api = api
        self.app = weakref.ref(app)
        #: The document these were compiled from; a new one means recompiling.
        self.spec = spec
        document = spec.to_dict()
        self.paths: Mapping[str, t.Any] = document.get("paths") or {}
        openapi30 = str(document.get("openapi", "")).startswith("3.0")
        components = dict(document.get("components") or {})
        if openapi30:
            components = _from_openapi30(components)
        self.components = components
        self.openapi30 = openapi30
        self.validator_class = validators.Draft202012Validator
        self.lock = threading.Lock()
        #: (rule, method) -> compiled operation, ``None`` when not checked.
        self.operations: dict[tuple[str, str], _Operation | None] = {}

    def operation(self, rule: Rule, method: str) -> _Operation | None:
        key = (rule.rule, method)
        try:
            return self.operations[key]
        except KeyError:
            pass
        with self.lock:
            if key not in self.operations:
                self.operations[key] = self.compile(rule, method)
            return self.operations[key]

    def compile(self, rule: Rule, method: str) -> _Operation | None:
        from .openapi.convert.converters import openapi_path

        path = openapi_path(rule.rule)
        verb = method.lower()
        documented = (self.paths.get(path) or {}).get(verb)
        if not isinstance(documented, Mapping):
            return None
        name = f"{method} {path} ({documented.get('operationId', verb)})"
        responses: dict[str, dict[str, Validator | None]] = {}
        for key, response in (documented.get("responses") or {}).items():
            content = (response or {}).get("content") or {}
            compiled: dict[str, Validator | None] = {}
            for media, entry in content.items():
                schema = (entry or {}).get("schema")
                if schema is None or not _is_json(media):
                    compiled[media] = None
                    continue
                try:
                    compiled[media] = self.validator(schema)
                except Exception as exc:
                    _report(
                        self.app(),
                        f"{name}: the {key} {media} schema cannot be used to"
                        f" check responses, which are not checked there:"
                        f" {type(exc).__name__}: {exc}",
                    )
                    compiled[media] = None
            responses[str(key)] = compiled
        stated, success, itemwise = self.success_of(rule, verb)
        if success is None or success not in responses:
            success = next((k for k in responses if k[:1] == "2"), None)
        listed: dict[str, Validator] = {}
        if itemwise and success is not None:
            for media, entry in (
                documented["responses"][success].get("content") or {}
            ).items():
                schema = (entry or {}).get("schema")
                if _is_json(media) and isinstance(schema, Mapping):
                    if schema.get("type") != "array":
                        try:
                            listed[media] = self.validator(
                                {"type": "array", "items": schema}
                            )
                        except Exception:  # Said for the schema itself.
                            pass
        return _Operation(
            name, responses, stated=stated, success=success, listed=listed
        )

    def validator(self, schema: t.Any) -> Validator:
        if self.openapi30:
            schema = _from_openapi30(schema)
        cls = self.validator_class
        cls.check_schema(schema)
        root = {**schema, "components": self.components}
        if "$ref" in schema and len(schema) == 1:
            # A bare reference: one level less for each error's path.
            root = {"$ref": schema["$ref"], "components": self.components}
        return t.cast("Validator", cls(root))

    def success_of(self, rule: Rule, verb: str) -> tuple[bool, str | None, bool]:
        """Whether the operation's records state a 2xx, the status of the
        response the method's return value gives, and whether a list
        returned is formatted item by item (``marshal_with``)."""
        from .operations import resource_operations

        app = self.app()
        view = app.view_functions.get(rule.endpoint) if app is not None else None
        resource = getattr(view, "view_class", None)
        if not isinstance(resource, type):
            return False, None, False
        endpoint = rule.endpoint
        if endpoint not in self.api.endpoints:
            endpoint = endpoint.rsplit(".", 1)[-1]
        record = resource_operations(
            resource, route=self.api.endpoint_record(endpoint)
        ).get(verb)
        if record is None:
            return False, None, False
        stated = any(
            doc.stated and str(status)[:1] == "2"
            for status, doc in record.responses.items()
        )
        success = record.success
        if success is None:
            return stated, None, False
        itemwise = not success.envelope and "pagination" not in record.extensions
        return stated, str(success.status), itemwise


def _from_openapi30(schema: t.Any) -> t.Any:
    """An OpenAPI 3.0 schema in JSON Schema 2020-12 terms: ``nullable``
    becomes a ``null`` type, boolean exclusive bounds become numbers."""
    if isinstance(schema, list):
        return [_from_openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _from_openapi30(value) for key, value in schema.items()}
    for bound, flag in (
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ):
        if isinstance(result.get(flag), bool):
            if result.pop(flag) and bound in result:
                result[flag] = result.pop(bound)
    if result.pop("nullable", False) is True:
        from .openapi.convert._json import nullable

        result = nullable(result)
        if "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    return result


def _report(app: Flask | None, message: str) -> None:
    """Say once that something cannot be checked."""
    (app.logger if app is not None else logger).warning(message)


#: The contracts of each Api on each app (``None``: its document cannot be
#: built, which was said once); a lock guards writes.
_cache: weakref.WeakKeyDictionary[Flask, dict[Api, _Contracts | None]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


def _contracts(api: Api, app: Flask) -> _Contracts | None:
    """The compiled contracts of ``api`` on ``app``, or ``None`` when its
    document cannot be built (said once)."""
    per_app = _cache.get(app)
    found = per_app.get(api, False) if per_app is not None else False
    if found is None:
        return None
    try:
        spec = api.spec
    except Exception as exc:
        with _cache_lock:
            _cache.setdefault(app, {})[api] = None
        _report(
            app,
            "responses are not checked: the OpenAPI document cannot be"
            f" built: {type(exc).__name__}: {exc}",
        )
        return None
    if isinstance(found, _Contracts) and found.spec is spec:
        return found
    with _cache_lock:
        per_app = _cache.setdefault(app, {})
        found = per_app.get(api)
        if not (isinstance(found, _Contracts) and found.spec is spec):
            found = per_app[api] = _Contracts(api, app, spec)
        return found
