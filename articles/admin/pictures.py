"""The picture library's screens: find, upload and edit pictures, and set their focal point."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import ImageField, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .. import media
from ..images import ImageFormField
from ..models import Picture
from ..models.media import Rendition


class PictureForm(forms.ModelForm):
    class Meta:
        model = Picture
        fields = "__all__"
        widgets = {"usage_terms": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean_alt_text(self):
        alt = self.cleaned_data["alt_text"].strip()
        if not alt:
            raise forms.ValidationError("Describe the picture for readers who cannot see it.")
        return alt


class UsableFilter(admin.SimpleListFilter):
    title = "usage terms"
    parameter_name = "usable"

    def lookups(self, request, model_admin):
        return [("yes", "Usable now"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.usable()
        if self.value() == "expired":
            return queryset.filter(usage_expires__lte=timezone.now())
        return queryset


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    form = PictureForm
    formfield_overrides = {ImageField: {"form_class": ImageFormField}}
    list_display = ["thumbnail", "__str__", "credit", "source", "usage_expires", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [UsableFilter, "source"]
    search_fields = ["caption", "alt_text", "credit", "byline", "source", "=source_id"]
    date_hierarchy = "created_at"
    show_facets = admin.ShowFacets.NEVER
    readonly_fields = ["focal_point", "size", "used_by", "created_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["file", "focal_point", "focal_x", "focal_y", "caption", "alt_text"]}),
        ("Credit and source", {"fields": ["credit", "byline", "source", "source_id"]}),
        (
            "Rights",
            {
                "fields": ["copyright_notice", "usage_terms", "usage_expires"],
                "description": "Past its “usable until” time the picture disappears from "
                "every public page, feed and API answer by itself.",
            },
        ),
        ("In use", {"fields": ["size", "used_by", "created_at", "created_by"]}),
    ]

    class Media:
        js = ["articles/focal_point.js"]
        css = {"all": ["articles/admin.css"]}

    def get_queryset(self, request):
        renditions = Rendition.objects.filter(shape=Rendition.Shape.CARD, format=Rendition.Format.JPEG)
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .prefetch_related(Prefetch("renditions", queryset=renditions))
        )

    def get_search_results(self, request, queryset, search_term):
        # A picture's number finds it too: the story editor shows the pictures a body places by it.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isascii() and term.isdigit() and len(term) <= 18:
            found |= queryset.filter(pk=int(term))
        return found, duplicates

    def save_model(self, request, obj, form, change):
        media.save(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # A picture placed in stories' bodies leaves their cached pages at once
        # (a lead picture cannot be deleted: its stories protect it).
        gone = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        media.forget(gone)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Picture.objects.filter(pk=obj.pk))

    @admin.display(description="picture")
    def thumbnail(self, obj):
        shown = media.sources(obj, Rendition.Shape.CARD).fallback
        return format_html('<img class="picture-thumb" src="{}" alt="" width="120">', shown.url)

    @admin.display(description="focal point")
    def focal_point(self, obj):
        if not obj.pk or not obj.file:
            return "Save the picture first; then click it here to set the point every crop keeps in view."
        return format_html(
            '<div class="focal-picker"><img src="{}" alt="" data-focal-point>'
            '<span class="focal-marker" hidden></span></div>'
            '<p class="help">Click the part of the picture that must stay in every crop.</p>',
            obj.file.url,
        )

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width} × {obj.height} pixels" if obj.width else "—"

    @admin.display(description="shown with")
    def used_by(self, obj):
        stories = list(obj.articles.order_by("-updated_at")[:20]) if obj.pk else []
        if not stories:
            return "No story."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[s.pk]), s.headline) for s in stories),
        )


class AutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, giving pictures their thumbnail for the story editor's picker."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Picture):
            result["thumbnail"] = media.sources(obj, Rendition.Shape.CARD).fallback.url
        return result
