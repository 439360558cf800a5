"""Synthetic cases, to see how the site copes at the size of a national monitor.

    python manage.py generate_cases --cases 100000 --seed 1

Everything made here is plainly invented and marked so: slugs start with
"synthetic-", people's names, organisations, publishers and legal codes with
"Synthetic", and sources live at synthetic.example.org. Nothing shares a
slug with the demo data. The same seed and number of cases give the same
rows (a test checks it); another seed gives others.

Rows are written in bulk (COPY on PostgreSQL, executemany elsewhere), not
saved one by one, so 100,000 cases take minutes, not hours. Bulk writes
bypass the models, so:
- no history of edits (django-simple-history) is kept of these rows;
- the current statuses of each case and person in it, and each case's search
  document, are computed here, the way cases.services.update_current_statuses()
  and cases.search compute them (tests compare them);
- the version of the public data is raised at the end, so cached counts go.

What it makes, for N cases (numbers are typical, not promised):
- 40 countries, a few of them holding most cases; 4 to 8 charges and 2 to 5
  organisations in each;
- 1 to 30 people per case, most cases having a few; most people appear in one
  case, some in several of their country;
- 1 to 40 status changes per case, most having a handful, each concerning
  some or all of its people and citing one or two sources of the case;
  one case in a thousand (the first among them) has the full 40 and 30 people;
- 85 % published, 10 % drafts, 5 % withdrawn;
- the facts of issue 15, following each person's timeline: a detention
  episode for each stretch of pre-trial detention, house arrest or
  imprisonment (about half at a known place of detention, of 5 per country,
  half of those with a letter address), a verdict when someone is convicted,
  sentenced or acquitted (imprisonment for a term from its first day in
  custody, or a suspended sentence, a fine, restriction of freedom), an
  appeal upholding a third of convictions, a recognition as a prisoner of
  conscience or political prisoner for one imprisoned person in six, a sex
  recorded for nine people in ten, and one or two of 8 categories for most
  cases. These are drawn from a random generator of their own, so that the
  rows made before them are those the same seed always made.
"""

import datetime
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import translation

from . import services
from .models import (
    CallToActionTarget,
    Case,
    CaseCategory,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    CaseYear,
    Category,
    Charge,
    DatePrecision,
    Detention,
    DetentionSource,
    Organisation,
    Person,
    PlaceOfDetention,
    PublicationState,
    Recognition,
    Source,
    Status,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
    Verdict,
    VerdictCharge,
    VerdictSource,
)
from .models.cases import kind_of_role
from .models.fields import random_public_id
from .models.partial_dates import truncate
from .models.statuses import case_status
from .models.verdicts import expected_release_of
from .search import search_document

SLUG_PREFIX = "synthetic-"
# Migration 0002's trigger on StatusChangeParticipant (PostgreSQL's name).
TRIGGER = "status_change_participant_in_case"
SOURCE_ADDRESS = "https://synthetic.example.org/"
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_START = datetime.date(2024, 6, 30)
LAST_DAY = datetime.date(2025, 12, 31)
# Cases are written in chunks of this many, so that memory stays small.
CHUNK = 2000

# Countries, most frequent first; the first few hold most cases.
COUNTRIES = [
    "KZ", "RU", "BY", "UZ", "TJ", "KG", "AZ", "TR", "IR", "EG", "SA", "CN", "VN", "MM",
    "KH", "TH", "PH", "IN", "PK", "BD", "NG", "ET", "ER", "RW", "UG", "ZW", "SD", "VE",
    "CU", "NI", "BO", "CO", "MX", "GT", "HN", "SY", "IQ", "BH", "AE", "DZ",
]  # fmt: skip
CYRILLIC = {"KZ", "RU", "BY", "UZ", "TJ", "KG"}

