"""The demo data: what the first source says about repression in Kazakhstan.

Source: "Kazakhstan: Dictatorial regime threatens socialist activists", by
CWI reporters, published by the Committee for a Workers' International in
September 2011 (shared/seed/000_08d1d929a929b1c7.txt). Every fact below is
taken from it and cites it; whatever it does not say is left empty. Its web
address is not in the text we hold, so the source has none.

One addition is not from the article: the names in Cyrillic of the people
whose usual Russian spelling is well established, so that a search in
Cyrillic can be shown to work. Names whose spelling we are not sure of
(the Sailybaevas) are left without one.

The Russian and Kazakh texts (cases/demo_translations.py) translate the
English ones and add nothing to them.

`load()` may run any number of times: it creates what is missing, corrects
what differs, and otherwise writes nothing.
"""

import datetime

from django.db import transaction

from . import demo_translations, services
from .models import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    Charge,
    DatePrecision,
    Detention,
    Membership,
    Organisation,
    Person,
    Relationship,
    Source,
    Status,
)

ARTICLE = {
    "title": "Kazakhstan: Dictatorial regime threatens socialist activists",
    "publisher": "Committee for a Workers' International (CWI)",
    "author": "CWI reporters",
    "published_on": datetime.date(2011, 9, 1),
    "published_on_precision": DatePrecision.MONTH,
}

ORGANISATIONS = {
    "socialist-movement-kazakhstan": {
        "name": "Socialist Movement Kazakhstan",
        "kind": Organisation.Kind.MOVEMENT,
        "country": "KZ",
        "description": "Opposition movement led by Ainur Kurmanov, Esenbek Ukteshbayev and "
        "others. It supports the striking oil workers and campaigns internationally "
        "against the regime.",
    },
    "leave-peoples-homes-alone": {
        "name": "Leave People's Homes Alone",
        "acronym": "LPHA",
        "kind": Organisation.Kind.CAMPAIGN,
        "country": "KZ",
        "description": "Campaign that defends people whom banks try to evict from their "
        "homes after repayment difficulties. With Talmas, headed by Ainur Kurmanov and "
        "Esenbek Ukteshbayev; the source expects the regime to close both down.",
    },
    "talmas": {
        "name": "Talmas",
        "country": "KZ",
        "description": "With Leave People's Homes Alone, headed by Ainur Kurmanov and "
        "Esenbek Ukteshbayev; the source expects the regime to close both down.",
    },
    "committee-for-a-workers-international": {
        "name": "Committee for a Workers' International",
        "acronym": "CWI",
        "kind": Organisation.Kind.INTERNATIONAL,
        "website": "http://www.socialistworld.net",
        "description": "Socialist international organisation, organised in 45 countries "
        "in 2011. Its reporters wrote the source and its call for protests.",
    },
    "osce": {
        "name": "Organization for Security and Co-operation in Europe",
        "acronym": "OSCE",
        "kind": Organisation.Kind.INTERNATIONAL,
    },
    "vzglyad": {
        "name": "Vzglyad",
        "kind": Organisation.Kind.MEDIA,
        "country": "KZ",
        "description": "Business newspaper in Kazakhstan.",
    },
    "supreme-court-of-kazakhstan": {
        "name": "Supreme Court of Kazakhstan",
        "kind": Organisation.Kind.COURT,
        "country": "KZ",
    },
    "foreign-ministry-of-kazakhstan": {
        "name": "Foreign Ministry of the Republic of Kazakhstan",
        "kind": Organisation.Kind.STATE_BODY,
        "country": "KZ",
    },
    "presidents-administration-kazakhstan": {
        "name": "President's Administration of Kazakhstan",
        "kind": Organisation.Kind.STATE_BODY,
        "country": "KZ",
    },
}

