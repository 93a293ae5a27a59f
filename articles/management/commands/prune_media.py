"""`manage.py prune_media`: delete uploaded images nothing refers to any more."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from articles.images import referenced

# Where uploads and renditions are stored ("articles": lead images from before the library).
FOLDERS = ["pictures", "renditions", "articles", "authors"]


class Command(BaseCommand):
    help = (
        "Delete stored images that no library picture, rendition, author or revision "
        "refers to (renditions of an earlier focal point, deleted pictures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        files = list(_files(FOLDERS))
        # Read after listing: a file stored meanwhile is referenced by then.
        kept = referenced()
        unused = [name for name in files if name not in kept]
        for name in unused:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        found, deleted = len(files), len(unused)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{found} files, {deleted} {verb}.")


def _files(folders):
    stack = [folder for folder in folders if default_storage.exists(folder)]
    while stack:
        folder = stack.pop()
        subfolders, files = default_storage.listdir(folder)
        stack += [f"{folder}/{name}" for name in subfolders]
        yield from sorted(f"{folder}/{name}" for name in files)

