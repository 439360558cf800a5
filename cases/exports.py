"""Downloads of the case list: /cases/export.csv and /cases/export.json.

They take the list's own query parameters and select the cases through the
list's own CaseFilter from the published cases, so that an export holds
exactly the cases the list shows, in the same order. Each case is written as
the API lists it (CaseSummarySerializer; a test holds the two equal); the CSV
flattens that.

Both are streamed, and must be quick: 100,000 cases have to go out before a
server gives up on the request. So the cases are read a chunk of
EXPORT_CHUNK_SIZE at a time as plain values, with one query each for the
chunk's people, charges and organisations, rather than as model instances
through the serializer, which is several times slower. Memory does not grow
with the number of cases.
"""

import csv
from itertools import islice

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from django_countries import countries
from rest_framework.utils.encoders import JSONEncoder

from .filters import CaseFilter
from .models import Case, CaseCharge, CaseOrganisation, CaseParticipant
from .models.cases import kind_of_role
from .models.partial_dates import DatePrecision, iso_partial_date

EXPORT_CHUNK_SIZE = 1000
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
]
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


def case_rows(request, cases):
    """Each case in CASES, in order, as the API lists it: a dict like
    CaseSummarySerializer's, built from values read a chunk at a time."""
    case_url = _url_maker(request, "case_detail")
    api_url = _url_maker(request, "api:case-detail")
    country_names: dict[str, str] = {}
    rows = (
        cases.prefetch_related(None)
        .values_list(
            "pk",
            "slug",
            "title",
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
            name="charge__name",
            name_transliterated="charge__name_transliterated",
            state="state",
        )
        organisations = _by_case(
            CaseOrganisation.objects.filter(case__in=ids),
            slug="organisation__slug",
            name="organisation__name",
            acronym="organisation__acronym",
            role="role",
        )
        for pk, slug, title, country, status, changed_on, precision in chunk:
            if country not in country_names:
                country_names[country] = str(countries.name(country))
            yield {
                "url": case_url(slug),
                "api_url": api_url(slug),
                "slug": slug,
                "title": title,
                "country": country or None,
                "country_name": country_names[country],
                "current_status": status or None,
                "last_status_change": iso_partial_date(changed_on, precision or DatePrecision.YEAR)
                or None,
                "people": people.get(pk, []),
                "charges": charges.get(pk, []),
                "organisations": organisations.get(pk, []),
            }


def _by_case(links, **fields) -> dict[int, list[dict]]:
    """{case id: [{name: value of FIELDS[name]} for each of LINKS of that case, in order]}."""
    grouped: dict[int, list[dict]] = {}
    for case_id, *values in links.order_by("pk").values_list("case_id", *fields.values()):
        grouped.setdefault(case_id, []).append(dict(zip(fields, values, strict=True)))
    return grouped


def _url_maker(request, view_name):
    """A function of a slug that gives the full address of VIEW_NAME for it,
    without reversing the URL for every case."""
    marker = "slug-placeholder"
    prefix, suffix = request.build_absolute_uri(reverse(view_name, kwargs={"slug": marker})).split(
        marker
    )
    return lambda slug: f"{prefix}{slug}{suffix}"


@require_safe
def export_csv(request):
    """The cases the list shows for the same query parameters, as CSV.

    UTF-8 with a byte order mark, so that spreadsheets read Cyrillic names
    right; a cell that a spreadsheet would take as a formula is escaped.
    """
    case_filter = filter_cases(request.GET)
    if not case_filter.is_valid():
        lines = [f"{name}: {message}" for name, message in _errors(case_filter)]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain")
    response = StreamingHttpResponse(
        [] if request.method == "HEAD" else _csv_lines(request, case_filter.qs),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_file_name(case_filter, "csv")
    )
    return response


@require_safe
def export_json(request):
    """The cases the list shows for the same query parameters, as JSON:
    {"list_url": the list's address, "cases": [case, ...]}."""
    case_filter = filter_cases(request.GET)
    if not case_filter.is_valid():
        errors: dict[str, list[str]] = {}
        for name, message in _errors(case_filter):
            errors.setdefault(name, []).append(message)
        return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
    response = StreamingHttpResponse(
        [] if request.method == "HEAD" else _json_chunks(request, case_filter),
        content_type="application/json",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_file_name(case_filter, "json")
    )
    return response


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


def _csv_lines(request, cases):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for row in case_rows(request, cases):
        yield writer.writerow([_cell(value) for value in _flatten(row)])


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
    ]


def _people(row, kind) -> str:
    """The people of KIND in the case: the persecuted apart from officials and others."""
    return "; ".join(
        f"{person['name']} ({person['role']})" for person in row["people"] if person["kind"] == kind
    )


def _cell(value: str) -> str:
    """VALUE, with a quote before it if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _json_chunks(request, case_filter):
    encoder = JSONEncoder(ensure_ascii=False)
    list_url = request.build_absolute_uri(reverse("case_list"))
    query = query_string(request.GET)
    if query:
        list_url += f"?{query}"
    yield '{"list_url": ' + encoder.encode(list_url) + ', "cases": ['
    separator = "\n"
    for row in case_rows(request, case_filter.qs):
        yield separator + encoder.encode(row)
        separator = ",\n"
    yield "\n]}\n"
