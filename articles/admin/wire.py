"""The wire desk's sources: where the ingest service takes copy from, and how it went."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator

from ..models import WireReceipt, WireSource

TAKEN_IN = [WireReceipt.Action.CREATE, WireReceipt.Action.UPDATE]


class WireSourceForm(forms.ModelForm):
    class Meta:
        model = WireSource
        fields = "__all__"

    def clean_publish(self):
        # The service publishes as the wire user, an Editor: setting a source
        # to publish is publishing, and takes the right to publish.
        publish = self.cleaned_data["publish"]
        if publish and not self.initial.get("publish") and not self.user.has_perm(
            "articles.publish_article"
        ):
            raise forms.ValidationError("Only editors who may publish can make a source publish.")
        return publish


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin):
    form = WireSourceForm
    list_display = [
        "name",
        "kind",
        "enabled",
        "publish",
        "last_success_at",
        "error",
        "items_today",
        "next_check_at",
    ]
    list_filter = ["kind", "enabled", "publish"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["agency", "section"]
    list_select_related = ["agency", "section"]
    actions = ["check_now"]
    readonly_fields = [
        "items_today",
        "last_checked_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "failures",
        "next_check_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "kind", "address", "credentials_variable", "interval", "enabled"]}),
        ("What arrives", {"fields": ["agency", "section", "publish"]}),
        (
            "How the checks went",
            {
                "description": "Kept by the ingest service (manage.py ingest).",
                "fields": readonly_fields,
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_queryset(self, request):
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        taken = Q(receipts__received_at__gte=today, receipts__action__in=TAKEN_IN)
        return super().get_queryset(request).annotate(taken_today=Count("receipts", filter=taken))

    @admin.display(description="items today", ordering="taken_today")
    def items_today(self, source):
        return getattr(source, "taken_today", 0)

    @admin.display(description="last error", ordering="last_error_at")
    def error(self, source):
        if not source.last_error:
            return "–"
        when = timezone.localtime(source.last_error_at)
        return f"{when:%d %b %H:%M}: {Truncator(source.last_error).chars(120)}"

    @admin.action(description="Check the selected sources now", permissions=["change"])
    def check_now(self, request, queryset):
        # The ingest service looks for due sources every second.
        count = queryset.update(next_check_at=timezone.now() - datetime.timedelta(seconds=1))
        self.message_user(
            request,
            f"{count} source{'s' if count != 1 else ''} will be checked within seconds, "
            "if the ingest service is running.",
            messages.SUCCESS,
        )
