"""
The forms the wire desk meets, each written as agencies and papers print
them: every dateline and text layout the wire desk was found to misread,
read right (the corpus in test_dateline_corpus.py scores real copy).
"""

import pytest

from articles import datelines, wire

# text -> (place, region, date as printed, agency mark as printed)
DATELINES = {
    # No agency mark; months in any case, abbreviation and order
    "LYON, Oct 3 - The": ("LYON", "", "Oct 3", ""),
    "BOISE, Idaho, March 12 - The": ("BOISE", "Idaho", "March 12", ""),
    "HALIFAX, Nova Scotia, Jan 9 - The": ("HALIFAX", "Nova Scotia", "Jan 9", ""),
    "LYON, oct 3 - The": ("LYON", "", "oct 3", ""),
    "LYON, OCT. 3 - The": ("LYON", "", "OCT. 3", ""),
    "LYON, OCt 3 - The": ("LYON", "", "OCt 3", ""),
    "LYON, Sept. 3 - The": ("LYON", "", "Sept. 3", ""),
    "LYON, 3 Oct - The": ("LYON", "", "3 Oct", ""),
    "TULSA, Okla., - May 2 - The": ("TULSA", "Okla.", "May 2", ""),
    "TULSA, May 2, - The": ("TULSA", "", "May 2", ""),
    # Noise before the place
    "RPT-LONDON, Oct 3 (Reuters) - The": ("LONDON", "", "Oct 3", "(Reuters)"),
    "CORRECTED-LONDON, Oct 3 (Reuters) - The": ("LONDON", "", "Oct 3", "(Reuters)"),
    "UPDATE 2-LONDON, Oct 3 (Reuters) - The": ("LONDON", "", "Oct 3", "(Reuters)"),
    "*** LONDON, Oct 3 (Reuters) - The": ("LONDON", "", "Oct 3", "(Reuters)"),
    "SAN{TIAGO, Oct 3 (Reuters) - The": ("SAN{TIAGO", "", "Oct 3", "(Reuters)"),
    # Agency first, or only
    "(AGI) - TURIN, MAY 5 - The": ("TURIN", "", "MAY 5", "(AGI)"),
    "(Reuters) - The": ("", "", "", "(Reuters)"),
    "Oct 3 (Reuters) - The": ("", "", "Oct 3", "(Reuters)"),
    "AFP - The": ("", "", "", "AFP"),
    "PARIS (afp/dpa) - The": ("PARIS", "", "", "(afp/dpa)"),
    "NEW YORK (CNN Business) - The": ("NEW YORK", "", "", "(CNN Business)"),
    "OSAKA, Japan, Oct. 3 Kyodo - The": ("OSAKA", "Japan", "Oct. 3", "Kyodo"),
    # Several places, long regions, old names
    "RIGA/VILNIUS (Reuters) - The": ("RIGA/VILNIUS", "", "", "(Reuters)"),
    "MINNEAPOLIS/ST. PAUL, Minn. (AP) — The": ("MINNEAPOLIS/ST. PAUL", "Minn.", "", "(AP)"),
    "REGINA, Saskatchewan, Oct 3 (Reuters) - The": ("REGINA", "Saskatchewan", "Oct 3", "(Reuters)"),
    "ALBUQUERQUE, New Mexico (AP) — The": ("ALBUQUERQUE", "New Mexico", "", "(AP)"),
    "SALISBURY, Rhodesia, Oct 3 (Reuters) - The": ("SALISBURY", "Rhodesia", "Oct 3", "(Reuters)"),
    "WASHINGTON, D.C. - The": ("WASHINGTON", "D.C.", "", ""),
    # In the agencies' own languages
    "Bogotá, 3 oct (EFE).- El": ("Bogotá", "", "3 oct", "(EFE)"),
    "МОСКВА, 3 октября. /ТАСС/. Россия": ("МОСКВА", "", "3 октября", "/ТАСС/"),
    "ПЕТРОЗАВОДСК, 3 окт — РИА Новости. Власти": ("ПЕТРОЗАВОДСК", "", "3 окт", "РИА Новости"),
    "Москва. 3 октября. ИНТЕРФАКС - Россия": ("Москва", "", "3 октября", "ИНТЕРФАКС"),
    "Hamburg (dpa) - Die": ("Hamburg", "", "", "(dpa)"),
    "Hamburg (dpa/lno) - Die": ("Hamburg", "", "", "(dpa/lno)"),
    "LYON, 3 oct 2025 (AFP) - Le": ("LYON", "", "3 oct 2025", "(AFP)"),
    "(ANSA) - MILANO, 3 OTT - Il": ("MILANO", "", "3 OTT", "(ANSA)"),
    "Lisboa, 3 out (Lusa) - O": ("Lisboa", "", "3 out", "(Lusa)"),
}  # fmt: skip


@pytest.mark.parametrize("text", DATELINES)
def test_each_form_is_read_as_printed(text):
    dateline, rest = datelines.parse(text)

    assert dateline is not None, text
    parts = (dateline.place, dateline.region, dateline.date_text, dateline.agency)
    assert parts == DATELINES[text]
    assert text.startswith(dateline.raw) and rest == text[len(dateline.raw) :].lstrip(" .-")


@pytest.mark.parametrize("text", ["WASHINGTON'S mayor said on Monday", "In MOSCOW, the mayor said"])
def test_story_text_is_no_dateline(text):
    assert datelines.parse(text) == (None, text)


def read_text(tmp_path, text):
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    (story,) = wire.read(path)
    return story


@pytest.mark.parametrize(
    "text, headline, section, tags",
    [
        ("Germany/politics/coalition/\nCoalition agrees on budget\n\nBerlin (dpa) - The parties agreed.\n",
         "Coalition agrees on budget", "", ["Germany", "politics", "coalition"]),
        (">>>AGI/ Turin mayor resigns\n\n(AGI) - TURIN, MAY 5 - The mayor resigned.\n",
         "Turin mayor resigns", "", []),
        ("Sciopero dei trasporti a Roma (2)\n\n(ANSA) - ROMA, 3 OTT - Lo sciopero continua.\n",
         "Sciopero dei trasporti a Roma", "", []),
        ("INTERNACIONAL POLÍTICA\nEl presidente viaja a Lima\n\nBogotá, 3 oct (EFE).- El presidente viajará.\n",
         "El presidente viaja a Lima", "Internacional", ["Política"]),
        ("OSLO, Monday (Reuters)\n\nNorway's central bank held rates on Monday.\n",
         "Norway's central bank held rates on Monday.", "", []),
    ],
)  # fmt: skip
def test_each_text_layout_keeps_its_headline_clean(tmp_path, text, headline, section, tags):
    story = read_text(tmp_path, text)

    assert (story.headline, story.section, story.tags) == (headline, section, tags)
    assert story.dateline is not None


@pytest.mark.parametrize("mark", ["(2)", "-2-", "=3=", "(SEGUE)", "(suite)", "(Fortsetzung)", "(MORE)"])
def test_a_takes_continuation_mark_comes_off_the_headline(mark):
    assert wire.item.without_continuation(f"Storm closes ports {mark}") == "Storm closes ports"


@pytest.mark.parametrize("headline", ["Apollo 13 (1995) returns", "Catch-22", "Score = 2 =", "Top 10 (of 2024)"])
def test_a_headline_that_only_looks_continued_is_kept(headline):
    assert wire.item.without_continuation(headline) == headline
