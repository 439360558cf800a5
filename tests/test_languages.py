"""The site in English, Russian and Kazakh: addresses, lang and Content-Language,
the switcher, hreflang, dates, plurals, and the feeds, downloads and API."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import translation
from django.utils.translation import ngettext

from cases.models import CaseOrganisation, DatePrecision
from cases.models.partial_dates import format_partial_date
from cases.services import record_status_change

from .conftest import cited

pytestmark = pytest.mark.django_db


@pytest.fixture
def smk(make_case, make_person, make_charge, make_organisation):
    charge = make_charge("arbitrariness", slug="samoupravstvo", country="KZ")
    case = make_case(
        "Socialist Movement leaders",
        slug="smk",
        country="KZ",
        people=[make_person("Ainur Kurmanov", slug="ainur-kurmanov")],
        charges=[charge],
    )
    CaseOrganisation.objects.create(
        case=case, organisation=make_organisation("Socialist Movement", slug="smk-org")
    )
    record_status_change(
        case,
        participants=case.participants.all(),
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Named suspects",
        sources=[cited()],
    )
    return case


PUBLIC_PAGES = [
    "/",
    "/cases/",
    "/cases/?country=KZ&charge=samoupravstvo",
    "/cases/smk/",
    "/people/ainur-kurmanov/",
    "/organisations/smk-org/",
    "/charges/samoupravstvo/",
]


class Links(HTMLParser):
    """The <html lang>, the hreflang <link>s and the switcher's links of a page."""

    def __init__(self, html):
        super().__init__()
        self.lang, self.alternates, self.switcher = None, {}, []
        self._in_switcher = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "languages" in attrs.get("class", ""):
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.switcher.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_english_stays_at_its_unprefixed_address_whatever_the_browser_asks(client, smk, path):
    response = client.get(path, headers={"accept-language": "ru,kk;q=0.9"})

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert Links(response.content.decode()).lang == "en"
    assert "Cases" in text_of(response)
    assert "Дела" not in text_of(response)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize(
    ("language", "word"), [("ru", "Дела"), ("kk", "Істер")], ids=["Russian", "Kazakh"]
)
def test_russian_and_kazakh_are_at_the_same_path_under_their_prefix_whatever_the_browser_asks(
    client, smk, path, language, word
):
    response = client.get(f"/{language}{path}", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert Links(response.content.decode()).lang == language
    assert word in text_of(response)
    assert "Cases" not in text_of(response)


def test_english_has_no_prefix_of_its_own(client, smk):
    assert client.get("/en/cases/").status_code == 404


def test_a_page_that_is_not_there_says_so_in_the_language_of_its_address(client, smk):
    response = client.get("/kk/cases/no-such-case/")

    assert response.status_code == 404
    assert response["Content-Language"] == "kk"
    assert "Бет табылмады" in text_of(response)


def test_the_switcher_offers_this_page_with_its_filters_in_each_language_named_in_itself(
    client, smk
):
    response = client.get("/ru/cases/?country=KZ&charge=samoupravstvo")

    links = Links(response.content.decode()).switcher
    assert [(link["lang"], link["href"]) for link in links] == [
        ("en", "http://testserver/cases/?country=KZ&charge=samoupravstvo"),
        ("ru", "http://testserver/ru/cases/?country=KZ&charge=samoupravstvo"),
        ("kk", "http://testserver/kk/cases/?country=KZ&charge=samoupravstvo"),
    ]
    assert [link.get("aria-current") for link in links] == [None, "page", None]
    assert 'aria-label="Язык"' in response.content.decode()
    for name in ("English", "Русский", "Қазақша"):
        assert f">{name}</a>" in response.content.decode()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_names_its_versions_in_each_language_and_english_as_default(
    client, smk, path
):
    alternates = Links(client.get(f"/kk{path}").content.decode()).alternates

    assert alternates == {
        "en": f"http://testserver{path}",
        "ru": f"http://testserver/ru{path}",
        "kk": f"http://testserver/kk{path}",
        "x-default": f"http://testserver{path}",
    }


def test_the_sitemap_lists_each_page_in_every_language_with_its_alternates(client, smk):
    xml = client.get("/sitemap-cases.xml").content.decode()

    for address in ("/cases/smk/", "/ru/cases/smk/", "/kk/cases/smk/"):
        assert f"<loc>http://testserver{address}</loc>" in xml
    assert 'hreflang="kk" href="http://testserver/kk/cases/smk/"' in xml
    assert 'hreflang="x-default" href="http://testserver/cases/smk/"' in xml
    people = client.get("/sitemap-people.xml").content.decode()
    for address in ("/people/ainur-kurmanov/", "/ru/people/ainur-kurmanov/"):
        assert f"<loc>http://testserver{address}</loc>" in people


DATES = {
    DatePrecision.DAY: ["14 September 2011", "14 сентября 2011 г.", "2011 жылғы 14 қыркүйек"],
    DatePrecision.MONTH: ["September 2011", "сентябрь 2011 г.", "2011 жылғы қыркүйек"],
    DatePrecision.YEAR: ["2011", "2011", "2011"],
}


@pytest.mark.parametrize("precision", DATES)
def test_dates_are_written_at_their_precision_as_each_language_writes_them(precision):
    written = []
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            written.append(format_partial_date(datetime.date(2011, 9, 1), precision))
    expected = [date.replace("14 ", "1 ") for date in DATES[precision]]

    assert written == expected


def test_the_case_page_dates_its_timeline_in_russian_and_kazakh(client, smk):
    assert "14 сентября 2011 г." in text_of(client.get("/ru/cases/smk/"))
    assert "2011 жылғы 14 қыркүйек" in text_of(client.get("/kk/cases/smk/"))


@pytest.mark.parametrize(
    ("count", "russian", "kazakh"),
    [
        (1, "1 дело", "1 іс"),
        (2, "2 дела", "2 іс"),
        (5, "5 дел", "5 іс"),
        (11, "11 дел", "11 іс"),
        (21, "21 дело", "21 іс"),
        (24, "24 дела", "24 іс"),
    ],
)
def test_counts_take_the_plural_form_each_language_needs(count, russian, kazakh):
    said = {}
    for language in ("ru", "kk"):
        with translation.override(language):
            said[language] = ngettext("%(counter)s case", "%(counter)s cases", count) % {
                "counter": count
            }

    assert said == {"ru": russian, "kk": kazakh}


def test_the_list_counts_its_cases_in_russian(client, smk, make_case):
    make_case("Second case", country="KZ")

    assert "2 дела" in text_of(client.get("/ru/cases/"))


def test_the_feed_is_in_the_language_of_its_address(client, smk):
    feed = client.get("/ru/feed/").content.decode()

    assert "<title>Последние изменения статуса</title>" in feed
    assert 'href="http://testserver/ru/"' in feed
    assert "http://testserver/ru/cases/smk/#status-change-" in feed


def test_the_download_names_countries_and_links_pages_in_the_language_of_its_address(client, smk):
    response = client.get("/kk/cases/export.csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )

    assert response["Content-Language"] == "kk"
    assert rows[0]["country_name"] == "Қазақстан"
    assert rows[0]["url"] == "http://testserver/kk/cases/smk/"


def test_a_request_in_russian_leaves_no_language_active_after_it(client, smk):
    """What runs next in the thread (the next request's first middlewares, a
    test's next lines, the next tests) is not in Russian; a streamed download
    is in its language to its last piece."""
    client.get("/ru/cases/smk/")
    assert translation.get_language() == "en"

    response = client.get("/ru/cases/export.csv", {"country": "KZ"})
    pieces = iter(response.streaming_content)
    next(pieces)
    assert "Казахстан" in b"".join(pieces).decode()
    assert translation.get_language() == "en"


@pytest.mark.parametrize(
    ("query", "headers", "language", "country"),
    [
        ("", {}, "en", "Kazakhstan"),
        ("?lang=kk", {}, "kk", "Қазақстан"),
        ("", {"accept-language": "ru"}, "ru", "Казахстан"),
        ("?lang=kk", {"accept-language": "ru"}, "kk", "Қазақстан"),
        ("?lang=xx", {}, "en", "Kazakhstan"),
    ],
    ids=["none", "lang", "accept-language", "lang-first", "unknown-lang"],
)
def test_the_api_answers_in_the_language_its_client_asks_for(
    client, smk, query, headers, language, country
):
    response = client.get(f"/api/v1/cases/{query}", headers=headers)

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert response.json()["results"][0]["country_name"] == country


def test_the_api_schema_documents_how_to_ask_for_a_language(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    lang = next(parameter for parameter in parameters if parameter["name"] == "lang")
    assert sorted(lang["schema"]["enum"]) == ["en", "kk", "ru"]
    assert "Accept-Language" in lang["description"]


def test_the_api_documentation_can_be_read_in_russian(client):
    schema = client.get("/api/v1/schema/?format=json&lang=ru").json()

    assert schema["info"]["title"] == "API реестра репрессий"
    assert schema["paths"]["/api/v1/cases/"]["get"]["summary"] == "Опубликованные дела"


def test_the_admin_follows_the_editors_browser(client):
    response = client.get("/admin/login/", headers={"accept-language": "kk"})

    assert response["Content-Language"] == "kk"
    assert Links(response.content.decode()).lang == "kk"
    assert "Кіру" in text_of(response)


def test_the_page_cache_serves_english_at_an_english_address_after_a_russian_visitor(
    client, smk, settings
):
    settings.PUBLIC_PAGE_CACHE = True
    client.get("/cases/smk/", headers={"accept-language": "ru"})
    client.get("/ru/cases/smk/")

    english = client.get("/cases/smk/")
    russian = client.get("/ru/cases/smk/", headers={"accept-language": "en"})

    assert Links(english.content.decode()).lang == "en"
    assert english["Content-Language"] == "en"
    assert Links(russian.content.decode()).lang == "ru"
    assert russian["Content-Language"] == "ru"


def test_a_filter_that_cannot_be_used_is_explained_in_the_language_of_the_address(client, smk):
    response = client.get("/ru/cases/?country=XX")

    assert response.status_code == 400
    assert "«XX» — не код страны. Используйте две буквы, например KZ." in text_of(response)


def test_a_database_that_does_not_answer_gets_its_503_in_the_language_of_the_address():
    def unavailable(execute, sql, params, many, context):
        raise OperationalError("the server is restarting")

    with connection.execute_wrapper(unavailable):
        response = Client(raise_request_exception=False).get("/kk/cases/")

    assert response.status_code == 503
    assert response["Content-Language"] == "kk"
    assert Links(response.content.decode()).lang == "kk"
    assert "Уақытша қолжетімсіз" in text_of(response)


def test_a_request_for_an_unknown_host_gets_its_400_in_the_language_of_the_address():
    response = Client(HTTP_HOST="evil.example.com").get("/ru/")

    assert response.status_code == 400
    assert response["Content-Language"] == "ru"
    assert Links(response.content.decode()).lang == "ru"
    assert "Неверный запрос" in text_of(response)
