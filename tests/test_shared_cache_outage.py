"""A shared cache (Redis) that is down costs the public pages their cache, not their answer.

Pages and counts are keyed by the version of the public data in the
database, so they can always be made afresh: repression/cache.py turns an
unreachable Redis into an empty cache rather than a 500 on every page.
"""

import logging
import socket

import pytest

from cases.models import PublicDataVersion


@pytest.fixture
def redis_that_is_down(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections are refused
    redis = {
        "BACKEND": "repression.cache.SharedRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": redis, "template_fragments": redis}
    settings.PUBLIC_PAGE_CACHE = True


def test_while_redis_is_down_public_pages_are_rendered_without_it_and_it_is_logged(
    client, make_case, make_person, redis_that_is_down, caplog
):
    person = make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    case = make_case("Leaders of the Socialist Movement charged", people=[person])
    PublicDataVersion.objects.get_or_create()

    with caplog.at_level(logging.WARNING, logger="repression.cache"):
        for address in ["/", "/cases/", case.get_absolute_url(), "/people/ainur-kurmanov/"]:
            response = client.get(address)
            assert response.status_code == 200, address
        assert "Leaders of the Socialist Movement charged" in client.get("/cases/").text

    assert "The shared cache (Redis) cannot be reached" in caplog.text


def test_with_redis_down_an_edit_is_still_seen_at_the_next_request(
    client, make_case, redis_that_is_down
):
    from cases.services import public_data_changed

    case = make_case("Arrested in Almaty")
    assert "Arrested in Almaty" in client.get("/cases/").text
    case.title = "Arrested in Zhanaozen"
    case.save()
    public_data_changed()
    assert "Arrested in Zhanaozen" in client.get("/cases/").text
