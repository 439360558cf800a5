"""A timeline in the order editors mean, and a case status that tells the truth.

The demo's leaders' case: Ainur Kurmanov and Esenbek Ukteshbayev became
suspects on 14 September 2011; the article says Kurmanov is "to be charged by
the end of this month", a date known only to the month.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases import services
from cases.models import Case, DatePrecision, PublicDataVersion, StatusChange

from .conftest import cited, role_group

LEADERS = "socialist-movement-kazakhstan-samoupravstvo"


@pytest.fixture
def leaders(db):
    call_command("load_demo", verbosity=0)
    return Case.objects.get(slug=LEADERS)


def participant(case, slug):
    return case.participants.get(person__slug=slug)


def record(case, slugs, status, date, precision=DatePrecision.DAY, headline=None):
    return services.record_status_change(
        case,
        participants=[participant(case, slug) for slug in slugs],
        status=status,
        date=date,
        date_precision=precision,
        headline=headline or f"Became {status}",
        sources=[cited()],
    )


def headlines(case):
    return [change.headline for change in case.status_changes.chronological()]


def charged_in_september(case):
    return record(
        case,
        ["ainur-kurmanov"],
        "charged",
        datetime.date(2011, 9, 1),
        DatePrecision.MONTH,
        "To be charged by the end of the month",
    )


def test_an_entry_of_september_recorded_after_one_of_14_september_comes_after_it(leaders):
    charged_in_september(leaders)

    assert headlines(leaders)[-2:] == [
        "Status changed from witnesses to suspects",
        "To be charged by the end of the month",
    ]
    kurmanov = participant(leaders, "ainur-kurmanov")
    assert kurmanov.current_status == "charged"


def test_an_entry_wholly_before_others_goes_before_them_whenever_it_is_recorded(leaders):
    record(leaders, ["ainur-kurmanov"], "witness", datetime.date(2011, 8, 2), headline="Questioned")

    assert headlines(leaders).index("Questioned") < headlines(leaders).index(
        "Status changed from witnesses to suspects"
    )
    assert participant(leaders, "ainur-kurmanov").current_status == "suspect"


def test_a_year_entry_overlaps_everything_in_that_year_and_keeps_the_order_recorded(leaders):
    record(
        leaders, ["esenbek-ukteshbayev"], "witness", datetime.date(2011, 1, 1), DatePrecision.YEAR
    )
    assert headlines(leaders)[-1] == "Became witness"


def test_an_editor_moves_an_entry_before_another_whose_date_it_overlaps(leaders):
    change = charged_in_september(leaders)

    services.move_status_change(change, earlier=True)

    assert headlines(leaders)[-1] == "Status changed from witnesses to suspects"
    assert participant(leaders, "ainur-kurmanov").current_status == "suspect"
    leaders.refresh_from_db()
    assert leaders.last_status_change_on == datetime.date(2011, 9, 14)


def test_an_entry_cannot_be_moved_before_one_the_calendar_puts_before_it(leaders):
    change = record(leaders, ["ainur-kurmanov"], "charged", datetime.date(2011, 9, 20))

    with pytest.raises(ValidationError, match="their dates do not overlap"):
        services.move_status_change(change, earlier=True)
    assert headlines(leaders)[-1] == "Became charged"


def test_every_surface_shows_the_timeline_in_the_same_order(client, leaders):
    charged_in_september(leaders)
    expected = headlines(leaders)

    page = client.get(f"/cases/{LEADERS}/")
    assert [change.headline for change, _ in page.context["timeline"]] == expected
    api = client.get(f"/api/v1/cases/{LEADERS}/").json()
    assert [entry["headline"] for entry in api["timeline"]] == expected
    feed = client.get(f"/cases/{LEADERS}/feed/").content.decode()
    assert re.findall(r"<entry><title>([^<]*)</title>", feed) == list(reversed(expected))


def test_the_case_status_is_its_worst_off_persecuted_person_and_the_card_counts_each(
    client, leaders
):
    charged_in_september(leaders)
    leaders.refresh_from_db()

    # Kurmanov charged, Ukteshbayev a suspect (the Sailybaevas have no entry
    # yet): the case is "charged", as its worst-off person.
    assert leaders.current_status == "charged"
    response = client.get("/cases/")
    card = response.content.decode()
    assert "1 charged, 1 suspect" in re.sub(r"\s+", " ", card)


def test_an_official_named_in_the_case_is_not_among_the_persecuted(client, leaders):
    html = client.get(f"/cases/{LEADERS}/").content.decode()
    persecuted = html[html.index('id="people-persecuted"') : html.index('id="people-officials"')]
    officials = html[html.index('id="people-officials"') :]
    assert "Ainur Kurmanov" in persecuted
    assert "Nazarbayev" not in persecuted
    assert "Nazarbayev" in officials


def test_a_date_known_only_to_the_month_is_marked_so_for_readers_and_screen_readers(
    client, leaders
):
    charged_in_september(leaders)
    html = client.get(f"/cases/{LEADERS}/").content.decode()
    assert re.search(
        r'<time datetime="2011-09"[^>]*>September 2011</time>\s*'
        r'<span class="date-precision">\(exact day not known\)</span>',
        html,
    )


@pytest.fixture
def editor_client(client, db):
    user = User.objects.create_user("anna", is_staff=True)
    user.groups.add(role_group("Editor"))
    client.force_login(user)
    return client


def test_the_plain_add_page_of_a_status_change_sends_the_editor_to_the_record_form(
    editor_client, leaders
):
    response = editor_client.get(reverse("admin:cases_statuschange_add") + f"?case={leaders.pk}")
    assert response.url == reverse("admin:cases_case_record_status_change", args=[leaders.pk])
    response = editor_client.get(reverse("admin:cases_statuschange_add"), follow=True)
    assert "Record a status change" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:cases_case_changelist")


def _change_form(client, change):
    response = client.get(reverse("admin:cases_statuschange_change", args=[change.pk]))
    form = response.context["adminform"].form
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    for formset in response.context["inline_admin_formsets"]:
        formset = formset.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for subform in formset.forms:
            for field in subform:
                if field.value() not in (None, False):
                    data[field.html_name] = field.value()
    return data


def test_a_correction_on_the_change_page_keeps_the_rules_of_recording(editor_client, leaders):
    change = leaders.status_changes.chronological().last()
    url = reverse("admin:cases_statuschange_change", args=[change.pk])
    data = _change_form(editor_client, change)

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = editor_client.post(url, data | {"date": tomorrow.isoformat()})
    assert "The date cannot be in the future." in response.content.decode()

    # Editors may not delete the link to a source, and cannot empty it either.
    without_sources = data | {"source_links-0-source": ""}
    response = editor_client.post(url, without_sources)
    assert response.status_code == 200
    assert change.source_links.count() == 1


def test_one_correction_raises_the_version_of_the_public_data_once(editor_client, leaders):
    change = leaders.status_changes.chronological().last()
    data = _change_form(editor_client, change) | {"headline_en": "Now suspects"}
    before = PublicDataVersion.objects.get().number

    response = editor_client.post(
        reverse("admin:cases_statuschange_change", args=[change.pk]), data
    )

    assert response.status_code == 302
    assert StatusChange.objects.get(pk=change.pk).headline == "Now suspects"
    assert PublicDataVersion.objects.get().number == before + 1


def test_the_move_buttons_sit_outside_the_entry_form_and_move_it(editor_client, leaders):
    change = charged_in_september(leaders)
    page = editor_client.get(reverse("admin:cases_statuschange_change", args=[change.pk]))
    assert "Move earlier" in page.content.decode()

    editor_client.post(reverse("admin:cases_statuschange_move_earlier", args=[change.pk]))

    assert headlines(leaders)[-1] == "Status changed from witnesses to suspects"
