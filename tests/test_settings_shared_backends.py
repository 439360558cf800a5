"""The cache and the media store come from the environment (repression/backends.py).

Several app servers need a cache and a media store they share; one laptop
needs neither. Each test loads the settings in a fresh interpreter, as a
server starting with those variables would, and a value that cannot work
stops it with a message naming the variable rather than falling back to a
per-process cache or the local disk.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
VARIABLES = ("CACHE_URL", "MEDIA_S3_", "SECRET_KEY", "DEBUG", "DATABASE_URL", "CSP_IMG_SRC")
PHOTO = "pictures/0123456789abcdef0123456789abcdef.jpg"


def load(**env) -> tuple[int, dict | str]:
    """(exit code, {caches, storage, img_src, photo_url}) or (exit code, error output)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(VARIABLES)}
    code = (
        "import json, django; django.setup(); "
        "from django.conf import settings as s; "
        "from django.core.files.storage import default_storage; "
        "print(json.dumps({'caches': s.CACHES['default'], "
        "'storage': s.STORAGES['default'], "
        "'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        f"'photo_url': default_storage.url({PHOTO!r})}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "repression.settings",
            "SECRET_KEY": "x",
            "LOG_LEVEL": "WARNING",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        return result.returncode, result.stderr
    return 0, json.loads(result.stdout.strip().splitlines()[-1])


def loaded(**env) -> dict:
    code, values = load(**env)
    assert code == 0, values
    return values


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_without_variables_each_process_keeps_its_own_memory_cache_and_photos_on_disk():
    values = loaded()
    assert values["caches"] == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert values["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert values["photo_url"] == f"/media/{PHOTO}"
    assert values["img_src"] == ["'self'", "data:"]


def test_a_redis_url_shares_djangos_own_redis_cache_and_a_dead_redis_costs_a_second_not_minutes():
    values = loaded(CACHE_URL="redis://:a-password@cache.internal:6379/2")
    assert values["caches"] == {
        "BACKEND": "repression.cache.SharedRedisCache",
        "LOCATION": "redis://:a-password@cache.internal:6379/2",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def test_several_redis_urls_are_a_primary_written_to_and_replicas_read_from():
    values = loaded(CACHE_URL="rediss://primary.internal, rediss://replica.internal:6380")
    assert values["caches"]["LOCATION"] == [
        "rediss://primary.internal",
        "rediss://replica.internal:6380",
    ]


def test_memcached_servers_are_shared_through_pymemcache_on_its_default_port():
    values = loaded(CACHE_URL="memcached://cache-1.internal,memcached://cache-2.internal:11311")
    assert values["caches"] == {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": ["cache-1.internal:11211", "cache-2.internal:11311"],
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("cache.internal:6379", "CACHE_URL must start with redis://"),
        ("redis", "CACHE_URL must be a URL such as redis://"),
        ("mysql://cache.internal", "CACHE_URL must start with redis://"),
        ("redis://cache.internal:63a9/0", "CACHE_URL has a port that is not a number"),
        ("redis://:6379/0", "CACHE_URL names no server"),
        ("redis://a.internal,memcached://b.internal", "one kind for all its addresses"),
    ],
)
def test_a_malformed_cache_url_stops_the_server_and_names_the_variable(value, message):
    code, output = load(CACHE_URL=value)
    assert code != 0
    assert "ImproperlyConfigured" in output
    assert message in output


def test_photos_in_an_s3_compatible_store_have_plain_addresses_that_the_csp_allows():
    values = loaded(
        MEDIA_S3_BUCKET="media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        MEDIA_S3_ACCESS_KEY_ID="key",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
    )
    assert values["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # Pages are cached for a day: a signed address would expire in them.
    assert values["photo_url"] == f"http://127.0.0.1:9000/media/{PHOTO}"
    assert values["img_src"] == ["'self'", "data:", "http://127.0.0.1:9000"]


def test_photos_behind_a_cdn_or_custom_domain_are_loaded_from_that_domain():
    values = loaded(
        MEDIA_S3_BUCKET="media",
        MEDIA_S3_REGION="eu-central-1",
        MEDIA_S3_PUBLIC_URL="https://media.example.org/cases/",
        CSP_IMG_SRC="https://tiles.example.org",
    )
    assert values["photo_url"] == f"https://media.example.org/cases/{PHOTO}"
    assert values["img_src"] == [
        "'self'",
        "data:",
        "https://media.example.org",
        "https://tiles.example.org",
    ]


def test_photos_in_an_aws_bucket_are_loaded_from_an_address_the_csp_allows():
    values = loaded(MEDIA_S3_BUCKET="cases-media", MEDIA_S3_REGION="eu-central-1")
    assert "?" not in values["photo_url"]
    assert origin(values["photo_url"]) in values["img_src"]


def test_the_store_keys_can_come_from_files(tmp_path):
    (tmp_path / "id").write_text("key-from-a-file\n")
    (tmp_path / "secret").write_text("secret-from-a-file\n")
    values = loaded(
        MEDIA_S3_BUCKET="media",
        MEDIA_S3_ACCESS_KEY_ID_FILE=str(tmp_path / "id"),
        MEDIA_S3_SECRET_ACCESS_KEY_FILE=str(tmp_path / "secret"),
    )
    assert values["storage"]["OPTIONS"]["access_key"] == "key-from-a-file"
    assert values["storage"]["OPTIONS"]["secret_key"] == "secret-from-a-file"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_S3_ENDPOINT_URL": "127.0.0.1:9000"}, "MEDIA_S3_ENDPOINT_URL must be an http://"),
        ({"MEDIA_S3_PUBLIC_URL": "ftp://media.example.org"}, "MEDIA_S3_PUBLIC_URL must be an"),
        ({"MEDIA_S3_PUBLIC_URL": "https://media.example.org:x"}, "port that is not a number"),
        ({"MEDIA_S3_ACCESS_KEY_ID": "key"}, "must be set together"),
    ],
)
def test_a_malformed_store_setting_stops_the_server_and_names_the_variable(env, message):
    code, output = load(MEDIA_S3_BUCKET="media", **env)
    assert code != 0
    assert "ImproperlyConfigured" in output
    assert message in output
