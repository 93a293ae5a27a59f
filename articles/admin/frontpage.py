"""
The front page screen (lead, top stories, section blocks, with a preview and
the history) and the breaking-news banner. Saving calls articles.workflow.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from .. import frontpage, workflow
from ..models import Article, Banner, FrontPageEvent, FrontSlot, Section
from .widgets import PreloadedAutocomplete, PreloadedMixin, preload

STORY = FrontSlot._meta.get_field("article")  # what the story pickers search: published stories
HISTORY_SIZE = 20


class StoriesPicker(PreloadedMixin, AutocompleteSelectMultiple):
    """The admin's autocomplete for several stories, kept in the order they were chosen."""


class ChosenStories(forms.ModelMultipleChoiceField):
    """Stories in the order the editor chose them (the order the browser sends them in)."""

    def clean(self, value):
        found = {str(story.pk): story for story in super().clean(value)}
        ordered = dict.fromkeys(str(pk) for pk in value or [] if str(pk) in found)
        return [found[pk] for pk in ordered]


def story_field(**kwargs):
    return forms.ModelChoiceField(
        queryset=Article.objects.published(),
        required=False,
        widget=PreloadedAutocomplete(STORY, admin.site),
        **kwargs,
    )


def stories_field(**kwargs):
    return ChosenStories(
        queryset=Article.objects.published(),
        required=False,
        widget=StoriesPicker(STORY, admin.site),
        **kwargs,
    )


def size_field(**kwargs):
    return forms.IntegerField(min_value=1, max_value=frontpage.MAX_SIZE, **kwargs)


class ArrangementForm(forms.Form):
    lead = story_field(
        help_text="Left empty, the newest live story leads. A scheduled story leads from its time."
    )
    top_size = size_field(label="Top stories shown")
    top = stories_field(
        label="Top stories",
        help_text="Chosen stories come first, in the order chosen (to move one, remove it and "
        "choose it again); the newest live stories fill the rest.",
    )


class SectionBlockForm(forms.Form):
    section = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    size = size_field(label="Stories shown", initial=4)
    position = forms.IntegerField(label="Order", required=False, min_value=0)
    stories = stories_field(label="Chosen stories")


class BaseSectionBlockFormSet(forms.BaseFormSet):
    def __init__(self, *args, sections, **kwargs):
        self.sections = sections
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["section"].choices = [("", "—"), *((s.pk, s.name) for s in self.sections.values())]
        return form

    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data.get("section") for form in self.forms]
        chosen = [pk for pk in chosen if pk is not None]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Each section has one block.")


SectionBlockFormSet = forms.formset_factory(
    SectionBlockForm, formset=BaseSectionBlockFormSet, extra=2, max_num=20
)


def forms_for(request, current):
    """The screen's form and section blocks, from the request's data or from ``current``."""
    sections = {s.pk: s for s in Section.objects.only("name", "slug").order_by("name")}
    data = request.POST if request.method == "POST" else None
    initial = {"lead": (current.lead.chosen or [None])[0], "top_size": current.top.size, "top": current.top.chosen}
    form = ArrangementForm(data, initial={k: _pks(v) for k, v in initial.items()})
    blocks = SectionBlockFormSet(
        data,
        prefix="blocks",
        sections=sections,
        initial=[
            {"section": b.section.pk, "size": b.size, "position": n, "stories": _pks(b.chosen)}
            for n, b in enumerate(current.sections)
        ],
    )
    if data is None:
        preload(form, "lead", current.lead.chosen)
        preload(form, "top", current.top.chosen)
        for block_form, block in zip(blocks.forms, current.sections):
            preload(block_form, "stories", block.chosen)
    return form, blocks


def _pks(value):
    if isinstance(value, list):
        return [story.pk for story in value]
    return getattr(value, "pk", value)


def arrangement_from(form, blocks):
    """The arrangement the valid forms describe."""
    data = form.cleaned_data
    arrangement = frontpage.Arrangement(
        lead=frontpage.Block(frontpage.LEAD, 1, chosen=[data["lead"]] if data["lead"] else []),
        top=frontpage.Block(frontpage.TOP, data["top_size"], chosen=data["top"]),
    )
    rows = [
        (row["position"] if row["position"] is not None else 1000, n, row)
        for n, row in enumerate(block.cleaned_data for block in blocks.forms)
        if row.get("section") is not None
    ]
    for _position, _n, row in sorted(rows, key=lambda item: item[:2]):
        section = blocks.sections[row["section"]]
        arrangement.sections.append(
            frontpage.Block(frontpage.SECTION, row["size"], section, row["stories"])
        )
    return arrangement


def arrange(request):
    """One screen: the lead, the top stories and the section blocks; saved through the workflow."""
    if not workflow.can_arrange(request.user):
        raise PermissionDenied
    form, blocks = forms_for(request, frontpage.stored())
    if request.method == "POST" and form.is_valid() and blocks.is_valid():
        try:
            workflow.arrange_front_page(arrangement_from(form, blocks), by=request.user)
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The front page is saved: readers see it now.")
            return redirect("admin:front_page")
    context = {
        **admin.site.each_context(request),
        "title": "Arrange the front page",
        "form": form,
        "blocks": blocks,
        "media": form.media + blocks.media,
        "history": FrontPageEvent.objects.select_related("by")[:HISTORY_SIZE],
        "banner": frontpage.banner(),
    }
    return TemplateResponse(request, "admin/articles/front_page.html", context)


def preview(request):
    """
    The front page as the posted arrangement would show it to readers now,
    before it is saved: staff only, never cached (the admin's views are not).
    """
    if not workflow.can_arrange(request.user) or request.method != "POST":
        raise PermissionDenied
    form, blocks = forms_for(request, frontpage.Arrangement())
    if not (form.is_valid() and blocks.is_valid()):
        messages.error(request, "The arrangement has errors: correct them before previewing.")
        return arrange(request)
    arrangement = arrangement_from(form, blocks)
    chosen = [story for block in arrangement.blocks for story in block.chosen]
    context = {
        "page": frontpage.compose(arrangement),
        "preview": True,
        "not_live": [story for story in chosen if not story.is_live],
    }
    response = TemplateResponse(request, "articles/front_page.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# The breaking-news banner


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ["text", "starts_at", "ends_at", "showing", "created_by"]
    search_fields = ["text"]
    date_hierarchy = "starts_at"
    list_select_related = ["created_by"]
    fields = ["text", "link", "starts_at", "ends_at"]
    actions = ["end_now"]

    def has_view_permission(self, request, obj=None):
        return workflow.can_arrange(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # banners stay on record: "End now" takes one down

    def has_arrange_permission(self, request):
        return workflow.can_arrange(request.user)

    @admin.display(boolean=True, description="showing now")
    def showing(self, banner):
        return banner.starts_at <= timezone.now() < banner.ends_at

    def save_model(self, request, obj, form, change):
        workflow.set_banner(obj, by=request.user)

    @admin.action(description="End the selected banners now", permissions=["arrange"])
    def end_now(self, request, queryset):
        for banner in queryset:
            workflow.end_banner(banner, by=request.user)
        messages.success(request, "Ended: no page shows them any more.")
