"""A publisher deletes a verdict by mistake and restores it from its history
in Chromium: it comes back with the source it cited, and an anonymous visitor
reads it in the case's timeline with its citation, as before the deletion."""

import datetime

from playwright.sync_api import expect

from cases import services
from cases.models import Case, Source, StatusChange, Verdict

from .test_editorial_workflow import log_in, messages, timeline_entry

RULING = "Zhanaozen court sentences Natalia Sokolova to six years"
HEADLINE = "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years"


def sokolova_sentenced() -> Verdict:
    """The demo's Natalia Sokolova sentenced to 6 years, citing the ruling
    (RULING): her verdict and, in her timeline, its entry (HEADLINE)."""
    case = Case.objects.get(slug="natalia-sokolova")
    ruling = Source.objects.create(url="https://news.example.org/zhanaozen-ruling", title=RULING)
    return services.record_verdict(
        case.participants.get(),
        outcome="convicted",
        date=datetime.date(2012, 8, 8),
        term_years=6,
        sources=[ruling],
    )


def test_a_publisher_restores_a_deleted_verdict_and_the_public_reads_it_with_its_source(
    live_server, demo, publisher, page_cache, new_page, browser_problems
):
    verdict = sokolova_sentenced()
    visitor = new_page()
    visitor.goto(live_server.url + "/cases/natalia-sokolova/")
    expect(timeline_entry(visitor, HEADLINE)).to_have_count(1)

    admin = log_in(new_page(), live_server, publisher, f"/admin/cases/verdict/{verdict.pk}/change/")
    admin.get_by_role("link", name="Delete").click()
    admin.get_by_role("button", name="Yes, I’m sure").click()
    expect(messages(admin)).to_contain_text("was deleted successfully")
    visitor.reload()
    expect(timeline_entry(visitor, HEADLINE)).to_have_count(0)

    # The verdict's history keeps its versions: the latest is restored.
    admin.goto(f"{live_server.url}/admin/cases/verdict/{verdict.pk}/history/")
    admin.locator("#change-history tbody tr").first.get_by_role("link").first.click()
    admin.get_by_role("button", name="Revert").click()
    expect(messages(admin)).to_contain_text("Brought back with it")
    expect(messages(admin)).to_contain_text(RULING)

    restored = Verdict.objects.get(pk=verdict.pk)
    assert [s.title for s in restored.sources.all()] == [RULING]
    visitor.reload()
    entry = timeline_entry(visitor, HEADLINE)
    expect(entry).to_have_count(1)
    number = entry.locator(".entry__sources a").get_attribute("href")
    expect(visitor.locator(number)).to_contain_text(RULING)
    assert browser_problems == []


def test_the_old_entry_of_a_verdict_restored_already_is_refused_with_a_message(
    live_server, demo, publisher, page_cache, new_page, browser_problems
):
    """The verdict came back with an entry of its own: its old entry, restored
    next from its history, would tell of it twice (and the database refuses
    that): the publisher is told, and the public timeline shows it once."""
    verdict = sokolova_sentenced()
    entry = StatusChange.objects.get(verdict=verdict)
    entry_version = entry.history.latest().history_id
    admin = log_in(new_page(), live_server, publisher, f"/admin/cases/verdict/{verdict.pk}/change/")
    admin.get_by_role("link", name="Delete").click()
    admin.get_by_role("button", name="Yes, I’m sure").click()
    admin.goto(f"{live_server.url}/admin/cases/verdict/{verdict.pk}/history/")
    admin.locator("#change-history tbody tr").first.get_by_role("link").first.click()
    admin.get_by_role("button", name="Revert").click()
    expect(messages(admin)).to_contain_text("Brought back with it")

    admin.goto(f"{live_server.url}/admin/cases/statuschange/{entry.pk}/history/{entry_version}/")
    admin.get_by_role("button", name="Revert").click()

    expect(messages(admin)).to_contain_text(
        "The status change was not restored: its verdict, restored since, has its own entry"
    )
    assert not StatusChange.objects.filter(pk=entry.pk).exists()
    visitor = new_page()
    visitor.goto(live_server.url + "/cases/natalia-sokolova/")
    expect(timeline_entry(visitor, HEADLINE)).to_have_count(1)
    assert browser_problems == []
