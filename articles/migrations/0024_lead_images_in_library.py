"""The stories' own lead image columns: their pictures are in the library since 0018."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0023_media_library'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='article',
            name='image',
        ),
        migrations.RemoveField(
            model_name='article',
            name='image_alt',
        ),
        migrations.RemoveField(
            model_name='article',
            name='image_caption',
        ),
        migrations.RemoveField(
            model_name='article',
            name='image_credit',
        ),
        migrations.RemoveField(
            model_name='article',
            name='image_height',
        ),
        migrations.RemoveField(
            model_name='article',
            name='image_width',
        ),
    ]
