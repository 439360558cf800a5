"""The prose editors write, in the reader's language: {% load prose %}.

Every template that prints a prose field (cases/translation.py) prints it
through {% prose %}, so that a reader whose language has no translation yet
is told so, in their language, and the English text stands in marked with
its own lang attribute (WCAG 3.1.2), while the page stays in theirs.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.translation import for_reader

register = template.Library()


@register.simple_tag
def prose(instance, name, *, block=False, words=None, capfirst=False):
    """The field NAME of INSTANCE: in paragraphs when BLOCK (a summary, a
    description), else inline (a title, a headline); cut to WORDS words if
    given, its first letter upper-case if CAPFIRST."""
    text, lang = for_reader(instance, name)
    if not text:
        return ""
    if capfirst:
        text = text[0].upper() + text[1:]
    if words:
        text = Truncator(text).words(int(words))
    if block:
        body = linebreaks_filter(text, autoescape=True)
        if lang is None:
            return body
        return format_html(
            '<p class="untranslated">{}</p><div lang="{}">{}</div>',
            _("Not translated into this language yet: the original text, in English."),
            lang,
            body,
        )
    if lang is None:
        return text
    return format_html(
        '<span lang="{}">{}</span> <small class="untranslated">{}</small>',
        lang,
        text,
        _("(not translated yet)"),
    )
