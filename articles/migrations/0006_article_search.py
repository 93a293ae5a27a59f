import django.contrib.postgres.search
from django.db import migrations, models

INDEX = "article_search_idx"


def fill_search_documents(apps, schema_editor):
    from articles import search

    Article = apps.get_model("articles", "Article")
    search.reindex(Article.objects.using(schema_editor.connection.alias))


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
