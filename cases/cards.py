"""Cases' cards (includes/case_card.html) as the case list shows them: each
rendered once and kept while what it shows is unchanged.

A list page shows 20 cards, and rendering them was a third of its CPU time,
with as much again in building the people and charges they name as model
objects (issue 18). Every edit of a case throws the lists away (they count
and sort it), but leaves the cards of the other cases as they were: so a
list rendered again after an edit, or a list page not in the page cache,
renders only the cards of cases that changed.

A card is kept under a hash of what it shows, read with the page's cases
as plain values: the case's row, and for each of its people and charges, in
the card's order, their link (role, current status) and the person's or
charge's last change (updated_at, which every edit of them sets); and the
language; and the release (cases.release: the templates and translations
as deployed), so that a new release does not serve cards of the old one. An
edit of any of these makes a new key, so knowing whether the kept card is still right costs two small queries and no model object, and
does not depend on the edit saying what it changed (cases.page_cache's
stamps). Kept in the cache of page fragments (settings.CACHES), apart from
whole pages.
"""

import hashlib

from django.core.cache import InvalidCacheBackendError, caches
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import release
from .models import Case, CaseCharge, CaseParticipant
from .models.cases import list_prefetches

CARD_SECONDS = 24 * 60 * 60
FRAGMENTS = "template_fragments"  # the cache alias of {% cache %} too


def case_cards(cases: list[Case]) -> list[SafeString]:
    """The HTML of the card of each of CASES (rows of Case, in the order
    shown), rendered for those whose kept card is missing or out of date."""
    if not cases:
        return []
    keys = _keys(cases)
    fragments = _fragments()
    kept = fragments.get_many(list(keys.values()))
    missing = [case for case in cases if keys[case.pk] not in kept]
    if missing:
        prefetch_related_objects(missing, *list_prefetches())
        template = get_template("includes/case_card.html")
        rendered = {keys[case.pk]: str(template.render({"case": case})) for case in missing}
        fragments.set_many(rendered, CARD_SECONDS)
        kept.update(rendered)
    # Rendered by the template above, which escapes every value.
    return [mark_safe(kept[keys[case.pk]]) for case in cases]  # noqa: S308


def _fragments():
    """The cache of page fragments, or the default cache where there is none
    (as Django's {% cache %} tag does)."""
    try:
        return caches[FRAGMENTS]
    except InvalidCacheBackendError:
        return caches["default"]


def _keys(cases: list[Case]) -> dict[int, str]:
    """The key of each case's card: a hash of what the card shows."""
    shown: dict[int, list] = {
        case.pk: [release.current(), get_language(), _row(case)] for case in cases
    }
    people = (
        CaseParticipant.objects.filter(case__in=list(shown))
        .order_by("pk")
        .values_list("case_id", "person_id", "role", "current_status", "person__updated_at")
    )
    for case_id, *person in people:
        shown[case_id].append(("person", *person))
    charges = (
        CaseCharge.objects.filter(case__in=list(shown))
        .order_by("pk")
        .values_list("case_id", "charge_id", "charge__updated_at")
    )
    for case_id, *charge in charges:
        shown[case_id].append(("charge", *charge))
    return {
        pk: f"cases:card:{hashlib.sha256(repr(values).encode()).hexdigest()}"
        for pk, values in shown.items()
    }


def _row(case: Case) -> tuple:
    """The case's own fields as read: the card shows some of them, in any
    language, and a change of any of them makes a new card."""
    return tuple(
        (name, value) for name, value in sorted(vars(case).items()) if not name.startswith("_")
    )
