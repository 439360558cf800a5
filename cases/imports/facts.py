"""The facts of issue 15 in an imported row: the person's detention with its
place, the verdict with its sentence, and the person's sex.

Read with the row (read_facts(), no database), planned against what the
register holds (FactsState, decide()), and written only through
cases.services (record_detention, end_detention, record_verdict), so that
the models' clean() and the database's constraints apply as in the admin.

A row's detention is the episode of the row's person in the row's case that
starts at the same date (at the same precision): found, it is left as it is,
or ended when the row gives an end and the register has none; otherwise it
is recorded. A row's verdict is the person's verdict of the same date and
outcome: found, it is left as it is; otherwise it is recorded. So importing
a file again records nothing twice, and an end added to an open detention
ends it. What the services cannot change (a detention's kind or place, a
recorded verdict's sentence) is reported per row as not imported, with what
the register holds, never written over.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..models import CaseCategory, Category, Detention, PlaceOfDetention, Sex, Verdict
from ..models.detentions import held_abroad, release_that_ends
from ..models.partial_dates import DatePrecision, format_partial_date, iso_partial_date, last_day
from ..models.places import Regime
from ..models.verdicts import MAX_TERM, expected_release_of
from ..search import fold
from .columns import FACT_COLUMNS as COLUMNS
from .columns import VERDICT_COLUMNS
from .rows import ChargeEntry, PartialDate, _charge, _labels, split

DEFAULT_DETENTION_KIND = Detention.Kind.OTHER
DEFAULT_OUTCOME = Verdict.Outcome.CONVICTED
# The kind of a place first met in an import, from the kind of detention there.
PLACE_KIND = {
    Detention.Kind.ARREST: PlaceOfDetention.Kind.TEMPORARY_HOLDING,
    Detention.Kind.ADMINISTRATIVE: PlaceOfDetention.Kind.TEMPORARY_HOLDING,
    Detention.Kind.PRE_TRIAL: PlaceOfDetention.Kind.PRE_TRIAL_CENTRE,
    Detention.Kind.HOUSE_ARREST: PlaceOfDetention.Kind.HOUSE_ARREST,
    Detention.Kind.PRISON: PlaceOfDetention.Kind.PRISON,
    Detention.Kind.PSYCHIATRIC: PlaceOfDetention.Kind.PSYCHIATRIC_HOSPITAL,
    Detention.Kind.OTHER: PlaceOfDetention.Kind.OTHER,
}

# A term: "6 years", "6 years 6 months", "5 лет", "2 года 6 месяцев", "10 жыл", "15 days", "6y 6m".
_UNITS = {
    "years": r"years?|yrs?|y|лет|года?|г|жыл",
    "months": r"months?|mos?|m|месяц(?:а|ев)?|мес|ай",
    "days": r"days?|d|дн(?:я|ей)|день|сут(?:ок|ки)?|күн",
}
_TERM_PART = re.compile(
    r"(?P<number>\d+)\s*(?:(?P<years>"
    + _UNITS["years"]
    + r")|(?P<months>"
    + _UNITS["months"]
    # \b does not hold after a Cyrillic letter in every engine: a lookahead for a non-letter.
    + r")|(?P<days>"
    + _UNITS["days"]
    + r"))\.?(?![^\W\d_])",
    re.IGNORECASE,
)
# Words of a sentence's kind as lists write them, besides the kinds' own names.
_KIND_WORDS = {
    "life": Verdict.SentenceKind.LIFE,
    "life sentence": Verdict.SentenceKind.LIFE,
    "пожизненно": Verdict.SentenceKind.LIFE,
    "пожизненное": Verdict.SentenceKind.LIFE,
    "пожизненное лишение свободы": Verdict.SentenceKind.LIFE,
    "өмір бойы": Verdict.SentenceKind.LIFE,
    "death": Verdict.SentenceKind.DEATH,
    "смертная казнь": Verdict.SentenceKind.DEATH,
    "штраф": Verdict.SentenceKind.FINE,
    "suspended": Verdict.SentenceKind.SUSPENDED,
    "условно": Verdict.SentenceKind.SUSPENDED,
    "условный срок": Verdict.SentenceKind.SUSPENDED,
    "лишение свободы": Verdict.SentenceKind.IMPRISONMENT,
    "prison": Verdict.SentenceKind.IMPRISONMENT,
    "ограничение свободы": Verdict.SentenceKind.RESTRICTION_OF_FREEDOM,
    "исправительные работы": Verdict.SentenceKind.CORRECTIVE_LABOUR,
}
# Left between the parts of a sentence: "6 years and 6 months", "5 лет, строгий режим" is not.
_FILLER = re.compile(r"^[\s,;.+()-]*(?:(?:and|и|және)[\s,;.]*)?$", re.IGNORECASE)


class UnreadableSentence(ValueError):
    pass


def _vocabulary(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    found = _labels(choices)
    for word, value in (extra or {}).items():
        found[fold(word)] = value
    return found


def read_sentence(text: str) -> tuple[str, tuple[int | None, int | None, int | None]]:
    """(sentence kind or "", (years, months, days)) of TEXT: "6 years 6 months",
    "life", "5 лет", "suspended, 2 years". Raises UnreadableSentence."""
    text = " ".join(text.split())
    kinds = _vocabulary(Verdict.SentenceKind, _KIND_WORDS)
    if kind := kinds.get(fold(text).strip(" .")):
        return kind, (None, None, None)
    term = {"years": None, "months": None, "days": None}
    rest = text
    for match in _TERM_PART.finditer(text):
        unit = next(name for name in term if match[name])
        if term[unit] is not None:
            raise UnreadableSentence(text)
        term[unit] = int(match["number"])
        rest = rest.replace(match[0], " ", 1)
    kind = ""
    leftover = " ".join(rest.replace(",", " , ").split()).strip(" ,;")
    if leftover and not _FILLER.match(leftover):
        words = fold(leftover.replace(",", " ")).split()
        # A kind before or after the term: "suspended, 2 years", "2 года условно".
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if phrase in kinds:
                    kind = kinds[phrase]
                    words = words[:start] + words[start + size :]
                    break
            if kind:
                break
        if not kind or not _FILLER.match(" ".join(words)):
            raise UnreadableSentence(text)
    if not any(term.values()) and not kind:
        raise UnreadableSentence(text)
    if any((term[unit] or 0) > MAX_TERM[unit] for unit in term):
        raise UnreadableSentence(text)  # "9000 years": a typing error
    return kind, (term["years"], term["months"], term["days"])


@dataclass
class RowFacts:
    sex: str | None = None  # None: not given
    detention_kind: str = ""
    detention_start: PartialDate | None = None
    detention_end: PartialDate | None = None
    place_name: str = ""
    place_slug: str = ""
    verdict_date: PartialDate | None = None
    verdict_outcome: str = ""
    articles: list[ChargeEntry] = field(default_factory=list)
    sentence_kind: str = ""
    term: tuple = (None, None, None)
    regime: str = ""
    sentence_start: PartialDate | None = None
    release_date: PartialDate | None = None

    @property
    def kind(self) -> str:
        """The kind of detention to record."""
        return self.detention_kind or DEFAULT_DETENTION_KIND

    @property
    def has_verdict(self) -> bool:
        return self.verdict_date is not None


def read_facts(value, row) -> RowFacts | None:
    """The facts of ROW's cells (VALUE, rows._Reader), with an error per cell
    that cannot be read and a note per fact that cannot be held without another."""
    if not any(value.text(column) for column in COLUMNS):
        return None
    facts = RowFacts()
    if row.person is None:
        row.notes.append(
            _(
                "The detention, verdict and sex columns are not imported: the row names "
                "no person of its own (name or name_original)."
            )
        )
        return None
    if value.text("sex"):
        facts.sex = _choice(value, row, "sex", _vocabulary(Sex, _SEX_WORDS))
    facts.detention_kind = _choice(value, row, "detention_kind", _vocabulary(Detention.Kind))
    facts.detention_start = value.date("detention_start")
    facts.detention_end = value.date("detention_end")
    facts.place_name = value.text("detention_place")
    if url := value.text("detention_place_url"):
        facts.place_slug = url.rstrip("/").rsplit("/", 1)[-1]
    unread = {column for column, _message in row.errors}
    if facts.detention_start is None and "detention_start" not in unread:
        for column in ("detention_end", "detention_place", "detention_place_url"):
            if value.text(column):
                row.notes.append(
                    _(
                        "column %(column)s not imported: a detention needs the date it "
                        "began (detention_start)."
                    )
                    % {"column": column}
                )
                facts.detention_end, facts.place_name, facts.place_slug = None, "", ""
                break
    _not_in_future(facts, row, "detention_start", "detention_end")
    if facts.detention_start and facts.detention_end:
        start, end = facts.detention_start, facts.detention_end
        if last_day(end.date, end.precision) < start.date:
            row.errors.append(
                (
                    "detention_end",
                    _(
                        "The release (%(end)s) is before the start of the detention "
                        "(%(start)s): correct one of the two dates."
                    )
                    % {
                        "end": format_partial_date(end.date, end.precision),
                        "start": format_partial_date(start.date, start.precision),
                    },
                )
            )

    facts.verdict_date = value.date("verdict_date")
    _not_in_future(facts, row, "verdict_date")
    facts.verdict_outcome = _choice(
        value, row, "verdict_outcome", _vocabulary(Verdict.Outcome)
    ) or (DEFAULT_OUTCOME if facts.verdict_date else "")
    facts.articles = [_charge(item, "convicted") for item in split(value.text("verdict_articles"))]
    if sentence := value.text("sentence"):
        try:
            kind, facts.term = read_sentence(sentence)
        except UnreadableSentence:
            row.errors.append(
                (
                    "sentence",
                    _(
                        "“%(text)s” cannot be read as a sentence: write its term "
                        "(“6 years”, “6 years 6 months”, “5 лет”) or its kind (“life”, "
                        "“death”, “fine”, “suspended”)."
                    )
                    % {"text": sentence},
                )
            )
            kind = ""
        facts.sentence_kind = kind
    if given := _choice(
        value, row, "sentence_kind", _vocabulary(Verdict.SentenceKind, _KIND_WORDS)
    ):
        if facts.sentence_kind and facts.sentence_kind != given:
            row.errors.append(
                (
                    "sentence_kind",
                    _("The sentence says %(one)s and sentence_kind %(other)s: keep one.")
                    % {"one": facts.sentence_kind, "other": given},
                )
            )
        facts.sentence_kind = given
    facts.regime = _choice(value, row, "regime", _vocabulary(Regime))
    facts.sentence_start = value.date("sentence_start")
    facts.release_date = value.date("release_date")
    derived = _derived_release(facts)
    if (
        facts.release_date
        and derived
        and derived
        != (
            facts.release_date.date,
            facts.release_date.precision,
        )
    ):
        row.errors.append(
            (
                "release_date",
                _(
                    "The term and its start give %(date)s: leave release_date empty, "
                    "or correct the sentence or sentence_start."
                )
                % {"date": format_partial_date(*derived)},
            )
        )
    unread = {column for column, _message in row.errors}
    if not facts.verdict_date and "verdict_date" not in unread:
        for column in VERDICT_COLUMNS[1:]:  # all but verdict_date
            if value.text(column):
                row.notes.append(
                    _("column %(column)s not imported: a verdict needs its date (verdict_date).")
                    % {"column": column}
                )
        facts.articles, facts.sentence_kind, facts.term = [], "", (None, None, None)
        facts.regime, facts.sentence_start, facts.release_date = "", None, None
    return facts


def _not_in_future(facts: RowFacts, row, *columns) -> None:
    today = timezone.localdate()
    for column in columns:
        date = getattr(facts, column)
        if date is not None and date.date > today:
            row.errors.append(
                (
                    column,
                    _(
                        "%(date)s is in the future: a detention or a verdict is recorded "
                        "once it has happened."
                    )
                    % {"date": format_partial_date(date.date, date.precision)},
                )
            )


_SEX_WORDS = {"f": Sex.FEMALE, "m": Sex.MALE, "ж": Sex.FEMALE, "м": Sex.MALE, "woman": Sex.FEMALE}


def _choice(value, row, column: str, vocabulary: dict[str, str]) -> str:
    text = value.text(column)
    if not text:
        return ""
    found = vocabulary.get(fold(text))
    if found is None:
        known = ", ".join(sorted(set(vocabulary.values()) - {""}))
        row.errors.append(
            (column, _("“%(text)s” is not one of: %(known)s.") % {"text": text, "known": known})
        )
        return ""
    return found


# What the register holds, read once for all rows of a plan.


class PlaceIndex:
    """Every place of detention by the slug of its address and by each of its
    spellings, folded as search folds them: one query."""

    def __init__(self):
        self.by_name: dict[str, PlaceOfDetention] = {}
        self.by_slug: dict[str, PlaceOfDetention] = {}
        for place in PlaceOfDetention.objects.all().only("pk", "slug", "name", "other_names"):
            self.add(place)

    def add(self, place: PlaceOfDetention) -> None:
        self.by_slug[place.slug] = place
        for name in place.spellings:
            self.by_name.setdefault(fold(name), place)

    def find(self, facts: RowFacts) -> PlaceOfDetention | None:
        """The place the row names, by the slug of its address or by any of its spellings."""
        if facts.place_slug and facts.place_slug in self.by_slug:
            return self.by_slug[facts.place_slug]
        if facts.place_name:
            return self.by_name.get(fold(facts.place_name))
        return None


class FactsState:
    """The episodes and verdicts of the participations of the plan's cases, and
    the places of detention: a few queries in all."""

    def __init__(self, case_ids=(), places: PlaceIndex | None = None, *, participant=None):
        """Of the cases CASE_IDS, or of the one PARTICIPANT (as it is written)."""
        self.episodes: dict[int, list[Detention]] = {}
        self.verdicts: dict[int, list[Verdict]] = {}
        which = {"participant": participant} if participant else {"case__in": sorted(case_ids)}
        for episode in Detention.objects.filter(**which).select_related("place"):
            self.episodes.setdefault(episode.participant_id, []).append(episode)
        for verdict in Verdict.objects.filter(**which):
            self.verdicts.setdefault(verdict.participant_id, []).append(verdict)
        self.places = places or PlaceIndex()
        if participant is None:
            self._load_categories(case_ids)

    def place(self, facts: RowFacts) -> PlaceOfDetention | None:
        return self.places.find(facts)

    # Categories of cases: linked by their name in any language, never made.

    def _load_categories(self, case_ids) -> None:
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            for language in ("en", "ru", "kk"):
                if name := getattr(category, f"name_{language}", None):
                    self.categories.setdefault(fold(name), category)
            self.categories.setdefault(fold(category.slug), category)
        self.category_links: dict[int, set[int]] = {}
        for case_id, category_id in CaseCategory.objects.filter(
            case__in=sorted(case_ids)
        ).values_list("case_id", "category_id"):
            self.category_links.setdefault(case_id, set()).add(category_id)

    def unknown_categories(self, names: list[str]) -> list[str]:
        """A note per name of NAMES that is not a category of the register."""
        return [
            _(
                "category “%(name)s” not imported: it is not one of the register's "
                "categories; publishers add categories in the admin."
            )
            % {"name": name}
            for name in names
            if fold(name) not in self.categories
        ]

    def category_changes(self, names: list[str], case_pk) -> list[tuple]:
        from .plan import Change

        linked = self.category_links.get(case_pk, set())
        return [
            Change(_("category"), "", str(self.categories[fold(name)]))
            for name in names
            if fold(name) in self.categories and self.categories[fold(name)].pk not in linked
        ]


@dataclass
class Decision:
    """What a row's facts do: the changes to show, the notes, and what to write."""

    changes: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (column, words): what the models' rules would refuse at the import itself.
    errors: list[tuple[str, str]] = field(default_factory=list)
    new_detention: bool = False
    end_detention: Detention | None = None
    new_verdict: bool = False
    sex: str | None = None


