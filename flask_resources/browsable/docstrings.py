"""Docstrings in reStructuredText, as HTML for the page and as plain text.

Resources are documented for Sphinx, in reST; shown raw, ``:class:`Cat```
and ``::`` get in the reader's way. This renders the part of reST that
docstrings use (paragraphs, literal and doctest blocks, bullet and field
lists, the common directives, inline literals, roles, emphasis and links)
without docutils, which is not a dependency. Anything else stays as text.
Every piece of the docstring is escaped; the only markup is the one added
here, and links go only where
:func:`~flask_resources.browsable.renderer.is_link` allows.

.. versionadded:: 0.2
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Callable, Iterator

from markupsafe import Markup, escape

_INLINE = re.compile(
    r"``(?P<literal>.+?)``"
    r"|(?::[\w.+-]+:)+`(?P<role>[^`]+)`"
    r"|`(?P<label>[^`<]*?)\s*<(?P<target>[^`>]+)>`__?"
    r"|`(?P<ref>[^`]+)`_{0,2}"
    r"|\*\*(?P<strong>[^*\s](?:.*?[^*\s])?)\*\*"
    r"|(?<![\w*])\*(?P<emphasis>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])"
)
_BULLET = re.compile(r"^([-*+•])\s+")
_FIELD = re.compile(r"^:([^:]+):(?:\s+|$)")
_DIRECTIVE = re.compile(r"^\.\.\s+([\w-]+)::\s*(.*)$")
_ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "danger": "Danger",
    "attention": "Attention",
    "error": "Error",
    "seealso": "See also",
}
_VERSIONS = {
    "versionadded": "Added in version",
    "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version",
    "versionremoved": "Removed in version",
}
_CODE = {"code", "code-block", "sourcecode", "doctest"}


class Block(t.NamedTuple):
    """One block of a docstring: ``kind`` is ``paragraph``, ``literal``,
    ``bullets`` (``items`` holds each item's blocks), ``fields`` (``items``
    holds ``(name, blocks)``) or ``admonition`` (``text`` is its title)."""

    kind: str
    text: str = ""
    items: tuple[t.Any, ...] = ()


def to_html(doc: str) -> Markup:
    """The docstring ``doc`` (cleaned, as :func:`inspect.cleandoc` gives it)
    as HTML."""
    from .renderer import is_link

    return Markup("\n").join(_html(block, is_link) for block in parse(doc))


def to_text(doc: str) -> str:
    """The docstring as plain text: the inline markup's text, blocks kept
    apart by a blank line."""
    return "\n\n".join(_text(block) for block in parse(doc))


def first_paragraph(doc: str) -> str | None:
    """The first paragraph of a docstring as plain text on one line."""
    for block in parse(doc):
        if block.kind == "paragraph":
            return " ".join(inline_text(block.text).split())
    return None


def parse(doc: str) -> list[Block]:
    """The blocks of a docstring."""
    return list(_blocks(doc.expandtabs().splitlines()))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _take_indented(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """The lines from ``start`` indented more than ``indent`` (blank lines
    among them kept), dedented; and the index after them."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    body = lines[start:end]
    margin = min((_indent(line) for line in body if line.strip()), default=0)
    return [line[margin:] for line in body], end


def _blocks(lines: list[str]) -> Iterator[Block]:
    i = 0
    literal_next = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        indent = _indent(line)
        stripped = line.strip()
        if literal_next and indent > 0:
            body, i = _take_indented(lines, i, indent - 1)
            yield Block("literal", "\n".join(body))
            literal_next = False
            continue
        literal_next = False
        if indent > 0:  # a block quote: its content, unquoted
            body, i = _take_indented(lines, i, indent - 1)
            yield from _blocks(body)
            continue
        directive = _DIRECTIVE.match(stripped)
        if directive is not None:
            name, argument = directive.group(1).lower(), directive.group(2)
            body, i = _take_indented(lines, i + 1, 0)
            # Directive options (":linenos:") are not content.
            while body and _FIELD.match(body[0]):
                body.pop(0)
            yield from _directive(name, argument, body)
            continue
        if stripped.startswith(".."):  # a comment, or a link target
            _, i = _take_indented(lines, i + 1, 0)
            continue
        if stripped.startswith(">>>"):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            yield Block("literal", "\n".join(lines[i:end]))
            i = end
            continue
        if _BULLET.match(stripped):
            items = []
            while i < len(lines) and (bullet := _BULLET.match(lines[i])):
                first = lines[i][bullet.end() :]
                rest, i = _take_indented(lines, i + 1, 0)
                items.append(tuple(_blocks([first, *rest])))
                while i < len(lines) and not lines[i].strip():
                    i += 1
            yield Block("bullets", items=tuple(items))
            continue
        if _FIELD.match(stripped):
            fields = []
            while i < len(lines) and (field := _FIELD.match(lines[i])):
                first = lines[i][field.end() :]
                rest, i = _take_indented(lines, i + 1, 0)
                name = _field_name(field.group(1))
                if name is not None:
                    fields.append((name, tuple(_blocks([first, *rest]))))
                while i < len(lines) and not lines[i].strip():
                    i += 1
            if fields:
                yield Block("fields", items=tuple(fields))
            continue
        end = i
        while end < len(lines) and lines[end].strip() and _indent(lines[end]) == 0:
            end += 1
        text = "\n".join(lines[i:end])
        i = end
        if text.endswith("::"):
            # "Text::" shows "Text:", "Text ::" shows "Text", "::" nothing;
            # an indented literal block follows.
            literal_next = True
            text = text[:-2]
            if not text.strip():
                continue
            text = text.rstrip() if text[-1].isspace() else text + ":"
        yield Block("paragraph", text)


