"""Text search of cases: the one behaviour of `q`, for the list, the API and exports.

Each case keeps a search document (Case.search_document): its title, its
summary and every name of every person in it (name, name in the original
script, other spellings), reduced to lower-case words separated by single
spaces. A query is reduced to words the same way, and a case matches when
each query word begins a word of its document: "kurman" finds "Курманов"
only through the Cyrillic "курман", but "Kurmanow" finds the person whose
other spellings list it, and "nazer" finds "Nazerbayev".

On PostgreSQL the match is a full-text search ('simple' configuration: no
stemming, no stop words, so names stay as written) through a GIN index on
to_tsvector('simple', search_document); see migration 0009. Elsewhere
(SQLite, for `make run`) the same words are looked up with LIKE, which gives
the same results: both sides hold only the words made here.
"""

import re
from collections.abc import Iterable

from django.db import connections
from django.db.models import F, Func, Q

# Letters and digits; everything else (punctuation, hyphens, underscores,
# LIKE's wildcards) separates words.
WORD = re.compile(r"[^\W_]+")
# PostgreSQL ignores longer words in a tsvector; so does the fallback.
MAX_WORD_LENGTH = 100


def words(text: str) -> list[str]:
    """The searchable words of TEXT, lower case, in order."""
    return [word for word in WORD.findall(text.lower()) if len(word) <= MAX_WORD_LENGTH]


def search_document(title: str, summary: str, names: Iterable[str]) -> str:
    """What a case is found by: ' word word ... ' (with a space at each end,
    so that the fallback can look for ' word' at the start of any word)."""
    found = words(" ".join([title, summary, *names]))
    return f" {' '.join(found)} " if found else ""


class DocumentVector(Func):
    """to_tsvector('simple', search_document), written exactly as the GIN index is."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"

    def __init__(self, **extra):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(F("search_document"), output_field=SearchVectorField(), **extra)


def matching(queryset, query: str, max_words: int):
    """The cases of QUERYSET (of Case) whose search document has a word
    beginning with each of the first MAX_WORDS words of QUERY.

    A query without any letter or digit (such as "%") matches nothing.
    """
    terms = list(dict.fromkeys(words(query)[:max_words]))
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVectorExact

        # Each term is letters and digits only: nothing to escape in the tsquery.
        tsquery = " & ".join(f"'{term}':*" for term in terms)
        return queryset.filter(
            SearchVectorExact(
                DocumentVector(), SearchQuery(tsquery, config="simple", search_type="raw")
            )
        )
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=f" {term}")
    return queryset.filter(condition)
