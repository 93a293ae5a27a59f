import articles.languages
import articles.models.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0020_front_page'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='language',
            field=models.CharField(default=articles.languages.default, help_text='The language the story is written in: its page, feeds, the API and search follow it. Wire copy keeps the language its agency gave it.', max_length=8, validators=[articles.languages.validate]),
        ),
        migrations.AddField(
            model_name='article',
            name='seo_description',
            field=articles.models.fields.PlainTextField(blank=True, help_text='The summary search results and shared links show; blank uses the standfirst. Aim for 120 to 155 characters: longer ones are cut off.', max_length=300, verbose_name='SEO description'),
        ),
        migrations.AddField(
            model_name='article',
            name='seo_title',
            field=articles.models.fields.PlainCharField(blank=True, help_text='The title search results and shared links show, when it should differ from the headline. Keep it under 60 characters: longer ones are cut off.', max_length=120, verbose_name='SEO title'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['language', 'status', '-published_at', '-id'], name='article_language_idx'),
        ),
    ]
