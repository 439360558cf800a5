"""A place of detention's page, /places/<slug>/, and writing a letter to
someone held, /people/<slug>/letter/."""

import datetime

import pytest

from cases.models import PlaceOfDetention

from .conftest import detain, html_of
from .test_fuzz import HOSTILE, assert_shown_as_text, hostile_case  # noqa: F401, F811


@pytest.fixture
def sizo(db):
    return PlaceOfDetention.objects.create(
        name="Pre-trial detention centre No. 1, Almaty",
        slug="sizo-1-almaty",
        other_names="SIZO-1\nЛА-155/18",
        kind="pre_trial_centre",
        country="KZ",
        place="Almaty",
        postal_address="050000, Almaty\nZhandosov St. 3",
        letters_reach="sometimes",
        letter_language="Russian",
        letter_advice="Letters are read by the censor. <Enclose> a stamped envelope.",
    )


@pytest.fixture
def held(make_case, make_person, sizo):
    kurmanov = make_person("Ainur Kurmanov", slug="ainur-kurmanov", name_original="Айнур Курманов")
    sokolova = make_person("Natalia Sokolova", slug="natalia-sokolova")
    hidden = make_person("Only In A Draft", slug="only-in-a-draft")
    case = make_case(
        "Socialist Movement leaders",
        slug="smk",
        people=[kurmanov, sokolova],
        call_to_action="Send protests.",
    )
    detain(case, kurmanov, datetime.date(2011, 9, 16), place=sizo)
    detain(case, sokolova, datetime.date(2011, 9, 1), end=datetime.date(2011, 9, 10), place=sizo)
    draft = make_case("Draft", people=[hidden], published=False)
    detain(draft, hidden, datetime.date(2011, 9, 3), place=sizo)
    return case


