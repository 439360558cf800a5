"""Several app servers behind nginx share one database, one cache and one media store.

The cluster (deploy/cluster.py, `make cluster`) is started once for this
module: nginx in front of two gunicorn app servers with production settings,
its own PostgreSQL server (whatever database the suite runs on), Redis and
moto's S3 server, on loopback. The tests act as editors and visitors do,
over HTTP: an editor logs in to one app server's admin and saves there; a
visitor's browser asks the other app server, or nginx, which picks one.

Figures (pytest -s): the cache hits on one server for pages another
rendered, and the requests nginx retried while an app server was stopped.
"""

import io
import re
import threading
from collections import Counter
from html.parser import HTMLParser

import pytest
import redis
import requests
from PIL import Image

from deploy.cluster import Cluster, get, missing_parts
from tests.conftest import STAFF_PASSWORD
from tests.test_pictures import phone_photo

MISSING = missing_parts()
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason="cluster tests skipped: " + "; ".join(MISSING)
)

EDITOR = "cluster-editor"
PERSON = "/people/ainur-kurmanov/"  # of the demo data, public


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    cluster.start(
        setup=(
            "from django.contrib.auth.models import Group, User\n"
            f"editor = User.objects.create_user({EDITOR!r}, password={STAFF_PASSWORD!r}, "
            "is_staff=True)\n"
            "editor.groups.add(Group.objects.get(name='Editor'))"
        )
    )
    try:
        yield cluster
    finally:
        cluster.stop()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id FORM_ID, as (name, value)
    pairs: text, hidden and date inputs, checked boxes, selected options, text areas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        kind = (a.get("type") or "text").lower()
        if tag == "input" and a.get("name") and kind not in {"submit", "button", "file", "image"}:
            if kind not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append(
                    (a["name"], a.get("value") or ("on" if kind in {"checkbox", "radio"} else ""))
                )
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def form_fields(html: str, form_id: str) -> dict[str, str | list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    fields: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    assert fields, f"no form {form_id!r} in the page"
    return fields


def editor_on(port: int) -> requests.Session:
    """A browser session of the editor, logged in to the admin of the app server on PORT."""
    session = requests.Session()
    login = f"http://127.0.0.1:{port}/admin/login/"
    page = session.get(login, timeout=30)
    assert page.status_code == 200
    answer = session.post(
        login,
        data={
            "csrfmiddlewaretoken": form_fields(page.text, "login-form")["csrfmiddlewaretoken"],
            "username": EDITOR,
            "password": STAFF_PASSWORD,
            "next": "/admin/",
        },
        timeout=30,
    )
    assert answer.status_code == 200 and "Log out" in answer.text, answer.text[:500]
    return session


def change_person(session: requests.Session, port: int, name: str, change, files=None):
    """Open NAME's admin form on the app server on PORT, let CHANGE edit its fields, save."""
    base = f"http://127.0.0.1:{port}"
    found = session.get(f"{base}/admin/cases/person/", params={"q": name}, timeout=30)
    address = re.search(r'href="(/admin/cases/person/[^"/]+/change/)[^"]*"', found.text)
    assert address, "the person is not in the admin's list"
    form = session.get(base + address[1], timeout=30)
    fields = form_fields(form.text, "person_form")
    change(fields)
    saved = session.post(base + address[1], data=fields, files=files, timeout=60)
    assert saved.status_code == 200, saved.status_code
    assert "errornote" not in saved.text and "errorlist" not in saved.text, saved.text[:2000]
    assert "was changed successfully" in saved.text


def text(port: int, path: str) -> str:
    status, _headers, body = get(port, path, timeout=30)
    assert status == 200, (port, path, status)
    return body.decode()


def test_an_edit_saved_through_one_app_server_is_on_the_other_at_its_next_request(cluster):
    first, second = cluster.app_ports
    marker = "Arrested again in Almaty on 2 December 2026."
    # The second server has the page, from the shared cache after this.
    assert marker not in text(second, PERSON)
    assert marker not in text(second, PERSON)

    editor = editor_on(first)
    change_person(
        editor, first, "Kurmanov", lambda f: f.update(bio_en=f"{f['bio_en']}\n\n{marker}")
    )

    assert marker in text(second, PERSON)
    assert marker in text(cluster.port, PERSON)  # through nginx, whichever it picks
    # The editor's session is in the database: the other server knows it too.
    assert "Log out" in editor.get(f"http://127.0.0.1:{second}/admin/", timeout=30).text


def test_a_photo_uploaded_through_one_app_server_is_served_through_the_other_from_the_store(
    cluster,
):
    first, second = cluster.app_ports
    editor = editor_on(first)

    def add_photo(fields):
        fields["photo-0-alt_text"] = "Ainur Kurmanov speaking at a rally"
        fields["photo-0-credit"] = "Socialist Movement Kazakhstan"

    photo = {"photo-0-image": ("IMG_20110914_zhanaozen.jpg", phone_photo(), "image/jpeg")}
    change_person(editor, first, "Kurmanov", add_photo, files=photo)

    status, headers, page = get(second, PERSON, timeout=30)
    assert status == 200
    addresses = re.findall(r'(?:src|srcset)="([^"]+)"', page.decode())
    store = f"{cluster.store_url}/media/pictures/"
    photos = {part.split()[0] for a in addresses for part in a.split(",") if store in part}
    assert len(photos) == 2, addresses  # the large size, and the large 2x
    assert cluster.store_url in headers["Content-Security-Policy"].split("img-src")[1]
    for address in photos:
        answer = requests.get(address, timeout=30)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(answer.content)) as image:
            assert max(image.size) <= 600
            assert not image.getexif()  # where and with what it was taken: removed
    # Nothing of it was written to either app server's disk: all five files are in the store.
    stored = cluster.s3_client().list_objects_v2(Bucket="media", Prefix="pictures/")
    assert stored["KeyCount"] == 5


