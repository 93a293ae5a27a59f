"""
The picture library. Each story's lead image becomes a library picture
(one per file, however many stories share it) with its caption, credit
and alt text, and the story points at it; the story's own image columns
go in 0019. The Picture desk role may change pictures; reporters and
editors add and choose them.
"""

import articles.images
import articles.models.fields
import articles.models.media
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# role -> what it may do with pictures
ROLES = {
    "Picture desk": ["add_picture", "change_picture", "delete_picture", "view_picture"],
    "Editor": ["add_picture", "view_picture"],
    "Reporter": ["add_picture", "view_picture"],
}


def lead_images_into_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Picture = apps.get_model("articles", "Picture")
    pictures = {}
    stories = Article.objects.exclude(image="").exclude(image__isnull=True).order_by("pk")
    for story in stories.iterator(chunk_size=500):
        picture = pictures.get(story.image.name)
        if picture is None:
            picture = Picture.objects.create(
                file=story.image.name,
                width=story.image_width,
                height=story.image_height,
                caption=story.image_caption,
                credit=story.image_credit,
                alt_text=story.image_alt,
                source="Uploaded with a story",
                created_by_id=story.created_by_id,
            )
            pictures[story.image.name] = picture
        Article.objects.filter(pk=story.pk).update(picture=picture)


def library_back_into_stories(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for story in Article.objects.exclude(picture=None).select_related("picture").iterator(chunk_size=500):
        picture = story.picture
        Article.objects.filter(pk=story.pk).update(
            image=picture.file.name,
            image_width=picture.width,
            image_height=picture.height,
            image_caption=picture.caption,
            image_credit=picture.credit,
            image_alt=picture.alt_text,
        )


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Picture desk").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0022_agency_website'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Picture',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', articles.images.WebImageField(height_field='height', help_text="JPEG, PNG, GIF, WebP or AVIF. What is stored is a clean copy, without the camera's location or serial number.", max_length=255, upload_to=articles.models.media.picture_path, validators=[articles.images.validate_image], verbose_name='picture', width_field='width')),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('caption', articles.models.fields.PlainCharField(blank=True, help_text='Printed under the picture.', max_length=300)),
                ('alt_text', articles.models.fields.PlainCharField(blank=True, help_text='What the picture shows, for readers who cannot see it.', max_length=300, verbose_name='alt text')),
                ('credit', articles.models.fields.PlainCharField(blank=True, help_text='As printed: Ivan Petrov / TASS.', max_length=150)),
                ('byline', articles.models.fields.PlainCharField(blank=True, help_text='Who took or made the picture.', max_length=150, verbose_name='photographer')),
                ('copyright_notice', articles.models.fields.PlainCharField(blank=True, max_length=250)),
                ('usage_terms', articles.models.fields.PlainTextField(blank=True, help_text='What the licence or the agency allows: where, how long, what not.')),
                ('usage_expires', models.DateTimeField(blank=True, help_text="After this time the picture is shown nowhere public (stories keep their text). Blank: no limit. In the newsroom's time zone.", null=True, verbose_name='usable until')),
                ('source', articles.models.fields.PlainCharField(blank=True, help_text='Where it came from: an agency, a staff photographer.', max_length=100)),
                ('source_id', models.CharField(blank=True, help_text="The wire item's id; importing it again updates this picture.", max_length=255, null=True, unique=True, verbose_name='source id')),
                ('focal_x', models.FloatField(default=0.5, help_text='Click the picture to set it.', validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)])),
                ('focal_y', models.FloatField(default=0.5, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='picture',
            field=models.ForeignKey(blank=True, help_text="Chosen from the picture library; + uploads a new one. Its caption, credit and alt text are the picture's own (edit them in Pictures).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='articles.picture', verbose_name='lead picture'),
        ),
        migrations.CreateModel(
            name='Rendition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shape', models.CharField(choices=[('card', 'Card (3:2)'), ('lead', 'Lead (16:9)')], max_length=10)),
                ('width', models.PositiveIntegerField()),
                ('height', models.PositiveIntegerField()),
                ('format', models.CharField(choices=[('avif', 'AVIF'), ('webp', 'WebP'), ('jpeg', 'JPEG')], max_length=10)),
                ('source_key', models.CharField(max_length=32)),
                ('file', models.FileField(max_length=255, upload_to='')),
                ('size', models.PositiveIntegerField(help_text='Bytes.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('picture', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='renditions', to='articles.picture')),
            ],
            options={
                'ordering': ['shape', 'width', 'format'],
            },
        ),
        migrations.AddIndex(
            model_name='picture',
            index=models.Index(fields=['-created_at', '-id'], name='picture_newest_idx'),
        ),
        migrations.AddIndex(
            model_name='picture',
            index=models.Index(condition=models.Q(('usage_expires__isnull', False)), fields=['usage_expires'], name='picture_expires_idx'),
        ),
        migrations.AddConstraint(
            model_name='picture',
            constraint=models.CheckConstraint(condition=models.Q(('focal_x__gte', 0), ('focal_x__lte', 1), ('focal_y__gte', 0), ('focal_y__lte', 1)), name='picture_focal_point_inside'),
        ),
        migrations.AddConstraint(
            model_name='rendition',
            constraint=models.UniqueConstraint(fields=('picture', 'shape', 'width', 'format'), name='unique_rendition'),
        ),
        migrations.RunPython(lead_images_into_library, library_back_into_stories),
        migrations.RunPython(create_roles, remove_roles),
    ]