def _field_name(field: str) -> str | None:
    """What a field list shows for a field: Sphinx's info fields by what
    they mean (``:param name:`` shows ``name``); type fields not at all, as
    the page has no use for them."""
    kind, _, argument = field.partition(" ")
    kind = kind.lower()
    if kind in ("type", "rtype", "vartype"):
        return None
    if kind in ("param", "parameter", "arg", "argument", "key", "keyword", "var"):
        return argument.split()[-1] if argument.strip() else kind
    if kind in ("return", "returns"):
        return "Returns"
    if kind in ("raise", "raises", "except", "exception"):
        return f"Raises {argument}".strip()
    return field


def _directive(name: str, argument: str, body: list[str]) -> Iterator[Block]:
    if name in _VERSIONS:
        version, _, rest = argument.partition(" ")
        text = " ".join([rest, *body]).strip()
        sentence = f"{_VERSIONS[name]} {version}" + (f": {text}" if text else ".")
        yield Block("paragraph", sentence)
    elif name in _ADMONITIONS or name == "admonition":
        title = argument if name == "admonition" else _ADMONITIONS[name]
        content = list(_blocks(body))
        if name != "admonition" and argument:
            content.insert(0, Block("paragraph", argument))
        yield Block("admonition", title, tuple(content))
    elif name in _CODE:
        yield Block("literal", "\n".join(body))
    else:  # unknown: keep what it says
        if argument:
            yield Block("paragraph", argument)
        yield from _blocks(body)


def _inline(text: str, on_match: Callable[[re.Match[str]], str]) -> Iterator[str]:
    position = 0
    for match in _INLINE.finditer(text):
        yield text[position : match.start()]
        yield on_match(match)
        position = match.end()
    yield text[position:]


def _role_text(value: str) -> str:
    # :class:`Title <target>` shows Title; :class:`~a.b.C` shows C;
    # :meth:`!name` is not linked.
    label = re.match(r"^(.*?)\s*<[^<>]+>$", value)
    if label is not None and label.group(1):
        return label.group(1)
    value = value.lstrip("!")
    if value.startswith("~"):
        return value[1:].rstrip("()").rsplit(".", 1)[-1] + (
            "()" if value.endswith("()") else ""
        )
    return value.lstrip(".")


def inline_text(text: str) -> str:
    """Inline reST as plain text: the text of each literal, role, link and
    emphasis."""

    def plain(match: re.Match[str]) -> str:
        groups = match.groupdict()
        if groups["role"] is not None:
            return _role_text(groups["role"])
        if groups["target"] is not None:
            return groups["label"] or groups["target"]
        return next(value for value in groups.values() if value is not None)

    return "".join(_inline(text, plain))


def inline_html(text: str, is_link: Callable[[str], bool]) -> Markup:
    """Inline reST as HTML, every piece of the text escaped."""

    def html(match: re.Match[str]) -> str:
        groups = match.groupdict()
        if groups["literal"] is not None:
            return Markup("<code>%s</code>") % groups["literal"]
        if groups["role"] is not None:
            return Markup("<code>%s</code>") % _role_text(groups["role"])
        if groups["target"] is not None:
            label = groups["label"] or groups["target"]
            target = groups["target"].strip()
            if is_link(target):
                return Markup('<a href="%s">%s</a>') % (target, label)
            return escape(label)
        if groups["ref"] is not None:
            return Markup("<code>%s</code>") % groups["ref"]
        if groups["strong"] is not None:
            return Markup("<strong>%s</strong>") % groups["strong"]
        return Markup("<em>%s</em>") % groups["emphasis"]

    return Markup("").join(
        piece if isinstance(piece, Markup) else escape(piece)
        for piece in _inline(text, html)
    )


def _html(block: Block, is_link: Callable[[str], bool]) -> Markup:
    def blocks(children: t.Iterable[Block]) -> Markup:
        return Markup("").join(_html(child, is_link) for child in children)

    if block.kind == "paragraph":
        return Markup("<p>%s</p>") % inline_html(block.text, is_link)
    if block.kind == "literal":
        return Markup("<pre>%s</pre>") % block.text
    if block.kind == "bullets":
        items = Markup("").join(
            Markup("<li>%s</li>") % blocks(item) for item in block.items
        )
        return Markup("<ul>%s</ul>") % items
    if block.kind == "fields":
        fields = Markup("").join(
            Markup("<dt>%s</dt><dd>%s</dd>") % (escape(name), blocks(body))
            for name, body in block.items
        )
        return Markup('<dl class="fields">%s</dl>') % fields
    # An admonition.
    admonition = '<div class="admonition"><p class="admonition-title">%s</p>%s</div>'
    return Markup(admonition) % (block.text, blocks(block.items))


def _text(block: Block) -> str:
    if block.kind == "paragraph":
        return inline_text(block.text)
    if block.kind == "literal":
        lines = block.text.split("\n")
        return "\n".join(f"    {line}" if line else "" for line in lines)
    if block.kind == "bullets":
        return "\n".join(
            "- " + "\n\n".join(_text(child) for child in item).replace("\n", "\n  ")
            for item in block.items
        )
    if block.kind == "fields":
        return "\n".join(
            f"{name}: " + " ".join(_text(child) for child in body)
            for name, body in block.items
        )
    body = "\n\n".join(_text(child) for child in block.items)
    return f"{block.text}: {body}"
