import secrets

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

web_address_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter an http:// or https:// address.")
)


class WebAddressFormField(forms.URLField):
    default_validators = [web_address_validator]
    default_error_messages = {"invalid": web_address_validator.message}

    def __init__(self, **kwargs):
        # An address typed without a scheme is taken as https.
        super().__init__(**{"assume_scheme": "https", **kwargs})


class WebAddressField(models.URLField):
    """A link shown to the public: http or https only, never javascript: or ftp:."""

    default_validators = [web_address_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})


def label_of(choices: type[models.TextChoices], value: str):
    """The label of VALUE among CHOICES, or VALUE itself: what get_FOO_display() gives.

    For the fields shown many times on a page (a status, a role): Django's
    get_FOO_display() builds a dictionary of every choice, hashing (so
    translating) every label, at each call.
    """
    try:
        return choices(value).label
    except ValueError:
        return value


def random_public_id() -> str:
    """An id to show the public instead of a row's number: numbers count the
    rows, so the gaps between public ones (1, 2, 3, 50) tell how many are
    hidden. 64 random bits; the column is unique besides."""
    return secrets.token_hex(8)
