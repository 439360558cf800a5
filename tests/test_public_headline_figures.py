"""The headline figures: people held now, detained and released this year, on
the home page and for one country, each a link to the list it counts."""

import datetime

import pytest
from django.utils import timezone

from .conftest import detain, html_of


@pytest.fixture
def this_year():
    return timezone.localdate().year


@pytest.fixture
def facts(make_case, make_person, this_year):
    """In Kazakhstan: Kurmanov held since last year, Sokolova arrested this year,
    Zhovtis released this year; in Russia: one person arrested this year; and
    an arrest this year in a draft."""
    kurmanov, sokolova, zhovtis, ivanov, hidden = (
        make_person(name) for name in ["Kurmanov", "Sokolova", "Zhovtis", "Ivanov", "Hidden"]
    )
    january = datetime.date(this_year, 1, 1)
    detain(make_case(people=[kurmanov]), kurmanov, datetime.date(this_year - 1, 9, 14))
    detain(make_case(people=[sokolova]), sokolova, january)
    detain(make_case(people=[zhovtis]), zhovtis, datetime.date(2011, 9, 1), end=january)
    detain(make_case(people=[ivanov], country="RU"), ivanov, january)
    detain(make_case(people=[hidden], published=False), hidden, january)


def figure(html: str, number: int, words: str) -> bool:
    return f'<span class="figure__number">{number}</span> {words}' in html


def test_the_home_page_counts_every_country_and_links_each_figure_to_its_list(
    client, facts, this_year
):
    html = html_of(client.get("/"))

    assert figure(html, 3, "people held now")
    assert figure(html, 2, f"detained in {this_year}")
    assert figure(html, 1, f"released in {this_year}")
    assert 'href="/people/?held=now"' in html
    assert f'href="/people/?detained={this_year}"' in html
    assert f'href="/people/?released={this_year}"' in html
    assert '<a href="/people/?country=KZ&amp;held=now">Kazakhstan: 2 held</a>' in html
    assert '<a href="/people/?country=RU&amp;held=now">Russia: 1 held</a>' in html


def test_each_figure_links_to_a_list_of_as_many_people(client, facts, this_year):
    for query, number in [
        ("held=now", 3),
        (f"detained={this_year}", 2),
        (f"released={this_year}", 1),
        ("country=KZ&held=now", 2),
    ]:
        assert client.get(f"/people/?{query}").context["page"].paginator.count == number, query


def test_the_people_of_one_country_open_with_its_figures(client, facts, this_year):
    html = html_of(client.get("/people/?country=KZ"))

    assert figure(html, 2, "people held now")
    assert figure(html, 1, f"detained in {this_year}")
    assert f'href="/people/?country=KZ&amp;detained={this_year}"' in html


def test_with_nothing_recorded_the_figures_are_zeros(client, db, this_year):
    html = html_of(client.get("/"))

    assert figure(html, 0, "people held now")
    assert "Held now, by country" not in html
