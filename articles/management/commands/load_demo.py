"""
Load the demo newsroom: the seed TASS story, more stories across places,
sections, dates and authors, each with a lead picture drawn here (so no
licence limits it), and demo editor and reporter accounts.

Safe to run any number of times: everything is found by its slug or name
and only created when missing; the accounts get a fresh random password on
every run, which is printed.
"""

import datetime
import io
import json
import os
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw

from articles import frontpage, media, workflow
from articles.models import (
    Agency,
    Article,
    Author,
    Byline,
    FrontBlock,
    Picture,
    Place,
    Section,
    WireSource,
    make_slug,
)
from articles.wire import plaintext
from articles.wire.item import content_guid

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "demo"
WIRE_INBOX = settings.BASE_DIR / "wire-inbox"  # the demo's drop folder, for make ingest
ACCOUNTS = {"editor": "Editor", "reporter": "Reporter"}


class Command(BaseCommand):
    help = "Load demo stories and refresh the demo accounts (safe to repeat)."

    def handle(self, *args, **options):
        data = json.loads((DEMO_DIR / "stories.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            passwords = {name: self.refresh_account(name, group) for name, group in ACCOUNTS.items()}
            editor = User.objects.get(username="editor")
            self.load_taxonomy(data)
            created = self.load_seed(data["seed"], editor)
            for story in data["stories"]:
                created += self.load_story(story, editor)
            self.load_wire_source()
            self.arrange_front_page(data["front_page"], editor)
        self.stdout.write(f"Demo content: {created} new stories, {Article.objects.count()} in all.")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(self.style.SUCCESS(f"Admin: http://127.0.0.1:{port}/admin/"))
        for name, password in passwords.items():
            self.stdout.write(f"  {ACCOUNTS[name]:<9} user: {name:<9} password: {password}")
        self.stdout.write(f"Wire: files dropped into {WIRE_INBOX} arrive as drafts while `make ingest` runs.")

    def load_wire_source(self):
        """A drop folder in the project, for ``make ingest``; where it points follows the clone."""
        WIRE_INBOX.mkdir(exist_ok=True)
        WireSource.objects.update_or_create(
            name="Demo drop folder",
            defaults={"kind": WireSource.Kind.FOLDER, "address": str(WIRE_INBOX)},
            create_defaults={
                "kind": WireSource.Kind.FOLDER,
                "address": str(WIRE_INBOX),
                "interval": 5,
                "section": Section.objects.filter(slug="world").first(),
            },
        )

    def arrange_front_page(self, arranged, editor):
        """
        An edited front page: a chosen lead (not the newest story), top
        stories (the first scheduled: it takes its slot at its time) and
        section blocks.
        """
        if FrontBlock.objects.exists():
            return  # arranged already, perhaps by an editor since: kept as it is
        stories = Article.objects.published().in_bulk([arranged["lead"], *arranged["top"]], field_name="slug")
        arrangement = frontpage.Arrangement(
            lead=frontpage.Block(frontpage.LEAD, 1, chosen=[stories[arranged["lead"]]]),
            top=frontpage.Block(
                frontpage.TOP, arranged["top_size"], chosen=[stories[slug] for slug in arranged["top"]]
            ),
        )
        for block in arranged["sections"]:
            section = Section.objects.get(slug=block["section"])
            arrangement.sections.append(frontpage.Block(frontpage.SECTION, block["size"], section))
        workflow.arrange_front_page(arrangement, by=editor, note="Demo front page")

    def demo_picture(self, slug, story):
        """A skyline drawn for the story, in the library once (known by its source id)."""
        source_id = f"demo:{slug}"
        found = Picture.objects.filter(source_id=source_id).first()
        if found is not None:
            return found
        place = Place.objects.get(slug=story["place"])
        picture = Picture(
            file=ContentFile(draw_skyline(slug), name=f"{slug[:60]}.png"),
            caption=f"{place.name.title()}: an evening skyline, drawn for the demo.",
            alt_text="A drawn city skyline under an evening sky, with a low sun.",
            credit="Newsroom demo",
            byline="Drawn by manage.py load_demo",
            source="Demo (drawn with Pillow)",
            source_id=source_id,
            usage_terms="Made by the demo's own code: free to use, no attribution needed.",
            focal_x=0.3,
            focal_y=0.6,
        )
        return media.save(picture)

    def refresh_account(self, username, group_name):
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        return password

    def load_taxonomy(self, data):
        for fields in data["sections"]:
            Section.objects.get_or_create(slug=fields["slug"], defaults=fields)
        for fields in data["agencies"]:
            Agency.objects.get_or_create(name=fields["name"], defaults=fields)
        for fields in data["places"]:
            Place.objects.get_or_create(slug=fields["slug"], defaults=fields)
        for fields in data["authors"]:
            Author.objects.get_or_create(slug=fields["slug"], defaults=fields)

    def load_seed(self, seed, editor):
        # Laid out as plain-text wire copy; the dateline comes out of the text.
        # Its source id is the one import_wire gives the same file, so
        # importing it later updates this story instead of adding another.
        item = plaintext.read_story(DEMO_DIR / seed["file"])
        story = {
            **seed,
            "headline": item.headline,
            "standfirst": item.standfirst,
            "paragraphs": item.paragraphs,
            "guid": item.guid or content_guid(item),
        }
        return self.load_story(story, editor)

    def load_story(self, story, editor):
        slug = story.get("slug") or make_slug(story["headline"])
        if Article.objects.filter(slug=slug).exists():
            return 0
        article = Article(
            picture=self.demo_picture(slug, story),
            headline=story["headline"],
            slug=slug,
            standfirst=story["standfirst"],
            body="".join(f"<p>{escape(p)}</p>" for p in story["paragraphs"]),
            section=Section.objects.get(slug=story["section"]),
            place=Place.objects.get(slug=story["place"]),
            agency=Agency.objects.filter(name=story.get("agency", "")).first(),
            guid=story.get("guid"),
            created_by=editor,
        )

        def write():
            article.save()
            article.tags.add(*story.get("tags", []))
            for position, byline in enumerate(story.get("bylines", [])):
                author = Author.objects.get(slug=byline["author"])
                role = byline.get("role", "")
                Byline.objects.create(article=article, author=author, role=role, position=position)

        workflow.edit(article, by=editor, save=write, note="Demo content")
        status = story.get("status", "published")
        if status == "published":
            at = datetime.datetime.fromisoformat(story["published_at"])
            workflow.publish(article, by=editor, at=at)
        elif status == "scheduled":
            workflow.publish(article, by=editor, at=timezone.now() + datetime.timedelta(days=1))
        return 1


def draw_skyline(seed, size=(960, 640)):
    """An evening skyline as PNG: sky, sun, hills and lit windows, different for each seed."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = (rng.randrange(20, 90), rng.randrange(30, 80), rng.randrange(90, 160))
    low = (250, rng.randrange(140, 200), 110)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, low)))
    sun_x = rng.randrange(width // 8, width * 7 // 8)
    sun_y = rng.randrange(height * 5 // 16, height * 9 // 16)
    radius = rng.randrange(height // 16, height // 9)
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(255, 220, 150))
    ridge = [(x, rng.randrange(height * 6 // 10, height * 78 // 100)) for x in range(0, width + 100, 100)]
    hills = [(0, height), *ridge, (width, height)]
    draw.polygon(hills, fill=(40, 50, 70))
    x = 0
    while x < width:
        w, h = rng.randrange(width // 24, width // 9), rng.randrange(height * 3 // 20, height * 53 // 100)
        shade = rng.randrange(15, 45)
        draw.rectangle([x, height - h, x + w, height], fill=(shade, shade, shade + 15))
        for wy in range(height - h + 12, height - 10, 22):
            for wx in range(x + 8, x + w - 10, 16):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 6, wy + 10], fill=(255, 214, 120))
        x += w + rng.randrange(2, 12)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
