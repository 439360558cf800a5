from django.db import models
from django.utils.translation import gettext_lazy as _


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
