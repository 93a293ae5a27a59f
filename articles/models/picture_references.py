"""
Library pictures in a story's body, as the body stores them: a reference
and nothing else,

    <figure data-picture="123"></figure>
    <figure data-gallery="123,124,125"></figure>

The picture, caption, credit and alt text come from the library when the
body is rendered (articles/media/body.py), so none of them is ever written
into the body, where an editor or a wire item could forge them.
"""

import re
from html.parser import HTMLParser

PICTURE, GALLERY = "data-picture", "data-gallery"
GALLERY_MAX = 50  # pictures in one gallery
# What the sanitiser leaves, and so the only form the renderer looks for.
REFERENCE = re.compile(r'<figure (data-picture|data-gallery)="([0-9]{1,18}(?:,[0-9]{1,18})*)"></figure>')
# A picture's id: ASCII digits (not "²" or "١"), within a database's big integer.
_ID = re.compile(r"[0-9]{1,18}")


def reference(attrs):
    """The stored form of a figure with these attributes; "" when its value is anything but ids."""
    if PICTURE in attrs:
        ids = _ids(attrs[PICTURE], most=1)
        return f'<figure {PICTURE}="{ids[0]}"></figure>' if ids else ""
    ids = _ids(attrs.get(GALLERY), most=GALLERY_MAX)
    return f'<figure {GALLERY}="{",".join(map(str, ids))}"></figure>' if ids else ""


def _ids(value, *, most):
    parts = (value or "").split(",")
    if not 1 <= len(parts) <= most or not all(_ID.fullmatch(part) for part in parts):
        return []
    ids = [int(part) for part in parts]
    return ids if all(ids) else []


def referenced_ids(html):
    """The ids of the pictures a (sanitised) body places, in order, each once."""
    found = {}
    for _kind, value in REFERENCE.findall(html or ""):
        found.update(dict.fromkeys(int(part) for part in value.split(",")))
    return list(found)


def keep_references_only(html):
    """
    A sanitiser step, after nh3 (which has already dropped every tag and
    attribute the editor cannot make): each figure that names a picture or
    a gallery becomes exactly its reference, with nothing inside it; one
    whose value is not ids is dropped with all it held. Everything else is
    passed on as it came.
    """
    parser = _References()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


class _References(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.inside = 0  # depth of figures inside a reference being emptied

    def handle_starttag(self, tag, attrs):
        if self.inside:
            self.inside += tag == "figure"
            return
        found = dict(attrs)
        if tag == "figure" and (PICTURE in found or GALLERY in found):
            self.out.append(reference(found))
            self.inside = 1
        else:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if not self.inside:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.inside:
            self.inside -= tag == "figure"
        else:
            self.out.append(f"</{tag}>")

    def _text(self, text):
        if not self.inside:
            self.out.append(text)

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    # Comments, declarations and processing instructions: nh3 has dropped them; so do we.
