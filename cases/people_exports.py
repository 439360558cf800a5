"""Downloads of the people list: /people/export.csv and /people/export.json.

One row per person persecuted in a published case (a person in two cases has
two rows), chosen by the people list's own filters (cases/people_filters.py),
ordered by the person's name and the case's address. The columns are the
import format's (docs/import.md): the case's, the person's, and the facts of
issue 15 (held now, the present or last detention with its place, the verdict
whose sentence stands, sex, categories, recognitions), so that a download
can be imported again as it is.

Read as the case download is read (cases/exports.py): a chunk of
EXPORT_CHUNK_SIZE people at a time as plain values, with a few queries per
chunk whatever its size, all from one snapshot of the database on PostgreSQL
(export_files.in_one_snapshot) and each row's case found by its id; cells a
spreadsheet would run as formulas are escaped; the case's title, charges and
organisations are in the reader's language with their languages beside them,
as in the case download. The
texts an import writes (the person's occupation, the headline, the place's
name) are the originals (English), as the import writes them.
"""

import csv
from itertools import islice

from django.http import QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from . import custody, export_files
from .export_files import ExportKind
from .exports import (
    EXPORT_CHUNK_SIZE,
    LANGUAGE_COLUMNS,
    _cell,
    _Echo,
    _refused,
    _site,
    _url_maker,
    case_rows,
    json_document,
    serve_whole_file,
)
from .imports.columns import DETENTION_COLUMNS, VERDICT_COLUMNS
from .models import (
    Case,
    CaseCategory,
    CaseParticipant,
    Detention,
    Person,
    Recognition,
    StatusChangeParticipant,
    Verdict,
)
from .models.cases import kind_of_role
from .models.partial_dates import iso_partial_date
from .models.verdicts import VerdictCharge
from .people_filters import PersonFilter
from .translation import ORIGINAL, reader_language

# The most rows a filtered download of people streams: the most an import
# takes (cases/imports/files.py), so that such a download can be imported
# again. The whole list (no filter) is a file, made once per version of the
# public data, and has no limit.
PEOPLE_EXPORT_LIMIT = 20_000
CASE_COLUMNS = [
    "url",
    "title",
    "summary",
    "country",
    "country_name",
    "region",
    "start_date",
    "charges",
    "organisations",
    "officials",
    "others",
    "sources",
]
PERSON_COLUMNS = [
    "person_url",
    "name",
    "name_original",
    "other_names",
    "birth_date",
    "sex",
    "occupation",
    "role",
    "status",
    "status_date",
    "headline",
]
# The import's own columns of the facts (sex is the person's, above), between
# what follows from them (held_now) and what it does not import (recognitions).
FACT_COLUMNS = ["held_now", *DETENTION_COLUMNS, *VERDICT_COLUMNS, "categories", "recognitions"]
CSV_COLUMNS = CASE_COLUMNS + PERSON_COLUMNS + FACT_COLUMNS
# Columns whose value is a list: joined with "; " in the CSV, lists in the JSON.
LIST_COLUMNS = {
    "charges",
    "organisations",
    "officials",
    "others",
    "sources",
    "other_names",
    "verdict_articles",
    "categories",
    "recognitions",
}


def term_text(years, months, days) -> str:
    """'6 years 6 months': a term as the import reads it back (cases/imports/facts.py),
    in English whatever the reader's language, as codes are."""
    parts = []
    for number, one, many in ((years, "year", "years"), (months, "month", "months")):
        if number:
            parts.append(f"{number} {one if number == 1 else many}")
    if days:
        parts.append(f"{days} {'day' if days == 1 else 'days'}")
    return " ".join(parts)


def charge_text(name: str, transliterated: str) -> str:
    """A charge as the download's charges column writes it, without its state."""
    return f"{name}, {transliterated}" if transliterated else name


