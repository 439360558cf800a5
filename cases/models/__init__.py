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
from .charges import Charge
from .external_ids import ExternalId
from .organisations import Membership, Organisation
from .partial_dates import DatePrecision
from .people import Person, Relationship
from .pictures import Picture
from .publication import PublicationState
from .sources import Source
from .statuses import Status
from .timeline import StatusChange, StatusChangeParticipant, StatusChangeSource
from .versions import PublicDataStamp, PublicDataVersion

__all__ = [
    "CallToActionTarget",
    "Case",
    "CaseCharge",
    "CaseOrganisation",
    "CaseParticipant",
    "CaseSource",
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
