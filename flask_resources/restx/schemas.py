"""Flask-RESTX's ``schemas``: check an OpenAPI document against its version's
JSON Schema (2.0, as Flask-RESTX did, and 3.0 and 3.1)."""

from __future__ import annotations

import importlib.resources
import json
import threading
import typing as t
from collections.abc import Iterable, Iterator, Mapping

from ..exceptions import FlaskResourcesError
from .errors import SpecsError, ValidationError

__all__ = (
    "LazySchema",
    "OAS_20",
    "OAS_30",
    "OAS_31",
    "SchemaValidationError",
    "VERSIONS",
    "validate",
)

#: Where the OpenAPI Initiative's schemas are: openapi-spec-validator ships
#: them (the test extra has it), so they are not copied here.
_SCHEMA_FILES = {
    "oas-2.0.json": "resources/schemas/v2.0/schema.json",
    "oas-3.0.json": "resources/schemas/v3.0/schema.json",
    "oas-3.1.json": "resources/schemas/v3.1/schema.json",
}
_LOAD_LOCK = threading.Lock()


class SchemaValidationError(ValidationError):
    """An OpenAPI document does not fit its version's schema.

    :param msg: the summary.
    :param errors: jsonschema's errors, one per misfit.
    """

    def __init__(self, msg: str, errors: Iterable[t.Any] | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.errors = list(errors or ())

    def __str__(self) -> str:
        lines = [str(self.msg)]
        for error in sorted(self.errors, key=lambda e: [str(p) for p in e.path]):
            where = ".".join(str(part) for part in error.path) or "(document)"
            lines.append(f"- {where}: {error.message}")
            for cause in sorted(error.context or (), key=lambda e: str(e.schema_path)):
                where = ".".join(str(part) for part in cause.schema_path)
                lines.append(f"  - {where}: {cause.message}")
        return "\n".join(lines)


class LazySchema(Mapping[str, t.Any]):
    """A JSON Schema read on first use.

    :param filename: ``"oas-2.0.json"``, ``"oas-3.0.json"`` or
        ``"oas-3.1.json"``, the OpenAPI version's schema.
    :param validator: the jsonschema validator class; by default the one of
        the schema's ``$schema``.
    """

    def __init__(self, filename: str, validator: t.Any = None) -> None:
        self.filename = filename
        self._schema: dict[str, t.Any] | None = None
        self._validator = validator

    def _load(self) -> dict[str, t.Any]:
        schema = self._schema
        if schema is None:
            with _LOAD_LOCK:
                schema = self._schema
                if schema is None:
                    schema = self._schema = _read(self.filename)
        return schema

    def __getitem__(self, key: str) -> t.Any:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    @property
    def validator(self) -> t.Any:
        """A jsonschema validator of this schema."""
        try:
            from jsonschema.validators import Draft4Validator, validator_for
        except ImportError:
            raise FlaskResourcesError(
                "Checking an OpenAPI document needs the 'restx' extra:"
                " pip install 'flask-resources[restx]'"
            ) from None
        schema = self._load()
        cls = self._validator or validator_for(schema, default=Draft4Validator)
        return cls(schema)


#: OpenAPI 2.0 (Swagger), the version Flask-RESTX wrote.
OAS_20 = LazySchema("oas-2.0.json")
#: OpenAPI 3.0.
OAS_30 = LazySchema("oas-3.0.json")
#: OpenAPI 3.1, the version flask-resources writes.
OAS_31 = LazySchema("oas-3.1.json")

#: The schema of each OpenAPI version, by ``major.minor``.
VERSIONS: dict[str, LazySchema] = {"2.0": OAS_20, "3.0": OAS_30, "3.1": OAS_31}


def validate(data: Mapping[str, t.Any]) -> bool:
    """Check an OpenAPI document (2.0, 3.0 or 3.1) against its version's
    schema; ``api.__schema__`` is 3.1.

    :returns: ``True`` when it fits.
    :raises SchemaValidationError: when it does not, with every misfit.
    :raises SpecsError: when its version is missing or unknown.
    """
    if "swagger" in data:
        version = str(data["swagger"])
    elif "openapi" in data:
        version = ".".join(str(data["openapi"]).split(".")[:2])
    else:
        raise SpecsError(
            "Cannot tell the OpenAPI version: the document has no 'swagger'"
            " or 'openapi' key"
        )
    schema = VERSIONS.get(version)
    if schema is None:
        raise SpecsError(f'Unknown OpenAPI schema version "{version}"')
    errors = list(schema.validator.iter_errors(data))
    if errors:
        raise SchemaValidationError(f"OpenAPI {version} validation failed", errors)
    return True


def _read(filename: str) -> dict[str, t.Any]:
    where = _SCHEMA_FILES.get(filename)
    if where is None:
        raise SpecsError(
            f"No schema {filename!r}: known ones are {', '.join(_SCHEMA_FILES)}"
        )
    try:
        files = importlib.resources.files("openapi_spec_validator")
    except ModuleNotFoundError:
        raise FlaskResourcesError(
            "The OpenAPI schemas come with openapi-spec-validator:"
            " pip install openapi-spec-validator"
        ) from None
    schema: dict[str, t.Any] = json.loads(files.joinpath(where).read_text("utf-8"))
    return schema