def person_rows(site: str, participations, language: str = ORIGINAL):
    """A dict per participation of PARTICIPATIONS (persecuted people in published
    cases), in order, with the CSV_COLUMNS (lists as lists, empty as "")."""
    told = language != ORIGINAL
    person_url = _url_maker(site, "person_detail")
    place_url = _url_maker(site, "place_detail")
    rows = (
        participations.order_by("person__name", "case__slug", "pk")
        .values_list(
            "pk",
            "case_id",
            "role",
            "current_status",
            "person_id",
            "person__slug",
            "person__name",
            "person__name_original",
            "person__other_names",
            "person__birth_date",
            "person__birth_date_precision",
            "person__sex",
            f"person__occupation_{ORIGINAL}",
            "case__region",
            "case__start_date",
            "case__start_date_precision",
        )
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
        ids = [row[0] for row in chunk]
        case_ids = sorted({row[1] for row in chunk})
        # By the case's id, which a rename while the file is read does not change.
        cases = {
            case.pop("pk"): case
            for case in case_rows(
                site,
                Case.objects.filter(pk__in=case_ids).order_by("pk"),
                language,
                importable=True,
                with_pk=True,
            )
        }
        statuses = _latest_statuses(ids)
        detentions = _detentions(ids)
        verdicts = _verdicts(ids)
        categories = _categories(case_ids)
        recognitions = _recognitions({row[4] for row in chunk})
        for (
            pk,
            case_id,
            role,
            current_status,
            person_id,
            slug,
            name,
            name_original,
            other_names,
            birth_date,
            birth_precision,
            sex,
            occupation,
            region,
            start_date,
            start_precision,
        ) in chunk:
            case = cases.get(case_id)
            if case is None:
                # Deleted since the download began: read in one snapshot
                # (PostgreSQL) it cannot be; on SQLite its rows are left out.
                continue
            status = statuses.get(pk)
            row = {
                "url": case["url"],
                "title": case["title"],
                "summary": case["summary"],
                "country": case["country"] or "",
                "country_name": case["country_name"],
                "region": region,
                "start_date": iso_partial_date(start_date, start_precision),
                "charges": [
                    f"{charge_text(c['name'], c['name_transliterated'])} ({c['state']})"
                    for c in case["charges"]
                ],
                "organisations": [f"{o['name']} ({o['role']})" for o in case["organisations"]],
                "officials": _people(case, CaseParticipant.Kind.OFFICIAL),
                "others": _people(case, CaseParticipant.Kind.OTHER_ACTOR),
                "sources": case["sources"],
                "person_url": person_url(slug),
                "name": name,
                "name_original": name_original,
                "other_names": [n.strip() for n in other_names.splitlines() if n.strip()],
                "birth_date": iso_partial_date(birth_date, birth_precision),
                "sex": sex,
                "occupation": occupation or "",
                "role": role,
                "status": current_status if status else "",
                "status_date": iso_partial_date(*status[:2]) if status else "",
                "headline": status[2] if status else "",
                **_detention_columns(detentions.get(pk, []), place_url),
                **_verdict_columns(verdicts.get(pk, [])),
                "categories": categories.get(case_id, []),
                "recognitions": recognitions.get(person_id, []),
            }
            if told:
                row["title_language"] = case["title_language"] or ""
                row["charges_language"] = [c["name_language"] or "" for c in case["charges"]]
                row["organisations_language"] = [
                    o["name_language"] or "" for o in case["organisations"]
                ]
            yield row


def _people(case, kind) -> list[str]:
    return [
        f"{person['name']} ({person['role']})"
        for person in case["people"]
        if kind_of_role(person["role"]) == kind
    ]


def _latest_statuses(ids) -> dict[int, tuple]:
    """{participation id: (date, precision, headline) of the latest entry of
    the timeline concerning it}: the entry its current status comes from."""
    latest = {}
    links = (
        StatusChangeParticipant.objects.filter(participant__in=ids)
        .order_by("status_change__position", "status_change__pk")
        .values_list(
            "participant_id",
            "status_change__date",
            "status_change__date_precision",
            f"status_change__headline_{ORIGINAL}",
        )
    )
    for participant_id, *values in links:
        latest[participant_id] = tuple(values)
    return latest


def _detentions(ids) -> dict[int, list[Detention]]:
    found: dict[int, list[Detention]] = {}
    for episode in Detention.objects.filter(participant__in=ids).select_related("place"):
        found.setdefault(episode.participant_id, []).append(episode)
    return found


def _detention_columns(episodes: list[Detention], place_url) -> dict:
    """The episode that holds the person now, else their last one."""
    current, _since = custody.present_detention(episodes)
    episode = current or max(episodes, key=lambda e: (e.start, e.pk), default=None)
    if episode is None:
        return {
            "held_now": "no",
            **dict.fromkeys(FACT_COLUMNS[1:6], ""),
        }
    place = episode.place
    return {
        "held_now": "yes" if current else "no",
        "detention_kind": episode.kind,
        "detention_start": episode.start_iso,
        "detention_end": episode.end_iso,
        "detention_place": getattr(place, f"name_{ORIGINAL}") if place else "",
        "detention_place_url": place_url(place.slug) if place else "",
    }


def _verdicts(ids) -> dict[int, list[Verdict]]:
    found: dict[int, list[Verdict]] = {}
    verdicts = list(Verdict.objects.filter(participant__in=ids))
    articles: dict[int, list[str]] = {}
    for verdict_id, name, transliterated in (
        VerdictCharge.objects.filter(verdict__in=verdicts)
        .order_by("pk")
        .values_list("verdict_id", f"charge__name_{ORIGINAL}", "charge__name_transliterated")
    ):
        articles.setdefault(verdict_id, []).append(charge_text(name, transliterated))
    for verdict in verdicts:
        verdict.article_names = articles.get(verdict.pk, [])
        found.setdefault(verdict.participant_id, []).append(verdict)
    return found


def _verdict_columns(verdicts: list[Verdict]) -> dict:
    """The verdict whose sentence stands, else the last one (an acquittal)."""
    verdict = custody.latest_sentence(verdicts) or max(
        verdicts, key=lambda v: (v.date, v.pk), default=None
    )
    if verdict is None:
        return {name: [] if name in LIST_COLUMNS else "" for name in FACT_COLUMNS[6:14]}
    return {
        "verdict_date": verdict.date_iso,
        "verdict_outcome": verdict.outcome,
        "verdict_articles": verdict.article_names,
        "sentence": term_text(verdict.term_years, verdict.term_months, verdict.term_days),
        "sentence_kind": verdict.sentence_kind,
        "regime": verdict.regime,
        "sentence_start": iso_partial_date(
            verdict.sentence_start, verdict.sentence_start_precision
        ),
        "release_date": verdict.expected_release_iso,
    }


def _categories(case_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for case_id, name in (
        CaseCategory.objects.filter(case__in=case_ids)
        .order_by(f"category__name_{ORIGINAL}", "pk")
        .values_list("case_id", f"category__name_{ORIGINAL}")
    ):
        found.setdefault(case_id, []).append(name)
    return found


def _recognitions(person_ids) -> dict[int, list[str]]:
    """{person id: ["prisoner_of_conscience (Amnesty International, 2012-01)", ...]}."""
    found: dict[int, list[str]] = {}
    for person_id, kind, organisation, date, precision in (
        Recognition.objects.filter(person__in=person_ids)
        .order_by("date", "pk")
        .values_list(
            "person_id", "kind", f"organisation__name_{ORIGINAL}", "date", "date_precision"
        )
    ):
        when = iso_partial_date(date, precision)
        found.setdefault(person_id, []).append(
            f"{kind} ({organisation}, {when})" if when else f"{kind} ({organisation})"
        )
    return found


def _csv_lines(site: str, participations, language: str):
    writer = csv.writer(_Echo())
    told = language != ORIGINAL
    columns = CSV_COLUMNS + (LANGUAGE_COLUMNS if told else [])
    yield "\ufeff" + writer.writerow(columns)
    for row in person_rows(site, participations, language):
        cells = [
            "; ".join(row[name]) if isinstance(row[name], list) else row[name] for name in columns
        ]
        yield writer.writerow([_cell(value) for value in cells])


def _json_chunks(site: str, list_url: str, participations, made_at, language: str):
    rows = (
        {k: v if v != "" else None for k, v in row.items()}
        for row in person_rows(site, participations, language)
    )
    return json_document(list_url, made_at, "people", rows)


def query_string(data) -> str:
    """The parameters of DATA that choose the people, and no others (not the page)."""
    kept = data.copy()
    for name in data:
        if name not in PersonFilter.base_filters:
            del kept[name]
    return kept.urlencode()


@require_safe
def export_people_csv(request):
    """The people the list shows for the same query parameters, one row per
    person in a case, as CSV (UTF-8 with a byte order mark)."""
    return _download(request, "csv")


@require_safe
def export_people_json(request):
    """The same rows as JSON: {"list_url", "made_at", "people": [row, ...]}."""
    return _download(request, "json")


def _download(request, extension: str):
    people = Person.objects.public()
    person_filter = PersonFilter(request.GET, queryset=people)
    if not person_filter.is_valid():
        errors = [
            (name, str(message))
            for name, messages in person_filter.errors.items()
            for message in messages
        ]
        return _refused(request, extension, errors)
    if not person_filter.is_narrowed:
        return _whole_list(request, extension)
    # One row per participation, however many of the chosen categories or charges it has.
    participations = CaseParticipant.objects.filter(
        pk__in=person_filter.participations().values("pk")
    )
    count = participations.count()
    if count > PEOPLE_EXPORT_LIMIT:
        message = ngettext(
            "These filters select %(count)s row (a person in a case); a download of "
            "people holds at most %(limit)s. Narrow the filters, for instance by country.",
            "These filters select %(count)s rows (a person in a case each); a download of "
            "people holds at most %(limit)s. Narrow the filters, for instance by country.",
            count,
        ) % {
            "count": formats.number_format(count, force_grouping=True),
            "limit": formats.number_format(PEOPLE_EXPORT_LIMIT, force_grouping=True),
        }
        return _refused(request, extension, [("filters", message)])
    site = _site(request)
    language = reader_language()
    if extension == "csv":
        content = _csv_lines(site, participations, language)
    else:
        list_url = site + reverse("person_list")
        if query := query_string(request.GET):
            list_url += f"?{query}"
        content = _json_chunks(site, list_url, participations, timezone.now(), language)
    response = StreamingHttpResponse(
        [] if request.method == "HEAD" else export_files.in_one_snapshot(content),
        content_type=export_files.FORMATS[extension],
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_file_name(person_filter, extension)
    )
    return response


def _every_participation():
    person_filter = PersonFilter(QueryDict(), queryset=Person.objects.public())
    person_filter.is_valid()
    return CaseParticipant.objects.filter(pk__in=person_filter.participations().values("pk"))


def _whole_list(request, extension: str):
    """Every person in a published case, as a file made once per version of
    the public data, as the cases' whole download is (cases/export_files.py):
    streamed, it would not end before the server gives up at size."""
    kind = ExportKind(
        site=_site(request),
        language=reader_language(),
        sort="people",
        extension=extension,
        subject="people",
    )
    return serve_whole_file(
        request,
        kind,
        _write_whole_list,
        small=lambda: _row_count() <= PEOPLE_EXPORT_LIMIT,
    )


def _row_count() -> int:
    """The rows of the whole download, counted once per version of the public data."""
    from .facets import cached_for, published_facets

    return cached_for(
        published_facets(), "people-export-rows", lambda: _every_participation().count()
    )


def _write_whole_list(kind: ExportKind, made_at):
    participations = _every_participation()
    if kind.extension == "csv":
        return _csv_lines(kind.site, participations, kind.language)
    list_url = kind.site + reverse("person_list")
    return _json_chunks(kind.site, list_url, participations, made_at, kind.language)


def _file_name(person_filter, extension) -> str:
    """'people-kz-now-2026-12-01.csv'."""
    values = []
    for name in (*person_filter.facets, "detained", "released"):
        value = person_filter.form.cleaned_data.get(name)
        if value:
            values.extend(value if isinstance(value, list) else [str(value)])
    words = slugify(" ".join(values))[:80].strip("-")
    parts = ["people", words, timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"
