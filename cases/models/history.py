"""Which models keep a history of every edit: who changed what, and when.

django-simple-history stores a copy of the row on every save and delete;
the admin shows it and can restore a past version. The links between a
case and its people, charges, organisations and sources are kept too, so
that a removed person or charge can be seen in the history as well.

cases/translation.py imports this module once the prose fields have their
column per language, so that the history keeps (and a restore brings back)
the Russian and Kazakh texts too: registered earlier, the history would
hold the English only.
"""

from simple_history import register

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
from .organisations import Membership, Organisation
from .people import Person, Relationship
from .pictures import Picture
from .places import PlaceOfDetention, PlaceOfDetentionSource
from .recognitions import Recognition
from .sources import Source
from .timeline import StatusChange, StatusChangeParticipant, StatusChangeSource
from .verdicts import Verdict, VerdictCharge, VerdictSource

for model in (
    Person,
    Relationship,
    Picture,
    Organisation,
    Membership,
    Charge,
    Source,
    Case,
    CaseParticipant,
    CaseCharge,
    CaseOrganisation,
    CaseSource,
    CallToActionTarget,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
    PlaceOfDetention,
    PlaceOfDetentionSource,
    Detention,
    DetentionSource,
    Verdict,
    VerdictCharge,
    VerdictSource,
    Recognition,
    Category,
    CaseCategory,
):
    # A case's search document is derived from other rows; it is not an edit.
    # Nor is an entry's place in the timeline: restoring a past version of an
    # entry keeps it where the timeline has it now (cases.services).
    excluded = {Case: ["search_document"], StatusChange: ["position"]}.get(model, [])
    register(model, app="cases", excluded_fields=excluded)
