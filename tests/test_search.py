"""Text search (q): what a case is found by, kept up to date through every edit,
with the same results on PostgreSQL (full-text search) and SQLite (the fallback)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases import search
from cases.models import Case, CaseParticipant

from .conftest import form_data

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    """The slugs of the published cases that QUERY finds as typed, sorted: on
    PostgreSQL a query that finds nothing so would find near spellings
    (tests/test_search_spellings.py)."""
    cases = search.matching(queryset or Case.objects.published(), query, max_words=10, near=False)
    return sorted(cases.values_list("slug", flat=True))


def listed(client, query):
    response = client.get("/cases/", {"q": query})
    assert response.status_code == 200
    return sorted(case.slug for case in response.context["page"].object_list)


@pytest.fixture
def kurmanov(make_person):
    return make_person(
        "Ainur Kurmanov", name_original="Айнур Курманов", other_names="Kurmanow\nA. Kurmanof"
    )


@pytest.fixture
def smk(make_case, kurmanov):
    return make_case(
        "Socialist Movement leaders face charges",
        slug="smk",
        summary="The regime moves against the movement's leaders.",
        people=[kurmanov],
    )


# What a case is found by


def test_words_reduce_text_to_lower_case_letters_and_digits():
    assert search.words("O'Brien, Jean-Luc: 2011_report %x") == [
        "o",
        "brien",
        "jean",
        "luc",
        "2011",
        "report",
        "x",
    ]
    assert search.words("КУРМАНОВ Ainur") == ["курманов", "ainur"]


def test_the_document_holds_title_summary_every_name_and_the_country_in_every_spelling(smk):
    smk.refresh_from_db()

    assert smk.search_document == (
        " socialist movement leaders face charges the regime moves against the movement s"
        " leaders"
        # each name, its transliterations, its words' spelling keys (0...)
        " ainur 0ainur kurmanov 0kurmanov айнур aynur курманов kurmanow a 0a kurmanof 0kurmanof"
        # the country in English, Russian and Kazakh
        " kazakhstan 0kazahstan казахстан қазақстан 0kazakstan qazaqstan kazakstan "
    )


@pytest.mark.parametrize(
    "query",
    [
        "Kurmanov",
        "kurmanov",
        "KURMANOV",
        "Курманов",
        "курманов",
        "Kurmanow",
        "kurmanof",
        "Kurman",
        "regime",
        "Socialist",
        "movement's",
        "leaders regime",
    ],
)
def test_it_finds_a_case_by_its_title_summary_and_any_name_of_its_people(smk, query):
    assert found(query) == ["smk"]


@pytest.mark.parametrize("query", ["urmanov", "Kurmanov Moscow", "%", "_", "'", "--", "zz:*"])
def test_each_word_must_begin_a_word_of_the_case(smk, query):
    assert found(query) == []


def test_a_query_of_many_words_uses_the_first_ten(smk):
    assert found("socialist " * 10 + "nonsense") == ["smk"]


def test_it_finds_only_what_it_is_given(smk, make_case, kurmanov):
    make_case("Draft about Kurmanov", slug="draft", people=[kurmanov], published=False)

    assert found("Kurmanov") == ["smk"]
    assert found("Kurmanov", Case.objects.all()) == ["draft", "smk"]


# Kept up to date


def test_renaming_a_person_updates_the_cases_they_are_in(smk, kurmanov, make_case):
    other = make_case("Another case", slug="other", people=[kurmanov])
    kurmanov.other_names = "Qurmanov"
    kurmanov.save()

    assert found("Qurmanov") == ["other", "smk"]
    assert found("Kurmanof") == []
    other.refresh_from_db()
    assert "qurmanov" in other.search_document


def test_a_person_added_to_or_removed_from_a_case_is_found_or_not(smk, make_person):
    sokolova = make_person("Natalia Sokolova")
    link = CaseParticipant.objects.create(case=smk, person=sokolova, role="lawyer")
    assert found("Sokolova") == ["smk"]

    link.delete()
    assert found("Sokolova") == []


def test_editing_a_case_updates_its_document(smk):
    smk.title = "Trade unionists in court"
    smk.save()

    assert found("unionists") == ["smk"]
    assert found("Socialist") == []


def test_saving_other_fields_of_a_case_keeps_its_document(smk):
    smk.current_status = "charged"
    smk.save(update_fields=["current_status"])
    smk.title = "Not saved"
    smk.save(update_fields=["region"])

    assert found("Kurmanov") == ["smk"]
    assert found("saved") == []


def test_the_document_is_not_kept_in_the_history_of_edits(smk):
    assert "search_document" not in {f.name for f in Case.history.model._meta.fields}


def test_renaming_a_person_in_the_admin_is_found_on_the_next_request(client, editor, smk, kurmanov):
    url = reverse("admin:cases_person_change", args=[kurmanov.pk])
    data = form_data(client.get(url))
    data["name"] = "Ainur Qurmanov"

    response = client.post(url, data)

    assert response.status_code == 302
    assert listed(client, "Qurmanov") == ["smk"]


# The same results on both databases


SMK = "socialist-movement-kazakhstan-samoupravstvo"


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("Nazarbayev", [SMK]),
        ("Nazerbayev", [SMK]),  # another spelling of a person in the case
        ("Назарбаев", [SMK]),
        ("Kurmanov", [SMK]),
        ("курманов", [SMK]),
        ("Sailybaeva", [SMK]),
        ("samoupravstvo", [SMK]),
        ("evict", [SMK]),
        ("Sokolova", ["natalia-sokolova"]),
        ("oil workers", ["natalia-sokolova"]),
        ("prison", ["evgeniy-zhovtis", "natalia-sokolova"]),
        ("Zhovtis prison", ["evgeniy-zhovtis"]),
        # The country of every demo case; before it was in the documents, only
        # the case whose title names it was found.
        ("Kazakhstan", [SMK, "evgeniy-zhovtis", "natalia-sokolova"]),
        ("Moscow", []),
    ],
)
def test_the_demo_data_gives_the_same_results_on_every_database(client, query, slugs):
    call_command("load_demo", verbosity=0)

    assert listed(client, query) == sorted(slugs)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_on_postgresql_the_search_uses_the_full_text_index(smk):
    cases = search.matching(Case.objects.order_by(), "Kurmanov regime", max_words=10)
    with connection.cursor() as cursor:
        # A test's table is too small for PostgreSQL to choose an index by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = cases.explain()

    assert "case_search_vector_fts" in plan
