"""Categories of cases: journalist, trade union, religion, protest, ...

A model rather than fixed choices: registers differ in what they count
(OVD-Info's "anti-war", Viasna's "2020 protests"), a group adds one when a
wave of cases begins, and its name is prose translated like the others. So
publishers edit the list; editors put cases into categories.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..slugs import KeepsMadeSlugsUnique, fill_in_slug


class Category(KeepsMadeSlugsUnique, models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. “trade union”."))
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_(
            "Used in the addresses of filtered lists. Leave empty to make it from the name. "
            "It stays as it is when the name changes, so that links keep working."
        ),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Which cases belong here, for editors and readers."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="category_slug_unique",
                violation_error_message=_("Another category already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="category_slug_not_empty",
                violation_error_message=_("A category needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="category_name_not_empty",
                violation_error_message=_("A category needs a name."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        fill_in_slug(self, self.name)


class CaseCategory(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="category_links",
        verbose_name=_("case"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("category")
    )

    class Meta:
        verbose_name = _("category of the case")
        verbose_name_plural = _("categories of the case")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "category"],
                name="case_category_unique",
                violation_error_message=_("The case is already in this category."),
            ),
        ]

    def __str__(self):
        return str(self.category)
