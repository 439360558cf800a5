"""Inlines of the admin whose fields assistive technology can name, and which
do once per page what Django does for each row (issue 18)."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet, ModelChoiceField
from django.urls import get_script_prefix, get_urlconf
from django.utils.choices import BlankChoiceIterator
from django.utils.functional import Promise, cached_property
from django.utils.text import capfirst


def _fixed(choices) -> list | None:
    """CHOICES as a list if they are a fixed list (with or without the blank
    choice a model's field adds), not ones read as they are shown."""
    if isinstance(choices, BlankChoiceIterator) and isinstance(choices.choices, (list, tuple)):
        return list(choices)
    return choices if isinstance(choices, list) else None


class PageInlineFormSet(BaseInlineFormSet):
    """An inline's formset that does once per page what Django does for
    each of its rows, or each time it is asked (issue 18):

    - its empty form (the template of a new row) is built once: Django
      builds it anew each time, five times a page for each inline (the
      media, the columns' headings, the rows, the prepopulated fields'
      script, the multipart check);
    - the names of a fixed list of choices (a person's role in the case,
      a charge's state ...) are read in the page's language once, not once
      for each row: the rows' dropdowns show the same list, the same
      names. Choices a form sets for itself are left alone."""

    @cached_property
    def empty_form(self):
        return self._sharing_choices(super().empty_form)

    def _construct_form(self, i, **kwargs):
        return self._sharing_choices(super()._construct_form(i, **kwargs))

    def _sharing_choices(self, form):
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField) or not isinstance(field, forms.ChoiceField):
                continue  # a query's rows: named as the form says
            widget = getattr(field.widget, "widget", field.widget)  # inside "add another"
            choices = _fixed(widget.choices)
            if choices is None or any(isinstance(label, (list, tuple)) for _v, label in choices):
                continue  # groups of choices, or choices read as they are shown
            # Each row's list is a copy of the field's, holding the same name
            # objects: compared by identity, a row whose form chose choices of
            # its own keeps them (its forms, and so their names, live as long
            # as the page).
            key = (name, tuple((value, id(label)) for value, label in choices))
            if key not in shared:
                shared[key] = [
                    (value, str(label) if isinstance(label, Promise) else label)
                    for value, label in choices
                ]
            widget.choices = shared[key]
        return form


class PageInlineAdminFormSet(helpers.InlineAdminFormSet):
    """An inline's rows as the admin's templates see them, made once per page:
    Django makes them again each time they are read (three times a page:
    the media, the rows, the prepopulated fields' script), each with the
    address of its public page. Set by EditorAdmin.get_inline_formsets."""

    def __iter__(self):
        if "_rows" not in self.__dict__:
            self._rows = list(super().__iter__())
        return iter(self._rows)


class PageInline:
    """An inline that works out once per page what Django works out several
    times: its rows' formset (PageInlineFormSet), and the names of its fields.
    Without `fields`, Django reads them from a form class it builds for the
    purpose, each time it asks (three times a page): the inline is made
    anew for each request, so they are kept on it."""

    formset = PageInlineFormSet

    def get_fields(self, request, obj=None):
        kept = self.__dict__.setdefault("_fields", {})
        key = (id(request), None if obj is None else obj.pk)
        if key not in kept:
            kept.clear()
            kept[key] = list(super().get_fields(request, obj))
        return list(kept[key])


class LabelledTabularInline(PageInline, admin.TabularInline):
    """A tabular inline whose every field has an accessible name.

    Django's tabular inline shows each field's name once, in the column's
    header, and gives the inputs in the rows no <label>: a screen reader
    announces "edit text" or "combo box" and nothing more, and axe reports
    each as a critical violation. Each widget gets an aria-label with its
    field's name instead, which the admin's own template does not offer.
    (The searchable dropdowns are named by static/js/admin-field-names.js,
    as their <select> is hidden behind select2's.)"""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Radio buttons and checkboxes each have a label of their own.
        if formfield is not None and not isinstance(formfield.widget, forms.RadioSelect):
            # A related field's widget is wrapped in the "add another" links:
            # the wrapper shares its attributes with the widget it wraps.
            # Read in the language of this request once, not once for each row.
            formfield.widget.attrs.setdefault("aria-label", str(capfirst(db_field.verbose_name)))
        return formfield


class LoadedAutocompleteSelect(AutocompleteSelect):
    """A searchable dropdown that names its chosen row from the row the inline
    loaded already (LoadedAutocompleteMixin), instead of a query of its own:
    Django's asks the database once for each row of an inline, some 30
    queries for a case with 30 people (issue 18)."""

    loaded: dict[str, object] = {}  # {pk as text: the chosen row}, set per form
    # The address the dropdown searches, for each admin site and address scheme
    # (the URLconf and its prefix): the same for every row.
    urls: dict[tuple, str] = {}

    def get_url(self):
        key = (self.url_name % self.admin_site.name, get_urlconf(), get_script_prefix())
        if key not in self.urls:
            self.urls[key] = super().get_url()
        return self.urls[key]

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen or not chosen <= self.loaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in chosen:
            row = self.loaded[pk]
            label = self.choices.field.label_from_instance(row)
            options.append(self.create_option(name, row.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class LoadedAutocompleteMixin:
    """An inline whose searchable dropdowns (autocomplete_fields) read their
    chosen rows with the inline's own rows (select_related): the same
    number of queries for 1 row or 40."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = list(self.get_autocomplete_fields(request))

        class LoadedFormSet(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                cached = form.instance._state.fields_cache
                for name in names:
                    widget = form.fields[name].widget
                    widget = getattr(widget, "widget", widget)  # inside the "add another" links
                    row = cached.get(name)
                    if isinstance(widget, LoadedAutocompleteSelect) and row is not None:
                        widget.loaded = {str(row.pk): row}
                return form

        return LoadedFormSet
