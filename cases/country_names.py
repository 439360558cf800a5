"""Names of the countries of the register's region, for the Kazakh catalogue.

django-countries translates country names into Russian but not into Kazakh,
so a Kazakh page would say "Kazakhstan". These are the countries whose cases
readers in the region follow; our catalogues (locale/, which take precedence
over the package's) give their Kazakh names, and the Russian ones the package
has. Any other country is named in English on Kazakh pages until it is added
here and translated. The msgids are django-countries' English names, exactly.
"""

from django.utils.translation import gettext_noop

REGION = [
    gettext_noop("Kazakhstan"),
    gettext_noop("Kyrgyzstan"),
    gettext_noop("Uzbekistan"),
    gettext_noop("Tajikistan"),
    gettext_noop("Turkmenistan"),
    gettext_noop("Russian Federation"),
    gettext_noop("Belarus"),
    gettext_noop("Ukraine"),
    gettext_noop("Azerbaijan"),
    gettext_noop("Armenia"),
    gettext_noop("Georgia"),
    gettext_noop("Moldova (the Republic of)"),
    gettext_noop("China"),
    gettext_noop("Mongolia"),
    gettext_noop("Türkiye"),
    gettext_noop("Iran (Islamic Republic of)"),
    gettext_noop("Afghanistan"),
    gettext_noop("United States of America"),
    gettext_noop("United Kingdom of Great Britain and Northern Ireland"),
    gettext_noop("Germany"),
    gettext_noop("France"),
    gettext_noop("Poland"),
    gettext_noop("Lithuania"),
    gettext_noop("Latvia"),
    gettext_noop("Estonia"),
]
