"""Arranging the front page in tests, as an editor would (through the workflow)."""

from articles import frontpage, workflow


def arrange(by, *, lead=None, top=(), top_size=4, sections=()):
    """``sections``: (section, size, [chosen stories]) in page order."""
    arrangement = frontpage.Arrangement(
        lead=frontpage.Block(frontpage.LEAD, 1, chosen=[lead] if lead else []),
        top=frontpage.Block(frontpage.TOP, top_size, chosen=list(top)),
        sections=[
            frontpage.Block(frontpage.SECTION, size, section, list(chosen))
            for section, size, chosen in sections
        ],
    )
    workflow.arrange_front_page(arrangement, by=by)
    return arrangement
