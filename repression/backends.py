"""The shared cache and the media store, built from the values of environment variables.

One server needs neither: each process keeps its own memory cache (pages and
counts are keyed by the version of the public data, so a stale one is never
served) and photos are files on its disk. Several app servers behind a load
balancer need both shared: a cache that one server fills and the others read
(Redis or Memcached), and an object store that every server writes photos to
and that browsers load them from (S3 or a compatible store). settings.py reads
the variables; this module turns their values into Django's CACHES and
STORAGES entries, and refuses a value it cannot use with a message naming the
variable, so that a typo stops the deployment rather than silently falling
back to a per-process cache or the local disk.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# A cache that does not answer must not hold a request for long: the page is
# then rendered without it within a second, not at the kernel's TCP timeout.
REDIS_SOCKET_TIMEOUT_SECONDS = 1


# A card is about 1.5 kB: 5,000 of them, some 8 MB in each process.
FRAGMENTS_IN_MEMORY = 5000


def fragment_cache(default: dict) -> dict:
    """CACHES["template_fragments"] beside DEFAULT (cache_from_url()): a cache
    of its own in each process's memory, or the same shared server."""
    if default["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        return {
            "BACKEND": default["BACKEND"],
            "LOCATION": "fragments",
            "OPTIONS": {"MAX_ENTRIES": FRAGMENTS_IN_MEMORY},
        }
    return dict(default)


def cache_from_url(url: str, *, variable: str = "CACHE_URL") -> dict:
    """Django's CACHES["default"] for URL.

    - empty: each process's own memory (the laptop's and one server's default);
    - redis://[:password@]host[:port][/db], rediss:// (TLS), unix:///path.sock:
      Django's own RedisCache; several URLs separated by commas are a primary
      (written to) and replicas (read from);
    - memcached://host[:port][,host[:port]...]: Django's PyMemcacheCache.
    """
    url = url.strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    locations = [part.strip() for part in url.split(",") if part.strip()]
    schemes = {_scheme(location, variable) for location in locations}
    if schemes <= {"redis", "rediss", "unix"}:
        for location in locations:
            _check_address(location, variable, needs_host=not location.startswith("unix:"))
        return {
            # Django's RedisCache, which pages survive the loss of (repression/cache.py).
            "BACKEND": "repression.cache.SharedRedisCache",
            "LOCATION": locations if len(locations) > 1 else locations[0],
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    if schemes == {"memcached"}:
        servers = []
        for location in locations:
            parts = _check_address(location, variable, needs_host=True)
            servers.append(f"{parts.hostname}:{parts.port or 11211}")
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": servers,
        }
    raise ImproperlyConfigured(
        f"{variable} must start with redis://, rediss://, unix:// or memcached:// "
        f"(one kind for all its addresses); got {url!r}."
    )


def _scheme(location: str, variable: str) -> str:
    scheme = urlsplit(location).scheme.lower()
    if not scheme:
        raise ImproperlyConfigured(
            f"{variable} must be a URL such as redis://cache.internal:6379/0; got {location!r}."
        )
    return scheme


def _check_address(location: str, variable: str, *, needs_host: bool):
    parts = urlsplit(location)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise ImproperlyConfigured(
            f"{variable} has a port that is not a number: {location!r}."
        ) from None
    if (needs_host and not parts.hostname) or (not needs_host and not parts.path):
        raise ImproperlyConfigured(f"{variable} names no server: {location!r}.")
    return parts


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    public_url: str = "",
    access_key: str | None = None,
    secret_key: str | None = None,
) -> tuple[dict, list[str]]:
    """Django's STORAGES["default"] for an S3 bucket, and the origins its files are loaded from.

    The origins go into the Content-Security-Policy's img-src, or browsers
    would refuse the photos. Files get plain, unsigned addresses
    (querystring_auth off): public pages are cached for a day, longer than a
    signed address would live, so the bucket must let anyone read its objects
    (a bucket policy; docs/deploy.md). Their names are random and never
    reused (cases/models/pictures.py), so browsers may keep them a year.

    ENDPOINT_URL is for S3-compatible stores (MinIO, Garage, Ceph, moto):
    their files are addressed as ENDPOINT_URL/BUCKET/name. PUBLIC_URL is the
    address the public loads files from when it is not the store's own (a CDN
    or a custom domain in front of the bucket), e.g. https://media.example.org.
    Without either, files are addressed as AWS does (https://BUCKET.s3.amazonaws.com/name).
    """
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,
        "default_acl": None,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if access_key or secret_key:
        if not (access_key and secret_key):
            raise ImproperlyConfigured(
                "MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY must be set together."
            )
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    if region:
        options["region_name"] = region
    if endpoint_url:
        endpoint = _http_url(endpoint_url, "MEDIA_S3_ENDPOINT_URL")
        options["endpoint_url"] = endpoint_url.rstrip("/")
        # bucket.host addresses need a DNS name per bucket; a self-hosted store
        # (or one on 127.0.0.1) answers at its own address.
        options["addressing_style"] = "path"
        origins = [f"{endpoint.scheme}://{endpoint.netloc}"]
    else:
        # botocore names the bucket's global host or its region's, depending
        # on its version and configuration: both are the bucket's.
        origins = [f"https://{bucket}.s3.amazonaws.com"]
        if region:
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    if public_url:
        public = _http_url(public_url, "MEDIA_S3_PUBLIC_URL")
        options["custom_domain"] = f"{public.netloc}{public.path}".rstrip("/")
        options["url_protocol"] = f"{public.scheme}:"
        origins = [f"{public.scheme}://{public.netloc}"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origins


def _http_url(url: str, variable: str):
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{variable} must be an http:// or https:// address such as "
            f"https://media.example.org; got {url!r}."
        )
    try:
        parts.port  # noqa: B018
    except ValueError:
        raise ImproperlyConfigured(
            f"{variable} has a port that is not a number: {url!r}."
        ) from None
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{variable} must not have a query or fragment: {url!r}.")
    return parts
