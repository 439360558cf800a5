from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Status(models.TextChoices):
    """Where a person, or a case as a whole, stands. STATUS_MEANINGS says what
    each means, for editors choosing one and for readers of the open data."""

    UNDER_INVESTIGATION = "under_investigation", _("under investigation")
    WITNESS = "witness", _("witness")
    SUSPECT = "suspect", _("suspect")
    CHARGED = "charged", _("charged")
    PRE_TRIAL_DETENTION = "pre_trial_detention", _("in pre-trial detention")
    HOUSE_ARREST = "house_arrest", _("under house arrest")
    ON_TRIAL = "on_trial", _("on trial")
    CONVICTED = "convicted", _("convicted")
    SENTENCED = "sentenced", _("sentenced")
    IMPRISONED = "imprisoned", _("imprisoned")
    ADMINISTRATIVE_DETENTION = "administrative_detention", _("in administrative detention")
    COMPULSORY_TREATMENT = "compulsory_treatment", _("in compulsory psychiatric treatment")
    PROSECUTED_AT_LIBERTY = "prosecuted_at_liberty", _("prosecuted at liberty")
    RESTRICTED_FREEDOM = "restricted_freedom", _("under restriction of freedom")
    SUSPENDED_SENTENCE = "suspended_sentence", _("serving a suspended sentence")
    FINED = "fined", _("fined")
    WANTED = "wanted", _("wanted")
    DIED_IN_CUSTODY = "died_in_custody", _("died in custody")
    RELEASED = "released", _("released")
    ACQUITTED = "acquitted", _("acquitted")
    CHARGES_DROPPED = "charges_dropped", _("charges dropped")
    IN_EXILE = "in_exile", _("in exile")
    DISAPPEARED = "disappeared", _("disappeared")
    DECEASED = "deceased", _("deceased")
    UNKNOWN = "unknown", _("unknown")


STATUS_MEANINGS = {
    Status.UNDER_INVESTIGATION: _("Named in an investigation, neither as suspect nor as witness."),
    Status.WITNESS: _("Questioned as a witness."),
    Status.SUSPECT: _("Formally a suspect, not (yet) charged."),
    Status.CHARGED: _("Formally charged with an offence."),
    Status.PRE_TRIAL_DETENTION: _("Held by court order while the case is investigated or tried."),
    Status.HOUSE_ARREST: _("Confined to their home by court order."),
    Status.ON_TRIAL: _("The trial has begun and no verdict is given yet."),
    Status.CONVICTED: _("Found guilty; the sentence is not known or not passed yet."),
    Status.SENTENCED: _("Sentenced, and not (yet) serving the sentence in custody."),
    Status.IMPRISONED: _("Serving a sentence of imprisonment, in a prison or colony."),
    Status.ADMINISTRATIVE_DETENTION: _(
        "Serving an administrative arrest (days, not years) for an administrative offence, "
        "such as taking part in a protest."
    ),
    Status.COMPULSORY_TREATMENT: _("Held in a psychiatric hospital by court order."),
    Status.PROSECUTED_AT_LIBERTY: _(
        "Charged and prosecuted but not held: under a travel ban or an undertaking not to leave."
    ),
    Status.RESTRICTED_FREEDOM: _(
        "Serving a sentence of restriction of freedom or corrective labour: at home, "
        "under supervision and a curfew."
    ),
    Status.SUSPENDED_SENTENCE: _("Sentenced to a term that is suspended, on probation."),
    Status.FINED: _("Punished with a fine, in a criminal or administrative case."),
    Status.RELEASED: _("Set free, at the end of a term, on parole, by pardon or amnesty."),
    Status.ACQUITTED: _("Found not guilty."),
    Status.CHARGES_DROPPED: _("The charges were dropped or the case closed."),
    Status.WANTED: _("Sought by the authorities: on a wanted list, at home or abroad."),
    Status.IN_EXILE: _("Left the country because of the persecution."),
    Status.DISAPPEARED: _(
        "Whereabouts unknown after being taken by, or last seen with, the authorities."
    ),
    Status.DIED_IN_CUSTODY: _("Died while held, or of what was done to them while held."),
    Status.DECEASED: _("Died, not in custody."),
    Status.UNKNOWN: _("Sources do not say."),
}

# Statuses that say a person is no longer deprived of liberty. Recording one
# for a person ends their open detentions in the case at its date
# (cases.services.end_detentions_on_release(), the one place of that rule),
# and a detention that began by the date of the person's latest entry, when
# that entry is one of these, must have an end (Detention.clean()).
ENDS_DETENTION = frozenset(
    {
        Status.RELEASED,
        Status.ACQUITTED,
        Status.CHARGES_DROPPED,
        Status.DIED_IN_CUSTODY,
        Status.DECEASED,
    }
)

