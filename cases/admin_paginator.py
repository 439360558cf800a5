"""The admin's lists count their rows only as far as a page needs (issue 18).

Django's change list counts every row its filters and search select, for
the paginator, on each page: at 1,000,000 cases a search for a common
surname counted 88,000 cases (1.59 s p95). Here the count stops after
COUNT_CAP rows (SELECT count(*) FROM (SELECT ... LIMIT n)); when there are
more, the list says "more than 10,000 cases" (templates/admin/cases/
pagination.html, search_form.html and actions.html), links the pages
around the one shown and no last page, whose number is not known.

The count reaches past the page shown and the pages linked after it, so
every page an editor may go to is there; going further counts further
(page 500 of 100 cases counts 50,301). An action on "all" the cases found
acts on every one of them: Django hands it the list's query, not the
counted rows.
"""

import contextlib

from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.utils import formats
from django.utils.functional import cached_property

from . import views

# How many rows an admin list counts at least before it says "more than".
COUNT_CAP = 10_000
# The pages linked either side of the one shown: the admin's pagination asks
# Paginator.get_elided_page_range() for its default, 3.
ON_EACH_SIDE = 3


def asked_page(request) -> int:
    """The page of the list REQUEST asks for, as Django's ChangeList reads it."""
    try:
        return int(request.GET.get(PAGE_VAR, 1))
    except ValueError:
        return 1


class CappedCountMixin:
    """A paginator that counts at most enough rows for the page asked for.

    count_cap: count at least this many rows before stopping (None: count all).
    page_hint: the page that will be shown (the admin passes the request's).
    at_least: count at least this many too (the admin's list_max_show_all,
        so that "Show all" is never offered for a list cut short).
    count_queryset: the same rows as object_list, in a query that is cheaper
        to count (see CaseAdmin.get_search_results); object_list by default.

    When the rows do not all fit, `capped` is True, `count` is the number of
    rows known to exist (one more than `count_floor`), and the page range
    has no last page.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        count_cap=None,
        page_hint=1,
        at_least=0,
        count_queryset=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_cap = count_cap
        self.page_hint = page_hint
        self.at_least = at_least
        self.count_queryset = count_queryset
        self.capped = False

    @property
    def count_floor(self) -> int:
        """The most rows counted before stopping: "more than" this many."""
        linked = (max(self.page_hint, 1) + ON_EACH_SIDE) * self.per_page
        return max(self.count_cap, self.at_least, linked)

    @property
    def count_floor_text(self) -> str:
        """count_floor as the language of the page writes numbers ("10,000")."""
        return formats.number_format(self.count_floor, force_grouping=True)

    @cached_property
    def count(self):
        if self.count_cap is None:
            return super().count
        rows = self.object_list if self.count_queryset is None else self.count_queryset
        # No ORDER BY: any count_floor + 1 rows will do, so the database
        # stops as soon as it has found them.
        counted = rows.order_by().values("pk")[: self.count_floor + 1].count()
        self.capped = counted > self.count_floor
        return counted

    def page(self, number):
        # A paginator asked for a page before its count (the autocomplete's):
        # count as far as that page.
        if "count" not in self.__dict__:
            with contextlib.suppress(TypeError, ValueError):
                self.page_hint = int(number)
        return super().page(number)

    def get_elided_page_range(self, number=1, *, on_each_side=ON_EACH_SIDE, on_ends=2):
        if not self.capped:
            yield from super().get_elided_page_range(
                number, on_each_side=on_each_side, on_ends=on_ends
            )
            return
        # The pages up to ON_EACH_SIDE after this one were counted in full;
        # the last page is not known, so the range ends with "…".
        number = self.validate_number(number)
        if number > 1 + on_each_side + on_ends + 1:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, number + 1)
        else:
            yield from range(1, number + 1)
        yield from range(number + 1, number + min(on_each_side, ON_EACH_SIDE) + 1)
        yield self.ELLIPSIS


class CappedPaginator(CappedCountMixin, Paginator):
    """Django's paginator, counting as far as a page needs."""


class CappedCasePaginator(CappedCountMixin, views.CasePaginator):
    """The cases' paginator (each page's cases chosen by their ids first),
    counting as far as a page needs."""