def decide(
    facts: RowFacts, state: FactsState, participant_id, person, country: str = ""
) -> Decision:
    """What importing FACTS does for the participation PARTICIPANT_ID (None
    when it is new) of PERSON (None when new) in a case in COUNTRY, given what
    STATE holds. The preview shows what the import would refuse, as the
    models' clean() refuses it, so that a confirmed preview is written."""
    decision = Decision()
    if facts.sex is not None and (person is None or person.sex != facts.sex):
        decision.sex = facts.sex
        decision.changes.append(("sex", person.sex if person else "", facts.sex))
    episodes = state.episodes.get(participant_id, []) if participant_id else []
    if facts.detention_start:
        start = facts.detention_start
        place = state.place(facts)
        place_name = place.name if place else facts.place_name
        # The episode of the same start, and of the same kind when the row gives one:
        # arrested and remanded in custody on one day are two episodes.
        found = next(
            (
                e
                for e in episodes
                if (e.start, e.start_precision) == (start.date, start.precision)
                and e.kind == (facts.detention_kind or e.kind)
            ),
            None,
        )
        if found is None and held_abroad(place, country):
            # The register asks why a person is held in another country, in a note.
            decision.errors.append(
                (
                    "detention_place",
                    _(
                        "%(place)s is in %(country)s, not in the country of the case: record "
                        "this detention in the admin, with a note saying why (extradition, "
                        "transfer …), or correct the place."
                    )
                    % {"place": place.name, "country": place.country.name},
                )
            )
        elif found is None:
            decision.new_detention = True
            new = f"{facts.kind} {_iso(start)}–{_iso(facts.detention_end)}"
            if place_name:
                new += f" ({place_name})"
            decision.changes.append((_("detention"), "", new))
        else:
            end = facts.detention_end
            if end and found.end is None:
                decision.end_detention = found
                decision.changes.append((_("detention_end"), "", _iso(end)))
            elif end and (found.end, found.end_precision) != (end.date, end.precision):
                decision.notes.append(_held_note("detention_end", found.end_iso))
            if (facts.place_name or facts.place_slug) and (
                place is None or place.pk != found.place_id
            ):
                decision.notes.append(
                    _held_note("detention_place", found.place.name if found.place else "")
                )
    if facts.has_verdict:
        verdicts = state.verdicts.get(participant_id, []) if participant_id else []
        when = (facts.verdict_date.date, facts.verdict_date.precision)
        found = next(
            (
                v
                for v in verdicts
                if (v.date, v.date_precision) == when and v.outcome == facts.verdict_outcome
            ),
            None,
        )
        reviewed = [v for v in verdicts if v.date <= facts.verdict_date.date]
        if found is None and facts.verdict_outcome in Verdict.ON_APPEAL and not reviewed:
            decision.notes.append(
                _(
                    "column verdict_outcome not imported: an appeal (%(outcome)s) reviews an "
                    "earlier verdict, and the register has none for this person in this case; "
                    "record the first verdict, then the appeal."
                )
                % {"outcome": facts.verdict_outcome}
            )
        elif (
            found is None
            and not _has_sentence(facts)
            and facts.verdict_outcome in (Verdict.SENTENCING)
        ):
            decision.notes.append(
                _(
                    "column verdict_date not imported: a conviction is recorded with its "
                    "sentence (its term, or its kind: life, a fine …); add the sentence to the "
                    "row, or record the verdict in the admin once it is known."
                )
            )
        elif found is None and (refused := _sentence_refusals(facts)):
            decision.errors += refused
        elif found is None:
            decision.new_verdict = True
            decision.changes.append((_("verdict"), "", _verdict_text(facts)))
        elif _sentence_of(found) != _sentence_of_facts(facts):
            decision.notes.append(_held_note("sentence", _sentence_text(*_sentence_of(found))))
    return decision


