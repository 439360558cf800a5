"""Month names as dates in running text need them, for our own catalogues.

Django's own Russian and Kazakh catalogues capitalise month names
("Сентябрь", "Қыркүйек"), as a calendar's heading does; in a date they are
written in lower case ("сентябрь 2011 г.", "2011 жылғы қыркүйек"). The same
msgids in locale/ take precedence over Django's (LOCALE_PATHS come first), and
marking them here keeps them in the catalogues that makemessages writes.
Django's date formats read them as "F"; the Russian genitive ("E", "14
сентября") is already in lower case in Django's catalogue.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
