"""The ``text/html`` representation: an Api's answers as pages for browsers.

:data:`~flask_resources.negotiation.HTML_MEDIATYPE` is the media type of the
pages.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import typing as t
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlencode, urlsplit

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

from ..conditional import representation_etag
from ..negotiation import JSON_MEDIATYPE
from ..operations import Operation, resource_operations
from ..parsers import request_parsers
from ..representations import output_json
from .docstrings import first_paragraph, to_html
from .examples import body_media_types, example_body

if t.TYPE_CHECKING:
    from flask import Flask
    from werkzeug.routing import Rule
    from werkzeug.wrappers import Response

    from ..api import Api
    from ..typing import HeadersValue, Representation

#: App config key turning the browsable API on for every Api bound to the
#: app that does not say otherwise (``Api(browsable=...)``).
ENABLE_CONFIG_KEY = "RESOURCES_BROWSABLE"

#: App config key naming the query parameter that shows the JSON instead
#: (``?format=json``); ``None`` turns it off.
FORMAT_PARAM_CONFIG_KEY = "RESOURCES_BROWSABLE_FORMAT_PARAM"

#: The blueprint serving the page's script and style sheet.
ASSETS_BLUEPRINT = "flask_resources_browsable"

#: The verbs that get a form, in page order.
FORM_VERBS = ("POST", "PUT", "PATCH", "DELETE")

# Headers of the page itself, not of the answer it shows.
_PAGE_HEADERS = frozenset(("content-security-policy", "x-content-type-options"))

# Possessive: a string is read once, without backtracking.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"')
_ANGLE_URL = re.compile(r"<([^<>]*)>")
# Links are made only to this site's paths and to http(s) URLs: never to
# javascript:, data: or any other scheme, whatever the data says. A
# backslash is refused anywhere, as browsers read "/\\host" as "//host".
_LINK = re.compile(r"(?:https?://|/(?![/\\]))[^\s<>\\\x00-\x1f\x7f]*")
# What the answer shown links is data, anyone's: only the first so many of
# its strings that are this site's routes, and none longer than a URL.
_MAX_LINKS = 500
_MAX_LINK_LENGTH = 2000


class Token(t.NamedTuple):
    """A piece of text on the page, and the URL it links to, if any."""

    text: str
    href: str | None = None


class Form(t.NamedTuple):
    """A form sending one verb to the page's URL."""

    method: str
    summary: str | None
    body: str | None
    content_types: list[str]