def _has_sentence(facts: RowFacts) -> bool:
    return bool(facts.sentence_kind or any(facts.term))


# The column of the import that holds each field of a verdict's sentence.
_SENTENCE_COLUMNS = {
    "sentence_kind": "sentence",
    "term_years": "sentence",
    "expected_release": "release_date",
}


def _sentence_refusals(facts: RowFacts) -> list[tuple[str, str]]:
    """What Verdict.clean() says of the sentence of FACTS: (column, words)."""
    years, months, days = facts.term
    verdict = Verdict(
        outcome=facts.verdict_outcome,
        sentence_kind=facts.sentence_kind,
        term_years=years,
        term_months=months,
        term_days=days,
        regime=facts.regime,
        sentence_start=facts.sentence_start.date if facts.sentence_start else None,
        sentence_start_precision=(
            facts.sentence_start.precision if facts.sentence_start else DatePrecision.DAY
        ),
        expected_release=facts.release_date.date if facts.release_date else None,
        expected_release_precision=(
            facts.release_date.precision if facts.release_date else DatePrecision.DAY
        ),
    )
    return [
        (_SENTENCE_COLUMNS.get(name, "sentence"), str(message))
        for name, message in verdict.sentence_errors().items()
    ]


def _derived_release(facts: RowFacts):
    """(date, precision) of the release the term and its start give, or None."""
    if facts.sentence_start is None:
        return None
    return expected_release_of(
        facts.sentence_start.date, facts.sentence_start.precision, *facts.term
    )


