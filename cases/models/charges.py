from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..slugs import KeepsMadeSlugsUnique, fill_in_slug
from .publication import InPublishedCasesQuerySet


class ChargeQuerySet(InPublishedCasesQuerySet):
    case_links = "case_links"


class Charge(KeepsMadeSlugsUnique, models.Model):
    """A legal provision of one country that people are charged under."""

    country = CountryField(_("country"))
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "Used in the address of the charge's page. Leave empty to make it from the name in English. "
            "It stays as it is when the name in English changes, so that links keep working."
        ),
    )
    code = models.CharField(
        _("code"), max_length=200, blank=True, help_text=_("e.g. “Criminal Code”, where known.")
    )
    article = models.CharField(
        _("article"), max_length=50, blank=True, help_text=_("e.g. “327 part 1”, where known.")
    )
    name = models.CharField(
        _("name in English"), max_length=200, help_text=_("e.g. “arbitrariness”.")
    )
    name_original = models.CharField(
        _("name in the original language"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “самоуправство”."),
    )
    name_transliterated = models.CharField(
        _("transliterated name"),
        max_length=200,
        blank=True,
        help_text=_("As sources in English write it, e.g. “samoupravstvo”."),
    )
    description = models.TextField(_("description"), blank=True)
    maximum_penalty = models.CharField(
        _("maximum penalty"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “up to two years' imprisonment”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="charge_slug_unique",
                violation_error_message=_("Another charge already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="charge_slug_not_empty",
                violation_error_message=_("A charge needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="charge_name_not_empty",
                violation_error_message=_("A charge needs a name in English."),
            ),
            models.UniqueConstraint(
                fields=["country", "code", "article"],
                condition=~Q(article=""),
                name="charge_article_unique_per_code",
                violation_error_message=_(
                    "This article of this code is already recorded as a charge."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.citation})" if self.citation else self.name

    def save(self, *args, **kwargs):
        new = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        names = {"name", "name_original", "name_transliterated"}
        if not new and (update_fields is None or names & set(update_fields)):
            # Search finds cases by the names of their charges.
            from .cases import Case

            Case.objects.filter(charge_links__charge=self).refresh_search_documents()

    def get_absolute_url(self):
        return reverse("charge_detail", kwargs={"slug": self.slug})

    def clean(self):
        fill_in_slug(self, self.name)

    @property
    def citation(self) -> str:
        """'Criminal Code, art. 327', or only what is known of it."""
        if self.article:
            article = _("art. %(article)s") % {"article": self.article}
            return f"{self.code}, {article}" if self.code else article
        return self.code

    @property
    def original_name_html(self) -> str:
        """'самоуправство (<i>samoupravstvo</i>)', either alone when only one is
        known, or "". Each name is isolated for direction (<bdi>); the original
        is marked as of no known language, as its script may be any."""
        original = self.name_original and format_html('<bdi lang="">{}</bdi>', self.name_original)
        transliterated = self.name_transliterated and format_html(
            "<i><bdi>{}</bdi></i>", self.name_transliterated
        )
        if original and transliterated:
            return format_html("{} ({})", original, transliterated)
        return original or transliterated
