"""The import reads the facts of issue 15 (cases/imports/facts.py): a
detention with its place found by any spelling or made, a verdict with its
sentence read as lists write it, sex; written only through the services, an
error per row an editor can act on, nothing recorded twice, and a corrected
file changing exactly what was corrected."""

import datetime
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cases.imports.facts import UnreadableSentence, read_sentence
from cases.imports.files import read_table
from cases.imports.mapping import Mapping
from cases.imports.plan import make_plan
from cases.imports.writes import ImportRefused, carry_out
from cases.models import Case, Detention, Person, PlaceOfDetention, Verdict

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "import"

HEADER = (
    "external_id,title,country,name,status,status_date,sources,charges,"
    "detention_kind,detention_start,detention_end,detention_place,"
    "verdict_date,verdict_articles,sentence,regime,sentence_start,release_date,sex\n"
)
ROW = (
    "L-1,Strike leaders,KZ,Yerlan Example,imprisoned,2012-03,https://news.example.org/strike,"
    "Article 164,{kind},{start},{end},{place},{verdict},{articles},{sentence},{regime},"
    "{sentence_start},{release},{sex}\n"
)
DEFAULTS = {
    "kind": "pre_trial",
    "start": "2011-09-16",
    "end": "",
    "place": "SIZO-1 Aktau",
    "verdict": "March 2012",
    "articles": "Article 164",
    "sentence": "5 years 6 months",
    "regime": "strict regime",
    "sentence_start": "2011-09-16",
    "release": "",
    "sex": "female",
}


def table(**cells):
    text = HEADER + ROW.format(**{**DEFAULTS, **cells})
    return read_table(text.encode(), "list.csv")


def plan_of(**cells):
    return make_plan(table(**cells), Mapping())


def imported(**cells):
    plan = plan_of(**cells)
    assert not plan.has_errors, plan.results[0].errors
    carry_out(plan, user=None)
    return plan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 years", ("", (6, None, None))),
        ("6 years 6 months", ("", (6, 6, None))),
        ("6 years and 6 months", ("", (6, 6, None))),
        ("5 лет", ("", (5, None, None))),
        ("2 года 6 месяцев", ("", (2, 6, None))),
        ("10 жыл", ("", (10, None, None))),
        ("15 days", ("", (None, None, 15))),
        ("life", ("life", (None, None, None))),
        ("Life imprisonment", ("life", (None, None, None))),
        ("пожизненное лишение свободы", ("life", (None, None, None))),
        ("death", ("death", (None, None, None))),
        ("fine", ("fine", (None, None, None))),
        ("suspended, 2 years", ("suspended", (2, None, None))),
        ("3 года условно", ("suspended", (3, None, None))),
    ],
)
def test_a_sentence_is_read_as_lists_write_it(text, expected):
    assert read_sentence(text) == expected


@pytest.mark.parametrize("text", ["6 yaers", "about six years", "5 years 5 years", "years"])
def test_a_sentence_that_cannot_be_read_is_refused(text):
    with pytest.raises(UnreadableSentence):
        read_sentence(text)


def test_a_row_records_the_detention_at_a_new_place_the_verdict_and_sex_through_the_services():
    plan = imported()
    shown = [(c.what, c.new) for c in plan.results[0].changes]
    assert ("detention", "pre_trial 2011-09-16– (SIZO-1 Aktau)") in shown
    assert (
        "verdict",
        "convicted 2012-03: imprisonment, 5 years 6 months, strict, from 2011-09-16",
    ) in shown
    detention = Detention.objects.get()
    assert (detention.kind, detention.start, detention.end) == (
        "pre_trial",
        datetime.date(2011, 9, 16),
        None,
    )
    assert detention.place.name == "SIZO-1 Aktau"
    assert detention.place.country == "KZ" and detention.place.kind == "pre_trial_centre"
    assert [s.url for s in detention.sources.all()] == ["https://news.example.org/strike"]
    verdict = Verdict.objects.get()
    assert (verdict.term_years, verdict.term_months, verdict.regime) == (5, 6, "strict")
    assert verdict.expected_release == datetime.date(2017, 3, 16)
    assert [c.article for c in verdict.charges.all()] == ["164"]
    assert Person.objects.get().sex == "female"


def test_a_place_is_found_by_any_of_its_spellings_folded_as_search_folds_them():
    known = PlaceOfDetention.objects.create(
        name="Pre-trial detention centre No. 1, Aktau",
        slug="sizo-1-aktau",
        other_names="СИЗО-1 Актау\nSIZO-1 Aktaý",
        kind="pre_trial_centre",
        country="KZ",
    )
    imported(place="сизо-1 актау")
    assert Detention.objects.get().place == known
    assert PlaceOfDetention.objects.count() == 1


