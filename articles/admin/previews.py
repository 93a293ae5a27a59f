"""Share links: someone without an account reads a story before it is public."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from ..models import PreviewLink
from .parts import ArticlePartInline

LIFETIME = datetime.timedelta(days=7)


def default_expiry():
    return timezone.now() + LIFETIME


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(
        required=False,
        help_text="Stops the link working at once. This cannot be undone: make a new link "
        "if it is needed again.",
    )

    class Meta:
        model = PreviewLink
        fields = ["label", "expires_at"]
        help_texts = {
            "expires_at": f"In the newsroom's time zone ({settings.TIME_ZONE}). The link stops "
            "working at this time; a new link lasts a week unless you change it.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance._state.adding:
            self.fields["expires_at"].initial = default_expiry
            self.fields["revoke"].disabled = True
        elif self.instance.revoked_at is not None:
            # Kept for the record as it was when it stopped working.
            self.fields["revoke"].initial = True
            for field in self.fields.values():
                field.disabled = True

    def has_changed(self):
        # A row added with "Add another" asks for a link, even when the label
        # and the default expiry were left as they were.
        return self.instance._state.adding or super().has_changed()

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        renewed = self.instance._state.adding or "expires_at" in self.changed_data
        if renewed and expires_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return expires_at

    def save(self, commit=True):
        link = self.instance
        if link._state.adding:
            link.created_by = self.user
        elif self.cleaned_data.get("revoke") and link.revoked_at is None:
            link.revoked_at, link.revoked_by = timezone.now(), self.user
        return super().save(commit)


class PreviewLinkFormSet(BaseInlineFormSet):
    user = None  # the editor at work: set for each request by PreviewLinkInline.get_formset

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}


class PreviewLinkInline(ArticlePartInline):
    """On the article's change page: make, extend and revoke share links."""

    model = PreviewLink
    form = PreviewLinkForm
    formset = PreviewLinkFormSet
    extra = 0
    can_delete = False  # links are revoked, never deleted: they stay on record
    view_on_site = False  # the share link column gives the address
    fields = ["label", "expires_at", "share_link", "created", "revoke"]
    readonly_fields = ["share_link", "created"]
    verbose_name = "preview link"
    verbose_name_plural = "preview links for readers without an account"

    def get_queryset(self, request):
        # The article too: each row's title names it.
        links = super().get_queryset(request)
        return links.select_related("article", "created_by", "revoked_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # the factory makes a new class on every call
        return formset

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="share link")
    def share_link(self, link):
        if link.pk is None:
            return "Shown once saved."
        if link.revoked_at is not None:
            return f"Revoked {_stamp(link.revoked_at, link.revoked_by)}."
        if not link.is_active():
            return "Expired. Choose a later time to use it again."
        # Copy it with the browser's "Copy link": that gives the full address.
        url = link.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noreferrer">{}</a>', url, url)

    @admin.display(description="created")
    def created(self, link):
        return _stamp(link.created_at, link.created_by) if link.pk else "—"


def _stamp(when, user):
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M %Z} by {user or 'unknown'}"
