"""
Story markup from the wire (NITF, XHTML, an HTML string in JSON) made into
the HTML the article body holds: paragraphs, subheads, lists, quotes,
links and emphasis. Pictures, tables' layout, scripts and the like are
dropped; the result is then cleaned by the body field's own sanitizer.
"""

import html
import re
from html.parser import HTMLParser

from django.utils.html import escape

from .item import split_dateline

# Source element -> the body's element. Others are unwrapped (their text kept).
BLOCKS = {
    "p": "p",
    "hl1": "h2",
    "hl2": "h2",
    "h1": "h2",
    "h2": "h2",
    "h3": "h3",
    "h4": "h3",
    "h5": "h3",
    "h6": "h3",
    "blockquote": "blockquote",
    "bq": "blockquote",
    "ul": "ul",
    "ol": "ol",
    "li": "li",
    "tr": "p",  # a table row becomes a line of text
}
INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "s": "s", "strike": "s"}
INLINE |= {"sub": "sub", "sup": "sup", "a": "a"}
VOID = {"br": "br", "hr": "hr"}
DROPPED = {
    "head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed",
    "img", "picture", "figure", "figcaption", "media", "video", "audio", "svg", "math",
    "form", "button", "select", "textarea", "body.head", "body.end", "caption",
}  # fmt: skip
CELLS = {"td", "th"}


class _Builder:
    """Collects start/end/text events from any markup into the body's HTML."""

    def __init__(self):
        self.out = []
        self.skipping = 0  # depth inside a dropped element
        self.open_blocks = 0
        self.loose = False  # a <p> opened for text outside any block

    def start(self, name, attrs):
        if self.skipping or name in DROPPED:
            self.skipping += 1
            return
        if name in BLOCKS:
            self._close_loose()
            self.open_blocks += 1
            self.out.append(f"<{BLOCKS[name]}>")
        elif name in VOID:
            self.out.append(f"<{VOID[name]}>")
        elif name == "a" and attrs.get("href"):
            self.out.append(f'<a href="{escape(attrs["href"])}">')
        elif name in INLINE and name != "a":
            self.out.append(f"<{INLINE[name]}>")

    def end(self, name):
        if self.skipping:
            self.skipping -= 1
            return
        if name in BLOCKS:
            self._close_loose()
            self.open_blocks = max(0, self.open_blocks - 1)
            self.out.append(f"</{BLOCKS[name]}>")
        elif name in INLINE:
            self.out.append(f"</{INLINE[name]}>")
        elif name in CELLS:
            self.out.append(" ")

    def text(self, data):
        if self.skipping or not data:
            return
        if not self.open_blocks and not self.loose:
            if not data.strip():
                return
            self.out.append("<p>")
            self.loose = True
        self.out.append(escape(data))

    def _close_loose(self):
        if self.loose:
            self.out.append("</p>")
            self.loose = False

    def result(self):
        self._close_loose()
        return tidy("".join(self.out))


# HTML elements that never have an end tag.
HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
HTML_VOID |= {"param", "source", "track", "wbr"}


class _HTMLEvents(HTMLParser):
    def __init__(self, builder):
        super().__init__(convert_charrefs=True)
        self.builder = builder

    def handle_starttag(self, tag, attrs):
        self.builder.start(tag, dict(attrs))
        if tag in HTML_VOID:
            self.builder.end(tag)

    def handle_startendtag(self, tag, attrs):
        self.builder.start(tag, dict(attrs))
        self.builder.end(tag)

    def handle_endtag(self, tag):
        if tag not in HTML_VOID:
            self.builder.end(tag)

    def handle_data(self, data):
        self.builder.text(data)


def from_html(text):
    """The body's HTML from an HTML string (ninjs bodies)."""
    builder = _Builder()
    parser = _HTMLEvents(builder)
    parser.feed(text or "")
    parser.close()
    return builder.result()


def from_elements(elements):
    """The body's HTML from XML elements (NITF's body.content, XHTML), namespaces ignored."""
    builder = _Builder()
    for element in elements:
        _walk(element, builder)
    return builder.result()


def _walk(root, builder):
    # A stack, not recursion: wire XML may nest deeper than Python recurses.
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if not isinstance(element.tag, str):  # a comment or processing instruction
            builder.text(element.tail)
            continue
        name = local(element.tag).lower()
        if closing:
            builder.end(name)
            builder.text(element.tail)
            continue
        builder.start(name, {local(k): v for k, v in element.attrib.items()})
        builder.text(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


def tidy(markup):
    """Sanitized like the body field does on save, with white space and empty paragraphs gone."""
    from ..models import Article  # the field's sanitizer is the one allow-list

    markup = Article._meta.get_field("body").sanitize(re.sub(r"\s+", " ", markup))
    markup = _EMPTY_INLINE.sub("", markup)
    markup = _SPACE_INSIDE_START.sub(r"<\1>", markup)
    markup = _SPACE_INSIDE_END.sub(r"</\1>", markup)
    markup = _EMPTY_BLOCK.sub("", markup)
    return markup.strip()


_EMPTY_INLINE = re.compile(r"<(strong|em|s|sub|sup|a)(?: [^>]*)?>\s*</\1>")
_SPACE_INSIDE_START = re.compile(r"<(p|h2|h3|li|blockquote)>\s+")
_SPACE_INSIDE_END = re.compile(r"\s+</(p|h2|h3|li|blockquote)>")
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3)>(?:\s|<br>)*</\1>")


def plain_text(markup):
    """The text of some markup, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup or "")).split())


# The dateline in the first paragraph

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"(<[^>]*>)")


def split_html_dateline(markup):
    """``(dateline, markup, printed)``: a dateline opening the first paragraph, taken out of it."""
    match = _FIRST_PARAGRAPH.search(markup)
    if match is None or plain_text(markup[: match.start()]):  # text before it: no dateline
        return None, markup, ""
    inner = match[1]
    text = "".join(html.unescape(t) for t in _TAG.split(inner) if not t.startswith("<"))
    dateline, rest, printed = split_dateline(text)
    if dateline is None:
        return None, markup, ""
    inner = _drop_text(inner, len(text) - len(rest))
    paragraph = f"<p>{inner}</p>" if plain_text(inner) else ""
    return dateline, tidy(markup[: match.start()] + paragraph + markup[match.end() :]), printed


def _drop_text(fragment, count):
    """``fragment`` without the first ``count`` characters of its text, tags kept."""
    out = []
    for token in _TAG.split(fragment):
        if count and token and not token.startswith("<"):
            text = html.unescape(token)
            cut = min(count, len(text))
            count -= cut
            token = escape(text[cut:])
        out.append(token)
    return "".join(out)


# XML helpers: NewsML-G2 and NITF are read by local names, whatever their namespace.


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, name):
    return [child for child in element if local(child.tag) == name] if element is not None else []


def child(element, *path):
    """The first element down ``path`` of local names, or None."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def text_of(element):
    """All text inside an element, white space collapsed ('' for None)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def attr(element, name):
    """An attribute by local name (``xml:lang``, ``qcode``), or ''."""
    if element is None:
        return ""
    return next((v for k, v in element.attrib.items() if local(k) == name), "")