def test_importing_the_same_file_again_records_nothing_twice():
    imported()
    again = plan_of()
    assert [r.action for r in again.results] == ["unchanged"], again.results[0].changes
    carry_out(again, user=None)
    assert Detention.objects.count() == 1 and Verdict.objects.count() == 1


def test_an_end_added_to_an_open_detention_ends_it_and_changes_nothing_else():
    imported()
    corrected = plan_of(end="2013-01-10")
    [result] = corrected.results
    assert result.action == "update"
    assert [(c.what, c.new) for c in result.changes] == [("detention_end", "2013-01-10")]
    carry_out(corrected, user=None)
    detention = Detention.objects.get()
    assert detention.end == datetime.date(2013, 1, 10)
    assert Verdict.objects.count() == 1


def test_what_the_services_cannot_change_is_reported_per_row_and_not_written():
    imported()
    plan = plan_of(place="Prison No. 2", sentence="6 years")
    [result] = plan.results
    assert result.action == "unchanged"
    assert any(
        "detention_place not imported" in note and "SIZO-1 Aktau" in note for note in result.notes
    )
    assert any("sentence not imported" in note for note in result.notes)


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"start": "2011-09-16", "end": "2011-08-01"}, "detention_end", "is before the start"),
        ({"sentence": "6 yaers"}, "sentence", "cannot be read as a sentence"),
        ({"release": "2020-01-01"}, "release_date", "The term and its start give 16 March 2017"),
        ({"kind": "jail"}, "detention_kind", "is not one of"),
        ({"start": "2099-01-01"}, "detention_start", "is in the future"),
        ({"sentence": "9000 years"}, "sentence", "cannot be read as a sentence"),
        # What the verdict's own rules refuse shows in the preview, not at the confirm.
        ({"sentence": "fine 5 years", "regime": ""}, "sentence", "has no term"),
    ],
)
def test_bad_facts_are_an_error_of_their_row_in_words_and_nothing_is_written(cells, column, words):
    plan = plan_of(**cells)
    [result] = plan.results
    assert result.action == "error"
    assert any(c == column and words in message for c, message in result.errors), result.errors
    with pytest.raises(ImportRefused):
        carry_out(plan, user=None)
    assert not Case.objects.exists() and not Detention.objects.exists()


def test_facts_that_need_a_date_are_reported_not_refused():
    plan = plan_of(start="", verdict="")
    [result] = plan.results
    assert result.action == "create"
    assert any("detention_place not imported: a detention needs" in n for n in result.notes)
    assert any("sentence not imported: a verdict needs its date" in n for n in result.notes)
    carry_out(plan, user=None)
    assert not Detention.objects.exists() and not Verdict.objects.exists()


