"""
A WireItem into an Article, found by its guid and saved through
``workflow.edit``, so that every import that changes a story keeps a
revision (and a published story is marked as updated).

Which copy wins:

- A story the agency has not sent before is created, as a draft.
- A newer version replaces the story's text; an older one, or the same
  one again, changes nothing. Versions are compared by number when both
  have one, else by the time the agency sent them, else (sources with
  neither) by content. The time and a fingerprint of the content are
  kept in the note of the revision each import makes.
- What the item carries replaces what the story has; what it lacks (a
  section, tags, a dateline) stays as the desk left it. An embargo is
  set or moved by the wire but never lifted by it: lifting one is the
  desk's call.
"""

import hashlib
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from .. import datelines, gazetteer, languages, workflow
from ..models import Agency, Article, Author, Byline, Picture, Place, Section, SourceId, Status, make_slug
from . import markup, pictures
from .item import WireItem, parse_time

SYSTEM_USERNAME = "wire"
PUBLISHED = Status.PUBLISHED
DONE = {"create": "created", "update": "updated", "skip": "skipped"}  # an Outcome's action, done
# Refusals an item can meet on its way in; anything else is a bug and shows as one.
REFUSALS = (
    PermissionDenied,
    workflow.TransitionError,
    workflow.ConflictError,
    ValidationError,
    DatabaseError,
)
def refusal(error):
    """A refusal's words, for one line of a report ("['...']" is how a ValidationError prints)."""
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
OPENING_WORDS = 15  # of the first paragraph, in a story's wire key: its lead, as sent
_NOTE = re.compile(r" from the wire \((?P<details>[^)]*)\)")


@dataclass
class Outcome:
    action: str  # "create", "update" or "skip"
    item: WireItem  # or a WirePicture
    article: Article | None = None
    reason: str = ""
    picture: Picture | None = None


def plan(item):
    """What importing ``item`` would do, writing nothing."""
    if isinstance(item, pictures.WirePicture):
        action, picture, reason = pictures.plan(item)
        return Outcome(action, item, reason=reason, picture=picture)
    article, known_as = find(item, Article.objects.all())
    return _held(_same_story(_decide(item, article, not known_as), known_as))


def ingest(item, *, by, publish=False, agency=None, section=None):
    """
    Create or update the story for ``item``, in one transaction; publish it
    if asked. ``agency`` and ``section`` are the source's, for a story that
    has neither from the item nor from the desk.
    """
    if isinstance(item, pictures.WirePicture):
        action, picture, reason = pictures.ingest(item)
        return Outcome(action, item, reason=reason, picture=picture)
    with transaction.atomic():
        lead = _lead_picture(item)
        article, known_as = find(item, Article.objects.select_for_update())
        outcome = _same_story(_decide(item, article, not known_as), known_as)
        if known_as:
            SourceId.objects.get_or_create(guid=item.guid[:255], defaults={"article": article})
        if outcome.action == "skip":
            return outcome
        article = article or Article(guid=item.guid, created_by=by)
        verb = "Created" if article.pk is None else "Updated"
        write = lambda: _write(article, item, agency, section, lead)  # noqa: E731
        workflow.edit(article, by=by, save=write, note=_note(verb, item))
        outcome.article = article
        _held(outcome)
        if publish and not item.held and article.status in (Status.DRAFT, Status.IN_REVIEW):
            workflow.publish(article, by=by, at=_publication_time(item))
    return outcome


def find(item, stories):
    """
    (the story ``item`` is, the id it is known by when not the item's own),
    or (None, ""). The same story may come under another id: from a second
    feed or in a second format (an id it arrived under before, or one the
    item gives as an alternative), or with the same agency, headline and
    opening (its wire key).
    """
    ids = [item.guid, *(alt for alt in item.alt_ids if len(alt) >= 6 and alt != item.guid)]
    found = {story.guid: story for story in stories.filter(guid__in=ids)}
    if item.guid in found:
        return found[item.guid], ""
    article = next((found[guid] for guid in ids if guid in found), None)
    if article is None:
        article = stories.filter(source_ids__guid__in=ids).order_by("pk").first()
    key = wire_key(item)
    if article is None and key:
        article = stories.filter(wire_key=key).order_by("pk").first()
    return article, (article.guid or f"story {article.pk}") if article else ""