def _held_note(column: str, held: str) -> str:
    return _(
        "column %(column)s not imported: the register holds “%(held)s” for this fact; "
        "correct it in the admin if the file is right."
    ) % {"column": column, "held": held}


def _iso(date: PartialDate | None) -> str:
    return iso_partial_date(date.date, date.precision) if date else ""


def _sentence_of(verdict: Verdict) -> tuple:
    return (
        verdict.sentence_kind,
        (verdict.term_years or None, verdict.term_months or None, verdict.term_days or None),
        verdict.regime,
        iso_partial_date(verdict.sentence_start, verdict.sentence_start_precision),
    )


def _sentence_of_facts(facts: RowFacts) -> tuple:
    kind = facts.sentence_kind
    if not kind and any(facts.term):
        kind = Verdict.SentenceKind.IMPRISONMENT
    return (kind, tuple(n or None for n in facts.term), facts.regime, _iso(facts.sentence_start))


def _sentence_text(kind, term, regime, start) -> str:
    from ..people_exports import term_text

    parts = [kind, term_text(*term), regime, start and _("from %(date)s") % {"date": start}]
    return ", ".join(part for part in parts if part)


def _verdict_text(facts: RowFacts) -> str:
    text = f"{facts.verdict_outcome} {_iso(facts.verdict_date)}"
    sentence = _sentence_text(*_sentence_of_facts(facts))
    if facts.release_date:
        sentence += ", " + _("release %(date)s") % {"date": _iso(facts.release_date)}
    return f"{text}: {sentence}" if sentence else text


