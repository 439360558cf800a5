"""The API's OpenAPI schema: every operation documents how to ask for a language."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    OpenApiParameter.QUERY,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_(
        "The language of the words in the answer (country names, the pages' addresses, "
        "messages): en, ru or kk. Without it, the Accept-Language header decides, and "
        "English when it names none of these. Codes (statuses, roles) are the same in "
        "every language."
    ),
)


class LanguageAwareSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANGUAGE_PARAMETER]
