"""
Story markup from the wire (NITF, XHTML, an HTML string in JSON) made into
the HTML the article body holds: paragraphs, subheads, lists, tables,
quotes, links and emphasis. Scripts and the like are dropped; the result is
then cleaned by the body field's own sanitizer.

A picture keeps only its words, as a line of its own ("Picture: caption
(credit)", else its alternative text), never the picture: an <img> with the
agency's address would have every reader's browser fetch it from the
agency (who would see each reader), break where the agency's links expire
or need a login, and need the page's Content-Security-Policy opened to any
host. Pictures reach a story through the media library.
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
    "table": "table",
    "thead": "thead",
    "tbody": "tbody",
    "tfoot": "tbody",
    "tr": "tr",
    "th": "th",
    "td": "td",
}
INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "s": "s", "strike": "s"}
INLINE |= {"sub": "sub", "sup": "sup", "a": "a"}
VOID = {"br": "br", "hr": "hr"}
DROPPED = {
    "head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed",
    "video", "audio", "svg", "math", "form", "button", "select", "textarea", "body.head",
    "body.end",
}  # fmt: skip
CELLS = {"td", "th"}
SPAN = re.compile(r"[1-9][0-9]{0,2}")  # a cell's colspan or rowspan
# A picture: its container, where its caption and credit are, and where its
# alternative text is (element: attribute).
PICTURES = {"figure", "picture", "media", "img"}
CAPTIONS = {"figcaption", "media-caption", "caption"}
CREDITS = {"media-producer"}
ALT_TEXT = {"img": "alt", "media-reference": "alternate-text"}
NOT_PICTURES = {"audio", "video", "other"}  # NITF's other media types


class _Builder:
    """Collects start/end/text events from any markup into the body's HTML."""

    def __init__(self):
        self.out = []
        self.skipping = 0  # depth inside a dropped element
        self.open_blocks = 0
        self.loose = False  # a <p> opened for text outside any block
        self.tables = []  # where each open table starts in ``out``, for its caption
        self.picture = None

    def start(self, name, attrs):
        if self.picture is not None:
            self.picture.start(name, attrs)
        elif self.skipping or name in DROPPED or attrs.get("media-type") in NOT_PICTURES:
            self.skipping += 1
        elif name in PICTURES:
            self.picture = _Picture(name, attrs)
        elif name == "caption" and self.tables:
            self.caption = len(self.out)
            self.start("p", {})
        elif name in BLOCKS:
            self._close_loose()
            self.open_blocks += 1
            if name == "table":
                self.tables.append(len(self.out))
            self.out.append(f"<{BLOCKS[name]}{_spans(name, attrs)}>")
        elif name in VOID:
            self.out.append(f"<{VOID[name]}>")
        elif name == "a" and attrs.get("href"):
            self.out.append(f'<a href="{escape(attrs["href"])}">')
        elif name in INLINE and name != "a":
            self.out.append(f"<{INLINE[name]}>")

    def end(self, name):
        if self.picture is not None:
            if self.picture.end(name):
                words, self.picture = self.picture.words(), None
                self._picture(words)
        elif self.skipping:
            self.skipping -= 1
        elif name == "caption" and self.tables:
            self.end("p")
            caption, self.out[self.caption :] = self.out[self.caption :], []
            self.out[self.tables[-1] : self.tables[-1]] = caption  # before the table
        elif name in BLOCKS:
            self._close_loose()
            self.open_blocks = max(0, self.open_blocks - 1)
            if name == "table" and self.tables:
                self.tables.pop()
            self.out.append(f"</{BLOCKS[name]}>")
        elif name in INLINE:
            self.out.append(f"</{INLINE[name]}>")

    def text(self, data):
        if self.picture is not None:
            self.picture.text(data)
            return
        if self.skipping or not data:
            return
        if not self.open_blocks and not self.loose:
            if not data.strip():
                return
            self.out.append("<p>")
            self.loose = True
        self.out.append(escape(data))

    def _picture(self, words):
        if not words:
            return
        line = f"<em>{escape(words)}</em>"
        self.out.append(f" {line} " if self.open_blocks or self.loose else f"<p>{line}</p>")

    def _close_loose(self):
        if self.loose:
            self.out.append("</p>")
            self.loose = False

    def result(self):
        self._close_loose()
        return tidy("".join(self.out))


def _spans(name, attrs):
    """A table cell's colspan and rowspan, when they are plain numbers."""
    if name not in CELLS:
        return ""
    spans = [(k, attrs.get(k, "").strip()) for k in ("colspan", "rowspan")]
    return "".join(f' {k}="{v}"' for k, v in spans if SPAN.fullmatch(v) and v != "1")


class _Picture:
    """A picture's words (caption, credit, alternative text), read from its element."""

    def __init__(self, name, attrs):
        self.depth = 0
        self.caption, self.credit, self.alt = [], [], ""
        self.inside = None  # the list the text read now belongs to
        self.start(name, attrs)

    def start(self, name, attrs):
        self.depth += 1
        if name in ALT_TEXT and not self.alt:
            self.alt = attrs.get(ALT_TEXT[name], "")
        if name in CAPTIONS:
            self.inside = self.caption
        elif name in CREDITS:
            self.inside = self.credit

    def end(self, name):
        """Whether the picture's own element has ended."""
        if name in CAPTIONS or name in CREDITS:
            self.inside = None
        self.depth -= 1
        return self.depth == 0

    def text(self, data):
        if self.inside is not None:
            self.inside.append(data)

    def words(self):
        caption, credit = (" ".join("".join(part).split()) for part in (self.caption, self.credit))
        words = caption or " ".join(self.alt.split())
        if not words:
            return ""
        return f"Picture: {words}" + (f" ({credit})" if credit else "")


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
    markup = _SPACE_INSIDE_START.sub(r"<\1\2>", markup)
    markup = _SPACE_IN_STRUCTURE.sub(r"\1", markup)
    markup = _SPACE_INSIDE_END.sub(r"</\1>", markup)
    markup = _EMPTY_BLOCK.sub("", markup)
    return markup.strip()


_EMPTY_INLINE = re.compile(r"<(strong|em|s|sub|sup|a)(?: [^>]*)?>\s*</\1>")
_SPACE_INSIDE_START = re.compile(r"<(p|h2|h3|li|blockquote|th|td)( [^>]*)?>\s+")
_SPACE_INSIDE_END = re.compile(r"\s+</(p|h2|h3|li|blockquote|th|td)>")
# White space between a table's or a list's own tags (not in a cell's or an item's text).
_STRUCTURE = "(?:table|thead|tbody|tr|th|td|ul|ol|li)"
_SPACE_IN_STRUCTURE = re.compile(rf"(</?{_STRUCTURE}(?: [^>]*)?>)\s+(?=</?{_STRUCTURE}\b)")
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