# Carried out, through the services.


class FactsWriter:
    def __init__(self):
        self.places: PlaceIndex | None = None
        self.categories: dict[str, Category] | None = None

    def write_categories(self, case, names: list[str]) -> None:
        """Links CASE to the categories of the register named NAMES; unknown names are left."""
        if not names:
            return
        if self.categories is None:
            state = FactsState.__new__(FactsState)
            state._load_categories([])
            self.categories = state.categories
        for name in names:
            category = self.categories.get(fold(name))
            if category is not None:
                CaseCategory.objects.get_or_create(case=case, category=category)

    def write(self, writer, case, facts: RowFacts, person, participant, sources) -> None:
        """FACTS of PERSON's PARTICIPANT in CASE, citing SOURCES; WRITER is the
        import's writer (writes._Writer), for the case's charges."""
        if self.places is None:
            self.places = PlaceIndex()
        state = FactsState(places=self.places, participant=participant)
        decision = decide(facts, state, participant.pk, person, case.country.code)
        if decision.sex is not None:
            person.sex = decision.sex
            person.full_clean(validate_constraints=False)
            person.save(update_fields=["sex", "updated_at"])
        if decision.new_detention:
            end = (
                (facts.detention_end.date, facts.detention_end.precision)
                if facts.detention_end
                else (None, "day")
            )
            # A row that says the person was released, and not when the
            # detention ended, ends it at the release (services' release rule).
            release = (
                release_that_ends(participant.pk, facts.detention_start.date)
                if end[0] is None
                else None
            )
            if release is not None:
                end = (release.date, release.date_precision)
            services.record_detention(
                participant,
                kind=facts.kind,
                start=facts.detention_start.date,
                start_precision=facts.detention_start.precision,
                end=end[0],
                end_precision=end[1],
                place=self._place(state, facts, case),
                sources=sources,
            )
        if decision.end_detention is not None:
            services.end_detention(
                decision.end_detention,
                end=facts.detention_end.date,
                end_precision=facts.detention_end.precision,
                sources=sources,
            )
        if decision.new_verdict:
            years, months, days = facts.term
            earlier = sorted(
                (
                    v
                    for v in state.verdicts.get(participant.pk, [])
                    if v.date <= facts.verdict_date.date
                ),
                key=lambda v: (v.date, v.pk),
            )
            sentence = {
                "sentence_kind": facts.sentence_kind,
                "term_years": years,
                "term_months": months,
                "term_days": days,
                "regime": facts.regime,
            }
            if facts.sentence_start:
                sentence["sentence_start"] = facts.sentence_start.date
                sentence["sentence_start_precision"] = facts.sentence_start.precision
            if facts.release_date and not _derived_release(facts):
                sentence["expected_release"] = facts.release_date.date
                sentence["expected_release_precision"] = facts.release_date.precision
            services.record_verdict(
                participant,
                outcome=facts.verdict_outcome,
                date=facts.verdict_date.date,
                date_precision=facts.verdict_date.precision,
                appeal_of=earlier[-1]
                if earlier and facts.verdict_outcome in Verdict.ON_APPEAL
                else None,
                charges=[writer._charge(case.country, entry) for entry in facts.articles],
                sources=sources,
                **sentence,
            )

    def _place(self, state, facts: RowFacts, case) -> PlaceOfDetention | None:
        place = state.place(facts)
        if place is not None or not facts.place_name:
            return place
        place = PlaceOfDetention(
            name=facts.place_name,
            kind=PLACE_KIND[facts.kind],
            country=case.country,
        )
        place.full_clean(validate_constraints=False)
        place.save()
        self.places.add(place)
        return place