def test_the_place_page_says_how_to_write_and_who_is_held_there_now(client, held):
    response = client.get("/places/sizo-1-almaty/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "SIZO-1</bdi>, <bdi>ЛА-155/18" in html
    assert "050000, Almaty\nZhandosov St. 3" in html
    assert "Letters sometimes reach" in html
    assert "Letters are read by the censor. &lt;Enclose&gt; a stamped envelope." in html
    assert [e.participant.person.name for e in response.context["held"]] == ["Ainur Kurmanov"]
    assert "Natalia Sokolova" not in html  # released
    assert "Only In A Draft" not in html
    assert 'href="/people/ainur-kurmanov/letter/"' in html


def test_a_place_known_only_from_drafts_or_unknown_has_no_page(client, make_case, make_person):
    secret = PlaceOfDetention.objects.create(
        name="A secret place", slug="secret", kind="other", country="KZ"
    )
    hidden = make_person()
    detain(
        make_case(people=[hidden], published=False), hidden, datetime.date(2011, 9, 3), place=secret
    )

    assert client.get("/places/secret/").status_code == 404
    assert client.get("/places/nowhere/").status_code == 404


def test_the_letter_page_gives_the_envelope_and_the_place_s_advice(client, held):
    response = client.get("/people/ainur-kurmanov/letter/")

    assert response.status_code == 200
    html = html_of(response)
    assert (
        '<p class="envelope__address"><bdi>Айнур Курманов<br>Ainur Kurmanov</bdi><br>'
        '<bdi class="postal-address">050000, Almaty\nZhandosov St. 3</bdi></p>'
    ) in html
    assert "Letters sometimes reach" in html
    assert 'href="/cases/smk/#take-action"' in html  # the call to action keeps its targets
    assert '<meta name="robots" content="noindex">' in html


def test_someone_not_held_now_has_no_letter_page(client, held):
    assert client.get("/people/natalia-sokolova/letter/").status_code == 404
    assert client.get("/people/only-in-a-draft/letter/").status_code == 404


def test_the_letter_page_of_someone_held_at_an_unknown_place_says_so(
    client, make_case, make_person
):
    zhovtis = make_person("Yevgeny Zhovtis", slug="yevgeny-zhovtis")
    case = make_case(people=[zhovtis])
    detain(case, zhovtis, datetime.date(2011, 9, 1), kind="prison")

    html = html_of(client.get("/people/yevgeny-zhovtis/letter/"))

    assert "Sources do not say where they are held" in html
    assert "envelope__address" not in html


def test_the_sitemap_lists_the_places_and_the_people_list(client, held):
    index = client.get("/sitemap.xml").text
    assert "sitemap-places.xml" in index
    places = client.get("/sitemap-places.xml").text
    assert "/places/sizo-1-almaty/" in places
    assert "/ru/places/sizo-1-almaty/" in places
    assert "/people/</loc>" in client.get("/sitemap-pages.xml").text


def test_a_kept_place_page_shows_someone_detained_there_at_the_next_request(
    client, settings, held, make_person, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE = True
    assert "Yerlan" not in client.get("/places/sizo-1-almaty/").text
    with django_assert_num_queries(1):
        client.get("/places/sizo-1-almaty/")
    yerlan = make_person("Yerlan Someone")
    held.participants.create(person=yerlan, role="accused")

    detain(held, yerlan, datetime.date(2012, 1, 1), place=PlaceOfDetention.objects.get())

    assert "Yerlan Someone" in client.get("/places/sizo-1-almaty/").text
    assert "Yerlan Someone" in client.get("/people/?held=now").text


def test_a_place_renamed_is_renamed_on_the_kept_pages_that_name_it(client, settings, held):
    settings.PUBLIC_PAGE_CACHE = True
    for path in ["/places/sizo-1-almaty/", "/cases/smk/", "/people/ainur-kurmanov/letter/"]:
        assert "Pre-trial detention centre No. 1" in client.get(path).text
    sizo = PlaceOfDetention.objects.get()
    sizo.name = "Almaty remand prison"
    sizo.save()
    from cases.services import public_data_changed

    public_data_changed(sizo)

    for path in ["/places/sizo-1-almaty/", "/cases/smk/", "/people/ainur-kurmanov/letter/"]:
        assert "Almaty remand prison" in client.get(path).text, path


@pytest.mark.parametrize("rows", [1, 30])
def test_the_place_page_makes_the_same_number_of_queries_whatever_the_number_held(
    client, make_case, make_person, sizo, rows, django_assert_num_queries
):
    for _ in range(rows):
        person = make_person()
        detain(make_case(people=[person]), person, datetime.date(2011, 9, 3), place=sizo)

    # The place; who is held there, with person, photo and case; its sources.
    with django_assert_num_queries(3):
        response = client.get("/places/sizo-1-almaty/")
    assert len(response.context["held"]) == rows


def test_hostile_text_of_a_place_and_a_detention_is_escaped_on_every_page_that_shows_it(
    client,
    hostile_case,  # noqa: F811 (the fixture imported above)
):
    place = PlaceOfDetention.objects.create(
        name=f"Place {HOSTILE}",
        slug="hostile-place",
        other_names=HOSTILE,
        kind="prison",
        country="KZ",
        place=HOSTILE,
        postal_address=HOSTILE,
        letter_language=HOSTILE,
        letter_advice=HOSTILE,
    )
    person = hostile_case.participants.get().person
    detain(hostile_case, person, datetime.date(2011, 9, 1), place=place, note=HOSTILE)

    for path in [
        "/places/hostile-place/",
        "/people/hostile-person/letter/",
        "/people/hostile-person/",
        "/cases/hostile-case/",
        "/people/",
        "/people/?held=now&place=hostile-place",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_shown_as_text(response.text)


def test_a_place_s_name_and_advice_in_russian_say_when_the_english_stands_in(client, held, sizo):
    """The name and the letter advice are translated fields: every page that
    prints them marks the English standing in for a missing translation, and
    prints the translation where there is one."""
    pages = [
        "/ru/places/sizo-1-almaty/",
        "/ru/people/ainur-kurmanov/",
        "/ru/people/ainur-kurmanov/letter/",
        "/ru/people/?held=now",
    ]
    for path in pages:
        html = html_of(client.get(path))
        assert '<span lang="en">Pre-trial detention centre No. 1, Almaty</span>' in html, path
    advice = html_of(client.get("/ru/places/sizo-1-almaty/"))
    assert '<div lang="en"><p>Letters are read by the censor. &lt;Enclose&gt;' in advice

    sizo.name_ru = "СИЗО № 1, Алматы"
    sizo.save()
    for path in pages:
        html = html_of(client.get(path))
        assert "<bdi>СИЗО № 1, Алматы</bdi>" in html, path
        assert '<span lang="en">Pre-trial detention centre' not in html, path
