"""The admin's side of the prose held in three languages (cases/translation.py).

Editors see a prose field's English, Russian and Kazakh side by side, in one
row of the form, and can list the cases whose translation is missing.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields

from .models import Case, StatusChange
from .translation import TRANSLATIONS, untranslated


class ProseAdmin(TranslationAdmin):
    """modeltranslation's admin, with each prose field's languages in one row
    rather than one under the other, so that a translator sees the English
    beside the text being written. Put it after EditorAdmin in the bases, so
    that EditorAdmin's own get_fieldsets still runs."""

    def replace_orig_field(self, option):
        if not option:
            return option
        replaced = []
        for name in option:
            if isinstance(name, str) and name in self.trans_opts.all_fields:
                replaced.append(tuple(get_translation_fields(name)))
            else:
                replaced.extend(super().replace_orig_field([name]))
        return replaced


def prose_search_fields(*names: str) -> list[str]:
    """Search fields that look in every language of the prose fields NAMES
    (by the field's own name modeltranslation would look in the admin's
    language only)."""
    return [field for name in names for field in get_translation_fields(name)]


class MissingTranslationFilter(admin.SimpleListFilter):
    """Cases whose own prose or whose timeline has English text that is not
    translated into the chosen language yet."""

    title = _("missing translation")
    parameter_name = "untranslated"

    def lookups(self, request, model_admin):
        names = {"ru": _("Russian"), "kk": _("Kazakh")}
        return [(code, names.get(code, code)) for code in TRANSLATIONS]

    def queryset(self, request, queryset):
        code = self.value()
        if code not in TRANSLATIONS:
            return queryset
        timeline = StatusChange.objects.filter(
            untranslated(StatusChange, code), case=OuterRef("pk")
        )
        return queryset.filter(untranslated(Case, code) | Exists(timeline))
