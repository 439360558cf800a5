"""What the public may see: the one definition of "published".

A case is public while its publication state is PUBLISHED; everything else
(people, charges, organisations, status changes) is public through the
published cases it belongs to. The rule lives here and nowhere else, and
needs no model: the querysets of every model reach it through a prefix, so
none of them has to import Case to ask.
"""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


def published(prefix: str = "") -> Q:
    """Rows whose case is published, the case reached through PREFIX:
    published() for cases, published("case__") for a case's status changes."""
    return Q(**{f"{prefix}publication_state": PublicationState.PUBLISHED})


class InPublishedCasesQuerySet(models.QuerySet):
    """People, charges or organisations, as far as published cases show them.

    CASE_LINKS names the reverse relation from the model to the rows that
    link it to cases (CaseParticipant, CaseCharge, CaseOrganisation), each
    of which has a `case`.
    """

    case_links: str

    def public(self):
        """Those linked to at least one published case."""
        links = self.model._meta.get_field(self.case_links)
        in_published_cases = links.related_model.objects.filter(published("case__"))
        return self.filter(pk__in=in_published_cases.values(links.field.name))

    def with_case_counts(self):
        """Only those in published cases, each with case_count: in how many."""
        # A join rather than a subquery of published cases, which PostgreSQL
        # hashes whole: this counts for all of them at once (cases.facets).
        in_published = published(f"{self.case_links}__case__")
        return self.annotate(case_count=Count(self.case_links, filter=in_published)).filter(
            case_count__gt=0
        )