class BrowsableAPI:
    """Renders an :class:`~flask_resources.Api`'s answers as HTML pages.

    ``Api(app, browsable=True)`` creates one and registers :meth:`render` as
    the Api's ``text/html`` representation. A client whose ``Accept``
    prefers ``text/html`` to every JSON type (a browser) gets a page showing
    the request, the status, the headers and the JSON body (URLs in it
    linked), the resource's docstring and a form for each other verb; every
    other client gets the JSON as before.

    Every value on the page goes through Jinja's autoescaping; the page's
    script and style sheet are files of the package, allowed by a
    ``Content-Security-Policy`` that forbids inline scripts.

    Override :attr:`template` (or put a template of that name in the app's
    ``templates`` folder) to change the page.
    """

    #: The Jinja template of the page.
    template: t.ClassVar[str] = "flask_resources/browsable.html"

    #: Sent with every page: scripts and styles only from this site, no
    #: inline script, requests only to this site, no framing.
    content_security_policy: t.ClassVar[str] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        " connect-src 'self'; form-action 'self'; base-uri 'none';"
        " frame-ancestors 'none'"
    )

    def __init__(self, api: Api) -> None:
        self.api = api

    def init_app(self, app: Flask) -> None:
        """Serve the page's assets on ``app`` (once, whatever the number of
        browsable Apis)."""
        if ASSETS_BLUEPRINT in app.blueprints:
            return
        assets = Blueprint(
            ASSETS_BLUEPRINT,
            __name__,
            template_folder="templates",
            static_folder="static",
            static_url_path="/_flask_resources",
        )
        app.register_blueprint(assets)

    def mediatype(self, chosen: str) -> str:
        """The media type to answer a request negotiated to ``chosen`` with:
        JSON when the query string asks for it (``?format=json``)."""
        param = current_app.config.get(FORMAT_PARAM_CONFIG_KEY, "format")
        if param and request.args.get(param) == "json":
            return JSON_MEDIATYPE
        return chosen

    def render(
        self, data: t.Any, code: t.Any, headers: HeadersValue | None = None
    ) -> Response:
        """The ``text/html`` representation: the page for the answer the
        Api's JSON representation gives for ``(data, code, headers)``."""
        json_representation: Representation = self.api.representations.get(
            JSON_MEDIATYPE, output_json
        )
        answer = json_representation(data, code, headers)
        text = answer.get_data(as_text=True)
        try:
            value = json.loads(text)
        except ValueError:
            value, pretty = None, text
        else:
            pretty = json.dumps(value, indent=2, ensure_ascii=False)
        context = self.context(answer, value, pretty)
        resp = current_app.response_class(status=answer.status_code)
        for name, header in answer.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                resp.headers.add(name, header)
        resp.headers["Content-Security-Policy"] = self.content_security_policy
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.vary.add("Accept")
        context["headers"] = self.headers(answer, resp)
        resp.set_data(render_template(self.template, **context))
        # What the Api adds once the page is rendered (ETag, Last-Modified,
        # its decorators' headers) is shown too: the table is filled again
        # at the end of the request.
        after_this_request(
            functools.partial(self._complete_headers, resp, answer, context)
        )
        return resp

    def headers(
        self, answer: Response, page: Response
    ) -> list[tuple[str, list[Token]]]:
        """The headers the page shows: every header of the ``page``'s
        response but the page's own (``Content-Security-Policy``,
        ``X-Content-Type-Options``), with the ``Content-Type``,
        ``Content-Length`` and computed ``ETag`` of the JSON ``answer`` the
        page shows, which are what a JSON client gets.

        .. versionadded:: 0.2
        """
        pairs: list[tuple[str, str]] = []
        names: list[str] = []  # in the answer's order, then the page's
        for name in [*answer.headers.keys(), *page.headers.keys()]:
            if name.lower() not in _PAGE_HEADERS and name not in names:
                names.append(name)
        for name in names:
            lower = name.lower()
            if lower in ("content-type", "content-length"):
                source = answer
            else:
                source = page
            pairs.extend((name, value) for value in source.headers.getlist(name))
        if "ETag" not in answer.headers and "ETag" in page.headers:
            # The ETag hashed from the page (etag = True) stands for the one
            # hashed from the JSON; one set otherwise stays as it is.
            page_etag = f'"{representation_etag(page)}"'
            json_etag = f'"{representation_etag(answer)}"'
            pairs = [
                (name, json_etag if name.lower() == "etag" and value == page_etag
                 else value)
                for name, value in pairs
            ]  # fmt: skip
        return [(name, list(header_tokens(name, value))) for name, value in pairs]

    def _complete_headers(
        self,
        page: Response,
        answer: Response,
        context: dict[str, t.Any],
        response: Response,
    ) -> Response:
        if response is not page or response.status_code == 304:
            return response  # another response, or one without a body
        shown = self.headers(answer, response)
        if shown != context["headers"]:
            context["headers"] = shown
            response.set_data(render_template(self.template, **context))
        return response

    def context(self, answer: Response, value: t.Any, pretty: str) -> dict[str, t.Any]:
        """What the template gets:

        ``method``, ``url`` (the path, with the script root), ``path`` (with
        the query string), ``status`` and ``reason``; ``headers``, a list of
        ``(name, tokens)``, and ``body``, the pretty-printed JSON as tokens
        (:class:`Token`: ``text`` and ``href``, set when it is a link);
        ``title``, ``description`` (the resource's docstring, its reST
        rendered as HTML whose every piece of text is escaped), ``methods``
        (the verbs the URL allows), ``forms`` (:class:`Form` per verb);
        ``json_url`` (``?format=json``), ``root_url`` (the Api's root) and
        ``asset_endpoint`` (for ``url_for(asset_endpoint, filename=...)``).

        :param answer: the response the JSON representation gave.
        :param value: its body, decoded (``None`` when it is not JSON).
        :param pretty: its body, pretty-printed.
        """
        rule = request.url_rule
        if rule is None and answer.status_code == 405:
            rule = _rule_for_other_verbs(answer.allow)
        view_class = None
        if rule is not None:
            view = current_app.view_functions.get(t.cast(str, rule.endpoint))
            view_class = getattr(view, "view_class", None)
        methods = sorted(rule.methods or ()) if rule is not None else []
        query = request.query_string.decode("latin-1")
        status = answer.status_code
        return {
            "method": request.method,
            "url": request.script_root + request.path,
            "path": request.script_root + request.path + (f"?{query}" if query else ""),
            "status": status,
            "reason": HTTP_STATUS_CODES.get(status, ""),
            "headers": [
                (name, list(header_tokens(name, header)))
                for name, header in answer.headers.items()
            ],
            "body": list(json_tokens(pretty)),
            "title": _title(view_class, status),
            "description": _description(view_class),
            "methods": methods,
            "forms": self.forms(rule, view_class, value, status),
            "json_url": self.json_url(),
            "root_url": self.root_url(),
            "asset_endpoint": f"{ASSETS_BLUEPRINT}.static",
        }

    def forms(
        self,
        rule: Rule | None,
        view_class: t.Any,
        value: t.Any,
        status: int,
    ) -> list[Form]:
        """A form for each verb other than GET the URL allows."""
        if rule is None or view_class is None:
            return []
        verbs = [verb for verb in FORM_VERBS if verb in (rule.methods or ())]
        if not verbs:
            return []
        operations: dict[str, Operation] = {}
        if isinstance(view_class, type):
            operations = resource_operations(view_class)
        parsers = list(request_parsers(t.cast(str, rule.endpoint)))
        current = value if request.method == "GET" and status == 200 else None
        forms = []
        for verb in verbs:
            operation = operations.get(verb.lower())
            body = None
            content_types: list[str] = []
            if verb != "DELETE":
                body = _editor_text(verb, operation, current)
                content_types = body_media_types(operation, parsers)
                if JSON_MEDIATYPE in content_types:
                    # The editor holds JSON; offer it first.
                    content_types.remove(JSON_MEDIATYPE)
                    content_types.insert(0, JSON_MEDIATYPE)
            about = _verb_summary(view_class, verb, operation)
            forms.append(Form(verb, about, body, content_types))
        return forms

    def json_url(self) -> str | None:
        """This page's URL with ``?format=json`` added, if that is on."""
        param = current_app.config.get(FORMAT_PARAM_CONFIG_KEY, "format")
        if not param:
            return None
        pairs = [(k, v) for k, v in request.args.items(multi=True) if k != param]
        pairs.append((param, "json"))
        return f"{request.script_root}{request.path}?{urlencode(pairs)}"

    def root_url(self) -> str | None:
        """The URL of the page listing the Api's resources."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        endpoint = self.api.root_endpoint(app)
        if endpoint is None:
            return None
        # A blueprint registered more than once has a root per registration:
        # link the one the request came through.
        blueprint = request.blueprint
        if blueprint is not None:
            own = f"{blueprint}.{endpoint.rpartition('.')[2]}"
            if own in app.view_functions:
                endpoint = own
        return url_for(endpoint, _root="")


def json_tokens(
    text: str, link: Callable[[str], bool] | None = None
) -> Iterator[Token]:
    """Split pretty-printed JSON into text and links: a string that ``link``
    accepts (by default :func:`is_route`, a route of this site) becomes a
    link to it, up to a few hundred of them.

    Linear in the length of ``text``, whatever it holds: each string is read
    once, and text that is not JSON (a quote never closed) ends the links.

    .. versionchanged:: 0.2
        Links only this site's routes, and takes any text in linear time.
    """
    accept = is_route if link is None else link
    links = 0
    position = 0
    while links < _MAX_LINKS:
        start = text.find('"', position)
        if start < 0:
            break
        match = _JSON_STRING.match(text, start)
        if match is None:
            break
        if start > position:
            yield Token(text[position:start])
        literal = match.group()
        href = None
        if len(literal) <= _MAX_LINK_LENGTH + 2:
            try:
                decoded = json.loads(literal)
            except ValueError:
                decoded = None
            if isinstance(decoded, str) and accept(decoded):
                href = decoded
                links += 1
        yield Token(literal, href)
        position = match.end()
    if position < len(text):
        yield Token(text[position:])


def header_tokens(
    name: str, value: str, link: Callable[[str], bool] | None = None
) -> Iterator[Token]:
    """A header value as text and links: a ``Location`` that ``link``
    accepts (by default :func:`is_route`), and each such ``<URL>`` of a
    ``Link``; any other header is text.

    .. versionchanged:: 0.2
        Links only this site's routes.
    """
    accept = is_route if link is None else link
    name = name.lower()
    if name in ("location", "content-location") and accept(value):
        yield Token(value, value)
        return
    position = 0
    if name == "link":
        links = 0
        for match in _ANGLE_URL.finditer(value):
            target = match.group(1)
            if links < _MAX_LINKS and accept(target):
                links += 1
                yield Token(value[position : match.start(1)])
                yield Token(target, target)
                position = match.end(1)
    if position < len(value):
        yield Token(value[position:])


def is_link(value: str) -> bool:
    """Whether ``value`` may be a link at all: a path on this site or an
    http(s) URL, with no white space, control character, angle bracket or
    backslash. Docstrings' links are these.

    .. versionchanged:: 0.2
        Refuses a backslash, which browsers read as a slash.
    """
    return len(value) <= _MAX_LINK_LENGTH and _LINK.fullmatch(value) is not None


def is_route(value: str) -> bool:
    """Whether the page links ``value`` from the data it shows: a path (or
    an http(s) URL of the request's own host) under the app's script root
    that one of the app's routes answers with GET. Needs a request context.

    A stored name such as ``/\\evil.example`` or ``//evil.example``, which
    a browser would take to another site, is never a link; nor is a path
    that would only answer 404 or 405.

    .. versionadded:: 0.2
    """
    if not is_link(value):
        return False
    host = request.host_url
    if value.startswith(("http://", "https://")):
        if not value.startswith(host):
            return False
        value = value[len(host) - 1 :]
        if value.startswith("//"):
            return False
    path = unquote(urlsplit(value).path)
    root = request.script_root
    if root:
        if path != root and not path.startswith(root + "/"):
            return False
        path = path[len(root) :] or "/"
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return False
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def _rule_for_other_verbs(allowed: t.Iterable[str]) -> Rule | None:
    """The rule a 405's URL routes for the verbs it allows, so the page of
    a POST-only resource still offers its form."""
    adapter = current_app.create_url_adapter(request)
    for method in allowed:
        try:
            rule, _ = adapter.match(  # type: ignore[union-attr]
                method=method, return_rule=True
            )
        except HTTPException:
            continue
        return rule
    return None


def _title(view_class: t.Any, status: int) -> str:
    if view_class is not None:
        return str(view_class.__name__)
    return f"{status} {HTTP_STATUS_CODES.get(status, '')}".strip()


def docstring(obj: t.Any) -> str | None:
    """The object's own docstring, cleaned, if it has one."""
    doc = getattr(obj, "__doc__", None) if obj is not None else None
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def _description(view_class: t.Any) -> Markup | None:
    doc = docstring(view_class)
    return None if doc is None else to_html(doc)


def summary(doc: str | None) -> str | None:
    """The first paragraph of a docstring as plain text, on one line: its
    reST markup (``:class:`Cat```, ````code````) reduced to the text."""
    if not doc:
        return None
    return first_paragraph(doc)


def _verb_summary(
    view_class: t.Any, verb: str, operation: Operation | None
) -> str | None:
    if operation is not None and operation.summary:
        return operation.summary
    return summary(docstring(getattr(view_class, verb.lower(), None)))


def _editor_text(verb: str, operation: Operation | None, current: t.Any) -> str:
    """What the body editor starts with: an example from the operation's
    request schema, with the resource's current values for PUT and PATCH;
    without a schema, the current value, or an empty object."""
    example = example_body(operation)
    if isinstance(current, dict) and verb in ("PUT", "PATCH"):
        if example is None:
            example = current
        else:
            example = {key: current.get(key, value) for key, value in example.items()}
    if example is None:
        example = {}
    return json.dumps(example, indent=2, ensure_ascii=False, default=str)