GIVEN_NAMES = [
    ("Aigul", "Айгуль"), ("Ainur", "Айнур"), ("Asel", "Асель"), ("Bakhyt", "Бахыт"),
    ("Daniyar", "Данияр"), ("Dina", "Дина"), ("Erlan", "Ерлан"), ("Gulnara", "Гульнара"),
    ("Ivan", "Иван"), ("Maria", "Мария"), ("Marat", "Марат"), ("Nurlan", "Нурлан"),
    ("Olga", "Ольга"), ("Rustam", "Рустам"), ("Saule", "Сауле"), ("Sergei", "Сергей"),
    ("Timur", "Тимур"), ("Yelena", "Елена"), ("Zhanna", "Жанна"), ("Alexei", "Алексей"),
    ("Farida", "Фарида"), ("Kairat", "Кайрат"), ("Lyudmila", "Людмила"), ("Vadim", "Вадим"),
]  # fmt: skip
# (usual spelling, Cyrillic, another transliteration seen in sources)
FAMILY_NAMES = [
    ("Abenov", "Абенов", "Abenow"), ("Akhmetova", "Ахметова", "Ahmetova"),
    ("Baimukhanov", "Баймуханов", "Baimuhanov"), ("Beisenova", "Бейсенова", "Beysenova"),
    ("Dzhaksybekov", "Джаксыбеков", "Zhaksybekov"), ("Ermekova", "Ермекова", "Yermekova"),
    ("Ivanov", "Иванов", "Iwanow"), ("Kasymova", "Касымова", "Qasymova"),
    ("Kozlov", "Козлов", "Kozlow"), ("Kuznetsova", "Кузнецова", "Kuznecova"),
    ("Mukhametov", "Мухаметов", "Muhametov"), ("Nazarova", "Назарова", "Nazarowa"),
    ("Nurlanova", "Нурланова", "Nurlanowa"), ("Omarov", "Омаров", "Omarow"),
    ("Petrova", "Петрова", "Petrowa"), ("Rakhimov", "Рахимов", "Rahimov"),
    ("Sadykova", "Садыкова", "Sadikova"), ("Serikbayev", "Серикбаев", "Serikbaev"),
    ("Smirnova", "Смирнова", "Smirnowa"), ("Suleimenov", "Сулейменов", "Suleymenov"),
    ("Tokayeva", "Токаева", "Tokaeva"), ("Utemisov", "Утемисов", "Utemissov"),
    ("Volkova", "Волкова", "Wolkova"), ("Yusupov", "Юсупов", "Iusupov"),
    ("Zhumabekova", "Жумабекова", "Dzhumabekova"), ("Abdullayev", "Абдуллаев", "Abdullaev"),
    ("Gaipova", "Гаипова", "Gayipova"), ("Khodjayev", "Ходжаев", "Xodjayev"),
    ("Lebedeva", "Лебедева", "Lebedewa"), ("Mirzoyev", "Мирзоев", "Mirzoev"),
    ("Orlova", "Орлова", "Orlowa"), ("Tursunov", "Турсунов", "Tursunow"),
]  # fmt: skip
OCCUPATIONS = [
    "trade unionist", "oil worker", "journalist", "blogger", "lawyer", "teacher",
    "human rights activist", "student", "farmer", "opposition politician", "doctor",
    "poet", "environmental activist", "religious believer", "pensioner",
]  # fmt: skip
# (slug, English name, transliterated original, original)
CHARGES = [
    ("arbitrariness", "arbitrariness", "samoupravstvo", "самоуправство"),
    ("extremism", "extremism", "ekstremizm", "экстремизм"),
    ("hooliganism", "hooliganism", "khuliganstvo", "хулиганство"),
    ("inciting-discord", "inciting social discord", "razzhiganie rozni", "разжигание розни"),
    ("mass-riots", "organising mass riots", "massovye besporyadki", "массовые беспорядки"),
    ("unauthorised-rally", "taking part in an unauthorised rally", "", ""),
    ("treason", "high treason", "gosudarstvennaya izmena", "государственная измена"),
    ("espionage", "espionage", "shpionazh", "шпионаж"),
    ("insulting-officials", "insulting a public official", "oskorblenie", "оскорбление"),
    ("false-information", "spreading false information", "", ""),
    ("terrorism", "terrorism", "terrorizm", "терроризм"),
    ("fraud", "fraud", "moshennichestvo", "мошенничество"),
    ("tax-evasion", "tax evasion", "", ""),
    ("illegal-enterprise", "illegal entrepreneurship", "", ""),
    ("defamation", "defamation", "kleveta", "клевета"),
    ("drug-possession", "possession of drugs", "", ""),
]
ORGANISATION_KINDS = [
    (Organisation.Kind.TRADE_UNION, "Workers' Union"),
    (Organisation.Kind.MOVEMENT, "Democratic Movement"),
    (Organisation.Kind.NGO, "Human Rights Bureau"),
    (Organisation.Kind.PARTY, "Socialist Party"),
    (Organisation.Kind.MEDIA, "Independent Newspaper"),
    (Organisation.Kind.CAMPAIGN, "Campaign for Fair Elections"),
]
EVENTS = [
    "a strike at the oil fields", "a protest against evictions", "a rally before the election",
    "a post on social media", "an interview with foreign journalists", "a union meeting",
    "an article about corruption", "a land dispute", "a hunger strike", "a court hearing",
]  # fmt: skip
# Where a status may lead next: a walk through the vocabulary.
NEXT_STATUSES = {
    None: ["under_investigation", "witness", "suspect", "charged"],
    "under_investigation": ["suspect", "charged", "witness", "charges_dropped"],
    "witness": ["suspect", "charged", "under_investigation"],
    "suspect": ["charged", "pre_trial_detention", "house_arrest", "charges_dropped"],
    "charged": ["pre_trial_detention", "house_arrest", "on_trial", "charges_dropped", "in_exile"],
    "pre_trial_detention": ["on_trial", "house_arrest", "released"],
    "house_arrest": ["on_trial", "pre_trial_detention", "in_exile"],
    "on_trial": ["convicted", "acquitted", "sentenced"],
    "convicted": ["sentenced", "imprisoned"],
    "sentenced": ["imprisoned", "released"],
    "imprisoned": ["released", "released", "disappeared", "deceased"],
    "released": ["in_exile", "suspect", "charged", "unknown"],
    "acquitted": ["released", "suspect"],
    "charges_dropped": ["suspect", "released", "in_exile"],
    "in_exile": ["charged", "disappeared", "unknown"],
    "disappeared": ["deceased", "unknown", "released"],
    "deceased": ["unknown"],
    "unknown": ["suspect", "charged", "released"],
}
OTHER_ROLES = ["suspect", "witness", "lawyer", "relative", "targeted", "other"]


