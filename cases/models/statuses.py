from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Status(models.TextChoices):
    """Where a person, or a case as a whole, stands."""

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
    RELEASED = "released", _("released")
    ACQUITTED = "acquitted", _("acquitted")
    CHARGES_DROPPED = "charges_dropped", _("charges dropped")
    IN_EXILE = "in_exile", _("in exile")
    DISAPPEARED = "disappeared", _("disappeared")
    DECEASED = "deceased", _("deceased")
    UNKNOWN = "unknown", _("unknown")


# A case's status, when its people stand in different places, is the status
# of the person who is worst off, in this order: first those held or missing,
# then those still being prosecuted, then the outcomes. A case where one
# person is imprisoned and another released is "imprisoned".
CASE_STATUS_ORDER = [
    Status.DISAPPEARED,
    Status.IMPRISONED,
    Status.PRE_TRIAL_DETENTION,
    Status.HOUSE_ARREST,
    Status.SENTENCED,
    Status.CONVICTED,
    Status.ON_TRIAL,
    Status.CHARGED,
    Status.SUSPECT,
    Status.UNDER_INVESTIGATION,
    Status.WITNESS,
    Status.IN_EXILE,
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
