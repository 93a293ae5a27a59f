import html
import re
from functools import reduce
from operator import add

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

INDEX = "article_search_idx"

# The search document as articles.search made it when this migration was
# written, kept here so the migration does not change with that module.
CONFIGS = ["russian", "simple"]
DOCUMENT = ["standfirst", "body", "tags", "bylines", "place"]
WEIGHTS = {
    "headline": "A",
    **dict.fromkeys(["standfirst", "tags", "bylines", "place"], "B"),
    "body": "C",
}
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000-\ue002]")
BLOCK = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote)\b[^>]*>|<(?:br|hr)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")


def fill_search_documents(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    postgres = schema_editor.connection.vendor == "postgresql"
    articles = Article.objects.using(schema_editor.connection.alias)
    rows = articles.select_related("place").prefetch_related(
        "taggedarticle_set__tag", "bylines__author"
    )
    for article in rows.iterator(chunk_size=500):
        texts = _texts(article)
        columns = {"search_document": "\n".join(filter(None, [texts[f] for f in DOCUMENT]))}
        if postgres:
            columns["search_vector"] = reduce(
                add,
                [
                    SearchVector(models.Value(texts[field]), config=config, weight=weight)
                    for field, weight in WEIGHTS.items()
                    for config in CONFIGS
                ],
            )
        articles.filter(pk=article.pk).update(**columns)


def _texts(article):
    place = article.place
    body = html.unescape(TAG.sub("", BLOCK.sub(" ", article.body or "")))
    texts = {
        "headline": article.headline,
        "standfirst": article.standfirst or "",
        "body": body,
        "tags": ", ".join(sorted(row.tag.name for row in article.taggedarticle_set.all())),
        "bylines": ", ".join(byline.author.name for byline in article.bylines.all()),
        "place": f"{place.name} {place.region}" if place else "",
    }
    return {field: " ".join(UNWANTED.sub(" ", text).split()) for field, text in texts.items()}


def create_gin_index(apps, schema_editor):
    # GIN is PostgreSQL's; SQLite searches the document without an index.
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name("articles_article")
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON {table} USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_place_time_zone_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Standfirst, body text, tags, bylines and place, as plain text.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
