from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..slugs import KeepsMadeSlugsUnique, fill_in_slug
from .fields import WebAddressField
from .people import Person
from .publication import InPublishedCasesQuerySet


class OrganisationQuerySet(InPublishedCasesQuerySet):
    case_links = "case_links"


class Organisation(KeepsMadeSlugsUnique, models.Model):
    class Kind(models.TextChoices):
        MOVEMENT = "movement", _("movement")
        CAMPAIGN = "campaign", _("campaign")
        TRADE_UNION = "trade_union", _("trade union")
        PARTY = "party", _("political party")
        NGO = "ngo", _("non-governmental organisation")
        INTERNATIONAL = "international", _("international organisation")
        STATE_BODY = "state_body", _("state body")
        COURT = "court", _("court")
        MEDIA = "media", _("media")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "Used in the address of the organisation's page. Leave empty to make it from the name. "
            "It stays as it is when the name changes, so that links keep working."
        ),
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, help_text=_("e.g. LPHA"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind,
        blank=True,
        help_text=_("Leave empty when sources do not say what kind of body it is."),
    )
    country = CountryField(
        _("country"), blank=True, help_text=_("Empty for international organisations.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("For example, the international that a national section belongs to."),
    )
    website = WebAddressField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Person, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="organisation_slug_unique",
                violation_error_message=_("Another organisation already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="organisation_slug_not_empty",
                violation_error_message=_("An organisation needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="organisation_name_not_empty",
                violation_error_message=_("An organisation needs a name."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organisation_not_own_parent",
                violation_error_message=_("An organisation cannot be part of itself."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", kwargs={"slug": self.slug})

    def clean(self):
        fill_in_slug(self, self.name)
        # The database refuses an organisation that is its own parent; a longer
        # loop (A in B in A) can only be seen by walking up the chain.
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("This would make the organisation part of itself.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Membership(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("e.g. “leader”, “member”.")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                name="membership_unique",
                violation_error_message=_("This membership is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_dates_in_order",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        role = f", {self.role}" if self.role else ""
        return f"{self.person} — {self.organisation}{role}"