@dataclass
class Rows:
    """Rows for one table, as tuples in the order of FIELDS."""

    model: type[models.Model]
    fields: Sequence[str]
    rows: list[tuple] = field(default_factory=list)


def generate(cases: int, seed: int, *, stdout=None) -> None:
    """Write CASES synthetic cases and everything in them, in one transaction."""
    with transaction.atomic(), translation.override("en"):
        _Generator(cases, seed, stdout).run()
        services.public_data_changed()


def delete() -> int:
    """Delete every synthetic row, in bulk: no history of edits is kept of it
    (deleting through the models would record each row's deletion). Returns
    the number of cases deleted."""
    cases = f"SELECT id FROM {_table(Case)} WHERE slug LIKE %s"  # noqa: S608
    changes = f"SELECT id FROM {_table(StatusChange)} WHERE case_id IN ({cases})"  # noqa: S608
    slug = [f"{SLUG_PREFIX}%"]
    with transaction.atomic():
        number = count()
        # First, so that the triggers of migration 0031 find no year to take
        # away for each status change deleted below.
        _delete(CaseYear, f"case_id IN ({cases})", slug)
        for model in (StatusChangeSource, StatusChangeParticipant):
            _delete(model, f"status_change_id IN ({changes})", slug)
        detentions = f"SELECT id FROM {_table(Detention)} WHERE case_id IN ({cases})"  # noqa: S608
        verdicts = f"SELECT id FROM {_table(Verdict)} WHERE case_id IN ({cases})"  # noqa: S608
        _delete(DetentionSource, f"detention_id IN ({detentions})", slug)
        for model in (VerdictSource, VerdictCharge):
            _delete(model, f"verdict_id IN ({verdicts})", slug)
        for model in (Detention, Verdict, CaseCategory):
            _delete(model, f"case_id IN ({cases})", slug)
        people = f"SELECT id FROM {_table(Person)} WHERE slug LIKE %s"  # noqa: S608
        _delete(Recognition, f"person_id IN ({people})", slug)
        for model in (PlaceOfDetention, Category):
            _delete(model, "slug LIKE %s", slug)
        for model in (
            StatusChange, CallToActionTarget, CaseSource, CaseOrganisation, CaseCharge,
            CaseParticipant,
        ):  # fmt: skip
            _delete(model, f"case_id IN ({cases})", slug)
        for model in (Case, Person, Charge, Organisation):
            _delete(model, "slug LIKE %s", slug)
        _delete(Source, "url LIKE %s", [f"{SOURCE_ADDRESS}%"])
        services.public_data_changed()
    return number


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _execute(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _delete(model, condition: str, params: list) -> None:
    # Table names come from the models, values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(model)} WHERE {condition}", params)  # noqa: S608


def count() -> int:
    """The number of synthetic cases in the database."""
    return Case.objects.filter(slug__startswith=SLUG_PREFIX).count()


SYNTHETIC_MODELS = (
    Charge, Organisation, Person, Source, Case, CaseParticipant, CaseCharge, CaseOrganisation,
    CaseSource, CallToActionTarget, StatusChange, StatusChangeParticipant, StatusChangeSource,
    PlaceOfDetention, Category, Detention, DetentionSource, Verdict, VerdictCharge,
    VerdictSource, Recognition, CaseCategory,
)  # fmt: skip
# The kind of detention each status holds a person in; the statuses of the
# course of a trial leave it as it is; any other ends it.
HELD_IN = {
    "pre_trial_detention": "pre_trial",
    "house_arrest": "house_arrest",
    "imprisoned": "prison",
}
TRIAL_GOES_ON = {"on_trial", "convicted", "sentenced"}
PLACE_KINDS = [
    ("pre_trial_centre", "pre-trial detention centre"),
    ("pre_trial_centre", "pre-trial detention centre"),
    ("colony", "penal colony"),
    ("colony", "penal colony"),
    ("prison", "prison"),
]
CATEGORIES = [
    "journalists", "trade unions", "religion", "protest", "lawyers", "opposition parties",
    "human rights defenders", "online expression",
]  # fmt: skip


class _Generator:
    def __init__(self, cases: int, seed: int, stdout):
        self.cases = cases
        self.seed = seed
        self.random = random.Random(seed)  # noqa: S311 (not for secrets)
        self.stdout = stdout
        # The next id of each table: rows are written with their ids, so
        # that links can be made before anything is written.
        self.next_id = {model: self._max_id(model) + 1 for model in SYNTHETIC_MODELS}
        self.people_by_country: dict[str, list[int]] = {}
        self.person_names: dict[int, tuple[str, str, str]] = {}
        self.numbers = {"person": 0, "source": 0, "organisation": 0}
        self.charge_names: dict[int, str] = {}
        self.charge_spellings: dict[int, tuple[str, str, str]] = {}
        # The facts of issue 15 draw from a generator of their own (see above).
        self.facts = random.Random(seed * 7919 + 1)  # noqa: S311
        self.recognised: set[int] = set()

    def run(self):
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # Migration 0002's trigger checks each row with a query of its own:
            # too slow for millions of rows. It is off for this transaction
            # only; the rule is checked for all new rows at once at the end.
            # (PostgreSQL alters no table with checks pending: run those first.)
            _execute("SET CONSTRAINTS ALL IMMEDIATE")
            _execute("SET CONSTRAINTS ALL DEFERRED")
            _execute(f"ALTER TABLE {_table(StatusChangeParticipant)} DISABLE TRIGGER {TRIGGER}")
        first_link = self.next_id[StatusChangeParticipant]
        self._write_all()
        if postgresql:
            # Statistics first, so that the checks below are planned for the
            # tables' new sizes rather than the old ones.
            for model in SYNTHETIC_MODELS:
                _execute(f"ANALYZE {_table(model)}")
            _execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now
            _execute("SET CONSTRAINTS ALL DEFERRED")
            _execute(f"ALTER TABLE {_table(StatusChangeParticipant)} ENABLE TRIGGER {TRIGGER}")
        strangers = StatusChangeParticipant.objects.filter(pk__gte=first_link).exclude(
            participant__case=F("status_change__case")
        )
        if strangers.exists():
            raise IntegrityError("A synthetic status change concerns a person of another case.")
        for statement in connection.ops.sequence_reset_sql(no_style(), SYNTHETIC_MODELS):
            _execute(statement)

    def _write_all(self):
        weights = [1 / (rank + 1) ** 1.1 for rank in range(len(COUNTRIES))]
        self.charges_by_country = {}
        self.organisations_by_country = {}
        setup = [self._rows(Charge), self._rows(Organisation)]
        for country in COUNTRIES:
            self.charges_by_country[country] = self._make_charges(country, setup[0])
            self.organisations_by_country[country] = self._make_organisations(country, setup[1])
        facts_setup = [self._rows(PlaceOfDetention), self._rows(Category)]
        self._make_facts_setup(setup[1], *facts_setup)
        self._write([*setup, *facts_setup])
        for start in range(0, self.cases, CHUNK):
            tables = {model: self._rows(model) for model in SYNTHETIC_MODELS[2:]}
            for number in range(start, min(start + CHUNK, self.cases)):
                country = self.random.choices(COUNTRIES, weights)[0]
                self._make_case(number, country, tables)
            self._write(tables.values())
            if self.stdout:
                self.stdout.write(f"  {min(start + CHUNK, self.cases)} cases written")

    # The parts of the world the cases happen in

    def _make_charges(self, country: str, rows: Rows) -> list[int]:
        ids = []
        cyrillic = country in CYRILLIC
        for index, (slug, name, transliterated, original) in enumerate(
            sorted(self.random.sample(CHARGES, self.random.randint(4, 8)))
        ):
            charge_id = self._add(
                rows,
                slug=f"{SLUG_PREFIX}{country.lower()}-{slug}",
                country=country,
                code="Synthetic Criminal Code",
                article=str(100 + 17 * index + self.random.randint(0, 16)),
                name=name,
                name_original=original if cyrillic else "",
                name_transliterated=transliterated if cyrillic else "",
                description="",
                maximum_penalty=f"up to {self.random.randint(2, 20)} years' imprisonment",
                created_at=_noon(FIRST_DAY),
                updated_at=_noon(FIRST_DAY),
            )
            self.charge_names[charge_id] = name
            self.charge_spellings[charge_id] = (
                name,
                original if cyrillic else "",
                transliterated if cyrillic else "",
            )
            ids.append(charge_id)
        return ids

    def _make_organisations(self, country: str, rows: Rows) -> list[int]:
        ids = []
        for kind, name in self.random.sample(ORGANISATION_KINDS, self.random.randint(2, 5)):
            self.numbers["organisation"] += 1
            number = self.numbers["organisation"]
            ids.append(
                self._add(
                    rows,
                    name=f"Synthetic {name} {number}",
                    slug=f"{SLUG_PREFIX}organisation-{number}",
                    acronym="",
                    kind=kind,
                    country=country,
                    parent_id=None,
                    website="",
                    description="",
                    created_at=_noon(FIRST_DAY),
                    updated_at=_noon(FIRST_DAY),
                )
            )
        return ids

    # A case and everything in it

    def _make_case(self, number: int, country: str, tables: dict[type, Rows]) -> None:
        # Each step draws from the one random generator in this order, which
        # the seed's promise (the same rows every time) depends on.
        rng = self.random
        full = number % 1000 == 0  # one in a thousand has the most people and changes
        people_count = 30 if full else _skewed(rng, 1, 30, mean=3.5)
        change_count = 40 if full else _skewed(rng, 1, 40, mean=6)
        start = FIRST_DAY + datetime.timedelta(days=rng.randint(0, (LAST_START - FIRST_DAY).days))
        start_precision = rng.choices(list(DatePrecision), [80, 15, 5])[0]
        state = PublicationState.PUBLISHED
        if not full:
            state = rng.choices(list(PublicationState), [10, 85, 5])[0]
        case_id = self._id(Case)

        participants = self._choose_people(country, people_count, tables)
        charges = self._add_links(case_id, country, tables)
        changes = self._add_timeline(
            number, case_id, start, change_count, [p for p, _, _ in participants], tables
        )
        current = self._add_participants(case_id, participants, changes, tables)
        self._add_facts(case_id, country, participants, charges, changes, tables)
        self._add_case(
            number, case_id, country, tables, start=(start, start_precision), state=state,
            participants=participants, charges=charges, changes=changes, current=current,
        )  # fmt: skip

    def _choose_people(
        self, country: str, people_count: int, tables: dict[type, Rows]
    ) -> list[tuple[int, int, str]]:
        """[(participant id, person id, role)]: the first three accused, the
        others in any role. Their rows wait for their current statuses."""
        participants = []
        for index in range(people_count):
            person_id = self._person_for(country, {p for _, p, _ in participants}, tables[Person])
            role = "accused" if index < 3 else self.random.choice(OTHER_ROLES)
            participants.append((self._id(CaseParticipant), person_id, role))
        return participants

    def _add_links(self, case_id: int, country: str, tables: dict[type, Rows]) -> list[int]:
        """The case's charges, organisations and call to action; its charges' ids."""
        rng = self.random
        charges = rng.sample(self.charges_by_country[country], rng.randint(1, 3))
        for charge_id in charges:
            self._add(
                tables[CaseCharge], case_id=case_id, charge_id=charge_id,
                state=rng.choice(list(CaseCharge.State)), note="",
            )  # fmt: skip
        organisations = self.organisations_by_country[country]
        for organisation_id in rng.sample(organisations, rng.choice([0, 0, 1, 1, 1, 2])):
            self._add(
                tables[CaseOrganisation], case_id=case_id, organisation_id=organisation_id,
                role=rng.choice(list(CaseOrganisation.Role)), note="",
            )  # fmt: skip
        if rng.random() < 0.5:
            kinds = [CallToActionTarget.Kind.RECIPIENT]
            if rng.random() < 0.4:
                kinds.append(CallToActionTarget.Kind.COPY)
            for order, kind in enumerate(kinds):
                self._add(
                    tables[CallToActionTarget], case_id=case_id, kind=kind, organisation_id=None,
                    addressee=f"Synthetic Prosecutor General {rng.randint(1, 99)}",
                    email=f"office-{rng.randint(1, 999)}@example.org", copy_to="",
                    phone=f"+1 555 01{rng.randint(10, 99)}", postal_address="", order=order,
                )  # fmt: skip
        return charges

    def _add_timeline(
        self,
        number: int,
        case_id: int,
        start: datetime.date,
        change_count: int,
        participant_ids: list[int],
        tables: dict[type, Rows],
    ) -> list[tuple]:
        """The timeline, each entry citing one or two of the case's sources, and
        those sources; [(date, order, status, precision, participant ids, day)]."""
        rng = self.random
        people_count = len(participant_ids)
        sources = [self._new_source() for _ in range(max(1, math.ceil(change_count / 3)))]
        self._add(tables[CaseSource], case_id=case_id, source_id=sources[0][0])
        first_cited: dict[int, datetime.date] = {}
        changes = []
        status, day = None, start
        for order in range(change_count):
            status = rng.choice(NEXT_STATUSES[status])
            day = min(LAST_DAY, day + datetime.timedelta(days=rng.randint(1, 120)))
            precision = rng.choices(list(DatePrecision), [85, 12, 3])[0]
            if rng.random() < 0.6:
                concerned = participant_ids
            else:
                concerned = sorted(rng.sample(participant_ids, rng.randint(1, people_count)))
            label = str(Status(status).label)
            headline = label[0].upper() + label[1:]
            if len(concerned) < people_count:
                headline += f" ({len(concerned)} of {people_count} people)"
            change_id = self._add(
                tables[StatusChange], case_id=case_id, date=truncate(day, precision),
                date_precision=precision, position=order + 1, status=status, headline=headline,
                description=f"Synthetic entry {order + 1} of case {number}, "
                f"after {rng.choice(EVENTS)}.",
                created_at=_noon(day), updated_at=_noon(day), public_id=random_public_id(),
                verdict_id=None,
            )  # fmt: skip
            for participant_id in concerned:
                self._add(
                    tables[StatusChangeParticipant],
                    status_change_id=change_id,
                    participant_id=participant_id,
                )
            for source_id, _ in sorted(rng.sample(sources, min(len(sources), rng.choice([1, 2])))):
                self._add(
                    tables[StatusChangeSource], status_change_id=change_id, source_id=source_id
                )
                first_cited.setdefault(source_id, day)
            changes.append((truncate(day, precision), order, status, precision, concerned, day))
        for source_id, source_number in sources:
            published_on = first_cited.get(source_id, start)
            self._add(
                tables[Source], id=source_id,
                url=f"{SOURCE_ADDRESS}{self.seed}/{source_number}",
                title=f"Synthetic report {source_number} on case {number}",
                publisher=f"Synthetic News Agency {rng.randint(1, 60)}", author="",
                published_on=published_on, published_on_precision=DatePrecision.DAY,
                archive_url="", created_at=_noon(published_on), updated_at=_noon(published_on),
            )  # fmt: skip
        return changes

    def _add_participants(
        self, case_id: int, participants: list[tuple[int, int, str]], changes, tables
    ) -> dict[int, str]:
        """The people in the case with their current statuses, as
        cases.services.update_current_statuses() sets them: each person's
        latest entry in the timeline's order, which is the order of recording
        here (each entry's day is later than the one before, so its date cannot
        be wholly before theirs). {participant id: current status}."""
        current = {}
        for _date, _order, status, _precision, concerned, _day in changes:
            for participant_id in concerned:
                current[participant_id] = status
        for participant_id, person_id, role in participants:
            self._add(
                tables[CaseParticipant], id=participant_id, case_id=case_id, person_id=person_id,
                role=role, note="", current_status=current.get(participant_id, ""),
            )  # fmt: skip
        return current

    def _add_case(
        self, number, case_id, country, tables, *, start, state, participants, charges, changes,
        current,
    ) -> None:  # fmt: skip
        """The case itself; its current status from its persecuted people, as
        update_current_statuses() sets it."""
        rng = self.random
        start, start_precision = start
        last_date, _order, _status, last_precision, _concerned, last_day = changes[-1]
        persecuted = [
            current.get(participant_id, "")
            for participant_id, _person_id, role in participants
            if kind_of_role(role) == CaseParticipant.Kind.PERSECUTED
        ]
        last_status = case_status(persecuted) or case_status(current.values())
        people_count = len(participants)
        family = self.person_names[participants[0][1]][0].split()[-2]
        named = f"{family} and {people_count - 1} others" if people_count > 1 else family
        charge_names = [self.charge_names[charge_id] for charge_id in charges]
        title = f"Synthetic case {number}: {named} charged with {charge_names[0]}"
        summary = (
            f"Synthetic summary. {named} {'were' if people_count > 1 else 'was'} targeted "
            f"after {rng.choice(EVENTS)}. The authorities speak of {', '.join(charge_names)}."
        )
        names = [name for _, person_id, _ in participants for name in self.person_names[person_id]]
        names += [name for charge_id in charges for name in self.charge_spellings[charge_id]]
        published_at = None
        if state != PublicationState.DRAFT:
            published_at = _noon(min(LAST_DAY, start + datetime.timedelta(days=30)))
        self._add(
            tables[Case],
            id=case_id,
            title=title,
            slug=f"{SLUG_PREFIX}case-{number}",
            summary=summary,
            country=country,
            region=f"Synthetic Region {rng.randint(1, 20)}",
            start_date=truncate(start, start_precision),
            start_date_precision=start_precision,
            call_to_action="Write to the synthetic prosecutor." if rng.random() < 0.5 else "",
            publication_state=state,
            published_at=published_at,
            published_by_id=None,
            current_status=last_status,
            last_status_change_on=last_date,
            last_status_change_precision=last_precision,
            search_document=search_document(title, summary, names, country),
            created_at=_noon(start),
            updated_at=_noon(last_day),
        )

    # The facts of issue 15

    def _make_facts_setup(self, organisations: Rows, places: Rows, categories: Rows) -> None:
        """Places of detention in each country, the categories, and the
        organisation that recognises prisoners."""
        rng = self.facts
        self.places_by_country: dict[str, dict[str, list[int]]] = {}
        for country in COUNTRIES:
            kinds = self.places_by_country[country] = {}
            for number, (kind, words) in enumerate(PLACE_KINDS, start=1):
                addressed = rng.random() < 0.5
                place_id = self._add(
                    places, name=f"Synthetic {words} No. {number}, {country}",
                    slug=f"{SLUG_PREFIX}place-{country.lower()}-{number}",
                    other_names=f"Synthetic {kind.replace('_', ' ')} {number}", kind=kind,
                    regime="general" if kind == "colony" else "", country=country,
                    place=f"Synthetic Town {number}",
                    postal_address=f"Synthetic Street {number}, box {number * 17}" if addressed else "",
                    letters_reach=rng.choice(["", "yes", "sometimes"]),
                    letter_language="", letter_advice="",
                    created_at=_noon(FIRST_DAY), updated_at=_noon(FIRST_DAY),
                )  # fmt: skip
                kinds.setdefault(kind, []).append(place_id)
        self.category_ids = [
            self._add(
                categories,
                name=f"Synthetic {name}",
                slug=f"{SLUG_PREFIX}category-{name.replace(' ', '-')}",
                description="",
            )  # fmt: skip
            for name in CATEGORIES
        ]
        self.recogniser = self._add(
            organisations, name="Synthetic Rights Watch",
            slug=f"{SLUG_PREFIX}organisation-rights-watch", acronym="SRW",
            kind=Organisation.Kind.INTERNATIONAL, country="", parent_id=None, website="",
            description="", created_at=_noon(FIRST_DAY), updated_at=_noon(FIRST_DAY),
        )  # fmt: skip

    def _add_facts(self, case_id, country, participants, charges, changes, tables) -> None:
        """Categories of the case; detentions, verdicts and recognitions of its
        persecuted people, following the statuses of their timeline."""
        rng = self.facts
        for category_id in rng.sample(self.category_ids, rng.choice([0, 1, 1, 2])):
            self._add(tables[CaseCategory], case_id=case_id, category_id=category_id)
        links = tables[CaseSource]
        source_id = links.rows[-1][links.fields.index("source_id")]
        for participant_id, person_id, role in participants:
            if kind_of_role(role) != CaseParticipant.Kind.PERSECUTED:
                continue
            own = [
                (date, precision, status, day)
                for date, _order, status, precision, concerned, day in changes
                if participant_id in concerned
            ]
            self._add_course(
                case_id, country, participant_id, person_id, charges, own, source_id, tables
            )

    def _add_course(
        self, case_id, country, participant_id, person_id, charges, own, source_id, tables
    ) -> None:  # fmt: skip
        rng = self.facts
        episode = None  # [id, kind, start, precision]
        custody_from = None  # the first day in custody, from which a term counts
        convicted = False
        imprisoned_after = any(status == "imprisoned" for _d, _p, status, _day in own)
        for date, precision, status, _day in own:
            kind = HELD_IN.get(status)
            if episode is not None and (kind not in (None, episode[1]) or (
                kind is None and status not in TRIAL_GOES_ON
            )):  # fmt: skip
                self._end_episode(episode, date, precision, tables)
                episode = None
            if kind is not None and episode is None:
                episode = self._start_episode(
                    case_id, country, participant_id, kind, date, precision, source_id, tables
                )
                custody_from = custody_from or (date, precision)
                if kind == "prison" and person_id not in self.recognised and rng.random() < 1 / 6:
                    self.recognised.add(person_id)
                    self._add(
                        tables[Recognition], person_id=person_id,
                        kind=rng.choice(["prisoner_of_conscience", "political_prisoner"]),
                        organisation_id=self.recogniser, date=date, date_precision=precision,
                        source_id=source_id, created_at=_noon(date), updated_at=_noon(date),
                    )  # fmt: skip
            if status in ("convicted", "sentenced", "imprisoned", "acquitted") and not convicted:
                convicted = True
                self._add_verdict(
                    case_id, participant_id, charges, status, date, precision,
                    (custody_from or (date, precision)) if imprisoned_after else None,
                    source_id, tables,
                )  # fmt: skip

    def _start_episode(
        self, case_id, country, participant_id, kind, date, precision, source_id, tables
    ):
        rng = self.facts
        place_id = None
        places = self.places_by_country[country]
        if kind == "pre_trial" and rng.random() < 0.5:
            place_id = rng.choice(places["pre_trial_centre"])
        elif kind == "prison" and rng.random() < 0.5:
            place_id = rng.choice(places["colony"] + places["prison"])
        detention_id = self._add(
            tables[Detention], case_id=case_id, participant_id=participant_id, kind=kind,
            start=date, start_precision=precision, may_have_begun_earlier=False, end=None,
            end_precision=DatePrecision.DAY, place_id=place_id, note="",
            created_at=_noon(date), updated_at=_noon(date),
        )  # fmt: skip
        self._add(tables[DetentionSource], detention_id=detention_id, source_id=source_id)
        return [detention_id, kind, date, precision, len(tables[Detention].rows) - 1]

    def _end_episode(self, episode, date, precision, tables) -> None:
        rows = tables[Detention]
        index = episode[4]
        row = list(rows.rows[index])
        row[rows.fields.index("end")] = date
        row[rows.fields.index("end_precision")] = precision
        row[rows.fields.index("updated_at")] = _noon(date)
        rows.rows[index] = tuple(row)

    def _add_verdict(
        self, case_id, participant_id, charges, status, date, precision, custody_from, source_id,
        tables,
    ) -> None:  # fmt: skip
        rng = self.facts
        sentence = {
            "sentence_kind": "", "term_years": None, "term_months": None, "term_days": None,
            "regime": "", "sentence_note": "", "sentence_start": None,
            "sentence_start_precision": DatePrecision.DAY, "expected_release": None,
            "expected_release_precision": DatePrecision.DAY,
        }  # fmt: skip
        outcome = "acquitted" if status == "acquitted" else "convicted"
        if outcome == "convicted":
            if custody_from is not None:
                start, start_precision = custody_from
                years = _skewed(rng, 1, 15, mean=4)
                months = rng.choice([None, None, 6])
                released = expected_release_of(start, start_precision, years, months, None)
                sentence.update(
                    sentence_kind="imprisonment", term_years=years, term_months=months,
                    regime=rng.choice(["general", "strict", ""]), sentence_start=start,
                    sentence_start_precision=start_precision,
                )  # fmt: skip
                if released:
                    sentence["expected_release"], sentence["expected_release_precision"] = released
            else:
                kind = rng.choice(["suspended", "fine", "restriction_of_freedom"])
                sentence["sentence_kind"] = kind
                if kind != "fine":
                    sentence["term_years"] = rng.randint(1, 5)
        verdict_id = self._add(
            tables[Verdict], case_id=case_id, participant_id=participant_id, court_id=None,
            date=date, date_precision=precision, appeal_of_id=None, outcome=outcome,
            created_at=_noon(date), updated_at=_noon(date), **sentence,
        )  # fmt: skip
        self._add(tables[VerdictSource], verdict_id=verdict_id, source_id=source_id)
        if outcome == "convicted":
            self._add(tables[VerdictCharge], verdict_id=verdict_id, charge_id=charges[0])
            appeal_day = date + datetime.timedelta(days=rng.randint(60, 120))
            if rng.random() < 1 / 3 and appeal_day <= LAST_DAY:
                appeal_id = self._add(
                    tables[Verdict], case_id=case_id, participant_id=participant_id,
                    court_id=None, date=appeal_day, date_precision=DatePrecision.DAY,
                    appeal_of_id=verdict_id, outcome="upheld", created_at=_noon(appeal_day),
                    updated_at=_noon(appeal_day),
                    **{**sentence, "sentence_kind": "", "term_years": None, "term_months": None,
                       "regime": "", "sentence_start": None, "expected_release": None},
                )  # fmt: skip
                self._add(tables[VerdictSource], verdict_id=appeal_id, source_id=source_id)

    def _new_source(self) -> tuple[int, int]:
        """(id, number) of a source to be written."""
        self.numbers["source"] += 1
        return self._id(Source), self.numbers["source"]

    def _person_for(self, country: str, taken: set[int], rows: Rows) -> int:
        """Mostly someone new; now and then someone already in another case there."""
        known = self.people_by_country.setdefault(country, [])
        if known and self.random.random() < 0.15:
            person_id = self.random.choice(known)
            if person_id not in taken:
                return person_id
        rng = self.random
        self.numbers["person"] += 1
        number = self.numbers["person"]
        given, given_cyrillic = rng.choice(GIVEN_NAMES)
        family, family_cyrillic, variant = rng.choice(FAMILY_NAMES)
        name = f"Synthetic {given} {family} {number}"
        original = f"{given_cyrillic} {family_cyrillic}" if country in CYRILLIC else ""
        other_names = f"{given} {variant}" if rng.random() < 0.5 else ""
        person_id = self._add(
            rows,
            name=name,
            slug=f"{SLUG_PREFIX}person-{number}",
            name_original=original,
            other_names=other_names,
            birth_date=None,
            birth_date_precision=DatePrecision.DAY,
            occupation=rng.choice(OCCUPATIONS),
            country=country,
            bio="",
            sex=self.facts.choices(["male", "female", ""], [62, 28, 10])[0],
            created_at=_noon(FIRST_DAY),
            updated_at=_noon(FIRST_DAY),
        )
        self.person_names[person_id] = (name, original, other_names)
        known.append(person_id)
        return person_id

    # Rows and ids

    def _max_id(self, model) -> int:
        return model.objects.aggregate(top=models.Max("pk"))["top"] or 0

    def _id(self, model) -> int:
        number = self.next_id[model]
        self.next_id[model] += 1
        return number

    def _rows(self, model) -> Rows:
        return Rows(model, [f.attname for f in model._meta.concrete_fields])

    def _add(self, rows: Rows, **values) -> int:
        if "id" not in values:
            values["id"] = self._id(rows.model)
        rows.rows.append(tuple(_value(values, name) for name in rows.fields))
        return values["id"]

    def _write(self, tables: Iterable[Rows]) -> None:
        for rows in tables:
            _insert(rows)


def _value(values: dict, column: str):
    """COLUMN's value among VALUES: a prose field's English column
    (cases/translation.py) holds the text given for the field, as a save
    would write it; its other languages are not translated (None)."""
    if column in values:
        return values[column]
    field, _, language = column.rpartition("_")
    if field in values and language in dict(settings.LANGUAGES):
        return values[field] if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE else None
    raise KeyError(column)


def _insert(rows: Rows) -> None:
    if not rows.rows:
        return
    meta = rows.model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in rows.fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows.rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(rows.fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                [tuple(_adapt(value) for value in row) for row in rows.rows],
            )


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _skewed(rng: random.Random, low: int, high: int, *, mean: float) -> int:
    """A whole number from LOW to HIGH, most often small, about MEAN on average."""
    return min(high, low + int(rng.expovariate(1 / (mean - low + 0.5))))