PEOPLE = {
    "ainur-kurmanov": {
        "name": "Ainur Kurmanov",
        "name_original": "Айнур Курманов",
        "occupation": "Leader of the Socialist Movement Kazakhstan",
        "country": "KZ",
    },
    "esenbek-ukteshbayev": {
        "name": "Esenbek Ukteshbayev",
        "name_original": "Есенбек Уктешбаев",
        "occupation": "Leader of the Socialist Movement Kazakhstan",
        "country": "KZ",
    },
    "kulzhan-sailybaeva": {
        "name": "Kulzhan Sailybaeva",
        "occupation": "Activist",
        "country": "KZ",
        "bio": "Mother of Nuosulu Sailybaeva; she has several children. When bailiffs "
        "tried to evict the family, the locks on their front door were broken.",
    },
    "nuosulu-sailybaeva": {
        "name": "Nuosulu Sailybaeva",
        "occupation": "Activist",
        "country": "KZ",
    },
    "natalia-sokolova": {
        "name": "Natalia Sokolova",
        "name_original": "Наталья Соколова",
        "occupation": "Oil workers' lawyer",
        "country": "KZ",
    },
    "evgeniy-zhovtis": {
        "name": "Evgeniy Zhovtis",
        "name_original": "Евгений Жовтис",
        "occupation": "Human rights activist",
        "country": "KZ",
    },
    "nursultan-nazarbayev": {
        "name": "Nursultan Nazarbayev",
        "name_original": "Нурсултан Назарбаев",
        "other_names": "Nazerbayev",
        "occupation": "President of Kazakhstan",
        "country": "KZ",
    },
}

SAMOUPRAVSTVO = {
    "country": "KZ",
    "name": "arbitrariness",
    "name_original": "самоуправство",
    "name_transliterated": "samoupravstvo",
    "description": "A term, the source says, usually used to describe bureaucrats or "
    "rulers who take power in their own interests.",
    "maximum_penalty": "Up to two years' custody",
}

LEADERS_CASE = {
    "title": "Socialist Movement Kazakhstan leaders and the Sailybaeva family face "
    "“samoupravstvo” charges",
    "country": "KZ",
    "summary": (
        "In September 2011 the authorities of Kazakhstan moved against the leaders of the "
        "Socialist Movement Kazakhstan, Ainur Kurmanov and Esenbek Ukteshbayev, in what the "
        "source calls an attempt to behead the movement being built in opposition to the "
        "regime of President Nursultan Nazarbayev.\n\n"
        "On 14 September the police told the movement's lawyer that the investigation into "
        "the two was nearing a close, that their status had changed from witnesses to "
        "suspects, and that they and two other activists, the mother and daughter Kulzhan "
        "and Nuosulu Sailybaeva, were to be charged with “samoupravstvo” by the end of the "
        "month.\n\n"
        "The charges arise from the campaign Leave People's Homes Alone (LPHA), which "
        "defends people whom banks try to evict after repayment difficulties. When bailiffs "
        "tried to evict the Sailybaeva family, the locks on their front door were broken; "
        "this, the authorities claim, is samoupravstvo. The initial charge carries a "
        "custodial sentence of up to two years; further charges are anticipated once the "
        "case comes to court, and up to 25 other people may be accused of similar offences. "
        "The source expects the regime to use the charges to remove activists from the "
        "movement and close down LPHA and Talmas."
    ),
    "call_to_action": (
        "Send urgent protests to the addresses below and to the Embassy of Kazakhstan in "
        "your own country, with copies of all protests to Kazakhstan Solidarity."
    ),
}

IMPRISONMENT_CASES = {
    "natalia-sokolova": {
        "title": "Natalia Sokolova, the oil workers' lawyer, imprisoned",
        "summary": "Natalia Sokolova, the oil workers' lawyer, was in prison in September "
        "2011. The source names her imprisonment among the things for which the regime was "
        "meeting increasing criticism, even from official and diplomatic circles.",
        "headline": "In prison, as reported in September 2011",
        "description": "The source, published in September 2011, refers to “the "
        "imprisonment of the oil workers' lawyer Natalia Sokolova”. It does not say when "
        "or why she was imprisoned.",
    },
    "evgeniy-zhovtis": {
        "title": "Evgeniy Zhovtis, human rights activist, imprisoned",
        "summary": "Evgeniy Zhovtis, a human rights activist, was still in prison in "
        "September 2011. The source names his continuing imprisonment among the things for "
        "which the regime was meeting increasing criticism, even from official and "
        "diplomatic circles.",
        "headline": "Still in prison, as reported in September 2011",
        "description": "The source, published in September 2011, refers to “the continuing "
        "imprisonment of the human rights activist, Evgeniy Zhovtis”. It does not say when "
        "or why he was imprisoned.",
    },
}


