"""The list of people, /people/: who is persecuted in published cases, who is held now."""

import datetime

import pytest

from cases.models import CaseCategory, Category, PlaceOfDetention

from .conftest import detain, html_of


@pytest.fixture
def sizo(db):
    return PlaceOfDetention.objects.create(
        name="Pre-trial detention centre No. 1, Almaty",
        slug="sizo-1-almaty",
        kind="pre_trial_centre",
        country="KZ",
        place="Almaty",
        postal_address="050000, Almaty, Zhandosov St. 3, LA-155/18",
    )


@pytest.fixture
def people(make_case, make_person, samoupravstvo, sizo):
    """Kurmanov held in Kazakhstan (at SIZO-1), Sokolova released there, Zhovtis
    held in Russia, a prosecutor (not persecuted) and someone only in a draft."""
    kurmanov = make_person("Ainur Kurmanov", slug="ainur-kurmanov", country="KZ")
    sokolova = make_person("Natalia Sokolova", slug="natalia-sokolova", country="KZ")
    zhovtis = make_person("Yevgeny Zhovtis", slug="yevgeny-zhovtis", country="KZ")
    prosecutor = make_person("A Prosecutor", slug="a-prosecutor")
    hidden = make_person("Only In A Draft", slug="only-in-a-draft")
    held = make_case("Kurmanov case", people=[kurmanov], charges=[samoupravstvo])
    held.participants.create(person=prosecutor, role="official")
    detain(
        held, kurmanov, datetime.date(2011, 9, 14), kind="arrest", end=datetime.date(2011, 9, 16)
    )
    detain(held, kurmanov, datetime.date(2011, 9, 16), place=sizo)
    released = make_case("Sokolova case", people=[sokolova])
    detain(released, sokolova, datetime.date(2011, 9, 8), end=datetime.date(2012, 3, 1))
    abroad = make_case("Zhovtis case", people=[zhovtis], country="RU")
    detain(abroad, zhovtis, datetime.date(2011, 9, 3), kind="prison")
    draft = make_case("Draft", people=[hidden], published=False)
    detain(draft, hidden, datetime.date(2011, 9, 3), place=sizo)
    return {"kurmanov": kurmanov, "sokolova": sokolova, "zhovtis": zhovtis, "kurmanov_case": held}


def names(response) -> list[str]:
    return [person.name for person in response.context["page"].object_list]


def test_it_lists_the_people_persecuted_in_published_cases_and_not_officials(client, people):
    response = client.get("/people/")

    assert response.status_code == 200
    assert names(response) == ["Ainur Kurmanov", "Natalia Sokolova", "Yevgeny Zhovtis"]
    html = html_of(response)
    assert "A Prosecutor" not in html
    assert "Only In A Draft" not in html
    assert html.count('<strong class="held-now">Held now</strong>') == 2


def test_everyone_held_now_in_kazakhstan_is_one_address(client, people):
    response = client.get("/people/?country=kz&held=now")

    assert names(response) == ["Ainur Kurmanov"]
    html = html_of(response)
    assert "Country: <bdi>Kazakhstan</bdi>" in html
    assert "Held: <bdi>Held now</bdi>" in html


def test_the_filters_narrow_one_participation_together(client, people, make_case):
    """Zhovtis is held in Russia and free in an older Kazakh case: he is not
    among those held now in Kazakhstan."""
    old = make_case("An older Kazakh case", people=[people["zhovtis"]])
    detain(old, people["zhovtis"], datetime.date(2004, 1, 1), end=datetime.date(2005, 1, 1))

    assert names(client.get("/people/?country=KZ&held=now")) == ["Ainur Kurmanov"]
    assert names(client.get("/people/?country=KZ")) == [
        "Ainur Kurmanov",
        "Natalia Sokolova",
        "Yevgeny Zhovtis",
    ]


def test_it_filters_by_place_of_detention_and_category(client, people, make_case, make_person):
    trade_union = Category.objects.create(name="trade union", slug="trade-union")
    CaseCategory.objects.create(case=people["kurmanov_case"], category=trade_union)

    assert names(client.get("/people/?place=sizo-1-almaty")) == ["Ainur Kurmanov"]
    assert names(client.get("/people/?category=trade-union")) == ["Ainur Kurmanov"]
    html = html_of(client.get("/people/"))
    assert "Pre-trial detention centre No. 1, Almaty (1)" in html  # not the draft's
    assert "Trade union (1)" in html


