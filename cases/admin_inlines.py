"""Inlines of the admin whose fields assistive technology can name."""

from django import forms
from django.contrib import admin
from django.utils.text import capfirst


class LabelledTabularInline(admin.TabularInline):
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
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield
