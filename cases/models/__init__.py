"""The domain: people, organisations, charges, cases, their timelines and sources.

Two registrations happen once the models are loaded, in this order, from
cases/translation.py (which django-modeltranslation imports when the apps
are ready): the prose fields' columns per language, then the history of
edits (models/history.py), so that the history keeps every language.
"""

from .cases import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
)
from .categories import CaseCategory, Category
from .charges import Charge
from .detentions import Detention, DetentionSource
from .external_ids import ExternalId
from .organisations import Membership, Organisation
from .partial_dates import DatePrecision
from .people import Person, Relationship, Sex
from .pictures import Picture
from .places import LettersReach, PlaceOfDetention, PlaceOfDetentionSource, Regime
from .publication import PublicationState
from .recognitions import Recognition
from .sources import Source
from .statuses import Status
from .timeline import StatusChange, StatusChangeParticipant, StatusChangeSource
from .verdicts import Verdict, VerdictCharge, VerdictSource
from .versions import PublicDataStamp, PublicDataVersion
from .years import CaseYear

__all__ = [
    "CallToActionTarget",
    "Case",
    "CaseCategory",
    "Category",
    "Detention",
    "DetentionSource",
    "LettersReach",
    "PlaceOfDetention",
    "PlaceOfDetentionSource",
    "Recognition",
    "Regime",
    "Sex",
    "Verdict",
    "VerdictCharge",
    "VerdictSource",
    "CaseCharge",
    "CaseOrganisation",
    "CaseParticipant",
    "CaseSource",
    "CaseYear",
    "Charge",
    "DatePrecision",
    "ExternalId",
    "Membership",
    "Organisation",
    "Person",
    "Picture",
    "PublicDataStamp",
    "PublicDataVersion",
    "PublicationState",
    "Relationship",
    "Source",
    "Status",
    "StatusChange",
    "StatusChangeParticipant",
    "StatusChangeSource",
]
