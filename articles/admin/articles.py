"""The story screens: writing, filing and publishing articles."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import languages, revisions, search, workflow
from ..media import body as body_pictures
from ..models import Article, ArticleEvent, ArticleRevision, Byline, Correction, EditingSession, Status, Tag
from .changelist import ArchivePaginator, StoryListMixin
from .filters import AuthorFilter, PlaceFilter, TagFilter
from .parts import ArticlePartInline
from .previews import PreviewLinkInline
from .revisions import RevisionsMixin
from .widgets import (
    PreloadedAutocompleteAdmin,
    TagAutocomplete,
    TagChoiceField,
    preload,
    preload_related,
)

TZ_NOTE = f"In the newsroom's time ({settings.TIME_ZONE})."

# The buttons under the form: action -> (label, needs a note)
ACTION_BUTTONS = {
    "submit": ("Submit for review", False),
    "send_back": ("Send back to reporter", True),
    "publish": ("Publish (or schedule)", False),
    "unpublish": ("Unpublish (back to draft)", False),
    "withdraw": ("Withdraw", True),
    "restore": ("Restore (put back up)", False),
}

# How long an open change page counts as "someone is editing this".
EDITING_WINDOW = datetime.timedelta(minutes=30)


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
        help_text=f"{TZ_NOTE} Leave blank and press “Publish” to publish now; a future "
        "time schedules the story, which then appears by itself at that time.",
    )
    # The version this form was opened at: a save made since is a conflict.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a refused save (rendered by the conflict panel, not the fieldsets):
    # the version it met, and the editor's word that they merged it.
    conflict_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    merged = forms.BooleanField(required=False)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="For the story's history. Required when sending a story back "
        "(what needs doing) or withdrawing it (why).",
    )
    correction_kind = forms.ChoiceField(
        label="Add for readers", choices=Correction.Kind.choices, required=False
    )
    correction_text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Appended to the published story with the time; its “Updated” time changes.",
    )

    class Meta:
        model = Article
        exclude = ["status", "published_at"]
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vTextField", "style": "width: 40em"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "seo_title": forms.TextInput(attrs={"class": "vTextField", "style": "width: 40em"}),
            "seo_description": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].initial = self.instance.published_at
        self.fields["base_version"].initial = self.instance.version
        if self.instance.pk:
            # Read with the form's initial data, as objects: the picker takes ids.
            tags = self.initial.get("tags") or []
            self.initial["tags"] = [tag.pk for tag in tags]
            preload(self, "tags", tags)
        preload_related(self, "section", "place", "agency", "picture")
        if "language" in self.fields:
            # The site's languages, and whatever a wire item brought.
            language = self.instance.language
            self.fields["language"].widget = forms.Select(choices=languages.choices(also=language))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_version(cleaned.get("base_version"))
        return cleaned

    def _check_version(self, version):
        """
        Refuse to overwrite a save made since this form was opened, until the
        editor has seen that save beside their own text and says they merged
        it: a second Save pressed blindly is refused again.
        """
        # Locked until the admin's transaction ends, so no save slips in between.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=self.instance.pk)
        )
        if version == current.version:
            return
        if self.cleaned_data.get("merged") and self.cleaned_data.get("conflict_version") == current.version:
            self.cleaned_data["base_version"] = current.version  # merged what they were shown
            return
        theirs = revisions.current(current)
        self.conflict = {
            "version": current.version,
            "rows": [row for row in revisions.compare(theirs, _as_revision(theirs, self.cleaned_data)) if row.changed],
        }
        # The editor's text stays in the form; the tick is theirs to give again.
        self.data = self.data.copy()
        self.data.pop(self.add_prefix("merged"), None)
        raise forms.ValidationError(workflow.conflict_message(current), code="conflict")


def _as_revision(theirs, cleaned):
    """What the form holds, as a revision to compare with ``theirs`` (bylines as theirs)."""
    data = dict(theirs.data)
    for name in revisions.FIELDS:
        field = name.removesuffix("_id")
        if field not in cleaned:
            continue
        value = cleaned[field]
        if name.endswith("_id"):
            value = getattr(value, "pk", value)
        data[name] = value
    if "embargo_until" in cleaned:
        until = cleaned["embargo_until"]
        data["embargo_until"] = until.isoformat() if until else None
    if "tags" in cleaned:
        data["tags"] = sorted(getattr(tag, "name", tag) for tag in cleaned["tags"] or [])
    return ArticleRevision(article=theirs.article, data=data)


class BylineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preload_related(self, "author")


class BylineInline(PreloadedAutocompleteAdmin, ArticlePartInline):
    model = Byline
    form = BylineForm
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]
    verbose_name = "byline"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class ReadOnlyInline(ArticlePartInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["created_at", "kind", "text", "created_by"]
    readonly_fields = fields
    verbose_name_plural = "corrections, clarifications and updates"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "created_by")


class ArticleEventInline(ReadOnlyInline):
    model = ArticleEvent
    fields = ["at", "action", "from_status", "to_status", "by", "publication_time", "note"]
    readonly_fields = fields
    verbose_name = "history entry"
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Article)
class ArticleAdmin(RevisionsMixin, StoryListMixin, PreloadedAutocompleteAdmin, admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    inlines = [BylineInline, PreviewLinkInline, CorrectionInline, ArticleEventInline]
    list_display = [
        "headline",
        "status_label",
        "dateline_text",
        "section",
        "byline_names",
        "publication_time",
    ]
    list_filter = ["status", "section", PlaceFilter, AuthorFilter, TagFilter]
    list_select_related = ["section", "place", "agency"]
    # At archive size: no facet counts, no count of the whole table, and
    # counts and pages that stop where paging stops (ArchivePaginator).
    show_facets = admin.ShowFacets.NEVER
    show_full_result_count = False
    paginator = ArchivePaginator
    search_fields = ["headline"]  # shows the search box; get_search_results() searches
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    autocomplete_fields = ["section", "place", "agency", "picture"]
    readonly_fields = [
        "status_label",
        "dateline_text",
        "created",
        "updated",
        "guid",
        "source_version",
        "urgency",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "standfirst", "body"]}),
        (
            "Dateline",
            {
                "fields": ["place", "agency", "dateline_override", "dateline_text"],
                "description": "The dateline is printed from the place and agency, with "
                "the publication date in the place's own time zone.",
            },
        ),
        ("Filing", {"fields": ["section", "tags", "language", "slug"]}),
        (
            "Lead picture",
            {
                "fields": ["picture"],
                "description": "Type to find a picture in the library by caption, credit or "
                "source; + uploads a new one into the library. A picture whose usage terms "
                "have expired is shown nowhere public.",
            },
        ),
        (
            "Search and sharing",
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description"],
                "description": "What search engines and shared links show; left blank, "
                "the headline and standfirst (and the lead image).",
            },
        ),
        (
            "Wire",
            {
                "classes": ["collapse"],
                "fields": ["guid", "source_version", "urgency", "dateline_date_text"],
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "status_label",
                    "publish_at",
                    "embargo_until",
                    "note",
                    "created",
                    "updated",
                    "base_version",
                ]
            },
        ),
    ]
    correction_fieldset = ("Correction", {"fields": ["correction_kind", "correction_text"]})

    # Who sees and edits what (enforced here and again in workflow)

    def get_queryset(self, request):
        # Reporters may read every story; workflow.can_edit decides what they change.
        # The change form prints the dateline and who created and last changed the story.
        stories = super().get_queryset(request)
        return stories.select_related(
            "section", "place", "agency", "picture", "created_by", "updated_by"
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return workflow.can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        # Reporters see the whole budget, but not another reporter's copy
        # while it is under embargo.
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None or workflow.is_desk(request.user):
            return allowed
        return obj.created_by_id == request.user.pk or not obj.is_embargoed

    def has_delete_permission(self, request, obj=None):
        # No "Delete" link on a story that was published (get_deleted_objects says why).
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not workflow.deletion_refusal(obj))

    def get_inlines(self, request, obj):
        if obj is None:
            return [BylineInline]  # a new story has no history yet
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.status == Status.PUBLISHED and workflow.is_desk(request.user):
            fieldsets.append(self.correction_fieldset)
        return fieldsets

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    def get_search_results(self, request, queryset, search_term):
        """
        The site's search over stories of every status (by headline, body,
        tags, bylines and place), the most recently changed matches first,
        up to the search limit; and the story whose slug, address or source
        id is the search term. Every lookup is served by an index.
        """
        term = search.clean(search_term)  # no control characters, cut to length
        if not term:
            return queryset, False
        slug = term.rstrip("/").rsplit("/", 1)[-1]  # a pasted address ends with the slug
        exact = queryset.filter(Q(slug=slug) | Q(guid=term)).values_list("pk", flat=True)
        found = self._newest_matches(request, queryset, term)
        return queryset.filter(pk__in={*found, *exact}), False

    def _newest_matches(self, request, queryset, term):
        """The ids of the most recently changed matches, up to the limit; a note if more."""
        limit, order = settings.NEWSROOM_SEARCH_LIMIT, ["-updated_at"]
        newest = search.newest(queryset, term, order=order, limit=limit + 1)
        try:
            with search.time_limit(queryset.db):
                search.read_few_matches_through_index(queryset, term, limit + 1, order=order)
                found = [row["pk"] for row in newest]
        except search.TooSlow:
            messages.warning(
                request, "This search took too long to answer: try rarer or more words."
            )
            return []
        if len(found) > limit:
            messages.info(
                request,
                f"Only the {limit:,} most recently changed matching stories are listed: "
                "add words to narrow the search.",
            )
        return found[:limit]

    # Columns and read-only fields

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return status_text(obj)

    @admin.display(description="publication time", ordering="published_at")
    def publication_time(self, obj):
        return _when(obj.published_at) if obj.published_at else "—"

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

    # Saving: everything goes through workflow

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # Written in save_related, through workflow.edit, with tags and bylines.

    def save_related(self, request, form, formsets, change):
        article = form.instance

        def write():
            article.save()
            form.save_m2m()
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        version = form.cleaned_data.get("base_version") if change else None
        workflow.edit(article, by=request.user, save=write, expected_version=version)
        if missing := body_pictures.missing(article.body):
            numbers = ", ".join(map(str, missing))
            warning = f"Readers do not see library pictures {numbers} placed in the story: not in the library, or expired."
            self.message_user(request, warning, messages.WARNING)
        self._apply_action(request, article, form.cleaned_data)
        EditingSession.objects.filter(article=article, user=request.user).delete()

    def get_deleted_objects(self, objs, request):
        """Published stories are shown as what stops the deletion, with what to do instead."""
        deleted, counted, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for refusal in map(workflow.deletion_refusal, objs) if refusal]
        if refusals and super().has_delete_permission(request):
            # Refused for the reasons listed, not for want of a permission.
            perms_needed = perms_needed - {str(self.opts.verbose_name)}
        return deleted, counted, perms_needed, [*protected, *refusals]

    def delete_model(self, request, obj):
        workflow.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete(article, by=request.user)

    def _apply_action(self, request, article, data):
        """The buttons under the form; the story's text is saved either way."""
        action = request.POST.get("_action", "")
        when, note = data.get("publish_at"), data.get("note", "")
        if action not in ACTION_BUTTONS and article.status == Status.PUBLISHED:
            if when and when != _to_seconds(article):
                action = "reschedule"
        elif action not in ACTION_BUTTONS and when:
            # A draft has no publication time until it is published: say so
            # rather than drop the time typed without a word.
            self.message_user(
                request,
                f"Saved as {article.get_status_display().lower()}; the publication time "
                f"{_when(when)} is not applied until the story is published: press "
                "Publish to publish or schedule it for that time.",
                messages.WARNING,
            )
        try:
            if action in ACTION_BUTTONS or action == "reschedule":
                self._run(request, article, action, when, note)
        except (workflow.TransitionError, PermissionDenied) as error:
            done = workflow.DONE[action]
            self.message_user(request, f"Saved, but not {done}: {error}", messages.ERROR)
        text = data.get("correction_text", "").strip()
        if text:
            kind = data.get("correction_kind") or Correction.Kind.CORRECTION
            try:
                workflow.add_correction(article, by=request.user, kind=kind, text=text)
                self.message_user(request, "The note for readers is added.", messages.SUCCESS)
            except (workflow.TransitionError, PermissionDenied) as error:
                self.message_user(request, f"Saved, but no note added: {error}", messages.ERROR)

    def _run(self, request, article, action, when, note):
        by = request.user
        if action == "publish":
            workflow.publish(article, by=by, at=when, note=note)
            self.message_user(request, _published_message(article), messages.SUCCESS)
            return
        if action == "reschedule":
            workflow.reschedule(article, by=by, at=when, note=note)
            self.message_user(request, _published_message(article), messages.SUCCESS)
            return
        if action == "send_back":
            workflow.send_back(article, by=by, note=note)
        elif action == "withdraw":
            workflow.withdraw(article, by=by, reason=note)
        else:
            getattr(workflow, action)(article, by=by, note=note)
        self.message_user(request, f"The story is {workflow.DONE[action]}.", messages.SUCCESS)

    # The change page

    def _note_presence(self, request, article):
        """Tell the editor who else has this story open, and since when."""
        now = timezone.now()
        # One statement, whether or not the editor had it open already.
        EditingSession.objects.bulk_create(
            [EditingSession(article=article, user=request.user, opened_at=now, seen_at=now)],
            update_conflicts=True,
            unique_fields=["article", "user"],
            update_fields=["seen_at"],
        )
        others = (
            EditingSession.objects.filter(article=article, seen_at__gte=now - EDITING_WINDOW)
            .exclude(user=request.user)
            .select_related("user")
        )
        for session in others:
            name = session.user.get_full_name() or session.user.username
            since = timezone.localtime(session.opened_at)
            self.message_user(
                request,
                f"{name} has had this story open since {since:%H:%M %Z}: "
                "coordinate before you both save.",
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            self._note_presence(request, obj)
        # On the add page, the buttons a new draft by this user would have.
        article = obj or Article(status=Status.DRAFT, created_by=request.user)
        allowed = workflow.allowed_actions(request.user, article)
        context.update(
            action_buttons=[
                (name, *ACTION_BUTTONS[name]) for name in allowed if name in ACTION_BUTTONS
            ],
            embargoed=bool(obj and obj.is_embargoed),
            embargo_until=obj and obj.embargo_until,
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
        article = Article.objects.for_detail().get(pk=article.pk)
        response = TemplateResponse(
            request, "articles/article_detail.html", {"object": article, "preview": True}
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def status_text(article):
    """The status as the desk talks about it: "Scheduled for …", "Embargoed until …"."""
    if article.status == Status.PUBLISHED and article.is_embargoed:
        return f"Embargoed until {_when(article.embargo_until)}"
    if article.is_scheduled:
        return f"Scheduled for {_when(article.published_at)}"
    return article.get_status_display()


def _when(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}"


def _stamp(when, user):
    if when is None:
        return "—"
    return f"{_when(when)} by {user or 'unknown'}"


def _to_seconds(article):
    # The form shows the publication time in whole seconds; an untouched
    # field must not count as a new time (a reschedule and an audit row).
    return article.published_at.replace(microsecond=0)


def _published_message(article):
    if article.is_scheduled:
        return f"Scheduled: the story goes public at {_when(article.public_from)}."
    return format_html(
        'Published. <a href="{}">Read it on the site</a>.', article.get_absolute_url()
    )