# The leaders' case: whom it concerns, as the source tells it.
LEADERS_CASE_ACCUSED = [
    "ainur-kurmanov",
    "esenbek-ukteshbayev",
    "kulzhan-sailybaeva",
    "nuosulu-sailybaeva",
]
LEADERS_CASE_OFFICIALS = {"nursultan-nazarbayev": "President of Kazakhstan"}
LEADERS_CASE_CHARGE_NOTE = (
    "On 14 September 2011 the police told the movement's lawyer that the four "
    "would be charged by the end of that month. Further charges are anticipated once "
    "the case comes to court."
)
LEADERS_CASE_ORGANISATIONS = [
    # (organisation's slug, its part in the case, note)
    ("socialist-movement-kazakhstan", CaseOrganisation.Role.TARGETED, ""),
    (
        "leave-peoples-homes-alone",
        CaseOrganisation.Role.TARGETED,
        "The charges arise from its campaign against evictions.",
    ),
    ("talmas", CaseOrganisation.Role.TARGETED, "Expected to be closed down."),
    (
        "committee-for-a-workers-international",
        CaseOrganisation.Role.CAMPAIGNING,
        "Calls for protests worldwide.",
    ),
    (
        "osce",
        CaseOrganisation.Role.OTHER,
        "Ainur Kurmanov and Esenbek Ukteshbayev were invited to its Human Rights "
        "Dimension conference in Warsaw in October 2011; the regime is attempting to "
        "stop them leaving the country.",
    ),
    (
        "vzglyad",
        CaseOrganisation.Role.OTHER,
        "Front-page headline: “Kurmanov to be jailed?”",
    ),
]
LEADERS_CASE_CALL_TO_ACTION_TARGETS = [
    # (kind, organisation's slug or None, fields), in the order the source lists them
    (
        CallToActionTarget.Kind.RECIPIENT,
        "supreme-court-of-kazakhstan",
        {
            "addressee": "Head of the Supreme Court of Kazakhstan, Alina Bulatovna Rakhimbekova",
            "email": "Rahimbekova@supcourt.kz",
            "copy_to": "Kulumbetova@supcourt.kz, pressa@supcourt.kz",
            "phone": "+7 7172 747570",
        },
    ),
    (
        CallToActionTarget.Kind.RECIPIENT,
        "foreign-ministry-of-kazakhstan",
        {"email": "mid@mid.kz"},
    ),
    (
        CallToActionTarget.Kind.RECIPIENT,
        "presidents-administration-kazakhstan",
        {
            "addressee": "Head of the President's Administration",
            "phone": "+7 (7172) 74 55 24",
        },
    ),
    (
        CallToActionTarget.Kind.RECIPIENT,
        None,
        {"addressee": "The Embassy of Kazakhstan in your own country"},
    ),
    (
        CallToActionTarget.Kind.COPY,
        None,
        {"addressee": "Kazakhstan Solidarity", "email": "KazakhstanSolidarity@gmail.com"},
    ),
]
LEADERS_CASE_STATUS_CHANGE = {
    "people": ["ainur-kurmanov", "esenbek-ukteshbayev"],
    "status": Status.SUSPECT,
    "date": datetime.date(2011, 9, 14),
    "date_precision": DatePrecision.DAY,
    "headline": "Status changed from witnesses to suspects",
    "description": "The police phoned the movement's lawyer and told him that the "
    "investigation into Ainur Kurmanov and Esenbek Ukteshbayev was nearing a close and "
    "that their status had changed from “witnesses” to “suspects”.",
}


def ensure(model, lookup: dict, values: dict | None = None, *, on_create: dict | None = None):
    """The row matching LOOKUP, created if missing and corrected where it differs
    from VALUES; a row that is already right is not written to. ON_CREATE holds
    values used only when the row is created."""
    values = values or {}
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**{**values, **lookup, **(on_create or {})})
        row.full_clean()
        row.save()
        services.public_data_changed()
        return row
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if changed:
        for field in changed:
            setattr(row, field, values[field])
        row.full_clean()
        row.save()
        services.public_data_changed()
    return row


@transaction.atomic
def load() -> None:
    article = ensure(Source, {"title": ARTICLE["title"]}, ARTICLE)
    organisations, people = _load_organisations_and_people()
    samoupravstvo = ensure(Charge, {"slug": "samoupravstvo"}, SAMOUPRAVSTVO)
    leaders_case = _load_leaders_case(article, organisations, people, samoupravstvo)
    imprisonments = [
        _load_imprisonment_case(slug, article, people[slug]) for slug in IMPRISONMENT_CASES
    ]
    _publish_new([leaders_case, *imprisonments])
    demo_translations.translate(ensure)


