"""The record of editorial work on articles: history of status changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .article import Article, Status


class ArticleEvent(models.Model):
    """One row per editorial action: who moved which story from what to what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    publication_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"
