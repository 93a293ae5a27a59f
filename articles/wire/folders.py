"""
Wire files on disk: the files of a folder (for ``import_wire`` and the
ingest service's drop folders), which of them an agency has finished
delivering, and where a drop folder's files go once read.
"""

import os
import time
from pathlib import Path

from django.utils import timezone

# Where a drop folder's files go once read, inside the folder; never read again.
PROCESSED = "_PROCESSED"
FAILED = "_ERROR"
# Picture files delivered beside the picture items that name them: never read as wire copy.
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".tif", ".tiff")
# Names FTP and SFTP servers and clients give a file while it is being written.
UNFINISHED_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".filepart", ".crdownload", "~")


def folder_files(folder, skip=()):
    """
    (the regular files under ``folder``, the symbolic links met there),
    hidden ones and the top-level folders named in ``skip`` left out. No
    symbolic link is followed: one could point anywhere on the machine, and
    its target would become a story.
    """
    files, links = [], []
    for root, dirs, names in os.walk(folder):  # never into a linked folder
        root = Path(root)
        links += [root / name for name in dirs if (root / name).is_symlink()]
        top = root == Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top and d in skip))
        for name in sorted(names):
            path = root / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                links.append(path)
            elif path.is_file():  # not a pipe, socket or device
                files.append(path)
    return files, [link for link in links if not _hidden(link, folder)]


def _hidden(path, root):
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def is_picture_file(path):
    return path.name.lower().endswith(PICTURE_SUFFIXES)


def delivered(path, settle_seconds):
    """
    The file's (size, modification time) once its delivery looks finished,
    else None: not named as a file being written, and untouched for
    ``settle_seconds``. The caller reads it and checks the pair again.
    """
    if path.name.lower().endswith(UNFINISHED_SUFFIXES):
        return None
    try:
        stat = path.stat()
    except FileNotFoundError:  # taken by another ingest service
        return None
    if time.time() - stat.st_mtime < settle_seconds:
        return None
    return stat.st_size, stat.st_mtime_ns


def unchanged(path, before):
    """Whether the file still has the (size, modification time) ``before``."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == before


def move(path, folder, to, why=""):
    """
    Move ``path`` into ``folder``/``to``/<today>/, keeping its place below
    ``folder`` and never overwriting; ``why`` is written beside it, in
    <name>.error.txt. False when the file has gone (another service took it).
    """
    relative = path.relative_to(folder)
    target = Path(folder, to, timezone.localdate().isoformat(), relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    stem, number = target, 1
    while True:
        try:
            os.link(path, target)  # unlike a rename, never replaces a file already there
            break
        except FileExistsError:
            target = stem.with_name(f"{stem.stem}-{number}{stem.suffix}")
            number += 1
        except FileNotFoundError:
            return False
    path.unlink(missing_ok=True)
    if why:
        target.with_name(target.name + ".error.txt").write_text(why + "\n", encoding="utf-8")
    return True