def test_the_admin_preview_shows_the_facts_a_row_would_create(client, publisher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (HEADER + ROW.format(**DEFAULTS)).encode()
    preview = client.post(
        reverse("admin:cases_case_import"), {"file": SimpleUploadedFile("list.csv", data)}
    )
    html = preview.content.decode()
    assert "pre_trial 2011-09-16– (SIZO-1 Aktau)" in html
    assert "5 years 6 months" in html
    assert not Detention.objects.exists()


def test_the_eight_spellings_of_one_prison_are_one_place_once_the_place_knows_them():
    lines = (FIXTURES / "eight_spellings.csv").read_text("utf-8").splitlines()
    spellings = [line.split(",")[-1] for line in lines[1:]]
    known = PlaceOfDetention.objects.create(
        name=spellings[0],
        slug="sizo-1-aktau",
        other_names="\n".join(spellings[1:]),
        kind="pre_trial_centre",
        country="KZ",
    )
    text = "\n".join(
        [lines[0] + ",title,detention_start"]
        + [f"{line},Aktau detainees,2014-04" for line in lines[1:]]
    )
    plan = make_plan(read_table(text.encode(), "list.csv"), Mapping())
    assert not plan.has_errors
    carry_out(plan, user=None)
    assert Detention.objects.count() == 8
    assert set(Detention.objects.values_list("place", flat=True)) == {known.pk}
    assert PlaceOfDetention.objects.count() == 1


def test_the_template_of_docs_imports_with_its_example_detention_and_verdict():
    path = Path(__file__).parent.parent / "docs" / "import-template.csv"
    plan = make_plan(read_table(path.read_bytes(), path.name), Mapping())
    assert not plan.has_errors, [r.errors for r in plan.results if r.errors]
    carry_out(plan, user=None)
    example = Person.objects.get(name="Example Person")
    assert Detention.objects.get(participant__person=example).place.name == "SIZO-1 Aktau"
    assert Verdict.objects.get(participant__person=example).expected_release == datetime.date(
        2017, 3, 16
    )


def test_an_appeal_without_the_verdict_it_reviews_is_reported_not_refused():
    changed = make_plan(
        read_table(
            (
                HEADER.rstrip("\n")
                + ",verdict_outcome\n"
                + ROW.format(**DEFAULTS).rstrip("\n")
                + ",changed\n"
            ).encode(),
            "list.csv",
        ),
        Mapping(),
    )
    [result] = changed.results
    assert result.action == "create"
    assert any("an appeal (changed) reviews an earlier verdict" in n for n in result.notes)
    carry_out(changed, user=None)
    assert not Verdict.objects.exists() and Detention.objects.count() == 1


def test_an_appeal_of_a_recorded_verdict_is_recorded_as_its_appeal():
    imported()
    appeal = (
        HEADER.rstrip("\n")
        + ",verdict_outcome\n"
        + ROW.format(
            **{**DEFAULTS, "verdict": "2012-09", "sentence": "4 years", "release": ""}
        ).rstrip("\n")
        + ",changed\n"
    )
    plan = make_plan(read_table(appeal.encode(), "list.csv"), Mapping())
    assert not plan.has_errors, plan.results[0].errors
    carry_out(plan, user=None)
    first, second = Verdict.objects.order_by("date")
    assert (second.outcome, second.appeal_of, second.term_years) == ("changed", first, 4)


def test_a_detention_of_another_kind_from_the_same_day_is_another_episode():
    imported(kind="arrest", start="2011-09-16", end="2011-09-16", place="", verdict="")
    plan = plan_of(place="", verdict="")
    assert [(c.what, c.new) for c in plan.results[0].changes] == [
        ("detention", "pre_trial 2011-09-16–")
    ]
    carry_out(plan, user=None)
    assert sorted(Detention.objects.values_list("kind", flat=True)) == ["arrest", "pre_trial"]
    assert plan_of(place="", verdict="").results[0].action == "unchanged"


def test_categories_the_register_has_are_linked_and_others_reported():
    from cases.models import Category

    unions = Category.objects.create(name="trade union", slug="trade-union")
    text = (
        HEADER.rstrip("\n")
        + ",categories\n"
        + ROW.format(**DEFAULTS).rstrip("\n")
        + ',"Trade Union; bloggers"\n'
    )
    plan = make_plan(read_table(text.encode(), "list.csv"), Mapping())
    [result] = plan.results
    assert ("category", "trade union") in [(c.what, c.new) for c in result.changes]
    assert any("category “bloggers” not imported" in note for note in result.notes)
    carry_out(plan, user=None)
    assert list(Case.objects.get().categories.all()) == [unions]
    again = make_plan(read_table(text.encode(), "list.csv"), Mapping())
    assert again.results[0].action == "unchanged"


def test_a_conviction_without_its_sentence_is_reported_and_the_rest_of_the_row_imported():
    plan = imported(sentence="", regime="", sentence_start="")
    [result] = plan.results
    assert any("a conviction is recorded with its sentence" in note for note in result.notes)
    assert not Verdict.objects.exists()
    assert Detention.objects.get().start == datetime.date(2011, 9, 16)


def test_a_place_in_another_country_than_the_case_is_an_error_of_the_preview():
    PlaceOfDetention.objects.create(
        name="SIZO-1 Aktau", slug="sizo-1-aktau", kind="pre_trial_centre", country="RU"
    )
    plan = plan_of()
    [result] = plan.results
    assert result.action == "error"
    assert any(
        column == "detention_place" and "not in the country of the case" in words
        for column, words in result.errors
    ), result.errors
    with pytest.raises(ImportRefused):
        carry_out(plan, user=None)
    assert not Detention.objects.exists()


def test_a_row_of_someone_released_ends_the_detention_it_gives_at_the_release(monkeypatch):
    """The status says released in January 2013; the detention's end is not
    given: the detention ends at the release (services' release rule), and
    the person is not held now."""
    monkeypatch.setattr(
        sys.modules[__name__], "ROW", ROW.replace("imprisoned,2012-03", "released,2013-01")
    )
    imported(verdict="", articles="", sentence="", regime="", sentence_start="")

    detention = Detention.objects.get()
    assert (detention.end_display, detention.end_precision) == ("January 2013", "month")
    assert not Person.objects.held_now().exists()


def test_a_verdict_imported_with_the_status_it_gives_is_one_entry_of_the_timeline():
    imported()
    (entry,) = Case.objects.get().status_changes.all()
    assert (entry.status, entry.verdict) == ("imprisoned", Verdict.objects.get())
