"""The story screens: writing, filing and publishing articles."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import ImageField
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import workflow
from ..images import ImageFormField
from ..models import Article, ArticleEvent, Byline, Status, Tag



NEW_TAG = "new:"


class TagAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, allowed to add tags that do not exist yet."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Our own script starts this select, with tag creation switched on.
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "tag-autocomplete")
        attrs["data-width"] = "40em"
        return attrs

    def optgroups(self, name, value, attr=None):
        known = [v for v in value if not str(v).startswith(NEW_TAG)]
        groups = super().optgroups(name, known, attr)
        options = groups[0][1]
        for new in (v for v in value if str(v).startswith(NEW_TAG)):
            label = new.removeprefix(NEW_TAG)
            options.append(self.create_option(name, new, label, True, len(options)))
        return groups

    @property
    def media(self):
        # Listing jQuery and select2 again orders our script after them.
        ours = forms.Media(
            js=[
                "admin/js/vendor/jquery/jquery.js",
                "admin/js/vendor/select2/select2.full.js",
                "admin/js/jquery.init.js",
                "articles/tag_autocomplete.js",
            ]
        )
        return super().media + ours


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Existing tags by id, new ones by name ("new:Zapad-2017", or plain text)."""

    def clean(self, value):
        ids, names = [], []
        for item in value or []:
            item = str(item).strip()
            if item.isdigit():
                ids.append(item)
            else:
                names += [n.strip() for n in item.removeprefix(NEW_TAG).split(",") if n.strip()]
        tags = list(super().clean(ids)) if ids else []
        return tags + names


class ArticleForm(forms.ModelForm):
    tags = TagChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=TagAutocomplete(Article._meta.get_field("tags"), admin.site),
        help_text="Type to find a tag; press Enter or a comma to add a new one.",
    )
    publish_at = forms.SplitDateTimeField(
        label="Publication time",
        required=False,
        widget=AdminSplitDateTime,
        help_text=f"In the newsroom's time ({settings.TIME_ZONE}). Leave blank and press "
        "“Publish” to publish now; a future time schedules the story, which then "
        "appears by itself at that time.",
    )

    class Meta:
        model = Article
        exclude = ["status", "published_at"]
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vTextField", "style": "width: 40em"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].initial = self.instance.published_at
        if self.instance.pk:
            self.initial["tags"] = [tag.pk for tag in self.instance.tags.all()]


class ArticlePartInline(admin.TabularInline):
    """Bylines and history are part of the article: its permissions govern them."""

    def _article_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._article_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return self._article_admin().has_add_permission(request)
        return self._article_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class BylineInline(ArticlePartInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]
    verbose_name = "byline"


class ArticleEventInline(ArticlePartInline):
    model = ArticleEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "by", "publication_time", "note"]
    readonly_fields = fields
    verbose_name = "history entry"
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    formfield_overrides = {ImageField: {"form_class": ImageFormField}}
    change_form_template = "admin/articles/article/change_form.html"
    inlines = [BylineInline, ArticleEventInline]
    list_display = [
        "headline",
        "status_label",
        "dateline_text",
        "section",
        "byline_names",
        "published_at",
    ]
    list_filter = ["status", "section", "place", "bylines__author", "tags"]
    list_select_related = ["section", "place", "agency"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    autocomplete_fields = ["section", "place", "agency"]
    readonly_fields = ["status_label", "dateline_text", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["headline", "standfirst", "body"]}),
        (
            "Dateline",
            {
                "fields": ["place", "agency", "dateline_text"],
                "description": "The dateline is printed from the place and agency, with "
                "the publication date in the place's own time zone.",
            },
        ),
        ("Filing", {"fields": ["section", "tags", "slug"]}),
        ("Lead image", {"fields": ["image", "image_caption", "image_credit", "image_alt"]}),
        ("Publishing", {"fields": ["status_label", "publish_at", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def has_change_permission(self, request, obj=None):
        # Reporters edit drafts; only those who may publish touch public copy.
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return obj.status in (Status.DRAFT, Status.IN_REVIEW) or workflow.can_publish(
            request.user
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at)
            return f"Scheduled for {when:%Y-%m-%d %H:%M} {when.tzname()}"
        return obj.get_status_display()

    @admin.display(description="dateline")
    def dateline_text(self, obj):
        return obj.dateline_text or "—"

    @admin.display(description="bylines")
    def byline_names(self, obj):
        return ", ".join(str(byline.author) for byline in obj.bylines.all()) or "—"

    @admin.display(description="created")
    def created(self, obj):
        return _stamp(obj.created_at, obj.created_by)

    @admin.display(description="last changed")
    def updated(self, obj):
        return _stamp(obj.updated_at, obj.updated_by)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        edited = set(form.changed_data) - {"publish_at"} or any(f.has_changed() for f in formsets)
        if change and edited and article.is_live:
            # Readers see "Updated" when a public story's text changes.
            article.revised_at = timezone.now()
            article.save(update_fields=["revised_at", "updated_at"])
        self._apply_action(request, article, form.cleaned_data.get("publish_at"))

    def _apply_action(self, request, article, when):
        """The publishing buttons; the story's text is saved either way."""
        try:
            if "_publish" in request.POST:
                workflow.publish(article, by=request.user, at=when)
                self.message_user(request, _published_message(article), messages.SUCCESS)
            elif "_unpublish" in request.POST:
                workflow.unpublish(article, by=request.user)
                self.message_user(request, "The story is unpublished: it is a draft again.")
            elif article.status == Status.PUBLISHED and when and when != _to_seconds(article):
                workflow.publish(article, by=request.user, at=when)
                self.message_user(request, _published_message(article), messages.SUCCESS)
        except (workflow.TransitionError, PermissionDenied) as error:
            self.message_user(request, f"Saved, but not published: {error}", messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_publish=workflow.can_publish(request.user),
            is_published=bool(obj and obj.status == Status.PUBLISHED),
            preview_url=obj and reverse("admin:articles_article_preview", args=[obj.pk]),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/preview/", preview, name="articles_article_preview")
        ] + super().get_urls()

    def preview_view(self, request, object_id):
        """The story as readers will see it, whatever its status. Never cached."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        article = Article.objects.for_listing().get(pk=article.pk)
        response = TemplateResponse(
            request, "articles/article_detail.html", {"object": article, "preview": True}
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _stamp(when, user):
    if when is None:
        return "—"
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M %Z} by {user or 'unknown'}"


def _to_seconds(article):
    # The form shows the publication time in whole seconds; an untouched
    # field must not count as a new time (a reschedule and an audit row).
    return article.published_at.replace(microsecond=0)


def _published_message(article):
    when = timezone.localtime(article.published_at)
    if article.is_scheduled:
        return f"Scheduled: the story goes public at {when:%Y-%m-%d %H:%M %Z}."
    return format_html(
        'Published. <a href="{}">Read it on the site</a>.', article.get_absolute_url()
    )
