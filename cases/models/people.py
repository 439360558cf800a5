from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..slugs import KeepsMadeSlugsUnique, fill_in_slug
from .partial_dates import DatePrecision, precision_constraint, truncate
from .publication import InPublishedCasesQuerySet


class PersonQuerySet(InPublishedCasesQuerySet):
    case_links = "participations"

    def held_now(self):
        """The people held now, as the public may know it: with a detention
        episode that holds them today (cases.models.detentions.held_now) in
        a published case. An episode in a draft case tells the public nothing."""
        from .detentions import Detention

        episodes = Detention.objects.published().held_now()
        return self.filter(pk__in=episodes.values("participant__person"))


class Sex(models.TextChoices):
    """Recorded only where sources state it: registers count women and men
    held apart, and letters are addressed accordingly in Russian and Kazakh."""

    NOT_RECORDED = "", _("not recorded")
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Person(KeepsMadeSlugsUnique, models.Model):
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The name as it is usually written in English, e.g. “Ainur Kurmanov”."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "Used in the address of the person's page. Leave empty to make it from the name. "
            "It stays as it is when the name changes, so that links keep working."
        ),
    )
    name_original = models.CharField(
        _("name in original script"),
        max_length=200,
        blank=True,
        help_text=_("The name in the person's own script, e.g. Cyrillic."),
    )
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "Transliterations and misspellings seen in sources, one per line. "
            "Search finds the person by any of them."
        ),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=6, choices=Sex, blank=True, default="")
    occupation = models.CharField(
        _("occupation or role in society"),
        max_length=200,
        blank=True,
        help_text=_("As sources describe it, e.g. “oil workers' lawyer”."),
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="person_slug_unique",
                violation_error_message=_("Another person already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="person_slug_not_empty",
                violation_error_message=_("A person needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="person_name_not_empty",
                violation_error_message=_("A person needs a name."),
            ),
            precision_constraint(
                "birth_date", "birth_date_precision", "person_birth_date_precision"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        new = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        names = {"name", "name_original", "other_names"}
        if not new and (update_fields is None or names & set(update_fields)):
            # Search finds cases by the names of their people.
            from .cases import Case

            Case.objects.filter(participants__person=self).refresh_search_documents()

    def get_absolute_url(self):
        # Kept with the instance: a case page links to each of its people
        # from every entry of its timeline, and reverse() is not free. The
        # address depends on the language (/ru/people/...): the sitemap asks
        # the same instance for each language in turn.
        key = (self.slug, get_language())
        kept, url = self.__dict__.get("_absolute_url", (None, ""))
        if kept != key:
            url = reverse("person_detail", kwargs={"slug": self.slug})
            self.__dict__["_absolute_url"] = (key, url)
        return url

    def clean(self):
        fill_in_slug(self, self.name)
        if self.birth_date:
            self.birth_date = truncate(self.birth_date, self.birth_date_precision)

    @property
    def spellings(self) -> list[str]:
        """Every name the person is known by, the usual one first."""
        names = [self.name, self.name_original, *self.other_names.splitlines()]
        return [name.strip() for name in names if name.strip()]


class Relationship(models.Model):
    """A family tie between two people: PERSON is RELATIVE's KIND (mother of ...)."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("mother of")
        FATHER = "father", _("father of")
        PARENT = "parent", _("parent of")
        SPOUSE = "spouse", _("spouse of")
        SIBLING = "sibling", _("sibling of")
        RELATIVE = "relative", _("relative of")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("person")
    )
    kind = models.CharField(_("is the"), max_length=10, choices=Kind)
    relative = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="reverse_relationships",
        verbose_name=_("of"),
    )

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")),
                name="relationship_not_to_self",
                violation_error_message=_("A person cannot be their own relative."),
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "relative"],
                name="relationship_unique",
                violation_error_message=_("This relationship is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_kind_display()} — {self.relative}"
