"""`manage.py make_renditions`: the renditions every library picture lacks."""

from django.core.management.base import BaseCommand

from articles import media


class Command(BaseCommand):
    help = (
        "Make the renditions library pictures lack: after an upgrade brought the "
        "library (lead images become pictures without renditions), or a Pillow that "
        "writes AVIF. Pictures saved through the admin or imported have theirs already."
    )

    def handle(self, *args, **options):
        made = media.make_missing()
        self.stdout.write(f"{made} renditions made.")
