"""The form renderer that writes the commonest widget templates in Python
(repression/form_renderer.py) gives the bytes Django's templates give."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from repression.form_renderer import FormRenderer

from .conftest import staff_member
from .test_admin_case_form import long_case

TRICKY = 'Жовтис & "Kurmanov" <b>1</b>'


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"autofocus": True, "data-x": TRICKY}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"disabled": False}))
    email = forms.EmailField()
    address = forms.URLField(assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}))
    note = forms.CharField(widget=forms.Textarea(attrs={"aria-label": mark_safe("<i>Note</i>")}))  # noqa: S308
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    status = forms.ChoiceField(
        choices=[("", "---------"), ("charged", gettext_lazy("charged")), ("a&b", TRICKY)]
    )
    grouped = forms.ChoiceField(
        choices=[("Kazakhstan", [("1", "one"), ("2", TRICKY)]), ("3", "three")]
    )
    several = forms.MultipleChoiceField(choices=[(1, "one"), (2, 2011), (3, "three")])
    empty = forms.ChoiceField(choices=[], required=False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "text": TRICKY,
            "hidden": "<x>",
            "number": "2011",
            "email": "a@b.kz",
            "address": "https://example.org/?a=1&b=2",
            "secret": TRICKY,
            "search": "q",
            "note": f"line\n{TRICKY}",
            "status": "a&b",
            "grouped": "2",
            "several": ["1", "2"],
        },
    ],
    ids=["unbound", "bound"],
)
def test_every_widget_written_in_python_gives_the_bytes_of_djangos_templates(data):
    form = EveryWidget(data or None, initial={"text": 2011, "status": "charged"})

    for field in form:
        ours = field.field.widget.render(
            field.html_name, field.value(), field.build_widget_attrs({}), FormRenderer()
        )
        django = field.field.widget.render(
            field.html_name, field.value(), field.build_widget_attrs({}), DjangoTemplates()
        )
        assert ours == django, field.name


def test_the_site_renders_its_forms_with_the_renderer_that_writes_widgets_in_python():
    assert isinstance(get_default_renderer(), FormRenderer)
    assert FormRenderer().shortcuts, "Django's widget templates changed: see SOURCES"


def test_a_widget_template_that_an_app_overrides_is_rendered_by_the_template_engine(monkeypatch):
    renderer = FormRenderer()
    real_source = FormRenderer._source
    monkeypatch.setattr(
        FormRenderer,
        "_source",
        lambda self, name: "" if name == "select_option.html" else real_source(self, name),
    )

    assert "django/forms/widgets/select.html" not in renderer.shortcuts
    assert "django/forms/widgets/input.html" in renderer.shortcuts


@pytest.mark.parametrize("page", ["change", "add", "record", "list"])
def test_an_editors_admin_pages_are_the_same_bytes_with_either_renderer(
    client, settings, make_case, make_person, make_charge, make_organisation, make_source, page
):
    case = long_case(make_case, make_person, make_charge, make_organisation, make_source, 3)
    client.force_login(staff_member("amina", "Editor"))
    address = {
        "change": reverse("admin:cases_case_change", args=[case.pk]),
        "add": reverse("admin:cases_case_add"),
        "record": reverse("admin:cases_case_record_status_change", args=[case.pk]),
        "list": reverse("admin:cases_case_changelist") + "?q=Activist",
    }[page]

    def html():
        get_default_renderer.cache_clear()
        text = client.get(address).text
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    ours = html()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    django = html()
    get_default_renderer.cache_clear()

    assert "<input" in ours
    assert ours == django


@pytest.mark.parametrize("can", [True, False])
def test_the_add_another_links_of_each_row_are_the_bytes_of_djangos_template(can):
    from django.contrib import admin
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

    from cases.models import CaseParticipant

    rel = CaseParticipant._meta.get_field("person").remote_field
    widget = RelatedFieldWidgetWrapper(
        forms.Select(choices=[("1", TRICKY)]),
        rel,
        admin.site,
        can_add_related=can,
        can_change_related=can,
        can_delete_related=can,
        can_view_related=True,
    )
    ours, django = FormRenderer(), DjangoTemplates()
    assert ours.wrapper_unchanged, "Django's related_widget_wrapper.html changed: see WRAPPER"
    # Rendered once for the first row, then filled in for the others.
    for name in [
        "participants-0-person",
        "participants-1-person",
        'x"<b>&',
        "participants-2-person",
    ]:
        assert widget.render(name, "1", {"id": f"id_{name}"}, ours) == widget.render(
            name, "1", {"id": f"id_{name}"}, django
        ), name


def test_a_fields_list_of_errors_is_the_bytes_of_djangos_template_empty_or_not():
    from django.forms.utils import ErrorList

    ours, django = FormRenderer(), DjangoTemplates()
    assert ours.no_errors, "Django's templates of a list of errors changed: see ERRORS"
    for errors in [[], [TRICKY], ["one", "two"]]:
        for render in ["as_ul", "render"]:
            assert (
                getattr(ErrorList(errors, renderer=ours), render)()
                == getattr(ErrorList(errors, renderer=django), render)()
            ), (errors, render)
    field_errors = ErrorList(["wrong"], renderer=ours, field_id="id_x")
    assert field_errors.as_ul() == ErrorList(["wrong"], renderer=django, field_id="id_x").as_ul()