# A case's status, when its people stand in different places, is the status
# of the person who is worst off, in this order: first those held or missing,
# then those still being prosecuted, then the outcomes. A case where one
# person is imprisoned and another released is "imprisoned".
CASE_STATUS_ORDER = [
    Status.DISAPPEARED,
    Status.IMPRISONED,
    Status.COMPULSORY_TREATMENT,
    Status.PRE_TRIAL_DETENTION,
    Status.ADMINISTRATIVE_DETENTION,
    Status.HOUSE_ARREST,
    Status.SENTENCED,
    Status.CONVICTED,
    Status.ON_TRIAL,
    Status.RESTRICTED_FREEDOM,
    Status.SUSPENDED_SENTENCE,
    Status.PROSECUTED_AT_LIBERTY,
    Status.CHARGED,
    Status.SUSPECT,
    Status.WANTED,
    Status.UNDER_INVESTIGATION,
    Status.WITNESS,
    Status.FINED,
    Status.IN_EXILE,
    Status.DIED_IN_CUSTODY,
    Status.DECEASED,
    Status.RELEASED,
    Status.ACQUITTED,
    Status.CHARGES_DROPPED,
    Status.UNKNOWN,
]


def case_status(statuses) -> str:
    """The status of a case whose people stand at STATUSES (see CASE_STATUS_ORDER)."""
    present = set(statuses)
    return next((status.value for status in CASE_STATUS_ORDER if status.value in present), "")


def counted(status: str, number: int) -> str:
    """'1 suspect', '2 suspects', '2 in pre-trial detention': NUMBER people at STATUS."""
    return _COUNTED[status] % {"count": number}


_COUNTED = {
    Status.UNDER_INVESTIGATION: ngettext_lazy(
        "%(count)d under investigation", "%(count)d under investigation", "count"
    ),
    Status.WITNESS: ngettext_lazy("%(count)d witness", "%(count)d witnesses", "count"),
    Status.SUSPECT: ngettext_lazy("%(count)d suspect", "%(count)d suspects", "count"),
    Status.CHARGED: ngettext_lazy("%(count)d charged", "%(count)d charged", "count"),
    Status.PRE_TRIAL_DETENTION: ngettext_lazy(
        "%(count)d in pre-trial detention", "%(count)d in pre-trial detention", "count"
    ),
    Status.HOUSE_ARREST: ngettext_lazy(
        "%(count)d under house arrest", "%(count)d under house arrest", "count"
    ),
    Status.ON_TRIAL: ngettext_lazy("%(count)d on trial", "%(count)d on trial", "count"),
    Status.CONVICTED: ngettext_lazy("%(count)d convicted", "%(count)d convicted", "count"),
    Status.SENTENCED: ngettext_lazy("%(count)d sentenced", "%(count)d sentenced", "count"),
    Status.IMPRISONED: ngettext_lazy("%(count)d imprisoned", "%(count)d imprisoned", "count"),
    Status.ADMINISTRATIVE_DETENTION: ngettext_lazy(
        "%(count)d in administrative detention", "%(count)d in administrative detention", "count"
    ),
    Status.COMPULSORY_TREATMENT: ngettext_lazy(
        "%(count)d in compulsory psychiatric treatment",
        "%(count)d in compulsory psychiatric treatment",
        "count",
    ),
    Status.PROSECUTED_AT_LIBERTY: ngettext_lazy(
        "%(count)d prosecuted at liberty", "%(count)d prosecuted at liberty", "count"
    ),
    Status.RESTRICTED_FREEDOM: ngettext_lazy(
        "%(count)d under restriction of freedom", "%(count)d under restriction of freedom", "count"
    ),
    Status.SUSPENDED_SENTENCE: ngettext_lazy(
        "%(count)d serving a suspended sentence",
        "%(count)d serving a suspended sentence",
        "count",
    ),
    Status.FINED: ngettext_lazy("%(count)d fined", "%(count)d fined", "count"),
    Status.WANTED: ngettext_lazy("%(count)d wanted", "%(count)d wanted", "count"),
    Status.DIED_IN_CUSTODY: ngettext_lazy(
        "%(count)d died in custody", "%(count)d died in custody", "count"
    ),
    Status.RELEASED: ngettext_lazy("%(count)d released", "%(count)d released", "count"),
    Status.ACQUITTED: ngettext_lazy("%(count)d acquitted", "%(count)d acquitted", "count"),
    Status.CHARGES_DROPPED: ngettext_lazy(
        "%(count)d with charges dropped", "%(count)d with charges dropped", "count"
    ),
    Status.IN_EXILE: ngettext_lazy("%(count)d in exile", "%(count)d in exile", "count"),
    Status.DISAPPEARED: ngettext_lazy("%(count)d disappeared", "%(count)d disappeared", "count"),
    Status.DECEASED: ngettext_lazy("%(count)d deceased", "%(count)d deceased", "count"),
    Status.UNKNOWN: ngettext_lazy(
        "%(count)d whose status is unknown", "%(count)d whose status is unknown", "count"
    ),
}
