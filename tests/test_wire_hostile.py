"""
Hostile wire files: each is refused with one line naming what is wrong,
reads and fetches nothing, and leaves the rest of the batch to import.
"""

import socket

import pytest

from articles.models import Article
from tests.test_wire_command import good_files, run

pytestmark = pytest.mark.django_db

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
)
HOSTILE_XML = {
    "laughs.xml": (
        f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY lol0 "lol">{LAUGHS}]>'
        "<nitf><body><body.head><hedline><hl1>&lol9;</hl1></hedline></body.head></body></nitf>"
    ),
    "quadratic.xml": (
        f'<!DOCTYPE nitf [<!ENTITY a "{"x" * 50_000}">]>'
        f"<nitf><body><body.content><p>{'&a;' * 2_000}</p></body.content></body></nitf>"
    ),
}


@pytest.fixture
def listener():
    """A TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server.getsockname()[1]

    with pytest.raises(BlockingIOError):
        server.accept()  # nobody came
    server.close()


def entity_files(folder, secret, port):
    files = {
        **HOSTILE_XML,
        "file-entity.xml": (
            f'<!DOCTYPE nitf [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
            "<nitf><body><body.head><hedline><hl1>Leak &leak;</hl1></hedline></body.head></body></nitf>"
        ),
        "url-entity.xml": (
            f'<!DOCTYPE nitf [<!ENTITY leak SYSTEM "http://127.0.0.1:{port}/x">]>'
            "<nitf><body><body.head><hedline><hl1>Leak &leak;</hl1></hedline></body.head></body></nitf>"
        ),
        "parameter-dtd.xml": (
            f'<!DOCTYPE nitf [<!ENTITY % dtd SYSTEM "http://127.0.0.1:{port}/x.dtd"> %dtd;]>'
            "<nitf><body><body.head><hedline><hl1>Hello</hl1></hedline></body.head></body></nitf>"
        ),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return files


def test_entity_declarations_are_refused_and_nothing_is_read_or_fetched(tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    folder = good_files(tmp_path / "in", "seed.txt")
    files = entity_files(folder, secret, listener)

    failed, out, err = run(folder)

    assert failed
    lines = err.splitlines()
    assert len(lines) == len(files)
    for name in files:
        (line,) = [line for line in lines if line.startswith(f"{folder / name}: ")]
        assert "refused, as entities can read files or grow without end" in line, line
    assert "not fetched" in next(line for line in lines if "url-entity" in line)
    assert Article.objects.count() == 1  # the good file
    assert not Article.objects.filter(headline__contains="root:x").exists()


def test_a_doctype_naming_an_outside_dtd_is_read_without_fetching_it(tmp_path, listener):
    path = tmp_path / "story.xml"
    path.write_text(
        f'<!DOCTYPE nitf SYSTEM "http://127.0.0.1:{listener}/nitf-3-4.dtd">'
        "<nitf><body><body.head><hedline><hl1>Bridge opens</hl1></hedline></body.head>"
        "<body.content><p>Cars cross.</p></body.content></body></nitf>"
    )

    failed, _out, err = run(path)

    assert failed is None, err
    assert Article.objects.get().headline == "Bridge opens"


def test_xml_nested_deeper_than_python_recurses_imports(tmp_path):
    path = tmp_path / "deep.xml"
    depth = 50_000
    path.write_text(
        "<nitf><body><body.head><hedline><hl1>Deep</hl1></hedline></body.head><body.content>"
        + "<p>" * depth + "Words." + "</p>" * depth + "</body.content></body></nitf>"
    )

    failed, _out, err = run(path)

    assert failed is None, err
    story = Article.objects.get()
    assert (story.headline, story.body) == ("Deep", "<p>Words.</p>")


def test_json_escaping_half_a_character_imports_without_it(tmp_path):
    path = tmp_path / "item.json"
    path.write_text(r'{"uri": "urn:x:1", "headline": "Bad \ud800 half", "body_text": "Text \udc00 here"}')

    failed, out, err = run(path)

    assert failed is None, err
    story = Article.objects.get()
    assert story.headline == "Bad half"
    assert "Text here" in story.body


def test_symbolic_links_in_a_folder_are_not_followed(tmp_path):
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = good_files(tmp_path / "in", "seed.txt")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "elsewhere").symlink_to(secret.parent, target_is_directory=True)

    failed, out, err = run(folder)

    assert failed == "Import failed for 2 of the files or items (see above)."
    assert sorted(err.splitlines()) == [
        f"{folder / 'elsewhere'}: a symbolic link, not followed",
        f"{folder / 'passwd.txt'}: a symbolic link, not followed",
    ]
    assert Article.objects.count() == 1
    assert not Article.objects.filter(body__contains="root:x").exists()


def test_a_pipe_in_a_folder_is_not_read(tmp_path):
    import os

    folder = good_files(tmp_path / "in", "seed.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would wait for ever

    failed, _out, err = run(folder)

    assert failed is None, err
    assert Article.objects.count() == 1


def test_a_named_path_that_is_not_a_regular_file_is_refused(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")

    failed, _out, err = run(tmp_path / "pipe.txt")

    assert failed and err.strip() == f"{tmp_path / 'pipe.txt'}: not a regular file"


UNREADABLE_EMBARGOES = {
    "ninjs.json": '{"uri": "urn:x:held", "headline": "Held back", "body_text": "Text.", '
    '"embargoed": "next Tuesday at noon"}',
    "nitf.xml": '<nitf><head><docdata><doc-id id-string="urn:x:held"/>'
    '<date.release norm="2018-13-45T25:00"/></docdata></head><body><body.head><hedline>'
    "<hl1>Held back</hl1></hedline></body.head><body.content><p>Text.</p></body.content></body></nitf>",
}


@pytest.mark.parametrize("name", UNREADABLE_EMBARGOES)
def test_an_item_whose_embargo_cannot_be_read_is_held_as_a_draft(tmp_path, client, name):
    path = tmp_path / name
    path.write_text(UNREADABLE_EMBARGOES[name])

    failed, out, err = run(path, "--publish")

    assert failed is None, err
    story = Article.objects.get()
    assert story.status == "draft" and story.published_at is None
    assert "held as a draft: its embargo" in out and "cannot be read" in out
    assert "held: its embargo" in story.revisions.get().note
    assert client.get("/news/").content.count(b"Held back") == 0


def test_a_held_item_is_announced_by_a_dry_run_too(tmp_path):
    path = tmp_path / "ninjs.json"
    path.write_text(UNREADABLE_EMBARGOES["ninjs.json"])

    failed, out, err = run(path, "--publish", "--dry-run")

    assert failed is None, err
    assert "would create: " in out and "(held as a draft: its embargo 'next Tuesday at noon'" in out


def test_a_readable_embargo_still_publishes_under_it(tmp_path):
    path = tmp_path / "ninjs.json"
    path.write_text(
        '{"uri": "urn:x:ok", "headline": "Under embargo", "body_text": "Text.", '
        '"embargoed": "2999-01-01T00:00:00Z"}'
    )

    failed, out, err = run(path, "--publish")

    assert failed is None, err
    story = Article.objects.get()
    assert story.status == "published" and story.embargo_until.year == 2999
    assert "held" not in out
