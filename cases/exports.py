"""Downloads of the case list: /cases/export.csv and /cases/export.json.

They take the list's own query parameters and select the cases through the
list's own CaseFilter from the published cases, so that an export holds
exactly the cases the list shows, in the same order. Each case is written as
the API lists it (CaseSummarySerializer; a test holds the two equal); the CSV
flattens that.

The whole list (no filter, no search) is a file made once for each version of
the public data and served with its length (cases/export_files.py): streamed,
it would not end before the server gives up on the request at size. A
filtered download is streamed from one snapshot of the database on
PostgreSQL (export_files.in_one_snapshot), and holds at most FILTERED_EXPORT_LIMIT
cases; a larger one is refused with a message that says so and points at
the whole download.

Streams and files are written the same way, and must be quick. The cases are read a chunk of
EXPORT_CHUNK_SIZE at a time as plain values, with one query each for the
chunk's people, charges and organisations, rather than as model instances
through the serializer, which is several times slower. Memory does not grow
with the number of cases.
"""

import csv
from itertools import islice

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header, http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django_countries import countries
from rest_framework.utils.encoders import JSONEncoder

from . import export_files
from .export_files import ExportKind, MadeFile
from .filters import CaseFilter, SortOrder
from .models import (
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    PublicDataVersion,
    StatusChangeSource,
)
from .models.cases import kind_of_role
from .models.partial_dates import DatePrecision, iso_partial_date
from .translation import ORIGINAL, in_language, prose_columns, reader_language

EXPORT_CHUNK_SIZE = 1000
# The most cases a filtered download streams: about 1 s on PostgreSQL at
# 100,000 cases (docs/benchmarks.md), far from gunicorn's 30 s timeout even
# on a loaded server. The whole list is a file and has no limit.
FILTERED_EXPORT_LIMIT = 10_000
# Seconds a client is asked to wait while the first file of the whole list is made.
RETRY_AFTER_SECONDS = 30
CSV_COLUMNS = [
    "url",
    "title",
    "country",
    "country_name",
    "current_status",
    "last_status_change",
    "people",
    "charges",
    "organisations",
    "officials",
    "others",
    # Beyond what the API lists, so that a download can be imported again as it
    # was (docs/import.md): what publishing a case needs.
    "summary",
    "sources",
]
# After CSV_COLUMNS in a download in Russian or Kazakh: the language of the
# title, and of each charge's and organisation's name in the order of their
# column ("ru; en"), the reader's or "en" where the English stands in for a
# missing translation. A download in English has no such columns: it is
# all English.
LANGUAGE_COLUMNS = ["title_language", "charges_language", "organisations_language"]
# A spreadsheet takes a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def filter_cases(data) -> CaseFilter:
    """The list's filter over the published cases."""
    return CaseFilter(data, queryset=Case.objects.published())


def query_string(data) -> str:
    """The parameters of DATA (a QueryDict) that choose and sort the cases, and no others:
    what a download link carries from the list (not its page, for one)."""
    kept = data.copy()
    for name in data:
        if name not in CaseFilter.base_filters:
            del kept[name]
    return kept.urlencode()


