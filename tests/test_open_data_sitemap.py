"""/sitemap.xml and /robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.management import call_command

from cases.models import Case, Charge, Organisation, Person
from cases.services import public_data_changed

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314  (our own sitemap)


def addresses(client) -> dict[str, str | None]:
    """{address: last modified} of every page in the sitemap, through its index."""
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    pages = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        location = sitemap.findtext(f"{SITEMAP}loc").removeprefix("http://testserver")
        for url in parse(client.get(location)).findall(f"{SITEMAP}url"):
            pages[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")
    return pages


@pytest.fixture
def site(db, make_case, make_person, make_charge, make_organisation):
    """The demo data, and a draft with people, a charge and an organisation of its own."""
    from cases.models import CaseOrganisation

    call_command("load_demo")
    draft = make_case(
        "SECRET draft",
        slug="secret-draft",
        people=[make_person("SECRET person", slug="secret-person")],
        charges=[make_charge("SECRET charge", slug="secret-charge")],
        published=False,
    )
    CaseOrganisation.objects.create(
        case=draft,
        organisation=make_organisation("SECRET group", slug="secret-group"),
        role="targeted",
    )


def test_the_sitemap_lists_every_published_page_with_its_last_change(client, site):
    pages = addresses(client)

    expected = {"http://testserver/", "http://testserver/cases/", "http://testserver/people/"}
    for queryset in (
        Case.objects.published(),
        Person.objects.public(),
        Organisation.objects.public(),
        Charge.objects.public(),
    ):
        expected |= {f"http://testserver{row.get_absolute_url()}" for row in queryset}
    # Each page in English, then in Russian and Kazakh under /ru/ and /kk/.
    expected |= {
        address.replace("testserver/", f"testserver/{language}/")
        for address in expected
        for language in ("ru", "kk")
    }
    assert set(pages) == expected
    case = Case.objects.get(slug="natalia-sokolova")
    assert pages["http://testserver/cases/natalia-sokolova/"] == case.updated_at.date().isoformat()
    assert pages["http://testserver/people/ainur-kurmanov/"]
    assert pages["http://testserver/"]


def test_the_sitemap_leaves_out_drafts_and_what_only_they_hold(client, site):
    pages = addresses(client)

    assert not [address for address in pages if "secret" in address]
    assert client.get("/sitemap-cases.xml").status_code == 200
    assert b"secret" not in client.get("/sitemap-cases.xml").content


@pytest.mark.parametrize("address", ["/sitemap-nothing.xml", "/sitemap-cases.xml?p=abc"])
def test_a_sitemap_that_does_not_exist_is_a_404(client, db, address):
    assert client.get(address).status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cases/export." in lines
    assert "Disallow: /ru/cases/export." in lines
    assert "Disallow: /kk/cases/export." in lines
    assert "Disallow: /people/export." in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


def test_the_sitemap_index_does_not_read_every_row_to_find_the_last_change(
    client, make_case, monkeypatch
):
    from cases.sitemaps import PublicPagesSitemap

    latest = make_case("Latest")
    make_case("Earlier")

    def row_by_row(self, row):
        raise AssertionError("the index read the rows one by one")

    monkeypatch.setattr(PublicPagesSitemap, "lastmod", row_by_row)
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    latest.refresh_from_db()
    assert latest.updated_at.strftime("%Y-%m-%d") in response.text


def every_address(client) -> list[str]:
    """The addresses of every sitemap page the index names, repeats kept; and
    each sitemap page holds at most TranslatedSitemap.limit of them."""
    from cases.sitemaps import TranslatedSitemap

    index = parse(client.get("/sitemap.xml"))
    found = []
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        location = sitemap.findtext(f"{SITEMAP}loc").removeprefix("http://testserver")
        urls = parse(client.get(location)).findall(f"{SITEMAP}url")
        assert len(urls) <= TranslatedSitemap.limit, location
        assert urls or location == "/sitemap-places.xml", location  # no place recorded yet
        found += [url.findtext(f"{SITEMAP}loc") for url in urls]
    return found


def test_each_sitemap_is_split_into_pages_under_its_limit_with_every_address_once(
    client, site, monkeypatch
):
    from cases.sitemaps import TranslatedSitemap

    expected = set(addresses(client))
    monkeypatch.setattr(TranslatedSitemap, "limit", 2)
    cache.clear()

    found = every_address(client)

    assert len(found) == len(set(found))
    assert set(found) == expected
    index = client.get("/sitemap.xml").text
    people = Person.objects.public().count()
    assert people > 2
    pages = (3 * people + 1) // 2  # each person's page in three languages, two a page
    assert f"/sitemap-people.xml?p={pages}</loc>" in index
    assert f"/sitemap-people.xml?p={pages + 1}</loc>" not in index
    assert client.get(f"/sitemap-people.xml?p={pages + 1}").status_code == 404


def test_a_sitemap_is_rendered_once_per_version_of_the_public_data(
    client, make_case, django_assert_num_queries
):
    make_case("First case", slug="first-case")
    public_data_changed()
    assert "/cases/first-case/" in client.get("/sitemap-cases.xml").text

    make_case("Second case", slug="second-case")
    with django_assert_num_queries(1):  # the version, and the rest from the cache
        kept = client.get("/sitemap-cases.xml")
    assert "/cases/second-case/" not in kept.text
    assert kept["X-Robots-Tag"] == client.get("/sitemap.xml")["X-Robots-Tag"]

    public_data_changed()  # what every edit does
    assert "/cases/second-case/" in client.get("/sitemap-cases.xml").text


def test_a_sitemap_kept_by_the_release_before_a_deploy_is_rendered_again_after_it(
    client, make_case, monkeypatch
):
    """With a shared cache, the sitemaps kept by the release before are not
    served by the new one, whose code may list other pages."""
    from cases import release

    make_case("First case", slug="first-case")
    public_data_changed()
    client.get("/sitemap-cases.xml")  # kept
    make_case("Second case", slug="second-case")  # not seen until the next edit ...
    assert "/cases/second-case/" not in client.get("/sitemap-cases.xml").text

    monkeypatch.setattr(release, "current", lambda: "next-release")  # ... or a deploy

    assert "/cases/second-case/" in client.get("/sitemap-cases.xml").text
