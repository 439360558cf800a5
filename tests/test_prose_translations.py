"""Prose in English, Russian and Kazakh: what readers see, what editors edit, what is kept."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases import demo, demo_translations, exports, services
from cases.models import Case, CaseOrganisation, Charge, StatusChange
from cases.search import matching
from cases.translation import untranslated
from tests.conftest import cited, role_group, staff_member
from tests.test_admin_history import case_form

SUMMARY_EN = "Ainur Kurmanov and Esenbek Ukteshbayev were charged with samoupravstvo."
SUMMARY_RU = "Айнуру Курманову и Есенбеку Уктешбаеву предъявлено обвинение в самоуправстве."
SUMMARY_KK = "Айнұр Құрманов пен Есенбек Үктешбаевқа өз бетінше әрекет ету айыбы тағылды."


@pytest.fixture
def case(make_case, make_person):
    return make_case(
        "Socialist Movement leaders charged",
        people=[make_person("Ainur Kurmanov")],
        summary=SUMMARY_EN,
    )


@pytest.fixture
def editor(db):
    role_group("Editor")
    client = Client()
    client.force_login(staff_member("anna", "Editor"))
    return client


def page(client, shown, language):
    """The page of SHOWN (an object, or an English address) as a reader of
    LANGUAGE reads it: at its address in that language (/ru/..., /kk/...)."""
    with translation.override("en"):
        url = shown if isinstance(shown, str) else shown.get_absolute_url()
    return client.get(url if language == "en" else f"/{language}{url}").text


# The reader's side


def test_a_russian_reader_sees_the_russian_summary_and_an_english_reader_the_english(client, case):
    case.title_ru = "Лидерам Социалистического движения предъявлены обвинения"
    case.summary_ru = SUMMARY_RU
    case.save()

    russian = page(client, case, "ru")
    english = page(client, case, "en")

    assert SUMMARY_RU in russian
    assert SUMMARY_EN not in russian
    assert "untranslated" not in russian
    assert SUMMARY_EN in english
    assert SUMMARY_RU not in english


def test_a_kazakh_reader_of_an_untranslated_case_is_told_and_reads_the_english_marked_as_english(
    client, case
):
    kazakh = page(client, case, "kk")

    note, marked = re.search(
        r'<p class="untranslated">([^<]+)</p><div lang="en">\s*<p>([^<]+)</p>', kazakh
    ).groups()
    assert note.strip()
    assert marked == SUMMARY_EN
    assert '<span lang="en">Socialist Movement leaders charged</span>' in kazakh


def test_an_english_reader_sees_no_note_and_no_lang_attribute_on_the_prose(client, case):
    english = page(client, case, "en")

    assert "untranslated" not in english
    assert 'lang="en"><p>' not in english


def test_the_case_list_and_the_timeline_mark_untranslated_titles_and_headlines(client, case):
    case.title_ru = "Лидерам Социалистического движения предъявлены обвинения"
    case.save()
    services.record_status_change(
        case,
        participants=case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 14),
        headline="Charged with samoupravstvo",
        sources=[cited()],
    )

    listing = page(client, "/cases/", "ru")
    timeline = page(client, case, "ru")

    assert "Лидерам Социалистического движения предъявлены обвинения" in listing
    assert '<span lang="en">Socialist Movement leaders charged</span>' not in listing
    assert '<span lang="en">Charged with samoupravstvo</span>' in timeline


def test_prose_is_escaped_in_every_language(client, case):
    case.summary_ru = "<script>alert(1)</script>"
    case.title_kk = "<b>Құрманов</b>"
    case.save()

    assert "<script>alert(1)</script>" not in page(client, case, "ru")
    kazakh = page(client, case, "kk")
    assert "&lt;b&gt;Құрманов&lt;/b&gt;" in kazakh
    assert '<span lang="en">&lt;script&gt;' not in kazakh


def test_the_api_gives_the_language_asked_for_with_the_english_where_there_is_no_translation(
    client, case
):
    case.title_ru = "Лидерам Социалистического движения предъявлены обвинения"
    case.save()

    url = reverse("api:case-detail", kwargs={"slug": case.slug})
    russian = client.get(url, headers={"accept-language": "ru"}).json()
    english = client.get(url, headers={"accept-language": "en"}).json()

    assert russian["title"] == "Лидерам Социалистического движения предъявлены обвинения"
    assert russian["summary"] == SUMMARY_EN
    assert english["title"] == "Socialist Movement leaders charged"


# Downloads and the API: the text in the language asked for, and its language beside it


@pytest.fixture
def translated_and_not(case, make_case, make_charge, make_organisation):
    """The Socialist Movement case with its title, charge and organisation in
    Russian, and a case in Almaty with nothing translated."""
    case.title_ru = "Лидерам Социалистического движения предъявлены обвинения"
    case.save()
    charge = make_charge("arbitrariness", slug="samoupravstvo", name_original="самоуправство")
    charge.name_ru = "самоуправство"
    charge.save()
    movement = make_organisation("Socialist Movement of Kazakhstan", slug="smk")
    movement.name_ru = "Социалистическое движение Казахстана"
    movement.save()
    case.charge_links.create(charge=charge, state="filed")
    CaseOrganisation.objects.create(case=case, organisation=movement, role="targeted")
    other = make_case("Almaty activist detained", slug="almaty", charges=[charge])
    CaseOrganisation.objects.create(case=other, organisation=movement, role="targeted")
    return case, other


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


def test_a_russian_download_gives_the_russian_texts_and_says_where_the_english_stands_in(
    client, translated_and_not
):
    case, other = translated_and_not

    for path in ["/ru/cases/export.csv", "/ru/cases/export.csv?country=KZ"]:
        rows = {
            row["url"].split("/")[-2]: row
            for row in csv.DictReader(io.StringIO(download(client, path)))
        }

        assert rows[case.slug]["title"] == case.title_ru, path
        assert rows[case.slug]["title_language"] == "ru"
        assert rows[case.slug]["charges"] == "самоуправство (filed)"
        assert rows[case.slug]["charges_language"] == "ru"
        assert rows[case.slug]["organisations"] == "Социалистическое движение Казахстана (targeted)"
        assert rows[case.slug]["organisations_language"] == "ru"
        assert rows[other.slug]["title"] == "Almaty activist detained"
        assert rows[other.slug]["title_language"] == "en"


def test_the_english_download_is_as_it_was_with_no_language_column(client, translated_and_not):
    case, _other = translated_and_not

    header = download(client, "/cases/export.csv").splitlines()[0]
    cases = json.loads(download(client, "/cases/export.json"))["cases"]

    assert header.split(",") == exports.CSV_COLUMNS
    by_slug = {row["slug"]: row for row in cases}
    assert by_slug[case.slug]["title"] == "Socialist Movement leaders charged"
    assert by_slug[case.slug]["charges"][0]["name"] == "arbitrariness"
    assert "_language" not in json.dumps(cases)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_json_download_in_each_language_gives_each_case_as_the_api_lists_it(
    client, translated_and_not, language
):
    case, _other = translated_and_not

    downloaded = json.loads(download(client, f"/{language}/cases/export.json?country=KZ"))["cases"]
    listed = client.get("/api/v1/cases/", {"country": "KZ", "lang": language}).json()["results"]

    assert downloaded == listed
    mine = next(row for row in downloaded if row["slug"] == case.slug)
    assert mine["title_language"] == ("ru" if language == "ru" else "en")
    assert mine["charges"][0]["name_language"] == ("ru" if language == "ru" else "en")


def test_the_api_tells_the_language_of_each_text_in_russian_and_kazakh_answers_only(
    client, translated_and_not, make_person
):
    case, _other = translated_and_not
    services.record_status_change(
        case,
        participants=case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 14),
        headline="Charged with samoupravstvo",
        sources=[cited()],
    )
    person = case.participants.get().person
    person.bio_ru = "Юрист нефтяников."
    person.save()
    case_url = reverse("api:case-detail", kwargs={"slug": case.slug})
    person_url = reverse("api:person-detail", kwargs={"slug": person.slug})

    russian = client.get(case_url, {"lang": "ru"}).json()
    russian_person = client.get(person_url, {"lang": "ru"}).json()
    english = client.get(case_url).json()

    assert (russian["title"], russian["title_language"]) == (case.title_ru, "ru")
    assert (russian["summary"], russian["summary_language"]) == (SUMMARY_EN, "en")
    assert russian["call_to_action_language"] is None
    assert russian["timeline"][0]["headline_language"] == "en"
    assert russian["charges"][0]["name_language"] == "ru"
    assert (russian_person["bio"], russian_person["bio_language"]) == ("Юрист нефтяников.", "ru")
    assert russian_person["cases"][0]["title_language"] == "ru"
    assert "_language" not in json.dumps(english)


def test_a_case_is_found_by_the_words_of_its_russian_and_kazakh_texts(client, case, make_case):
    make_case("An unrelated case")
    case.summary_ru = SUMMARY_RU
    case.summary_kk = SUMMARY_KK
    case.save()

    for query in ["самоуправстве", "бетінше", "samoupravstvo"]:
        assert list(matching(Case.objects.published(), query, max_words=8)) == [case], query


# What is stored


def test_the_original_column_keeps_the_english_when_an_editor_works_in_russian(case):
    with translation.override("ru"):
        case = Case.objects.get(pk=case.pk)
        case.summary_ru = SUMMARY_RU
        case.save()
        assert case.summary == SUMMARY_RU

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary, summary_en, summary_ru FROM cases_case WHERE id = %s", [case.pk]
        )
        assert cursor.fetchone() == (SUMMARY_EN, SUMMARY_EN, SUMMARY_RU)


def test_a_status_change_recorded_from_a_russian_page_is_filed_as_the_english_original(case):
    with translation.override("ru"):
        change = services.record_status_change(
            case,
            participants=case.participants.all(),
            status="charged",
            date=datetime.date(2011, 9, 14),
            headline="Charged with samoupravstvo",
            sources=[cited()],
        )

    change = StatusChange.objects.get(pk=change.pk)
    assert (change.headline_en, change.headline_ru) == ("Charged with samoupravstvo", None)
    with translation.override("ru"):
        assert change.headline == "Charged with samoupravstvo"


def test_the_migration_copies_the_existing_text_into_the_english_column(transactional_db):
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    (ours,) = [
        node
        for node in graph.leaf_nodes() + list(graph.nodes)
        if node[0] == "cases" and node[1].endswith("prose_in_english_russian_and_kazakh")
    ][:1]
    (before,) = [parent for parent in graph.node_map[ours].parents if parent.key[0] == "cases"]
    latest = executor.loader.graph.leaf_nodes("cases")
    try:
        executor.migrate([before.key])
        old = executor.loader.project_state([before.key]).apps
        Case = old.get_model("cases", "Case")
        Case.objects.create(
            title="Kurmanov case", slug="kurmanov", summary=SUMMARY_EN, country="KZ"
        )

        executor = MigrationExecutor(connection)
        executor.migrate([ours])
        new = executor.loader.project_state([ours]).apps.get_model("cases", "Case")
        row = new.objects.values("title", "title_en", "title_ru", "summary", "summary_en").get()
        assert row == {
            "title": "Kurmanov case",
            "title_en": "Kurmanov case",
            "title_ru": None,
            "summary": SUMMARY_EN,
            "summary_en": SUMMARY_EN,
        }
    finally:
        MigrationExecutor(connection).migrate(latest)


# The editors' side


def test_an_editor_sees_the_three_languages_of_a_prose_field_side_by_side(editor, case):
    form = editor.get(reverse("admin:cases_case_change", args=[case.pk])).text

    for name in ["title", "summary", "call_to_action"]:
        # One row of the form (Django's admin puts a row's fields side by side).
        row = form.split(f'<div class="form-row field-{name}_en', 1)[1].split(
            '<div class="form-row', 1
        )[0]
        for code in ["en", "ru", "kk"]:
            assert f'name="{name}_{code}"' in row, (name, code)


def test_an_editor_saves_a_russian_summary_beside_the_english(editor, case):
    response = editor.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(editor, case) | {"summary_ru": SUMMARY_RU},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.summary_en, case.summary_ru, case.summary_kk or "") == (SUMMARY_EN, SUMMARY_RU, "")


def test_an_editor_cannot_save_a_case_without_its_english_title(editor, case):
    response = editor.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(editor, case) | {"title_en": "", "title_ru": "Только по-русски"},
    )

    assert response.status_code == 200
    assert "This field is required" in response.text
    case.refresh_from_db()
    assert (case.title, case.title_ru) == ("Socialist Movement leaders charged", None)


def test_the_missing_translation_filter_lists_cases_whose_text_or_timeline_lacks_it(
    editor, case, make_case, make_person
):
    make_case("Translated", summary="English.", title_ru="Переведено", summary_ru="Русский.")
    timeline = make_case("Timeline", people=[make_person()], title_ru="Хроника", title_kk="Хроника")
    change = services.record_status_change(
        timeline,
        participants=timeline.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 14),
        headline="Charged",
        sources=[cited()],
    )
    change.headline_ru = "Обвинён"
    change.save()

    def listed(code):
        response = editor.get(reverse("admin:cases_case_changelist"), {"untranslated": code})
        return {case.title_en for case in response.context["cl"].result_list}

    assert listed("ru") == {"Socialist Movement leaders charged"}
    assert listed("kk") == {"Socialist Movement leaders charged", "Translated", "Timeline"}
    assert listed("xx") == {"Socialist Movement leaders charged", "Translated", "Timeline"}


def test_restoring_a_past_version_brings_back_its_russian_and_kazakh_texts(editor, case):
    url = reverse("admin:cases_case_change", args=[case.pk])
    editor.post(url, case_form(editor, case) | {"summary_ru": SUMMARY_RU, "summary_kk": SUMMARY_KK})
    translated = case.history.latest()
    editor.post(url, case_form(editor, case) | {"summary_ru": "Ошибка.", "summary_kk": ""})
    case.refresh_from_db()
    assert (case.summary_ru, case.summary_kk or "") == ("Ошибка.", "")

    restore_url = reverse("admin:cases_case_simple_history", args=[case.pk, translated.history_id])
    form = editor.get(restore_url).context["adminform"].form
    response = editor.post(
        restore_url, {f.html_name: f.value() for f in form if f.value() is not None}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.summary, case.summary_ru, case.summary_kk) == (SUMMARY_EN, SUMMARY_RU, SUMMARY_KK)


def test_a_stale_form_is_refused_when_someone_has_translated_the_same_field_since(editor, case):
    role_group("Editor")
    boris = Client()
    boris.force_login(staff_member("boris", "Editor"))
    url = reverse("admin:cases_case_change", args=[case.pk])
    boris_form = case_form(boris, case)

    editor.post(url, case_form(editor, case) | {"summary_ru": SUMMARY_RU})
    response = boris.post(url, boris_form | {"summary_ru": "Другой перевод."})

    assert response.status_code == 200
    assert "anna saved this case" in response.text
    case.refresh_from_db()
    assert case.summary_ru == SUMMARY_RU


# The demo


def test_the_demo_has_every_case_and_timeline_entry_in_russian_and_kazakh(db):
    call_command("load_demo", verbosity=0)

    for code in ["ru", "kk"]:
        assert not Case.objects.filter(untranslated(Case, code)).exists(), code
        assert not StatusChange.objects.filter(untranslated(StatusChange, code)).exists(), code


def test_the_demo_translations_say_they_are_translations_and_leave_the_english_as_it_was(db):
    call_command("load_demo", verbosity=0)

    case = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    assert case.summary == case.summary_en == demo.LEADERS_CASE["summary"]
    assert case.summary_ru.endswith(demo_translations.NOTE_RU)
    assert case.summary_kk.endswith(demo_translations.NOTE_KK)
    for case in Case.objects.all():
        assert demo_translations.NOTE_RU in case.summary_ru, case.slug
        assert demo_translations.NOTE_KK in case.summary_kk, case.slug


def test_a_russian_reader_of_the_demo_reads_the_timeline_in_russian(client, db):
    call_command("load_demo", verbosity=0)
    url = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo").get_absolute_url()

    russian = page(client, url, "ru")

    assert "Статус изменён со свидетелей на подозреваемых" in russian
    assert "самоуправстве" in russian
    assert '<p class="untranslated">' not in russian


def test_a_query_by_a_prose_field_means_its_english_whatever_the_language(make_charge):
    make_charge("arbitrariness", name_ru="самоуправство")

    for code in ["en", "ru", "kk"]:
        with translation.override(code):
            assert list(
                Charge.objects.filter(name="arbitrariness").values_list("name", flat=True)
            ) == ["arbitrariness"], code
            assert not Charge.objects.filter(name="самоуправство").exists(), code


def test_the_lists_organisation_filter_names_organisations_alike_whoever_asked_first(
    client, case, make_organisation
):
    lpha = make_organisation("Leave People's Homes Alone", name_ru="Оставьте дома людей")
    CaseOrganisation.objects.create(case=case, organisation=lpha, role="targeted")

    page(client, "/cases/", "ru")
    english = page(client, "/cases/", "en")

    assert "Leave People&#x27;s Homes Alone" in english
    assert "Оставьте дома людей" not in english


def test_a_russian_reader_filters_by_charge_and_organisation_named_in_russian_where_translated(
    client, translated_and_not, make_organisation
):
    case, _other = translated_and_not
    lpha = make_organisation("Leave People's Homes Alone", slug="lpha")
    CaseOrganisation.objects.create(case=case, organisation=lpha, role="targeted")

    russian = client.get("/ru/cases/", {"charge": "samoupravstvo", "organisation": "smk"})
    form = russian.context["filter"].form
    sidebar = {name: dict(form.fields[name].choices) for name in ("charge", "organisation")}
    chips = {chip["name"]: chip["value"] for chip in russian.context["filter"].active_filters()}
    english = client.get("/cases/", {"charge": "samoupravstvo", "organisation": "smk"}).text

    assert sidebar["charge"]["samoupravstvo"].startswith("Самоуправство, Казахстан")
    assert sidebar["organisation"]["smk"].startswith("Социалистическое движение Казахстана")
    assert sidebar["organisation"]["lpha"].startswith("Leave People")  # no translation yet
    assert chips["charge"].startswith("Самоуправство")
    assert chips["organisation"] == "Социалистическое движение Казахстана"
    assert (
        "Самоуправство" in russian.text and "Социалистическое движение Казахстана" in russian.text
    )
    assert "Arbitrariness" in english and "Самоуправство" not in english
    assert "Socialist Movement of Kazakhstan" in english and "Социалистическое" not in english