def test_it_filters_by_charge_and_offers_counts_of_people(client, people):
    response = client.get("/people/?charge=samoupravstvo")

    assert names(response) == ["Ainur Kurmanov"]
    html = html_of(response)
    assert "Kazakhstan (2)" in html
    assert "Russia (1)" in html
    assert "Held now (2)" in html


def test_it_lists_who_was_detained_or_released_in_a_year(client, people):
    assert names(client.get("/people/?detained=2011")) == [
        "Ainur Kurmanov",
        "Natalia Sokolova",
        "Yevgeny Zhovtis",
    ]
    assert names(client.get("/people/?released=2012")) == ["Natalia Sokolova"]
    assert names(client.get("/people/?detained=2012")) == []


def test_a_move_from_pre_trial_detention_to_prison_is_not_a_new_detention(client, people):
    case = people["kurmanov_case"]
    episode = case.participants.get(person=people["kurmanov"]).detentions.get(end=None)
    episode.end = datetime.date(2012, 5, 1)
    episode.save()
    detain(case, people["kurmanov"], datetime.date(2012, 5, 1), kind="prison")

    assert names(client.get("/people/?detained=2012")) == []
    assert names(client.get("/people/?released=2012")) == ["Natalia Sokolova"]
    assert names(client.get("/people/?detained=2011&held=now")) == [
        "Ainur Kurmanov",
        "Yevgeny Zhovtis",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "held=yesterday",
        "place=nowhere",
        "category=knitting",
        "detained=abc",
        "detained=3000",
        "released=1066",
    ],
)
def test_bad_filters_get_a_message_and_a_400(client, people, query):
    response = client.get(f"/people/?{query}")

    assert response.status_code == 400
    assert "These filters cannot be used" in html_of(response)


def test_a_page_that_does_not_exist_is_a_404_with_words(client, people):
    response = client.get("/people/?page=99")

    assert response.status_code == 404
    assert "This list has no page “99”." in html_of(response)


def test_an_empty_list_says_so(client, db):
    response = client.get("/people/")

    assert response.status_code == 200
    assert "No cases have been published yet." in html_of(response)


def test_no_one_matching_the_filters_says_so_and_offers_to_clear_them(client, people):
    response = client.get("/people/?country=BY")

    assert response.status_code == 200
    assert "No one persecuted in a published case matches these filters." in html_of(response)


def test_it_is_served_in_russian_and_kazakh(client, people):
    assert client.get("/ru/people/?held=now").status_code == 200
    assert client.get("/kk/people/?held=now").status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_people(
    client, make_case, make_person, samoupravstvo, rows, django_assert_num_queries
):
    for number in range(rows):
        case = make_case(
            country=["KZ", "RU"][number % 2],
            people=[make_person(), make_person()],
            charges=[samoupravstvo],
        )
        if number % 2 == 0:
            for participant in case.participants.all():
                detain(case, participant.person, datetime.date(2011, 9, 14))
    client.get("/people/")  # counts the facets, the people's counts and names

    # The version of the public data (1), the number of people and a page of
    # them with their photos (2), their participations with the case (1), the
    # episodes that hold them with their places (1); and for one country its
    # headline figures, counted once per version.
    with django_assert_num_queries(5):
        response = client.get("/people/?held=now")
    held = (rows + 1) // 2 * 2  # both people of every other case
    assert len(response.context["page"].object_list) == min(held, 24)
    client.get("/people/?country=KZ")
    with django_assert_num_queries(5):
        response = client.get("/people/?country=KZ&page=1")
    assert response.context["headline"].held_now == held


def test_the_kept_list_costs_one_query_and_shows_a_detention_at_the_next_request(
    client, settings, make_case, make_person, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE = True
    ainur = make_person("Ainur Kurmanov")
    case = make_case("Socialist Movement leaders", people=[ainur])
    first = client.get("/people/?held=now")
    with django_assert_num_queries(1):  # the version of the public data
        assert client.get("/people/?held=now").content == first.content
    assert names(first) == []

    detain(case, ainur, datetime.date(2011, 9, 14))

    assert "Ainur Kurmanov" in client.get("/people/?held=now").text
    assert '<span class="figure__number">1</span> person held now' in client.get("/").text
