"""The editors' admin at the benchmark's size, logged in as an editor, with the
targets of issue 18 checked.

    python bench/admin.py [--duration 10] [--warmup 3] [--connections 2]

The server must be running (bench/serve.sh start). Makes (or resets) the
account "bench-editor" in the Editor group, logs it in through the admin's
login form, then loads with wrk, as that editor: the case list, its search
for a surname (cases.search's full-text search), the list filtered by the
most common charge, and the change form of a case with 40 status changes
and 30 people. Editors are few: 2 connections by default, not the public
pages' 8. Prints the figures and each target met or MISSED; exit status 1
if one is missed.

    python bench/admin.py --in-process [--repeat 7]

instead renders each page REPEAT times in this process (Django's test
client, no server needed) and prints the median wall time, CPU time and
time in SQL of each: on a machine shared with other work, CPU time is
what the page itself costs. Run with the project's settings and DATABASE_URL, like
manage.py (bench/run.sh does).

    python bench/admin.py --in-process --read-only [--also PATH ...]

writes nothing to the database (for a server shared with others): every
request in one READ ONLY transaction, rolled back; the session in a signed
cookie; the login neither sets last_login nor adds to django-axes' log. The
account "bench-editor" must exist (any run without --read-only makes it).
--also adds admin pages of your choice, without a target.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import sys
import urllib.parse
import urllib.request

from load import load
from pages import SEARCH, setup

USERNAME = "bench-editor"
# (page, target p95 in ms): issue 18.
TARGETS = {
    "case list": 300,
    "case list searched": 500,
    "case list by charge": 300,
    "case with 40 changes (form)": 300,
}


def editor_session(base: str) -> str:
    """The Cookie header of a fresh admin session of the benchmark's editor,
    logged in through the login form as a person would."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User

    password = secrets.token_urlsafe(24)
    user, _created = User.objects.get_or_create(username=USERNAME, defaults={"is_staff": True})
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name="Editor")])
    if not base:
        return ""

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/admin/login/?next=/admin/"
    form = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": USERNAME,
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310
    with opener.open(request) as response:
        if not response.geturl().endswith("/admin/"):
            raise RuntimeError(f"the editor's login failed: ended at {response.geturl()}")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if settings.SESSION_COOKIE_NAME not in cookies:
        raise RuntimeError("the editor's login gave no session cookie")
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


def admin_pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from cases.models import Case, CaseCharge

    long_case = (
        Case.objects.filter(slug__startswith="synthetic-")
        .annotate(n=Count("status_changes"))
        .filter(n=40)
        .order_by("pk")[0]
    )
    charge = (
        CaseCharge.objects.values_list("charge")
        .annotate(n=Count("pk"))
        .order_by("-n", "charge")[0][0]
    )
    return [
        ("case list", "/admin/cases/case/"),
        ("case list searched", f"/admin/cases/case/?q={SEARCH}"),
        ("case list by charge", f"/admin/cases/case/?charge={charge}"),
        ("case with 40 changes (form)", f"/admin/cases/case/{long_case.pk}/change/"),
    ]


def in_process(repeat: int, *, read_only: bool = False, also: tuple[str, ...] = ()) -> int:
    from django.db import connection, transaction

    if not read_only:
        editor_session("")  # the account, without a server to log in through
        return _in_process(repeat, also)
    from axes.signals import handle_user_logged_in
    from django.conf import settings
    from django.contrib.auth import user_logged_in

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.disconnect(handle_user_logged_in)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        status = _in_process(repeat, also)
        transaction.set_rollback(True)
    return status


def _in_process(repeat: int, also: tuple[str, ...]) -> int:
    import statistics
    import time

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USERNAME))
    print(
        f"{'admin page (as an editor)':<30} {'wall ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'queries':>8}"
    )
    met_all = True
    for name, path in [*admin_pages(), *((path, path) for path in also)]:
        client.get(path)  # warm-up
        walls, cpus, sqls = [], [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            sqls.append(sum(float(query["time"]) for query in queries) * 1000)
        wall, cpu, sql = (statistics.median(values) for values in (walls, cpus, sqls))
        if name not in TARGETS:
            print(f"{name:<30} {wall:8.0f} {cpu:8.0f} {sql:8.0f} {len(queries):8d}")
            continue
        met = cpu + sql < TARGETS[name]
        met_all &= met
        print(
            f"{name:<30} {wall:8.0f} {cpu:8.0f} {sql:8.0f} {len(queries):8d}   "
            f"{'met   ' if met else 'MISSED'} CPU + SQL < {TARGETS[name]} ms   {path}"
        )
    return 0 if met_all else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per page, not counted (3)")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--in-process", action="store_true", help="no server; CPU and SQL time")
    parser.add_argument("--repeat", type=int, default=7, help="renders per page, --in-process (7)")
    parser.add_argument(
        "--read-only", action="store_true", help="--in-process writing nothing to the database"
    )
    parser.add_argument("--also", nargs="*", default=[], help="more admin paths, --in-process")
    args = parser.parse_args()
    setup()
    if args.in_process:
        return in_process(args.repeat, read_only=args.read_only, also=tuple(args.also))
    base = f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8099')}"
    cookie = editor_session(base)

    print(
        f"{'admin page (as an editor)':<30} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}"
    )
    results = {}
    for name, path in admin_pages():
        if args.warmup:
            load(base + path, connections=args.connections, duration=args.warmup, headers=[cookie])
        figures = load(
            base + path, connections=args.connections, duration=args.duration, headers=[cookie]
        )
        results[name] = figures
        print(
            f"{name:<30} {figures['requests_per_second']:7.1f} {figures['p50_us'] / 1000:8.1f} "
            f"{figures['p95_us'] / 1000:8.1f} {figures['errors']:7d}   {path}",
            flush=True,
        )
    print(f"\ntargets (admin, {args.connections} connections):")
    met_all = True
    for name, target in TARGETS.items():
        p95 = results[name]["p95_us"] / 1000
        met = p95 < target and results[name]["errors"] == 0 and results[name]["requests"] > 0
        met_all &= met
        print(
            f"  {'met   ' if met else 'MISSED'}  {name + f': p95 < {target} ms':<50} {p95:.1f} ms"
        )
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