def case_rows(
    site: str, cases, language: str = ORIGINAL, *, importable: bool = False, with_pk: bool = False
):
    """Each case in CASES, in order, as the API lists it: a dict like
    CaseSummarySerializer's, built from values read a chunk at a time.
    SITE is the scheme and host of the addresses (https://cases.example.org);
    the prose is in LANGUAGE, or the English where it has no translation, and
    in another language than English each text's language is given beside it
    (`title_language`), as the API does (cases/translation.py's language_of()).
    IMPORTABLE: with its summary (the English original, which an import
    writes) and sources too, as the CSV download has them. WITH_PK: with the
    case's id ("pk"), for a caller that finds the rows by it."""
    told = language != ORIGINAL
    case_url = _url_maker(site, "case_detail")
    api_url = _url_maker(site, "api:case-detail")
    country_names: dict[str, str] = {}
    rows = (
        cases.prefetch_related(None)
        .values_list(
            "pk",
            "slug",
            *prose_columns("title", language),
            "country",
            "current_status",
            "last_status_change_on",
            "last_status_change_precision",
        )
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
        ids = [row[0] for row in chunk]
        people = _by_case(
            CaseParticipant.objects.filter(case__in=ids),
            slug="person__slug",
            name="person__name",
            role="role",
            current_status="current_status",
        )
        for links in people.values():
            for person in links:
                person["kind"] = kind_of_role(person["role"])
                person["current_status"] = person["current_status"] or None
        charges = _by_case(
            CaseCharge.objects.filter(case__in=ids),
            slug="charge__slug",
            **_prose("charge", "name", language),
            name_transliterated="charge__name_transliterated",
            state="state",
        )
        organisations = _by_case(
            CaseOrganisation.objects.filter(case__in=ids),
            slug="organisation__slug",
            **_prose("organisation", "name", language),
            acronym="organisation__acronym",
            role="role",
        )
        extras = _importable_extras(ids) if importable else {}
        for links in (*charges.values(), *organisations.values()):
            for link in links:
                _in_language(link, "name", language, told=told)
        for pk, slug, *titles, country, status, changed_on, precision in chunk:
            if country not in country_names:
                country_names[country] = str(countries.name(country))
            title, title_language = in_language(language, titles[0], titles[-1])
            yield {
                "url": case_url(slug),
                "api_url": api_url(slug),
                "slug": slug,
                "title": title,
                **({"title_language": title_language} if told else {}),
                "country": country or None,
                "country_name": country_names[country],
                "current_status": status or None,
                "last_status_change": iso_partial_date(changed_on, precision or DatePrecision.YEAR)
                or None,
                "people": people.get(pk, []),
                "charges": charges.get(pk, []),
                "organisations": organisations.get(pk, []),
                **extras.get(pk, {}),
                **({"pk": pk} if with_pk else {}),
            }


def _importable_extras(ids) -> dict[int, dict]:
    """{case id: {"summary": ..., "sources": [address or title, ...]}}: every
    source the case or its timeline cites, each once, sorted, so that the
    order does not depend on the order the sources were recorded in."""
    extras = {
        pk: {"summary": summary or "", "sources": set()}
        for pk, summary in Case.objects.filter(pk__in=ids).values_list(
            "pk", prose_columns("summary", ORIGINAL)[0]
        )
    }
    cited = [
        *CaseSource.objects.filter(case__in=ids)
        .order_by()
        .values_list("case_id", "source__url", "source__title"),
        *StatusChangeSource.objects.filter(status_change__case__in=ids)
        .order_by()
        .values_list("status_change__case_id", "source__url", "source__title"),
    ]
    for case_id, url, title in cited:
        extras[case_id]["sources"].add(url or title)
    for values in extras.values():
        values["sources"] = sorted(values["sources"])
    return extras


def _prose(relation: str, name: str, language: str) -> dict[str, str]:
    """The fields for _by_case() that read the prose field NAME of RELATION
    for a reader of LANGUAGE: its column in LANGUAGE (as NAME) and, in
    another language than English, the English's (as NAME_language, the
    place where _in_language() puts the text's language)."""
    own, *original = prose_columns(name, language)
    fields = {name: f"{relation}__{own}"}
    if original:
        fields[f"{name}_language"] = f"{relation}__{original[0]}"
    return fields


def _in_language(values: dict, name: str, language: str, *, told: bool) -> None:
    """Puts into VALUES, read with _prose()'s fields, the text of NAME for a
    reader of LANGUAGE and, if TOLD, its language as NAME_language."""
    values[name], text_language = in_language(
        language, values[name], values.get(f"{name}_language")
    )
    if told:
        values[f"{name}_language"] = text_language


def _by_case(links, **fields) -> dict[int, list[dict]]:
    """{case id: [{name: value of FIELDS[name]} for each of LINKS of that case, in order]}."""
    grouped: dict[int, list[dict]] = {}
    for case_id, *values in links.order_by("pk").values_list("case_id", *fields.values()):
        grouped.setdefault(case_id, []).append(dict(zip(fields, values, strict=True)))
    return grouped


def _url_maker(site: str, view_name: str):
    """A function of a slug that gives the full address of VIEW_NAME for it,
    without reversing the URL for every case."""
    marker = "slug-placeholder"
    prefix, suffix = reverse(view_name, kwargs={"slug": marker}).split(marker)
    return lambda slug: f"{site}{prefix}{slug}{suffix}"


def _site(request) -> str:
    """'https://cases.example.org': what the addresses in a download start with."""
    return request.build_absolute_uri("/").removesuffix("/")


@require_safe
def export_csv(request):
    """The cases the list shows for the same query parameters, as CSV.

    UTF-8 with a byte order mark, so that spreadsheets read Cyrillic names
    right; a cell that a spreadsheet would take as a formula is escaped.
    """
    case_filter = filter_cases(request.GET)
    if not case_filter.is_valid():
        return _refused(request, "csv", [(name, message) for name, message in _errors(case_filter)])
    return _download(request, case_filter, "csv")


@require_safe
def export_json(request):
    """The cases the list shows for the same query parameters, as JSON:
    {"list_url": the list's address, "made_at": when, "cases": [case, ...]}."""
    case_filter = filter_cases(request.GET)
    if not case_filter.is_valid():
        return _refused(request, "json", list(_errors(case_filter)))
    return _download(request, case_filter, "json")


def _refused(request, extension, errors: list[tuple[str, str]], status=400):
    """The reasons, as text for a CSV download and as JSON ({name: [message]}) for JSON."""
    if extension == "csv":
        lines = [f"{name}: {message}" for name, message in errors]
        return HttpResponse(
            "\n".join(lines) + "\n", status=status, content_type="text/plain; charset=utf-8"
        )
    grouped: dict[str, list[str]] = {}
    for name, message in errors:
        grouped.setdefault(name, []).append(message)
    return JsonResponse(grouped, status=status, json_dumps_params={"ensure_ascii": False})


def _download(request, case_filter, extension):
    if not case_filter.is_narrowed:
        sort = case_filter.form.cleaned_data.get("sort") or SortOrder.UPDATED
        return _whole_list(request, sort, extension)
    count = case_filter.count()
    if count > FILTERED_EXPORT_LIMIT:
        message = ngettext(
            "These filters select %(count)s case; a filtered download holds at most "
            "%(limit)s. Narrow the filters, or download every published case at %(whole)s.",
            "These filters select %(count)s cases; a filtered download holds at most "
            "%(limit)s. Narrow the filters, or download every published case at %(whole)s.",
            count,
        ) % {
            "count": formats.number_format(count, force_grouping=True),
            "limit": formats.number_format(FILTERED_EXPORT_LIMIT, force_grouping=True),
            "whole": request.build_absolute_uri(request.path),
        }
        return _refused(request, extension, [("filters", message)])
    site = _site(request)
    language = reader_language()
    if extension == "csv":
        content = _csv_lines(site, case_filter.qs, language)
    else:
        list_url = site + reverse("case_list")
        if query := query_string(request.GET):
            list_url += f"?{query}"
        content = _json_chunks(site, list_url, case_filter.qs, timezone.now(), language)
    response = StreamingHttpResponse(
        [] if request.method == "HEAD" else export_files.in_one_snapshot(content),
        content_type=export_files.FORMATS[extension],
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_file_name(case_filter, extension)
    )
    return response


def _whole_list(request, sort: str, extension: str):
    """Every published case, as a file made once per version of the public
    data: see cases/export_files.py for what is served when."""
    from .facets import published_facets

    kind = ExportKind(
        site=_site(request),
        language=reader_language(),
        sort=sort,
        extension=extension,
    )
    return serve_whole_file(
        request,
        kind,
        _write_whole_list,
        small=lambda: published_facets().case_count <= FILTERED_EXPORT_LIMIT,
    )


def serve_whole_file(request, kind: ExportKind, write, *, small):
    """The file of KIND for the current version of the public data; made in
    the request on a site where SMALL() says a stream of it would be quick,
    else in the background while the previous version's file is served (or a
    503 when there is none yet)."""
    current = export_files.made_file(kind, PublicDataVersion.current())
    if current is None:
        if small():
            # A small site: made now, in about the time a stream of it would take.
            current = export_files.make(kind, write)
        else:
            export_files.start_making(kind, write)
    if current is not None:
        return _serve(request, kind, current, up_to_date=True)
    previous = export_files.latest_made_file(kind)
    if previous is not None:
        return _serve(request, kind, previous, up_to_date=False)
    return _being_made(kind)


def _being_made(kind: ExportKind):
    if kind.subject == "people":
        message = _(
            "The download of every person in a published case is being made. "
            "Try again in a minute: it will be ready then."
        )
    else:
        message = _(
            "The download of every published case is being made. "
            "Try again in a minute: it will be ready then."
        )
    response = HttpResponse(
        message + "\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _serve(request, kind: ExportKind, made: MadeFile, *, up_to_date: bool):
    """The made file, with its length, and when it was made in its name and headers."""
    try:
        file = default_storage.open(made.name, "rb")
        size = default_storage.size(made.name)
    except (FileNotFoundError, OSError):  # deleted since: a newer one is made
        return _being_made(kind)
    when = timezone.localtime(made.made_at)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{kind.prefix}{when:%Y-%m-%d-%H%M}.{kind.extension}",
        content_type=kind.content_type,
    )
    response["Content-Length"] = str(size)
    response["Last-Modified"] = http_date(made.made_at.timestamp())
    response["X-Export-Made"] = made.made_at.isoformat(timespec="seconds")
    if not up_to_date:
        response["X-Export-Note"] = "made before the latest edit; the up-to-date file is being made"
    if request.method == "HEAD":
        file.close()
        response.streaming_content = []
    return response


def _write_whole_list(kind: ExportKind, made_at):
    """The text of the file of KIND (every published case), in pieces."""
    from django.http import QueryDict

    cases = filter_cases(QueryDict(f"sort={kind.sort}")).qs
    if kind.extension == "csv":
        return _csv_lines(kind.site, cases, kind.language)
    list_url = kind.site + reverse("case_list")
    if kind.sort != SortOrder.UPDATED:
        list_url += f"?sort={kind.sort}"
    return _json_chunks(kind.site, list_url, cases, made_at, kind.language)


def _errors(case_filter):
    for name, messages in case_filter.errors.items():
        for message in messages:
            yield name, str(message)


def _file_name(case_filter, extension) -> str:
    """'cases-kz-samoupravstvo-2026-05-01.csv': what the file holds, and when it was made."""
    values = []
    for name in case_filter.facets:
        values.extend(case_filter.form.cleaned_data.get(name) or [])
    if case_filter.form.cleaned_data.get("q"):
        values.append(case_filter.form.cleaned_data["q"])
    words = slugify(" ".join(values))[:80].strip("-")
    parts = ["cases", words, timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"


class _Echo:
    """A file that hands back what is written to it, for csv.writer to stream through."""

    def write(self, value):
        return value


def _csv_lines(site: str, cases, language: str):
    writer = csv.writer(_Echo())
    told = language != ORIGINAL
    yield "\ufeff" + writer.writerow(CSV_COLUMNS + (LANGUAGE_COLUMNS if told else []))
    for row in case_rows(site, cases, language, importable=True):
        cells = _flatten(row) + (_languages(row) if told else [])
        yield writer.writerow([_cell(value) for value in cells])


def _flatten(row) -> list[str]:
    return [
        row["url"],
        row["title"],
        row["country"] or "",
        row["country_name"],
        row["current_status"] or "",
        row["last_status_change"] or "",
        _people(row, CaseParticipant.Kind.PERSECUTED),
        "; ".join(
            f"{charge['name']}, {charge['name_transliterated']} ({charge['state']})"
            if charge["name_transliterated"]
            else f"{charge['name']} ({charge['state']})"
            for charge in row["charges"]
        ),
        "; ".join(
            f"{organisation['name']} ({organisation['role']})"
            for organisation in row["organisations"]
        ),
        _people(row, CaseParticipant.Kind.OFFICIAL),
        _people(row, CaseParticipant.Kind.OTHER_ACTOR),
        row["summary"],
        "; ".join(row["sources"]),
    ]


def _languages(row) -> list[str]:
    """The LANGUAGE_COLUMNS of ROW (of a download in another language than English)."""
    return [
        row["title_language"] or "",
        "; ".join(charge["name_language"] or "" for charge in row["charges"]),
        "; ".join(organisation["name_language"] or "" for organisation in row["organisations"]),
    ]


def _people(row, kind) -> str:
    """The people of KIND in the case: the persecuted apart from officials and others."""
    return "; ".join(
        f"{person['name']} ({person['role']})" for person in row["people"] if person["kind"] == kind
    )


def _cell(value: str) -> str:
    """VALUE, with a quote before it if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _json_chunks(site: str, list_url: str, cases, made_at, language: str):
    return json_document(list_url, made_at, "cases", case_rows(site, cases, language))


def json_document(list_url: str, made_at, name: str, rows):
    """{"list_url", "made_at", NAME: [row, ...]} in pieces, a row at a time."""
    encoder = JSONEncoder(ensure_ascii=False)
    yield (
        '{"list_url": '
        + encoder.encode(list_url)
        + ', "made_at": '
        + encoder.encode(made_at.isoformat(timespec="seconds"))
        + f', "{name}": ['
    )
    separator = "\n"
    for row in rows:
        yield separator + encoder.encode(row)
        separator = ",\n"
    yield "\n]}\n"
