"""
Revisions: a snapshot of an article's text, tags and bylines on every save,
so that nothing an editor saved is ever unrecoverable. Editors compare two
revisions side by side and restore an old one; restoring is itself a save,
so it becomes the newest revision and the ones before it stay as they were.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .models import Agency, Article, ArticleRevision, Author, Byline, Picture, Place, Section

# Every editorial field of a story, kept in each revision and restored from it.
FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "section_id",
    "place_id",
    "agency_id",
    "dateline_override",
    "dateline_date_text",
    "urgency",
    "picture_id",
    "language",
    "seo_title",
    "seo_description",
]

# The story's other columns, and why a revision does not restore them: when
# and whether it is public belongs to the workflow, whose every move is on
# the record (the embargo is kept for comparison only); the rest is the
# source's bookkeeping or derived from what is kept. A test walks the model,
# so a new field has to be put on one side or the other.
NOT_RESTORED = {
    "id", "status", "published_at", "embargo_until", "revised_at", "version",
    "guid", "wire_key", "source_version", "created_at", "updated_at", "created_by_id", "updated_by_id",
    "search_document", "search_vector",
}  # fmt: skip

# Kept by id in a revision; the row may have been deleted since.
RELATED = {"section_id": Section, "place_id": Place, "agency_id": Agency, "picture_id": Picture}

# What a comparison shows, in the order of the article form.
COMPARED = [*FIELDS, "embargo_until", "tags", "bylines"]

# Where a paragraph-like element ends, so its text gets a line of its own.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>|<(?:br|hr)\s*/?>", re.IGNORECASE)

# A word with the spaces after it, so a run of changed words is one change.
WORD = re.compile(r"\S+\s*|\s+")


def snapshot(article, *, by, note=""):
    """Keep the article as it now is as a new revision (call inside the save's transaction)."""
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    return ArticleRevision.objects.create(
        article=article, number=last + 1, created_by=by, note=note, data=_data(article)
    )


def current(article):
    """The article as it now is, as an unsaved revision: to compare an old one with."""
    return ArticleRevision(article=article, data=_data(article))


def _data(article):
    data = {name: getattr(article, name) for name in FIELDS}
    data["embargo_until"] = article.embargo_until.isoformat() if article.embargo_until else None
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["bylines"] = [
        {"author_id": b.author_id, "author": b.author.name, "role": b.role, "position": b.position}
        for b in article.bylines.select_related("author").order_by("position", "id")
    ]
    return data


# Restore


def restore(article, revision, *, by, expected_version=None):
    """
    Bring back ``revision``'s text, filing, image, tags and bylines. It goes
    through ``workflow.edit``, which checks permission, keeps the result as a
    new revision and marks a public story as updated. Status, publication
    time and embargo stay: restoring text never publishes a story, takes it
    down or lifts an embargo. A section, place, agency or author deleted
    since is left out rather than failing the restore.
    """
    from . import workflow  # workflow imports this module

    if revision.article_id != article.pk:
        raise ValueError(f"{revision} belongs to another story.")

    def save():
        values = _restorable(article, revision.data)
        for name, value in values.items():
            setattr(article, name, value)
        # Only what a revision holds: a stale status in memory is never written.
        article.save(update_fields=[*values, "updated_by", "updated_at"])
        article.tags.set(revision.data.get("tags", []))
        _restore_bylines(article, revision.data.get("bylines", []))

    workflow.edit(
        article,
        by=by,
        save=save,
        expected_version=expected_version,
        note=f"Restored revision {revision.number}",
    )


def _restorable(article, data):
    """The revision's field values that can be written back to ``article`` now."""
    values = {name: data[name] for name in FIELDS if name in data}
    for name, model in RELATED.items():
        if values.get(name) is not None and not model.objects.filter(pk=values[name]).exists():
            values[name] = None
    if Article.objects.filter(slug=values.get("slug")).exclude(pk=article.pk).exists():
        del values["slug"]  # another story has the address now; keep the current one
    return values


def _restore_bylines(article, bylines):
    ids = [b["author_id"] for b in bylines]
    existing = set(Author.objects.filter(pk__in=ids).values_list("pk", flat=True))
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=b["author_id"], role=b["role"], position=b["position"])
        for b in bylines
        if b["author_id"] in existing
    )


# Compare


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side comparison."""

    label: str
    old: str  # display text
    new: str
    changed: bool
    old_html: str  # ``old`` escaped, with what the newer one dropped in <del>
    new_html: str  # ``new`` escaped, with what it added in <ins>
    note: str = ""


def compare(older, newer):
    """A row per field of two revisions (or ``current()``), in the order of the form."""
    names = _related_names(older.data, newer.data)
    rows = []
    for key in COMPARED:
        old, new = (_display(key, r.data.get(key), names) for r in (older, newer))
        # A key an older revision lacks (a field added since) is not a change.
        changed = key in older.data and key in newer.data and older.data[key] != newer.data[key]
        old_html, new_html = _word_diff(old, new) if changed else (escape(old), escape(new))
        note = "Only the formatting changed." if changed and old == new else ""
        rows.append(Row(_label(key), old, new, changed, old_html, new_html, note))
    return rows


def _label(key):
    if key == "bylines":
        return "Bylines"
    return str(capfirst(Article._meta.get_field(key.removesuffix("_id")).verbose_name))


def _related_names(*datas):
    """{key: {id: name}} for the sections, places and agencies the revisions name."""
    names = {}
    for key, model in RELATED.items():
        ids = {data.get(key) for data in datas} - {None}
        names[key] = {pk: str(obj) for pk, obj in model.objects.in_bulk(ids).items()} if ids else {}
    return names


def _display(key, value, names):
    if key in RELATED:
        return "" if value is None else names[key].get(value, "(deleted since)")
    if key == "embargo_until":
        return f"{timezone.localtime(parse_datetime(value)):%Y-%m-%d %H:%M %Z}" if value else ""
    if key == "tags":
        return ", ".join(value or [])
    if key == "bylines":
        return "; ".join(f"{b['role'] or 'By'} {b['author']}" for b in value or [])
    if key == "body":
        return _text(value)
    return str(value or "")


def _text(body):
    """The body's words without markup, a line per paragraph, for reading side by side."""
    text = html.unescape(strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n", body or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _word_diff(old, new):
    """Both texts escaped, words only in ``old`` in <del>, words only in ``new`` in <ins>."""
    a, b = WORD.findall(old), WORD.findall(new)
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        gone, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            old_parts.append(escape(gone))
            new_parts.append(escape(added))
            continue
        if gone:
            old_parts.append(format_html("<del>{}</del>", gone))
        if added:
            new_parts.append(format_html("<ins>{}</ins>", added))
    # Safe: every piece of text went through escape() or format_html() above.
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))
