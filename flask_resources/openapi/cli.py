"""``flask openapi print`` and ``flask openapi write FILE``."""

from __future__ import annotations

import importlib.util
import json
import typing as t

import click
from flask import current_app
from flask.cli import AppGroup

if t.TYPE_CHECKING:
    from ..api import Api

#: The ``flask openapi`` command group, registered through the
#: ``flask.commands`` entry point.
openapi = AppGroup("openapi", help="The app's OpenAPI document.")

_api_option = click.option(
    "--api",
    "index",
    type=int,
    default=0,
    show_default=True,
    help="Which Api of the app, counting from 0 in the order they were bound.",
)
_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
)


def _document(index: int) -> dict[str, t.Any]:
    from .._state import get_state
    from ..exceptions import OpenAPIError

    state = get_state(current_app)
    apis: list[Api] = state.apis if state is not None else []
    if not apis:
        raise click.ClickException("The app has no flask_resources Api.")
    if not 0 <= index < len(apis):
        raise click.ClickException(f"--api {index}: the app has {len(apis)} Apis.")
    try:
        return apis[index].openapi()
    except OpenAPIError as exc:
        raise click.ClickException(str(exc)) from exc


def _check_format(fmt: str) -> None:
    """Fail before building the document when YAML is asked for and PyYAML
    is missing, naming everything missing in one ``pip install``."""
    if fmt != "yaml" or importlib.util.find_spec("yaml") is not None:
        return
    if importlib.util.find_spec("apispec") is None:
        raise click.ClickException(
            "YAML output needs the 'openapi' extra and PyYAML:"
            " pip install 'flask-resources[openapi]' pyyaml"
        )
    raise click.ClickException("YAML output needs PyYAML: pip install pyyaml")


def _dump(document: dict[str, t.Any], fmt: str) -> str:
    if fmt == "yaml":
        import yaml

        text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        return text
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@openapi.command("print")
@_api_option
@_format_option
def print_document(index: int, fmt: str) -> None:
    """Print the OpenAPI document."""
    _check_format(fmt)
    click.echo(_dump(_document(index), fmt), nl=False)


@openapi.command("write")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@_api_option
@_format_option
def write_document(path: str, index: int, fmt: str) -> None:
    """Write the OpenAPI document to PATH."""
    _check_format(fmt)
    text = _dump(_document(index), fmt)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    click.echo(f"Wrote {path}.")
