"""The Api's root: a resource listing the Api's resources."""

from __future__ import annotations

import typing as t

from flask import current_app, request
from werkzeug.routing import BaseConverter

from ..operations import doc
from ..resource import Resource
from .renderer import docstring, summary

if t.TYPE_CHECKING:
    from flask import Flask

    from ..api import Api

#: The name the root's URL converter is registered under.
CONVERTER = "_resources_root"

#: The rule of the root, relative to the Api's prefix.
ROOT_RULE = f"/<{CONVERTER}:_root>"


class RootConverter(BaseConverter):
    """Matches only the empty string.

    A rule ending in it matches the same URL as one without, but as a
    dynamic rule, which Werkzeug tries after every static one: a resource
    routed at the Api's root wins over the listing, whenever it is added.
    """

    regex = ""


def add_converter(app: Flask) -> None:
    """Make :data:`ROOT_RULE` routable on ``app``."""
    app.url_map.converters.setdefault(CONVERTER, RootConverter)


class ApiRoot(Resource):
    """The resources of this API."""

    def __init__(self, *, api: Api, docs_url: str | None = None) -> None:
        self.api = api
        self.docs_url = docs_url

    # A page for browsing, not an operation of the API's contract.
    @doc(hide=True)
    def get(self, _root: str = "") -> dict[str, t.Any]:
        """List the Api's resources (name, URLs, verbs and summary) and the
        docs page the Api serves, if any."""
        api = self.api
        script_root = request.script_root
        listed: dict[str, dict[str, t.Any]] = {}
        # A blueprint registered more than once lists, at each root, the
        # URLs of that registration.
        blueprint = request.blueprint
        for rule in current_app.url_map.iter_rules():
            endpoint = t.cast(str, rule.endpoint)
            if not api.owns_endpoint(endpoint):
                continue
            if blueprint is not None and endpoint.rpartition(".")[0] != blueprint:
                continue
            entry = listed.get(endpoint)
            if entry is None:
                view = current_app.view_functions.get(endpoint)
                view_class = getattr(view, "view_class", None)
                doc = docstring(view_class)
                entry = listed[endpoint] = {
                    "name": endpoint.rpartition(".")[2],
                    "urls": [],
                    "methods": sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}),
                    "description": summary(doc),
                }
            entry["urls"].append(script_root + rule.rule)
        result: dict[str, t.Any] = {"resources": list(listed.values())}
        if self.docs_url:
            result["docs"] = script_root + self.docs_url
        return result
