"""Revisions for editors: the list, a side-by-side comparison and restore."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import revisions, workflow

TEMPLATES = "admin/articles/article/"


class RevisionsMixin:
    """
    An article's revisions, under its change page. Viewing them needs view
    permission on the story; restoring needs change permission, and then
    ``workflow.edit`` has the last word (a reporter restores only their own
    drafts).
    """

    def get_urls(self):
        wrap, name = self.admin_site.admin_view, self._revisions_url_name
        return [
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name=name("revisions")),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.revisions_compare_view),
                name=name("revisions_compare"),
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.revision_restore_view),
                name=name("revision_restore"),
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The change form's object tools link here when the story exists.
        if obj is not None and obj.pk is not None:
            context["revisions_url"] = self._revisions_url("revisions", obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Views

    def revisions_view(self, request, object_id):
        article = self._viewable_article(request, object_id)
        return self._render(
            request,
            "revisions.html",
            article,
            title="Revisions",
            revisions=list(article.revisions.select_related("created_by")),
            can_restore=self.has_change_permission(request, article),
            zone_name=timezone.get_current_timezone_name(),
        )

    def revisions_compare_view(self, request, object_id):
        article = self._viewable_article(request, object_id)
        numbers = _pair(request.GET.get("a"), request.GET.get("b"))
        if numbers is None:
            self.message_user(request, "Choose two revisions to compare.", messages.WARNING)
            return HttpResponseRedirect(self._revisions_url("revisions", article))
        found = article.revisions.select_related("created_by").filter(number__in=numbers)
        by_number = {revision.number: revision for revision in found}
        if not set(numbers) <= set(by_number):
            raise Http404("No such revision of this story.")
        older, newer = (by_number[n] for n in numbers)
        rows = revisions.compare(older, newer)
        return self._render(
            request,
            "revisions_compare.html",
            article,
            title=f"Revisions {older.number} and {newer.number}",
            pair=[older, newer],
            rows=rows,
            changed_count=sum(row.changed for row in rows),
            can_restore=self.has_change_permission(request, article),
        )

    def revision_restore_view(self, request, object_id, number):
        """GET asks for confirmation, showing what would change; POST restores."""
        article = self._viewable_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions.select_related("created_by"), number=number)
        if request.method == "POST":
            return self._restore(request, article, revision)
        return self._render(
            request,
            "revision_restore.html",
            article,
            title=f"Restore revision {revision.number}?",
            revision=revision,
            rows=revisions.compare(revisions.current(article), revision),
        )

    # Helpers

    def _restore(self, request, article, revision):
        try:
            revisions.restore(
                article,
                revision,
                by=request.user,
                expected_version=_int(request.POST.get("version")),
            )
        except workflow.ConflictError:
            self.message_user(
                request,
                "Not restored: someone saved the story after you opened the confirmation. "
                "Look at the newest revision, then restore again if you still want to.",
                messages.ERROR,
            )
        except (PermissionDenied, workflow.TransitionError) as error:
            reason = str(error) or "You may not edit this story."
            self.message_user(request, f"Not restored: {reason}", messages.ERROR)
        else:
            self.message_user(
                request,
                f"Restored revision {revision.number}. The story's previous text is kept "
                "as a revision too.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._revisions_url("change", article))
        return HttpResponseRedirect(self._revisions_url("revisions", article))

    def _viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def _render(self, request, template, article, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "subtitle": str(article),
            **context,
        }
        return TemplateResponse(request, TEMPLATES + template, context)

    def _revisions_url_name(self, suffix):
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def _revisions_url(self, suffix, article):
        name = f"{self.admin_site.name}:{self._revisions_url_name(suffix)}"
        return reverse(name, args=[quote(article.pk)])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pair(a, b):
    """The two revision numbers to compare, older first, or None if not given."""
    a, b = _int(a), _int(b)
    if a is None or b is None:
        return None
    return tuple(sorted((a, b)))
