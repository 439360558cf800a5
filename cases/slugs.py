"""Slugs: the ASCII words in the public addresses of people, organisations,
charges and cases (/people/ainur-kurmanov/).

The names here are mostly Russian and Kazakh, in Cyrillic. Django's
slugify() keeps only ASCII letters, so it makes "" of "Айнур Курманов", and
the admin's prepopulating script (urlify.js) knows Russian letters but not
Kazakh ones, so it made "azastan-ltty" of "Қазақстан ұлттық". A slug is
therefore made here, on the server, and nowhere else: the name is
transliterated to ASCII by anyascii (which knows Kazakh's letters, Chinese
and most other scripts), then slugified.

Slugs are public addresses that others link to: one is made only when the
slug is empty (a new row, or an editor who cleared it), never because a name
changed.
"""

from anyascii import anyascii
from django.db import IntegrityError, models, router, transaction
from django.utils.text import slugify

# Kazakh and Russian passports (ICAO Doc 9303) write й as "i" — Ainur, Evgenii,
# Kairat — and so does most of the English-language press; anyascii writes "y".
_PASSPORT_SPELLING = str.maketrans({"й": "i", "Й": "I"})


def slug_from(name: str, *, max_length: int, fallback: str) -> str:
    """NAME as a slug of at most MAX_LENGTH characters, cut at the end of a
    word where it is too long; FALLBACK (itself a slug) where NAME has no
    letter or digit that a slug can keep ("???")."""
    slug = slugify(anyascii(name.translate(_PASSPORT_SPELLING)))
    return _shorten(slug or fallback, max_length)


def unique_slug(instance: models.Model, name: str) -> str:
    """A slug made from NAME that no other row of INSTANCE's model has:
    "ainur-kurmanov", else "ainur-kurmanov-2", "ainur-kurmanov-3" ..."""
    model = type(instance)
    max_length = model._meta.get_field("slug").max_length
    base = slug_from(name, max_length=max_length, fallback=model._meta.model_name)
    others = model._default_manager.all()
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    slug, number = base, 1
    while others.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = _shorten(base, max_length - len(suffix)) + suffix
    return slug


def fill_in_slug(instance: models.Model, name: str) -> None:
    """Give INSTANCE a slug made from NAME if its slug is empty. For the
    models' clean(), which the admin's forms, the demo loader and any import
    that validates its rows all call before saving. A slug the editor typed is
    left alone: if it is taken, the model's unique constraint says so."""
    if not instance.slug:
        instance.slug = unique_slug(instance, name)
        instance.__dict__["_slug_made_from"] = (name, instance.slug)


def fill_in_slugs(rows: list[tuple[models.Model, str]]) -> None:
    """fill_in_slug() for many new rows of one model, each (instance, name),
    in a query per 500 distinct slugs (and one for each slug the register
    already has), for imports that create rows in bulk: the slugs are unique
    among the rows given and in the database. A slug taken between this and
    the INSERT is refused by the model's unique constraint."""
    wanted = [(instance, name) for instance, name in rows if not instance.slug]
    if not wanted:
        return
    model = type(wanted[0][0])
    max_length = model._meta.get_field("slug").max_length
    fallback = model._meta.model_name
    bases = [slug_from(name, max_length=max_length, fallback=fallback) for _i, name in wanted]
    others = model._default_manager.all()
    distinct = sorted(set(bases))
    taken = set()
    for start in range(0, len(distinct), 500):
        taken.update(
            others.filter(slug__in=distinct[start : start + 500]).values_list("slug", flat=True)
        )
    seen, repeated = set(), set()
    for base in bases:
        (repeated if base in seen else seen).add(base)
    # A numbered slug ("ainur-kurmanov-2") starts with the shortest cut of its base.
    for base in sorted(taken | repeated):
        prefix = _shorten(base, max_length - 12)
        taken.update(others.filter(slug__startswith=prefix).values_list("slug", flat=True))
    for (instance, _name), base in zip(wanted, bases, strict=True):
        slug, number = base, 1
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = _shorten(base, max_length - len(suffix)) + suffix
        taken.add(slug)
        instance.slug = slug


class KeepsMadeSlugsUnique:
    """For the models whose clean() calls fill_in_slug(): a slug made there
    can be taken by the time the row is saved. Two editors adding "Ainur
    Kurmanov" at once both get "ainur-kurmanov" from clean(), and the second
    INSERT fails on the unique constraint; PostgreSQL lets both transactions
    read before either writes. The second then takes the next free number, as
    it would have a moment later, instead of failing with a server error.

    A slug the editor typed is never changed here: the form's unique check
    tells them it is taken, and a race on it still fails loudly.
    """

    ATTEMPTS = 5

    def save(self, *args, **kwargs):
        name, made = self.__dict__.pop("_slug_made_from", (None, None))
        if made is None or self.slug != made:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                with transaction.atomic(using=using):
                    return super().save(*args, **kwargs)
            except IntegrityError:
                taken = type(self)._default_manager.using(using).filter(slug=self.slug)
                if self.pk is not None:
                    taken = taken.exclude(pk=self.pk)
                if attempt == self.ATTEMPTS or not taken.exists():
                    raise
                self.slug = unique_slug(self, name)


def _shorten(slug: str, max_length: int) -> str:
    """SLUG cut to MAX_LENGTH at a hyphen, so that no word is cut in two;
    only a single word longer than MAX_LENGTH is cut where it must be."""
    if len(slug) <= max_length:
        return slug
    # Include the next character: if it is a hyphen, the cut falls between words.
    words, hyphen, _ = slug[: max_length + 1].rpartition("-")
    return words.rstrip("-") if hyphen and words else slug[:max_length]
