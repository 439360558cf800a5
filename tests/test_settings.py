"""Settings come from the environment and fail clearly when a production value is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with ENV; return (exit code, output)."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    code = (
        "from repression import settings as s; "
        "db = s.DATABASES['default']; "
        "print(s.DEBUG, db['ENGINE'], db.get('OPTIONS', {}).get('pool'), s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_without_a_secret_key_production_settings_refuse_to_load_and_name_the_variable():
    code, output = load_settings()
    assert code != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in output


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("a-long-random-secret\n")
    code, output = load_settings(SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="cases.example.org")
    assert code == 0, output
    assert "['cases.example.org']" in output


def test_debug_runs_without_a_secret_key_on_the_embedded_sqlite_database():
    code, output = load_settings(DEBUG="1")
    assert code == 0, output
    assert output.startswith("True django.db.backends.sqlite3 None")


def test_a_postgresql_url_uses_psycopgs_connection_pool():
    code, output = load_settings(
        SECRET_KEY="x", DATABASE_URL="postgres://cases:secret@db.internal:5432/cases"
    )
    assert code == 0, output
    assert (
        "django.db.backends.postgresql {'min_size': 1, 'max_size': 10, 'timeout': 2, 'reconnect_timeout': 2}"
        in output
    )


def database_options(**env):
    """The default database's settings, loaded in a fresh interpreter with ENV."""
    code = (
        "import json; from repression import settings as s; "
        "print(json.dumps(s.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_are_checked_and_a_database_that_does_not_answer_fails_fast():
    database = database_options(DATABASE_URL="postgres://cases@db.internal/cases")
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["pool"]["timeout"] == 2
    # Retries of a failed connection stop backing off after 2 s: the next request starts afresh.
    assert database["OPTIONS"]["pool"]["reconnect_timeout"] == 2
    assert database["OPTIONS"]["connect_timeout"] == 5
    assert database["OPTIONS"]["options"] == "-c statement_timeout=20s"


def test_the_database_timeouts_come_from_the_environment_and_keep_the_urls_options():
    database = database_options(
        DATABASE_URL="postgres://cases@db.internal/cases?options=-c%20search_path%3Dcases",
        DATABASE_POOL_TIMEOUT="5",
        DATABASE_CONNECT_TIMEOUT="3",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    assert database["OPTIONS"]["pool"]["timeout"] == 5
    assert database["OPTIONS"]["pool"]["reconnect_timeout"] == 5
    assert database["OPTIONS"]["connect_timeout"] == 3
    assert database["OPTIONS"]["options"] == "-c search_path=cases -c statement_timeout=0s"


def test_an_sqlite_file_makes_editors_wait_for_the_write_lock_rather_than_fail():
    database = database_options(DATABASE_URL="sqlite:////srv/cases.sqlite3")
    assert database["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def test_a_misspelt_debug_value_is_an_error_not_a_guess():
    code, output = load_settings(DEBUG="maybe", SECRET_KEY="x")
    assert code != 0
    assert "DEBUG must be one of" in output


def test_a_session_lifetime_of_zero_is_refused_not_taken_as_forever():
    code, output = load_settings(SECRET_KEY="x", STAFF_SESSION_IDLE_MINUTES="0")
    assert code != 0
    assert "STAFF_SESSION_IDLE_MINUTES and STAFF_SESSION_MAX_HOURS must be at least 1" in output


def test_a_negative_age_for_public_pages_is_refused():
    code, output = load_settings(SECRET_KEY="x", PUBLIC_PAGE_MAX_AGE="-60")
    assert code != 0
    assert "PUBLIC_PAGE_MAX_AGE must be 0 (revalidate each time) or more." in output
