from django.db import migrations

# PostgreSQL judges how common a word is from samples of the search vector.
# With its default sample, a word found in a few dozen stories of a million
# looks common, and the planner walks the archive newest first to find them;
# a larger sample keeps such searches to the GIN index.
SET = "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS {}"


def larger_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET.format(10000))
        schema_editor.execute("ANALYZE articles_article (search_vector)")


def default_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET.format(-1))


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_desk_dates")]

    operations = [migrations.RunPython(larger_sample, default_sample)]