def wire_key(item):
    """
    A hash of the agency, the headline and the opening's first words, in any
    case, spacing and punctuation; '' without a headline. A story sent again
    with its later paragraphs edited keeps its key.
    """
    headline = _words(item.headline)
    if not headline:
        return ""
    line = item.dateline
    agency = agency_name(line.agency).casefold() if line and line.agency else ""
    first = _FIRST_PARAGRAPH.search(item.body or "")
    opening = _words(markup.plain_text(first[0]) if first else "")[:OPENING_WORDS]
    parts = [agency, " ".join(headline), " ".join(opening)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _words(text):
    return re.findall(r"\w+", text.casefold())


def _same_story(outcome, known_as):
    """An item recognised as a story sent under another id says so."""
    if known_as:
        same = f"the same story as {known_as}"
        outcome.reason = f"{outcome.reason}: {same}" if outcome.reason else same
    return outcome


def _held(outcome):
    """An item that must not go out as it comes stays a draft, and the outcome says why."""
    article = outcome.article
    if outcome.item.held and outcome.action != "skip":
        if article is None or article.status != PUBLISHED:
            outcome.reason = f"held as a draft: {outcome.item.held}"
    return outcome


def importer(username=None):
    """
    Who saves an import: the named user, else the system user. ValueError
    saying why when that user may not import.
    """
    if username:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise ValueError(f"There is no user called {username!r}.") from None
    else:
        try:
            user = system_user()
        except Group.DoesNotExist:
            raise ValueError('The "Editor" group is missing; run migrate.') from None
    if not (workflow.is_desk(user) and user.has_perm("articles.change_article")):
        raise ValueError(
            f"{user.username} may not import: importing takes an active account "
            "that may change and publish stories (the Editor group)."
        )
    return user


def system_user():
    """
    Who imports when no user is named: "wire", made on first use. It is
    active (workflow lets only active users edit) and in the Editor group
    (so it may update and publish stories), but nobody can sign in as it:
    it has no usable password and is not staff.
    """
    with transaction.atomic():
        user, created = get_user_model().objects.get_or_create(
            username=SYSTEM_USERNAME, defaults={"first_name": "Wire", "last_name": "import"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name="Editor"))
    return user


# Which copy wins


def _decide(item, article, same_id=True):
    """Create, update or skip; version numbers are compared only under one id."""
    if article is None:
        return Outcome("create", item)
    sent, fingerprint = _last_import(article)
    if same_id and item.version is not None and article.source_version is not None:
        theirs, ours = item.version, article.source_version
    elif item.version_created and sent:
        theirs, ours = item.version_created, sent
    else:
        theirs, ours = (0, 0) if item.fingerprint() == fingerprint else (1, 0)
    if theirs > ours:
        reason = "published: readers see it as updated" if article.status == PUBLISHED else ""
        return Outcome("update", item, article, reason)
    reason = "older than the story's version" if theirs < ours else "already imported"
    return Outcome("skip", item, article, reason)


def _note(verb, item):
    details = [f"version {item.version}"] if item.version is not None else []
    if item.version_created:
        details.append(f"sent {item.version_created.isoformat()}")
    details.append(f"#{item.fingerprint()}")
    held = f"; held: {item.held}" if item.held else ""
    return f"{verb} from the wire ({', '.join(details)}){held}"


def _last_import(article):
    """(when the imported version was sent, its fingerprint) from the last import's note."""
    notes = article.revisions.filter(note__contains=" from the wire (")
    note = notes.values_list("note", flat=True).first() or ""
    match = _NOTE.search(note)
    details = match["details"].split(", ") if match else []
    sent = next((d.removeprefix("sent ") for d in details if d.startswith("sent ")), None)
    fingerprint = next((d[1:] for d in details if d.startswith("#")), "")
    return parse_time(sent), fingerprint


def _publication_time(item):
    """The agency's time when it has passed; else now (None)."""
    at = item.published_at
    return at if at is not None and at <= timezone.now() else None


# Writing


def _lead_picture(item):
    """The first of the pictures the story carries that the library has (or now takes in)."""
    found = [pictures.ingest(picture)[1] for picture in item.pictures]
    return next((picture for picture in found if picture is not None), None)


def _write(article, item, agency=None, section=None, lead=None):
    article.headline = item.headline[:250]
    article.wire_key = wire_key(item)
    article.standfirst = item.standfirst
    article.body = item.body
    if item.version is not None:
        article.source_version = item.version
    if item.urgency is not None:
        article.urgency = item.urgency
    if languages.normalise(item.language):  # else the site's, or what the desk chose
        article.language = languages.normalise(item.language)
    if item.embargo is not None:
        article.embargo_until = item.embargo
    if item.dateline is not None:
        _file_dateline(article, item.dateline)
    if item.section:
        article.section = _section(item.section)
    elif section is not None and article.section_id is None:
        article.section = section
    if agency is not None and article.agency_id is None:
        article.agency = agency
    if lead is not None and article.picture_id is None:  # the desk's choice stays
        article.picture = lead
    article.save()
    if item.tags:
        article.tags.set(item.tags)
    if item.bylines:
        _set_bylines(article, item.bylines)


def _file_dateline(article, dateline):
    if dateline.place:  # "(Reuters) -" names no place: the story keeps the desk's
        article.place = gazetteer.place_for(dateline.place, dateline.region)
    if dateline.agency:
        article.agency = _agency(dateline.agency)
    article.dateline_date_text = _date_text(dateline)[:40]


def _date_text(dateline):
    if dateline.date_text or not dateline.date:
        return dateline.date_text
    return f"{datelines.MONTHS[dateline.date.month - 1]} {dateline.date.day}"


# The agencies' own sites, for agencies the wire creates (staff may set any in the admin).
AGENCY_SITES = {
    "tass": "https://tass.com", "тасс": "https://tass.ru", "reuters": "https://www.reuters.com",
    "ap": "https://apnews.com", "afp": "https://www.afp.com", "dpa": "https://www.dpa.com",
    "xinhua": "https://english.news.cn", "upi": "https://www.upi.com",
    "kyodo": "https://english.kyodonews.net", "efe": "https://www.efe.com",
    "ansa": "https://www.ansa.it", "agi": "https://www.agi.it", "interfax": "https://interfax.com",
    "интерфакс": "https://www.interfax.ru", "ria novosti": "https://ria.ru", "риа новости": "https://ria.ru",
    "lusa": "https://www.lusa.pt", "ntb": "https://www.ntb.no", "anadolu": "https://www.aa.com.tr",
    "yonhap": "https://en.yna.co.kr", "pti": "https://www.ptinews.com", "belga": "https://www.belga.be",
    "aap": "https://www.aap.com.au", "cp": "https://www.thecanadianpress.com",
}  # fmt: skip


def _agency(mark):
    """
    The agency whose mark this is (as printed: /TASS/, (AP)); created when
    new, in its own house style and with its site when there are ones by its name.
    """
    name = agency_name(mark)
    site = AGENCY_SITES.get(name.casefold(), "")
    existing = Agency.objects.filter(mark=mark).first()
    existing = existing or Agency.objects.filter(name__iexact=name).first()
    if existing:
        if site and not existing.website:
            existing.website = site
            existing.save(update_fields=["website"])
        return existing
    style = name.lower() if name.lower() in datelines.STYLES else ""
    return Agency.objects.create(name=name[:100], mark=mark[:40], dateline_style=style, website=site)


def agency_name(mark):
    return mark.strip(" /()[]-.") or mark


def _section(name):
    slug = make_slug(name, max_length=100) or "section"
    existing = Section.objects.filter(name__iexact=name).first()
    existing = existing or Section.objects.filter(slug=slug).first()
    return existing or Section.objects.create(name=name, slug=slug)


def _set_bylines(article, names):
    authors = []
    for name in names:
        slug = make_slug(name, max_length=150)
        if slug:
            author = Author.objects.filter(slug=slug).first()
            author = author or Author.objects.create(name=name, slug=slug)
            if author not in authors:
                authors.append(author)
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )


# Describing


def describe(outcome):
    """What an import did or would do, as JSON-ready data."""
    if isinstance(outcome.item, pictures.WirePicture):
        return _describe_picture(outcome)
    item, line = outcome.item, outcome.item.dateline
    return {
        "action": outcome.action,
        "reason": outcome.reason,
        "headline": item.headline,
        "guid": item.guid,
        "version": item.version,
        "version_created": _iso(item.version_created),
        "format": item.format,
        "dateline": _dateline_parts(item) if line else None,
        "place": _place_label(line) if line else None,
        "agency": agency_name(line.agency) if line and line.agency else None,
        "bylines": item.bylines,
        "tags": item.tags,
        "section": item.section or None,
        "urgency": item.urgency,
        "language": languages.normalise(item.language) or None,
        "embargo": _iso(item.embargo),
        "published_at": _iso(item.published_at),
        "article": outcome.article.pk if outcome.article else None,
    }


def _describe_picture(outcome):
    picture = outcome.item
    return {
        "action": outcome.action,
        "reason": outcome.reason,
        "kind": "picture",
        "headline": picture.title,
        "guid": picture.guid,
        "format": picture.format,
        "caption": picture.caption,
        "credit": picture.credit,
        "file": str(picture.local_file()) if picture.local_file() else None,
        "picture": outcome.picture.pk if outcome.picture else None,
    }


def _dateline_parts(item):
    line = item.dateline
    return {
        "text": item.dateline_text,
        "place": line.place,
        "region": line.region,
        "date_text": _date_text(line),
        "agency": line.agency,
    }


def _place_label(line):
    """The place as the story will name it: an existing Place's name, else as printed."""
    name, region = " ".join(line.place.split()).upper(), " ".join(line.region.split())
    place = Place.objects.filter(name=name, region=region).first()
    name, region = (place.name, place.region) if place else (name, region)
    return f"{name}, {region}" if region else name


def _iso(moment):
    return moment.isoformat() if moment else None