def _load_organisations_and_people() -> tuple[dict, dict]:
    """{slug: Organisation}, {slug: Person}, with who leads what and who is whose mother."""
    organisations = {
        slug: ensure(Organisation, {"slug": slug}, fields) for slug, fields in ORGANISATIONS.items()
    }
    people = {slug: ensure(Person, {"slug": slug}, fields) for slug, fields in PEOPLE.items()}
    ensure(
        Relationship,
        {
            "person": people["kulzhan-sailybaeva"],
            "kind": Relationship.Kind.MOTHER,
            "relative": people["nuosulu-sailybaeva"],
        },
    )
    for leader in ("ainur-kurmanov", "esenbek-ukteshbayev"):
        ensure(
            Membership,
            {
                "person": people[leader],
                "organisation": organisations["socialist-movement-kazakhstan"],
                "role": "leader",
            },
        )
    return organisations, people


def _load_leaders_case(article, organisations, people, samoupravstvo) -> Case:
    """The movement's leaders and the Sailybaevas: people, charge, organisations,
    call to action and the one status change the source dates."""
    case = _published_case("socialist-movement-kazakhstan-samoupravstvo", LEADERS_CASE)
    ensure(CaseSource, {"case": case, "source": article})
    participants = {
        slug: ensure(
            CaseParticipant,
            {"case": case, "person": people[slug]},
            {"role": CaseParticipant.Role.ACCUSED},
        )
        for slug in LEADERS_CASE_ACCUSED
    }
    for slug, note in LEADERS_CASE_OFFICIALS.items():
        ensure(
            CaseParticipant,
            {"case": case, "person": people[slug]},
            {"role": CaseParticipant.Role.OFFICIAL, "note": note},
        )
    ensure(
        CaseCharge,
        {"case": case, "charge": samoupravstvo},
        {"state": CaseCharge.State.THREATENED, "note": LEADERS_CASE_CHARGE_NOTE},
    )
    for slug, role, note in LEADERS_CASE_ORGANISATIONS:
        ensure(
            CaseOrganisation,
            {"case": case, "organisation": organisations[slug]},
            {"role": role, "note": note},
        )
    for order, (kind, organisation, fields) in enumerate(
        LEADERS_CASE_CALL_TO_ACTION_TARGETS, start=1
    ):
        ensure(
            CallToActionTarget,
            {"case": case, "order": order},
            {
                "kind": kind,
                "organisation": organisations[organisation] if organisation else None,
                **fields,
            },
        )
    change = dict(LEADERS_CASE_STATUS_CHANGE)
    _record_once(
        case,
        participants=[participants[slug] for slug in change.pop("people")],
        sources=[article],
        **change,
    )
    return case


def _load_imprisonment_case(slug: str, article, person) -> Case:
    """A case of one person whom the source names as imprisoned in September 2011."""
    story = IMPRISONMENT_CASES[slug]
    case = _published_case(
        slug, {"title": story["title"], "country": "KZ", "summary": story["summary"]}
    )
    ensure(CaseSource, {"case": case, "source": article})
    participant = ensure(
        CaseParticipant,
        {"case": case, "person": person},
        {"role": CaseParticipant.Role.TARGETED},
    )
    _record_once(
        case,
        participants=[participant],
        status=Status.IMPRISONED,
        date=datetime.date(2011, 9, 1),
        date_precision=DatePrecision.MONTH,
        headline=story["headline"],
        description=story["description"],
        sources=[article],
    )
    # Held in September 2011, since when and where the article does not say:
    # an episode known to the month, that may have begun earlier, at no place.
    if not case.detentions.exists():
        services.record_detention(
            participant,
            kind=Detention.Kind.PRISON,
            start=datetime.date(2011, 9, 1),
            start_precision=DatePrecision.MONTH,
            may_have_begun_earlier=True,
            sources=[article],
        )
    return case


def _published_case(slug: str, fields: dict) -> Case:
    """The case, made as a draft when first loaded; _publish_new() publishes it."""
    return ensure(Case, {"slug": slug}, fields)


def _publish_new(cases) -> None:
    """Publish, through the publishing checks, the CASES that were never
    public. One that an editor withdrew since stays withdrawn."""
    for case in cases:
        case.refresh_from_db()
        if case.published_at is None:
            services.publish_case(case, by=None)


def _record_once(case, *, date, headline, **fields) -> None:
    if not case.status_changes.filter(date=date, headline=headline).exists():
        services.record_status_change(case, date=date, headline=headline, **fields)