def public_pages(port: int) -> list[str]:
    """Addresses of every kind of cached public page, found by following links as a visitor."""
    pages = ["/", "/cases/", "/cases/?country=KZ", PERSON]
    case = re.search(r'href="(/cases/[a-z0-9-]+/)"', text(port, "/cases/"))[1]
    case_page = text(port, case)
    pages.append(case)
    for kind in ("organisations", "charges"):
        if found := re.search(rf'href="(/{kind}/[a-z0-9-]+/)"', case_page):
            pages.append(found[1])
    return pages


def redis_counts(client: redis.Redis) -> Counter:
    stats = client.info("stats")
    commands = client.info("commandstats")
    writes = sum(
        commands.get(f"cmdstat_{name}", {}).get("calls", 0)
        for name in ("set", "setex", "psetex", "mset", "incrby", "incr")
    )
    return Counter(hits=stats["keyspace_hits"], misses=stats["keyspace_misses"], writes=writes)


def test_a_page_rendered_on_one_app_server_is_a_cache_hit_on_the_other(cluster):
    first, second = cluster.app_ports
    client = redis.Redis(port=cluster.redis_port)
    addresses = public_pages(first)
    # A new version of the public data: no page of it has been rendered anywhere.
    cluster.manage(
        "shell", "-c", "from cases.services import public_data_changed; public_data_changed()"
    )
    rendered, served = Counter(), Counter()
    pages = []
    # Pages hold their own address: each server is asked for the site's, as nginx asks.
    site = {"Host": f"127.0.0.1:{cluster.port}"}
    for path in addresses:
        before = redis_counts(client)
        status, _headers, on_first = get(first, path, timeout=30, headers=site)
        assert status == 200, path
        after_first = redis_counts(client)
        status, _headers, on_second = get(second, path, timeout=30, headers=site)
        after_second = redis_counts(client)
        assert status == 200
        assert on_second == on_first, path
        rendered += after_first - before
        served_here = after_second - after_first
        assert served_here["misses"] == 0, (path, served_here)
        assert served_here["writes"] == 0, (path, served_here)
        assert served_here["hits"] >= 1, (path, served_here)
        served += served_here
        pages.append(path)
    print(
        f"\n{len(pages)} pages rendered on one app server: {rendered['misses']} cache misses, "
        f"{rendered['writes']} keys written to Redis; the same pages on the other: "
        f"{served['hits']} cache hits, {served['misses']} misses, {served['writes']} written"
    )
    assert len(pages) == 7


def test_stopping_an_app_server_loses_no_request_that_nginx_retries_on_the_other(cluster):
    """The last test of the module: it leaves the first app server stopped."""
    pages = public_pages(cluster.app_ports[1])
    for path in pages:
        get(cluster.port, path)  # cached before the load, as a busy site has them
    log_before = cluster.access_log.read_text().count("\n")
    clients, requests_each = 4, 60
    answers: list[int | None] = []
    sent = threading.Semaphore(0)

    def visitor(number):
        for n in range(requests_each):
            status, _headers, _body = get(
                cluster.port, pages[(number + n) % len(pages)], timeout=30
            )
            answers.append(status)
            sent.release()

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for _ in range(clients * requests_each // 4):
        sent.acquire(timeout=60)  # a quarter of the requests answered, then the stop
    stopped_at = len(answers)
    cluster.stop_app_server(0)
    refused_at = len(answers)
    for thread in threads:
        thread.join(timeout=120)

    lines = cluster.access_log.read_text().splitlines()[log_before:]
    retried = [line for line in lines if ", " in line.split("upstream=")[1]]
    first = f"127.0.0.1:{cluster.app_ports[0]}"
    print(
        f"\nOne of two app servers stopped (SIGTERM) after {stopped_at} of "
        f"{clients * requests_each} requests through nginx; its port refused connections "
        f"after {refused_at}. Answers: {dict(Counter(answers))}; nginx retried "
        f"{len(retried)} of them on the other app server"
    )
    assert len(answers) == clients * requests_each
    assert Counter(answers) == {200: clients * requests_each}
    assert retried, "nginx's log shows no request retried on the other app server"
    for line in retried:
        assert line.split("upstream=")[1].startswith(f'"{first}, ')
