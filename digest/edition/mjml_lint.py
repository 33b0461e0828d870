"""Check our MJML before mjml-python sees it: known components, known attributes, well-formed.

mjml-python passes unknown tags and attributes through silently, so a typo in a
template would ship. `check_template` lints a template's source (names and line);
`check_mjml` parses the generated document as XML. Both raise RenderError.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from digest.errors import RenderError

_PAD = ("padding", "padding-top", "padding-bottom", "padding-left", "padding-right")
_BOX = ("css-class", "mj-class", "border", "border-radius", *_PAD)
_FONT = ("color", "font-family", "font-size", "font-weight", "font-style", "line-height")
_TEXT = (*_FONT, "letter-spacing", "text-transform", "text-decoration", "align", "height")

#: The MJML components our templates use, with the attributes each accepts.
COMPONENTS: dict[str, frozenset[str]] = {
    name: frozenset(attrs)
    for name, attrs in {
        "mjml": ("lang", "dir", "owa"),
        "mj-head": (),
        "mj-title": (),
        "mj-preview": (),
        "mj-breakpoint": ("width",),
        "mj-attributes": (),
        "mj-all": (*_FONT, *_PAD),
        "mj-class": ("name", *_TEXT, *_BOX, "background-color"),
        "mj-style": ("inline",),
        "mj-raw": (),
        "mj-body": ("width", "background-color", "css-class"),
        "mj-wrapper": ("background-color", "full-width", "text-align", *_BOX),
        "mj-section": ("background-color", "full-width", "text-align", "direction", *_BOX),
        "mj-column": ("width", "background-color", "vertical-align", *_BOX),
        "mj-text": (*_TEXT, "container-background-color", *_BOX),
        "mj-image": (
            *("src", "alt", "width", "height", "href", "title", "align", "rel", "target"),
            *("fluid-on-mobile", "container-background-color", *_BOX),
        ),
        "mj-button": (
            *("href", "title", "rel", "target", "background-color", "inner-padding", "width"),
            *(*_TEXT, "container-background-color", *_BOX),
        ),
        "mj-divider": ("border-color", "border-width", "border-style", "width", "align", *_BOX),
        "mj-spacer": ("height", "css-class", *_PAD),
        "mj-table": (
            *(*_FONT, "width", "cellpadding", "cellspacing", "table-layout", "align", "role"),
            *("container-background-color", *_BOX),
        ),
    }.items()
}

_HEAD = frozenset(
    {"mj-title", "mj-preview", "mj-breakpoint", "mj-attributes", "mj-style", "mj-raw"}
)
_CONTENT = frozenset({"mj-text", "mj-image", "mj-button", "mj-divider", "mj-spacer", "mj-table"})
#: Where each component may appear (its parent).
PARENTS: dict[str, frozenset[str]] = {
    "mjml": frozenset({""}),
    "mj-head": frozenset({"mjml"}),
    "mj-body": frozenset({"mjml"}),
    **{name: frozenset({"mj-head"}) for name in _HEAD - {"mj-raw"}},
    "mj-all": frozenset({"mj-attributes"}),
    "mj-class": frozenset({"mj-attributes"}),
    "mj-raw": frozenset({"mj-head", "mj-body", "mj-column", "mj-wrapper"}),
    "mj-wrapper": frozenset({"mj-body"}),
    "mj-section": frozenset({"mj-body", "mj-wrapper"}),
    "mj-column": frozenset({"mj-section"}),
    **{name: frozenset({"mj-column"}) for name in _CONTENT},
}
#: Components whose content is HTML rather than MJML.
HTML_HOSTS = frozenset({"mj-text", "mj-button", "mj-raw", "mj-table"})
_COMMON = ("style", "class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden")
_CELL = ("align", "valign", "width", "colspan", "rowspan", "scope", "bgcolor")
#: HTML allowed inside those components, with its attributes.
HTML_TAGS: dict[str, frozenset[str]] = {
    name: frozenset((*_COMMON, *extra))
    for names, extra in (
        (("b", "strong", "em", "i", "span", "small", "sup", "br", "p", "div", "ul", "ol"), ()),
        (("li", "h1", "h2", "h3", "h4", "hr", "thead", "tbody", "tr", "caption"), ()),
        (("a",), ("href", "target", "rel", "name")),
        (("table",), ("width", "cellpadding", "cellspacing", "border", "align", "summary")),
        (("td", "th"), _CELL),
        (("img",), ("src", "alt", "width", "height")),
        (("meta",), ("name", "content", "http-equiv")),
    )
    for name in names
}

_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)/?>")
_ATTR = re.compile(r"([^\s=/]+)\s*(?:=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_BARE_AMP = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z]+;)")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def check_template(name: str, source: str) -> None:
    """Lint a template's source: every tag and attribute known, no raw '&' or stray '<'."""
    text = _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    for match in _TAG.finditer(text):
        closing, tag, attrs = match.groups()
        problem = _tag_problem(tag.lower(), "" if closing else attrs)
        if problem:
            raise RenderError(name, problem, text.count("\n", 0, match.start()) + 1)
    for number, line in enumerate(_TAG.sub(_blank, text).splitlines(), 1):
        if "<" in line:
            raise RenderError(name, "a '<' that does not start a tag (write &lt;)", number)
        if _BARE_AMP.search(line):
            raise RenderError(name, "a raw '&' (write &amp;)", number)
        for entity in re.findall(r"&([A-Za-z]+);", line):
            if entity not in _XML_ENTITIES:
                raise RenderError(name, f"&{entity}; is not an XML entity (use &#...;)", number)


def _blank(match: re.Match[str]) -> str:
    """A tag replaced by its newlines only, so line numbers stay true."""
    return "\n" * match.group().count("\n")


def check_mjml(document: str, name: str = "edition.mjml.j2") -> None:
    """Parse generated MJML as XML and check every element; the error names the line."""
    stack: list[str] = [""]
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        problem = _element_problem(tag, stack, attrs)
        if problem:
            raise RenderError(name, f"{problem} (generated MJML)", parser.CurrentLineNumber)
        stack.append(tag)

    def end(tag: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(document, True)
    except expat.ExpatError as e:
        reason = expat.errors.messages[e.code]
        raise RenderError(name, f"generated MJML is not well-formed: {reason}", e.lineno) from e


def _tag_problem(tag: str, attrs: str) -> str:
    known = COMPONENTS.get(tag) if tag.startswith("mj") else HTML_TAGS.get(tag)
    if known is None:
        return f"unknown tag <{tag}>"
    for attr in _ATTR.findall(attrs):
        if attr.lower() not in known:
            return f"unknown attribute {attr!r} on <{tag}>"
    return ""


def _element_problem(tag: str, stack: list[str], attrs: dict[str, str]) -> str:
    parent = stack[-1]
    in_html = any(t in HTML_HOSTS for t in stack)
    if tag in COMPONENTS and not in_html:
        # Inside <mj-attributes>, any component names the defaults of its kind.
        if parent not in PARENTS.get(tag, frozenset()) and parent != "mj-attributes":
            return f"<{tag}> cannot be inside <{parent or 'the document'}>"
        known = COMPONENTS[tag]
    elif tag in HTML_TAGS and in_html:
        known = HTML_TAGS[tag]
    else:
        where = f"inside <{parent}>" if parent else "at the top"
        return f"unknown tag <{tag}> {where}"
    unknown = sorted(set(attrs) - known)
    return f"unknown attribute {unknown[0]!r} on <{tag}>" if unknown else ""
