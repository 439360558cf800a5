"""Django's form renderer, with its commonest widget templates written in Python.

A form's every input is rendered through a template: an <input> through
input.html and attrs.html, a <select> through select.html and one
select_option.html (and attrs.html) for each option. Each costs the
template engine some 0.1-0.3 ms, which adds up on the editors' long forms:
the case form of a case with 30 people and 40 status changes renders about
400 widgets and 600 options, some 350 ms of its CPU time (issue 18).

FormRenderer writes those few templates' output directly, the same bytes
(tests/test_form_renderer.py compares them), and leaves every other template
(the admin's own widgets, the forms' layouts) to the template engine. Each
shortcut is taken only while the template it replaces is the one written
here (SOURCES): a template overridden by an app, or changed by a new Django,
is rendered by the engine again.

The admin's "add another" links around a related field's dropdown
(admin/widgets/related_widget_wrapper.html) are the same for every row of
an inline but for the row's field name: the engine renders them once for
each field, language and set of permissions (WRAPPER_SIGNS stand for the
name and the dropdown), and each row fills in its own.
"""

import hashlib
import re

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

WIDGETS = "django/forms/widgets/"
INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
# The sources of the templates written in Python below, as Django 5.2 ships them.
SOURCES = {
    "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    **{
        f"{kind}.html": INCLUDE_INPUT
        for kind in ["hidden", "text", "number", "email", "url", "password", "search", "tel"]
    },
}
# A field's list of errors, as Django 5.2 ships it: nothing when there is none
# (most fields of most forms), which is all that is written here.
ERRORS = {
    "django/forms/errors/list/ul.html": (
        '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
        'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}'
        "</li>{% endfor %}</ul>{% endif %}"
    ),
    "django/forms/errors/list/default.html": '{% include "django/forms/errors/list/ul.html" %}',
}
WRAPPER = "admin/widgets/related_widget_wrapper.html"
# The SHA-256 of WRAPPER as Django 5.2 ships it: it prints the row's field
# as {{ name }} and {{ rendered_widget }} only, and nothing else of the row.
WRAPPER_SHA256 = "6b7096bee4ed6fa85171fe7e82ca91ba1109175f293a6c2e46325eac37ad2f26"
# What the cached renderings of WRAPPER hold in place of the name and the
# dropdown: letters and digits, which escaping leaves as they are.
WRAPPER_SIGNS = {"name": "rww8name3f1c", "rendered_widget": "rww8widget3f1c"}
WRAPPER_SIGNED = re.compile("|".join(WRAPPER_SIGNS.values()))
WRAPPERS_KEPT = 256  # field, language and permissions: a few dozen in all
# As {{ }} prints a value: localized, and escaped unless it is safe already.
PRINTING = Context(autoescape=True)


def _printed(value) -> str:
    if type(value) is str:  # what {{ }} does to a plain string, without its checks
        return escape(value)
    return render_value_in_context(value, PRINTING)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs) -> str:
    return "".join(
        f" {_printed(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_printed(widget["type"])}" name="{_printed(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _option(option) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_printed(option['label'])}</option>"
    )


def _textarea(widget) -> str:
    value = _printed(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_printed(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


class FormRenderer(DjangoTemplates):
    """See the module's docstring. Set as FORM_RENDERER in the settings."""

    @cached_property
    def shortcuts(self) -> dict:
        """{template name: function of the widget's context}, for the templates
        that are still the ones written here."""
        functions = {"input.html": _input, "textarea.html": _textarea, "select.html": self._select}
        functions.update(
            dict.fromkeys([n for n, s in SOURCES.items() if s == INCLUDE_INPUT], _input)
        )
        unchanged = {name for name, source in SOURCES.items() if self._source(name) == source}
        needed = {"attrs.html", "input.html"}  # what the others include
        if not needed <= unchanged:
            return {}
        if "select_option.html" not in unchanged:
            del functions["select.html"]
        return {WIDGETS + name: f for name, f in functions.items() if name in unchanged}

    def _source(self, name: str) -> str | None:
        return self._template_source(WIDGETS + name)

    def _template_source(self, name: str) -> str | None:
        try:
            return self.get_template(name).template.source
        except Exception:  # noqa: BLE001 (no such template, another engine: no shortcut)
            return None

    @cached_property
    def no_errors(self) -> frozenset:
        """The templates of ERRORS, if both are still the ones written there."""
        unchanged = all(self._template_source(name) == source for name, source in ERRORS.items())
        return frozenset(ERRORS if unchanged else ())

    @cached_property
    def wrapper_unchanged(self) -> bool:
        source = self._template_source(WRAPPER)
        return source is not None and hashlib.sha256(source.encode()).hexdigest() == WRAPPER_SHA256

    @cached_property
    def _wrappers(self) -> dict:
        return {}

    def _wrapper(self, context, request) -> str | None:
        """WRAPPER for CONTEXT: rendered once for all but the row's name and
        dropdown, which are filled in (None: the engine renders it)."""
        name, widget = context.get("name"), context.get("rendered_widget")
        if not isinstance(name, str) or not isinstance(widget, SafeData):
            return None
        rest = {k: v for k, v in context.items() if k not in WRAPPER_SIGNS}
        key = (get_language(), *sorted((k, type(v), str(v), bool(v)) for k, v in rest.items()))
        if any(sign in part for sign in WRAPPER_SIGNS.values() for part in map(str, key)):
            return None
        signed = self._wrappers.get(key)
        if signed is None:
            signs = {k: mark_safe(sign) for k, sign in WRAPPER_SIGNS.items()}  # noqa: S308
            signed = super().render(WRAPPER, {**rest, **signs}, request)
            if len(self._wrappers) >= WRAPPERS_KEPT:
                self._wrappers.clear()
            self._wrappers[key] = signed
        printed = {WRAPPER_SIGNS["name"]: _printed(name), WRAPPER_SIGNS["rendered_widget"]: widget}
        return WRAPPER_SIGNED.sub(lambda match: printed[match.group()], signed)

    def render(self, template_name, context, request=None):
        if (
            template_name in self.no_errors
            and set(context) == {"errors", "error_class"}
            and not context["errors"]
        ):
            return ""  # {% if errors %} ... {% endif %}
        if template_name == WRAPPER and self.wrapper_unchanged:
            html = self._wrapper(context, request)
            if html is not None:
                return mark_safe(html)  # noqa: S308 (the engine's, the name printed as {{ }} would)
        shortcut = self.shortcuts.get(template_name)
        if shortcut is None or set(context) != {"widget"}:
            return super().render(template_name, context, request)
        html = shortcut(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308 (every value is printed as {{ }} would)

    @staticmethod
    def _select(widget) -> str | None:
        lines = [f'<select name="{_printed(widget["name"])}"{_attrs(widget["attrs"])}>']
        option_template = WIDGETS + "select_option.html"
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                lines.append(f'\n  <optgroup label="{_printed(group_name)}">')
            for option in group_choices:
                if option["template_name"] != option_template:
                    return None  # a widget of its own options: the engine renders it
                lines.append(f"\n  {_option(option)}\n")
            if group_name:
                lines.append("\n  </optgroup>")
        lines.append("\n</select>")
        return "".join(lines)
