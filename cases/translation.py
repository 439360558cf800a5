"""The prose that editors write, held in English (the original), Russian and Kazakh.

django-modeltranslation adds a column per language beside each field below
(`summary_en`, `summary_ru`, `summary_kk`) in the same table, so filters,
facets, the search document and the API need no joins. Names of people are
not here: they are spellings, kept in Person.name, name_original and
other_names. An organisation's name is, as its names in each script.

Three rules, all set here so that every path meets them:

- Reading the field by its own name (`case.summary`) gives the active
  language's text, else the English: what the API, feeds and downloads
  print. Templates print prose through `{% prose %}` (cases.templatetags.prose),
  which also says when the text is the English one standing in.
- Writing by the field's own name (`Case(title=...)`, `case.title = ...`)
  writes the English original whatever language is active, so a service
  called from a Russian admin page (record_status_change's headline) does not
  file its text as a translation. Translations are written by their own
  names (`summary_ru`), as the admin's side-by-side form does.
- Queries by the field's own name (`filter(name=...)`, `order_by("title")`,
  `values("name")`, `update(title=...)`) mean the English, whatever language
  is active: modeltranslation would otherwise rewrite them to the active
  language's column, so that the same code would find other rows, sort
  otherwise and put one language's names in caches shared by all (the
  list's facets) depending on who asked first. Code that wants a
  translation in a query names its column (`title_ru`).
- The original column (`summary`) keeps the English text: it is saved with
  English active. It is what the data held before translations existed, and
  the migration that added the columns copied it into `summary_en`.

django-modeltranslation imports this module when the apps are ready; the
history of edits is registered at its end, after the columns exist, so that
django-simple-history copies every language's column into the history and
a restore brings back the translations too.
"""

import functools

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from modeltranslation import manager as multilingual_manager
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname, get_language

from .models.cases import Case
from .models.categories import Category
from .models.charges import Charge
from .models.organisations import Organisation
from .models.people import Person
from .models.places import PlaceOfDetention
from .models.timeline import StatusChange

ORIGINAL = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
TRANSLATIONS = tuple(code for code in settings.MODELTRANSLATION_LANGUAGES if code != ORIGINAL)

PROSE_FIELDS = {
    Case: ("title", "summary", "call_to_action"),
    StatusChange: ("headline", "description"),
    Charge: ("name", "description", "maximum_penalty"),
    Organisation: ("name", "description"),
    Person: ("occupation", "bio"),
    PlaceOfDetention: ("name", "letter_advice"),
    Category: ("name", "description"),
}


class OriginalWritesDescriptor(TranslationFieldDescriptor):
    """modeltranslation's descriptor, but a write goes to the original language."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.name] = value
        if getattr(instance, "_mt_init", False) or getattr(instance, "_mt_disable", False):
            return
        setattr(instance, build_localized_fieldname(self.field.name, ORIGINAL), value)


def _saved_in_original_language(save):
    @functools.wraps(save)
    def wrapper(self, *args, **kwargs):
        # An English text is never None, a translation left empty in a form
        # is no translation (None, as before the form was saved), and a browser's line ends are the
        # demo's: otherwise saving an unchanged form would record a change
        # that makes another editor's open form stale.
        for name in PROSE_FIELDS[type(self)]:
            original = build_localized_fieldname(name, ORIGINAL)
            if getattr(self, original) is None:
                setattr(self, original, "")
            for code in TRANSLATIONS:
                field = build_localized_fieldname(name, code)
                value = getattr(self, field)
                if value == "":
                    setattr(self, field, None)
                elif isinstance(value, str) and "\r\n" in value:
                    setattr(self, field, value.replace("\r\n", "\n"))
        with translation.override(ORIGINAL):
            return save(self, *args, **kwargs)

    return wrapper


def _original_language() -> str:
    return ORIGINAL


multilingual_manager.get_language = _original_language


def for_reader(instance, name: str) -> tuple[str, str | None]:
    """(text, language) of the field NAME of INSTANCE for the active language:
    its own text and None, or the original's text and the original's language
    code when there is no translation yet (the reader must be told, and the
    text marked with its own lang), or ("", None) when there is no text."""
    reader = get_language()
    own = getattr(instance, build_localized_fieldname(name, reader)) or ""
    if own or reader == ORIGINAL:
        return own or getattr(instance, name) or "", None
    original = getattr(instance, build_localized_fieldname(name, ORIGINAL)) or ""
    return (original, ORIGINAL) if original else ("", None)


def reader_language() -> str:
    """The active language, as one of the languages prose is held in."""
    return get_language()


def language_of(instance, name: str) -> str | None:
    """The language of the text that a reader in the active language gets of
    the field NAME of INSTANCE: the reader's own, the original's where the
    English stands in, or None when there is no text. What the API and the
    downloads in Russian and Kazakh tell beside each text, so that a program
    can tell a translation from the English standing in for one."""
    text, standing_in = for_reader(instance, name)
    if not text:
        return None
    return standing_in or get_language()


def in_language(language: str, own: str | None, original: str | None) -> tuple[str, str | None]:
    """(text, its language) for a reader of LANGUAGE of a field whose text in
    that language is OWN and in the original ORIGINAL, as read from the
    columns prose_columns() names: for_reader() without an instance."""
    if own:
        return own, language
    if original and language != ORIGINAL:
        return original, ORIGINAL
    return "", None


def prose_columns(name: str, language: str) -> tuple[str, ...]:
    """The columns that in_language() reads for the field NAME: LANGUAGE's,
    then the original's unless LANGUAGE is the original."""
    own = build_localized_fieldname(name, language)
    return (own,) if language == ORIGINAL else (own, build_localized_fieldname(name, ORIGINAL))


def untranslated(model, code: str) -> Q:
    """The rows of MODEL with English prose that has no translation into CODE yet."""
    condition = Q()
    for name in PROSE_FIELDS[model]:
        original = build_localized_fieldname(name, ORIGINAL)
        translated = build_localized_fieldname(name, code)
        condition |= Q(**{f"{original}__gt": ""}) & (
            Q(**{f"{translated}__isnull": True}) | Q(**{translated: ""})
        )
    return condition


def is_untranslated(instance, code: str) -> bool:
    """Whether INSTANCE has English prose that lacks its translation into CODE."""
    return any(
        getattr(instance, build_localized_fieldname(name, ORIGINAL))
        and not getattr(instance, build_localized_fieldname(name, code))
        for name in PROSE_FIELDS[type(instance)]
    )


for model, fields in PROSE_FIELDS.items():
    translator.register(
        model, type(f"{model.__name__}Prose", (TranslationOptions,), {"fields": fields})
    )
    for name in fields:
        descriptor = model.__dict__[name]
        setattr(
            model,
            name,
            OriginalWritesDescriptor(
                descriptor.field,
                fallback_languages=descriptor.fallback_languages,
                fallback_value=descriptor.fallback_value,
                fallback_undefined=descriptor.fallback_undefined,
            ),
        )
    model.save = _saved_in_original_language(model.save)


# After the columns exist: see the docstring.
from .models import history  # noqa: E402, F401, I001
