"""
Paginators for public listings that cost the same at any archive size.

``CountedPaginator`` pages a listing of live stories, newest first, with the
number of stories read from the counts (articles/counts.py) instead of a
COUNT(*), and each page found from the period that holds it: the query skips
at most half of one period's stories (a day of the river, a month of a tag),
from whichever end is nearer, rather than every newer story in the archive. ``?page=N`` therefore stays what it
always was, for any N, without OFFSET deep into the table.

A page holds its stories as card rows (articles/fragments.py: what each
story's card is known by), and a process keeps each page's rows for a moment
as it keeps the counts (articles/recent.py): a busy listing is read once a
moment, not once a reader. The rows are kept under the counts of the
periods the page is read from and the place the page starts in them, so a
held-back story falling due (which changes those counts at its time) makes
the page be read afresh at once; a change made in this process forgets them
when it commits, one made elsewhere shows within the moment.

``ShortPaginator`` pages a list with no counts (corrections): newest first,
at most ``max_pages`` pages, each found with a bounded OFFSET.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

from . import counts, fragments, recent


class CountedPaginator(Paginator):
    def __init__(self, stories, per_page, *, kind, periods, listing, allow_empty_first_page=True):
        super().__init__(stories, per_page, allow_empty_first_page=allow_empty_first_page)
        self.kind = kind
        self.periods = periods  # [(period, live stories)], newest first
        self.listing = listing  # which listing ``stories`` are: part of the key its pages are kept by

    @cached_property
    def count(self):
        return sum(live for _period, live in self.periods)

    def page(self, number):
        number = self.validate_number(number)
        skip = (number - 1) * self.per_page
        for index, (_period, live) in enumerate(self.periods):
            if skip < live:
                return self._get_page(self._window(index, skip), number, self)
            skip -= live
        return self._get_page(fragments.Rows(), number, self)  # a listing with no story

    def _window(self, first, skip):
        """
        The page whose first story is the ``skip``-th of period ``first``:
        read within the periods that hold it, from whichever end of them is
        nearer, so the query never passes more than half of their stories.
        """
        held, last = 0, first
        for last in range(first, len(self.periods)):
            held += self.periods[last][1]
            if held >= skip + self.per_page:
                break
        size = min(self.per_page, held - skip)
        after = held - skip - size  # the window's stories older than the page

        def read():
            _start, end = counts.bounds(self.kind, self.periods[first][0])
            start, _end = counts.bounds(self.kind, self.periods[last][0])
            time = counts.LISTING_TIME[self.kind]
            stories = self.object_list.filter(**{f"{time}__gte": start, f"{time}__lt": end})
            if skip <= after:
                return fragments.rows(stories[skip : skip + size])
            return fragments.Rows(reversed(fragments.rows(stories.reverse()[after : after + size])))

        window = self.periods[first : last + 1]
        key = ("page", self.listing, self.kind, tuple(window), skip, self.per_page)
        return recent.remembered(key, read)


class ShortPaginator(Paginator):
    """Newest first, never counted: a page knows only whether another follows it."""

    max_pages = 50

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.num_pages = None  # not counted; the template says "Page N" alone

    def validate_number(self, number):
        number = _whole(number)
        if not 1 <= number <= self.max_pages:
            raise EmptyPage("That page is beyond the last one.")
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if number > 1 and not rows:
            raise EmptyPage("That page contains no results.")
        page = ShortPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page and number < self.max_pages
        return page


class ShortPage(Page):
    def has_next(self):
        return self.more

    def next_page_number(self):
        return self.number + 1


def _whole(number):
    try:
        return int(number)
    except (TypeError, ValueError):
        raise PageNotAnInteger("That page number is not a whole number.") from None
