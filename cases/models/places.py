"""Places of detention: where people are held, and how to write to them.

A place is its own entity, not a line of text on a detention, because sources
spell one prison many ways (one Azerbaijani prison is written eight ways in
one list) and readers ask who is held there and how letters reach it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..slugs import KeepsMadeSlugsUnique, fill_in_slug
from .sources import Source


class Regime(models.TextChoices):
    """The regime of a colony or prison, as a verdict sets it and a place keeps it.

    The Russian and Kazakh codes name the same ladder differently: Russia by
    general, strict and special regime, Kazakhstan since 2014 by the level of
    security. Both are here, so that a source's own word can be kept.
    """

    SETTLEMENT = "settlement", _("colony-settlement")
    GENERAL = "general", _("general regime")
    STRICT = "strict", _("strict regime")
    SPECIAL = "special", _("special regime")
    PRISON = "prison", _("prison regime")
    MINIMUM_SECURITY = "minimum_security", _("minimum security")
    MEDIUM_SECURITY = "medium_security", _("medium security")
    MAXIMUM_SECURITY = "maximum_security", _("maximum security")
    EXTREME_SECURITY = "extreme_security", _("extreme security")


class LettersReach(models.TextChoices):
    UNKNOWN = "", _("not known")
    YES = "yes", _("letters reach")
    SOMETIMES = "sometimes", _("letters sometimes reach")
    NO = "no", _("letters do not reach")


class PlaceOfDetention(KeepsMadeSlugsUnique, models.Model):
    class Kind(models.TextChoices):
        TEMPORARY_HOLDING = "temporary_holding", _("temporary holding facility")
        PRE_TRIAL_CENTRE = "pre_trial_centre", _("pre-trial detention centre")
        PRISON = "prison", _("prison")
        COLONY = "colony", _("penal colony")
        PSYCHIATRIC_HOSPITAL = "psychiatric_hospital", _("psychiatric hospital")
        HOUSE_ARREST = "house_arrest", _("house arrest (at home)")
        OTHER = "other", _("other")

    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_(
            "As it is usually written in English, e.g. “Pre-trial detention centre No. 1, Almaty”."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "Used in the address of the place's page. Leave empty to make it from the name. "
            "It stays as it is when the name changes, so that links keep working."
        ),
    )
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "Other names and spellings met in sources (“SIZO-1”, “ЛА-155/18”), one per line. "
            "The admin's search finds the place by any of them."
        ),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    regime = models.CharField(
        _("regime"),
        max_length=30,
        choices=Regime,
        blank=True,
        help_text=_("For a colony or prison, where sources give it."),
    )
    country = CountryField(_("country"))
    place = models.CharField(
        _("town or region"), max_length=200, blank=True, help_text=_("Where it is.")
    )
    postal_address = models.TextField(
        _("postal address for letters"),
        blank=True,
        help_text=_(
            "As it goes on an envelope, in the language the post office there reads, "
            "without the prisoner's name."
        ),
    )
    letters_reach = models.CharField(
        _("do letters reach?"), max_length=10, choices=LettersReach, blank=True, default=""
    )
    letter_language = models.CharField(
        _("language of letters"),
        max_length=100,
        blank=True,
        help_text=_("The language letters must be written in to pass the censor, e.g. “Russian”."),
    )
    letter_advice = models.TextField(
        _("advice for letters"),
        blank=True,
        help_text=_(
            "What a writer should know: censorship, what may be enclosed (stamps, "
            "envelopes, photos), how long letters take, electronic letter services."
        ),
    )
    sources = models.ManyToManyField(
        Source,
        through="PlaceOfDetentionSource",
        related_name="places_of_detention",
        verbose_name=_("sources"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("place of detention")
        verbose_name_plural = _("places of detention")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="place_of_detention_slug_unique",
                violation_error_message=_("Another place of detention already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="place_of_detention_slug_not_empty",
                violation_error_message=_("A place of detention needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="place_of_detention_name_not_empty",
                violation_error_message=_("A place of detention needs a name."),
            ),
            models.CheckConstraint(
                condition=Q(postal_address="") | ~Q(place=""),
                name="place_of_detention_address_has_place",
                violation_error_message=_(
                    "Give the town or region of the place before its address for letters: "
                    "readers must know where their letter goes."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        fill_in_slug(self, self.name)
        self.postal_address = self.postal_address.strip()

    @property
    def spellings(self) -> list[str]:
        """Every name the place is known by, the usual one first."""
        names = [self.name, *self.other_names.splitlines()]
        return [name.strip() for name in names if name.strip()]


class PlaceOfDetentionSource(models.Model):
    place = models.ForeignKey(
        PlaceOfDetention,
        on_delete=models.CASCADE,
        related_name="source_links",
        verbose_name=_("place of detention"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="place_of_detention_links",
        verbose_name=_("source"),
    )

    class Meta:
        verbose_name = _("source of the place of detention")
        verbose_name_plural = _("sources of the place of detention")
        ordering = ["place", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "source"],
                name="place_of_detention_source_unique",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)
