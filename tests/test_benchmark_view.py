"""/benchmark/minimal/, the yardstick of `make bench`: there only when asked for."""

import pytest


def test_it_is_not_found_unless_benchmark_views_are_on(client, settings):
    settings.BENCHMARK_VIEWS = False

    assert client.get("/benchmark/minimal/").status_code == 404


def test_it_answers_a_few_bytes_through_the_whole_middleware_without_a_query(
    client, settings, db, django_assert_num_queries
):
    settings.BENCHMARK_VIEWS = True

    with django_assert_num_queries(0):
        response = client.get("/benchmark/minimal/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    # The security middleware and the CSP middleware ran.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_it_is_off_by_default():
    from repression import settings

    assert settings.BENCHMARK_VIEWS is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get_and_head(client, settings, method):
    settings.BENCHMARK_VIEWS = True

    assert getattr(client, method)("/benchmark/minimal/").status_code == 405
