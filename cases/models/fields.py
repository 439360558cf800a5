from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebAddressField(models.URLField):
    """A link shown to the public: http or https only, never javascript: or ftp:."""

    default_validators = [
        URLValidator(schemes=["http", "https"], message=_("Enter an http:// or https:// address."))
    ]

    def formfield(self, **kwargs):
        # An address typed without a scheme is taken as https.
        return super().formfield(**{"assume_scheme": "https", **kwargs})
