"""`manage.py import_wire`: files and folders, bad files, dry runs, JSON, users."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Status
from tests.factories import make_editor, make_reporter

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
GOOD = {
    "seed.txt": "text/000_8ed40d542d1fccef.txt",
    "listing-2.xml": "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml",
    "listing-28.xml": "newsml-g2/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
    "medium.json": "ninjs/provider-1.4/ninjsExMediumText1.json",
    "dpa.json": "ninjs/provider-3.0/dpa_text.json",
    "anpa-1.tst": "wire-formats/anpa-1.tst",
    "dpa-7901.txt": "wire-formats/IPTC7901.txt",
}
# One bad file of each kind, and the line that names its fault.
BAD = {
    "cut.xml": "truncated XML: it stops at line",
    "broken.json": "invalid JSON at line 1, column 25",
    "no-uri.json": 'JSON, but not ninjs: it has no "uri", headline or body',
    "wrong-type.json": 'ninjs "headline" must be a string, not an array',
    "empty.xml": "empty file",
    "scan.bin": "binary data, not wire copy in a known format",
    "cut.tst": "ANPA 1312 framing, but its header or text start (STX) is missing",
    "notes.csv": "unknown format",
}


def run(*args, stderr=None):
    """(the CommandError's message or None, standard output, standard error)."""
    out, err = io.StringIO(), stderr or io.StringIO()
    try:
        call_command("import_wire", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return str(error), out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def good_files(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or GOOD:
        shutil.copyfile(DATA / GOOD[name], folder / name)
    return folder


def bad_files(folder):
    folder.mkdir(exist_ok=True)
    listing = (DATA / GOOD["listing-2.xml"]).read_bytes()
    (folder / "cut.xml").write_bytes(listing[: len(listing) // 2])
    (folder / "broken.json").write_text('{"uri": "x", "headline" "Missing colon"}')
    (folder / "no-uri.json").write_bytes(
        (DATA / "ninjs/should-fail-1.0/001_no_uri_declared.json").read_bytes()
    )
    (folder / "wrong-type.json").write_text('{"uri": "x", "headline": ["A", "B"]}')
    (folder / "empty.xml").write_bytes(b"")
    (folder / "scan.bin").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    (folder / "cut.tst").write_bytes((DATA / GOOD["anpa-1.tst"]).read_bytes()[:60])
    (folder / "notes.csv").write_text("place,count\nMoscow,3\n")
    return folder


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_each_format_imports_with_its_headline_and_dateline(tmp_path):
    failed, out, _err = run(good_files(tmp_path / "in"))

    assert failed is None
    assert "Created 7, updated 0, skipped 0." in out
    stories = {a.headline: a for a in Article.objects.select_related("place", "agency")}
    expected = {
        "Russian Defense Ministry confident relations with NATO will be restored": (
            "MOSCOW",
            "/TASS/",
        ),
        'Fed to halt QE to avert "bubble"': ("NEW YORK", None),
        "MOSCOW, Monday (Reuters)": ("MOSCOW", "(Reuters)"),
        "Captain of wrecked cruise ship on trial in Italy": ("GROSSETO", "(AP)"),
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?": (None, None),
        "For Argentine chemo patients, mirrors can hurt": ("BUENOS AIRES", "(AP)"),
        "Germany Social Democrats: Coalition talks with Merkel could fail": ("BERLIN", "(dpa)"),
    }
    for headline, (place, mark) in expected.items():
        article = stories[headline]
        assert (article.place and article.place.name, article.agency and article.agency.mark) == (
            place,
            mark,
        ), headline
        assert article.status == Status.DRAFT and article.created_by.username == "wire"
    assert stories["MOSCOW, Monday (Reuters)"].dateline_date_text == "Monday"


def test_each_bad_file_gets_one_line_and_the_good_files_still_import(tmp_path):
    folder = bad_files(good_files(tmp_path / "in", "seed.txt", "medium.json"))

    failed, out, err = run(folder)

    assert failed == "Import failed for 8 of the files or items (see above)."
    lines = err.splitlines()
    assert len(lines) == len(BAD)
    for name, problem in BAD.items():
        (line,) = [line for line in lines if line.startswith(str(folder / name) + ": ")]
        assert problem in line, line
    assert Article.objects.count() == 2
    assert "Created 2, updated 0, skipped 0, 8 failed." in out


def test_bad_files_alone_write_nothing(tmp_path):
    before = row_counts()

    failed, out, err = run(bad_files(tmp_path / "bad"))

    assert failed and len(err.splitlines()) == len(BAD)
    assert row_counts() == before  # not even the system user


def test_the_command_exits_with_status_1_when_a_file_fails(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    good = good_files(tmp_path / "in", "seed.txt")
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_wire", str(bad), str(good), stdout=io.StringIO(), stderr=err)

    # manage.py prints the CommandError after the lines above and exits with its status.
    assert failure.value.returncode == 1
    assert (
        err.getvalue()
        == f"{bad}: invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes\n"
    )
    assert Article.objects.count() == 1


def test_files_with_no_story_are_reported_but_do_not_fail(tmp_path):
    photo = DATA / "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml"  # its JPEG is not beside it
    video = DATA / "newsml-g2/LISTING_24_News_Message_conveying_a_complete_News_Package.xml"

    failed, out, err = run(photo, video)

    assert failed is None and err == ""
    assert (
        f"skipped: {photo}: Variety Of Recessionary Forces Leave Las Vegas Economy Scarred (a picture "
        "whose file did not come with it: ./GYI0062134533.jpg, file:///./ GYI0062134533-web.jpg, "
        "and none is downloaded)" in out
    )
    assert f"{video}: nothing to import, no story in it" in out


def test_folders_are_read_recursively_and_hidden_files_left_out(tmp_path):
    good_files(tmp_path / "in" / "deep", "anpa-1.tst")
    good_files(tmp_path / "in" / ".cache", "dpa.json")

    failed, out, _err = run(tmp_path / "in", tmp_path / "missing")

    assert failed
    assert Article.objects.get().headline == "For Argentine chemo patients, mirrors can hurt"


def test_dry_run_json_prints_each_item_and_writes_nothing(tmp_path):
    folder = good_files(tmp_path / "in")
    before = row_counts()

    failed, out, err = run(folder, "--dry-run", "--json")

    assert failed is None and row_counts() == before
    items = [json.loads(line) for line in out.splitlines()]
    assert len(items) == len(GOOD) and {i["action"] for i in items} == {"create"}
    assert err.startswith("Would create 7, would update 0, would skip 0 (dry run")
    medium = next(i for i in items if i["file"].endswith("medium.json"))
    assert medium == {
        "file": str(folder / "medium.json"),
        "item": 1,
        "action": "create",
        "reason": "",
        "headline": "Captain of wrecked cruise ship on trial in Italy",
        "guid": "http://ninjs.example.com/newsitems/20130709med123",
        "version": None,
        "version_created": "2013-07-09T10:37:00+00:00",
        "format": "ninjs 1",
        "dateline": {
            "text": "GROSSETO, Italy (AP)",
            "place": "GROSSETO",
            "region": "Italy",
            "date_text": "",
            "agency": "(AP)",
        },
        "place": "GROSSETO, Italy",
        "agency": "AP",
        "bylines": ["Paulo Santalucia", "Frances d'Emilio"],
        "tags": [],
        "section": None,
        "urgency": None,
        "language": "en",
        "embargo": None,
        "published_at": "2013-07-09T10:37:00+00:00",
        "article": None,
    }


def test_dry_run_tells_updates_and_skips_from_creations(tmp_path):
    folder = good_files(tmp_path / "in", "listing-2.xml", "seed.txt")
    run(folder)
    listing = folder / "listing-2.xml"
    listing.write_bytes(listing.read_bytes().replace(b'version="11"', b'version="12"'))
    before = row_counts()

    _failed, out, _err = run(folder, "--dry-run", "--json")

    actions = {
        Path(i["file"]).name: (i["action"], i["article"]) for i in map(json.loads, out.splitlines())
    }
    assert actions["listing-2.xml"][0] == "update" and actions["seed.txt"][0] == "skip"
    assert None not in dict(actions.values()).values()
    assert row_counts() == before


def test_importing_twice_updates_nothing_and_duplicates_nothing(tmp_path):
    folder = good_files(tmp_path / "in")
    run(folder)
    before = row_counts()

    failed, out, _err = run(folder)

    assert failed is None and "Created 0, updated 0, skipped 7." in out
    assert row_counts() == before


def test_publish_option_publishes_what_is_imported(tmp_path):
    run(good_files(tmp_path / "in", "anpa-1.tst"), "--publish")

    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert article.published_at.isoformat() == "2013-11-13T15:09:00+00:00"


def test_user_option_names_who_imports(tmp_path):
    editor = make_editor()

    run(good_files(tmp_path / "in", "seed.txt"), "--user", "editor")

    assert Article.objects.get().created_by == editor
    assert not type(editor).objects.filter(username="wire").exists()


@pytest.mark.parametrize(
    "username, problem",
    [("nobody", "There is no user called 'nobody'."), ("reporter", "reporter may not import")],
)
def test_an_unknown_or_unfit_user_is_refused_before_anything_is_read(tmp_path, username, problem):
    make_reporter()

    failed, _out, _err = run(good_files(tmp_path / "in", "seed.txt"), "--user", username)

    assert failed.startswith(problem)
    assert not Article.objects.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_json_output_draws_no_progress_bar_even_on_a_terminal(tmp_path):
    terminal = Terminal()

    run(good_files(tmp_path / "in"), "--dry-run", "--json", stderr=terminal)

    assert terminal.getvalue().startswith("Would create 7")
    assert "\r" not in terminal.getvalue()


def test_a_story_too_long_to_keep_is_one_clear_line_and_a_failure(tmp_path):
    path = tmp_path / "transcript.json"
    path.write_text(json.dumps({"uri": "urn:test:long", "headline": "Transcript", "body_text": "word " * 210_000}))

    failed, _out, err = run(path)

    assert failed == "Import failed for 1 of the files or items (see above)."
    stored = len("<p>" + ("word " * 210_000).strip() + "</p>")  # the body as the story would keep it
    assert err == (
        f"{path}: not imported: The story's text is {stored:,} characters long; a story holds at most 1,000,000.\n"
    )
    assert not Article.objects.exists()
