"""Text search of cases: the one behaviour of `q`, for the list, the API and exports.

Readers type a name as they know it: in Cyrillic or Latin letters, by
whichever transliteration their newspaper or passport office uses ("Yesenbek
Ukteshbayev", "Esenbek Ukteshbaev", "Есенбек Уктешбаев"), with or without
diacritics, sometimes with an invisible character pasted along. So each case
keeps a search document (Case.search_document), built here and nowhere else
(search_document()), holding:

- the words of its title and summary;
- every name in it: its people's names, names in the original script and
  other spellings, its charges' names (in English, in the original language
  and transliterated: "самоуправство") and its country's name in each
  language of the site ("Kazakhstan", "Казахстан", "Қазақстан");
- for each name written in Cyrillic, its transliterations by the common
  schemes (iuliia: Wikipedia's, the passports' ICAO, Moscow Metro's, Yandex's,
  the Russian police's), Kazakh letters included (read as their Russian
  neighbours, and by anyascii: Қ as K and as Q);
- for each word of a name, its spelling key (spelling_key()): a coarse Latin
  form in which the usual differences between spellings disappear (ye/e,
  y/i/j, kh/h, q/k, w/v, doubled letters), marked with a leading "0" so that
  keys only ever meet keys. The key is what finds a Latin-only name from
  Cyrillic ("Сайлыбаева" → "0sailibaeva" ← "Sailybaeva") and the spellings
  no scheme makes ("Evgeniy", "Yevgeny", "Evgenii" → "0evgeni").

Every word is folded first (fold()): NFKC, lower case, diacritics and
invisible characters removed, ё read as е. A query is folded the same way,
and a case matches when each query word, or its key, begins a word of the
document: "kurman" finds "Курманов" through the key, "nazer" finds
"Nazerbayev".

On PostgreSQL the match is a full-text search ('simple' configuration: no
stemming, no stop words, so names stay as written) on search_vector,
to_tsvector('simple', search_document) kept by PostgreSQL in a generated
column with a GIN index (migration 0024; before it, an index on the
expression, whose every use outside the index parsed the document again). Elsewhere
(SQLite, for `make run`) the same words are looked up with LIKE, which gives
the same results: both sides hold only the words made here.

Near spellings ("Sailybaeeva", "Kurmanv") are found on PostgreSQL only, by
trigram similarity (pg_trgm) with the names of people and charges, and only
when the query as typed finds nothing: exact matches always come first
because a near spelling is never mixed into a search that found something,
and a search that finds something costs one cheap query more than before.
The same similarity gives the suggestions of an empty result (suggestions());
SQLite compares spelling keys instead.
"""

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import iuliia
from anyascii import anyascii
from django.conf import settings
from django.db import connections
from django.db.models import F, Func, Q

# Letters and digits; everything else (punctuation, hyphens, underscores,
# LIKE's wildcards) separates words.
WORD = re.compile(r"[^\W_]+")
# PostgreSQL ignores longer words in a tsvector; so does the fallback.
MAX_WORD_LENGTH = 100
# The start of a spelling key: a digit, which no name begins with, so that
# the key of a query word never matches a word of a title or summary.
KEY_MARK = "0"

# The apostrophes that some transliterations write for ь and ъ (Natal'ya):
# dropped from their spellings, so that the word stays one.
_APOSTROPHES = str.maketrans("", "", "'’ʼʹ`´")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[a-z]")

# The schemes a Cyrillic name is written in by the press, passports and maps.
# Those that write diacritics (GOST 779, ALA-LC, ISO 9) are left out: folded,
# they give spellings nobody types (Uktesbaev).
SCHEMES = (
    iuliia.WIKIPEDIA,  # Yesenbek Ukteshbayev, Yevgeny
    iuliia.ICAO_DOC_9303,  # Esenbek Ukteshbaev, Evgenii: passports
    iuliia.MOSMETRO,
    iuliia.YANDEX_MAPS,
    iuliia.MVD_310,  # Evgeniy: the Russian police's older scheme
)
# Kazakh letters that Russian schemes do not know, read as the Russian
# letters they are usually written with: Қазақстан → Казакстан → Kazakstan.
_KAZAKH_AS_RUSSIAN = str.maketrans("қғңөұүәіһ", "кгноууаих")
# Latin letters with diacritics that stand for two letters in English spellings.
_DIGRAPHS = str.maketrans({"š": "sh", "ž": "zh", "č": "ch", "ŝ": "sh", "ĭ": "i"})
# Applied in order to a word in ASCII: the differences between the schemes
# and the habits of sources ("kh" or "h", "q" or "k", "ye" or "e", "y" or "i").
_KEY_RULES = (
    ("kh", "h"),
    ("gh", "g"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("ph", "f"),
    ("j", "i"),
    ("ye", "e"),
    ("y", "i"),
)
_DOUBLED = re.compile(r"(.)\1+")
# A private-use character standing for й while diacritics are removed.
_SHORT_I = "\ue000"


def fold(text: str) -> str:
    """TEXT as search compares it: NFKC, lower case, without diacritics or
    invisible characters (a zero-width space pasted into "Kur\u200bmanov"
    leaves one word), ё as е, š ž č as sh zh ch; й, the Kazakh letters and
    every other letter of its own kept."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DIGRAPHS)
    if text.isascii():
        return text
    # й is и with a breve: kept whole through the decomposition.
    text = unicodedata.normalize("NFD", text.replace("й", _SHORT_I))
    text = "".join(
        char
        for char in text
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return unicodedata.normalize("NFC", text).replace(_SHORT_I, "й")


def words(text: str) -> list[str]:
    """The searchable words of TEXT, folded, in order."""
    return [word for word in WORD.findall(fold(text)) if len(word) <= MAX_WORD_LENGTH]


@functools.lru_cache(maxsize=20_000)
def spelling_key(word: str) -> str:
    """The key of WORD (folded): '0evgeni' for евгений, evgeniy, yevgeny and
    evgenii alike; '' for a word without a letter."""
    latin = anyascii(word).lower()
    latin = "".join(char for char in latin if char.isascii() and char.isalnum())
    if not _LATIN_LETTER.search(latin):
        return ""
    for written, key in _KEY_RULES:
        latin = latin.replace(written, key)
    return KEY_MARK + _DOUBLED.sub(r"\1", latin)


@functools.lru_cache(maxsize=20_000)
def spellings_of_word(word: str) -> tuple[str, ...]:
    """WORD (folded) as the transliteration schemes write it, if it is in
    Cyrillic: ('есенбек', 'yesenbek', 'esenbek'); else (WORD,)."""
    if not _CYRILLIC.search(word):
        return (word,)
    russian = word.translate(_KAZAKH_AS_RUSSIAN)
    found = [word, anyascii(word).lower()]
    found += [schema.translate(russian).lower() for schema in SCHEMES]
    return tuple(dict.fromkeys(w for text in found for w in words(text.translate(_APOSTROPHES))))


def name_words(names: Iterable[str]) -> list[str]:
    """Every word of NAMES in every spelling, and their spelling keys, each once."""
    found = {}
    for name in names:
        for word in words(name):
            for spelling in spellings_of_word(word):
                found[spelling] = None
                if key := spelling_key(spelling):
                    found[key] = None
    return list(found)


@functools.lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """The names of the country CODE in each language of the site (CLDR's,
    through Babel): ('Kazakhstan', 'Казахстан', 'Қазақстан')."""
    from babel import Locale, UnknownLocaleError
    from django_countries import countries

    names = [str(countries.name(code))] if code else []
    for language, _name in settings.LANGUAGES:
        try:
            name = Locale.parse(language.replace("-", "_")).territories.get(code.upper())
        except (UnknownLocaleError, ValueError):
            name = None
        if name:
            names.append(name)
    return tuple(dict.fromkeys(name for name in names if name))


def search_document(title: str, summary: str, names: Iterable[str], country: str = "") -> str:
    """What a case is found by: ' word word ... ' (with a space at each end,
    so that the fallback can look for ' word' at the start of any word).

    NAMES are the names of its people and charges; COUNTRY its country's code.
    """
    found = words(f"{title} {summary}")
    seen = set(found)
    for word in name_words([*names, *country_names(country)]):
        if word not in seen:
            seen.add(word)
            found.append(word)
    return f" {' '.join(found)} " if found else ""


def _columns(model, name: str) -> list[str]:
    """The columns holding the prose field NAME of MODEL: one per language
    where it is translated (cases/translation.py), else the field itself (a
    migration's historical model before the translations came)."""
    present = {field.attname for field in model._meta.concrete_fields}
    translated = [f"{name}_{code}" for code, _ in settings.LANGUAGES]
    return [column for column in translated if column in present] or [name]


def _in_every_language(case, name: str) -> str:
    """The text of CASE's prose field NAME in each language it is held in, each once."""
    values = (getattr(case, column) for column in _columns(type(case), name))
    return " ".join(dict.fromkeys(value for value in values if value))


def document_of(case, names: Iterable[str]) -> str:
    """The search document of CASE (a Case, or a migration's historical
    Case): a reader finds it by its title and summary in any language they
    are held in, by its NAMES (of its people and charges) and its country."""
    return search_document(
        _in_every_language(case, "title"),
        _in_every_language(case, "summary"),
        names,
        str(case.country),
    )


def names_by_case(case_model, case_ids) -> dict[int, list[str]]:
    """{case id: every name of every person in the case, in the order they
    were added, then every name of every charge in it}. CASE_MODEL may be a
    migration's historical model: only fields and relations are used."""
    participants = case_model._meta.get_field("participants").related_model
    charge_links = case_model._meta.get_field("charge_links").related_model
    names = defaultdict(list)
    people = (
        participants.objects.filter(case__in=case_ids)
        .order_by("pk")
        .values_list("case_id", "person__name", "person__name_original", "person__other_names")
    )
    charges = (
        charge_links.objects.filter(case__in=case_ids)
        .order_by("pk")
        .values_list(
            "case_id", "charge__name", "charge__name_original", "charge__name_transliterated"
        )
    )
    for rows in (people, charges):
        for case_id, *spellings in rows:
            names[case_id].extend(spellings)
    return names


def refresh_documents(cases, *, batch_size: int = 1000) -> int:
    """Rebuild the search document of each case of the queryset CASES (of
    Case, or of a migration's historical Case), BATCH_SIZE cases at a time;
    the number of cases. Writes only search_document: not an edit."""
    model, done, last = cases.model, 0, None
    while True:
        prose = [*_columns(model, "title"), *_columns(model, "summary")]
        batch = cases.order_by("pk").only("pk", *prose, "country")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        batch = list(batch[:batch_size])
        if not batch:
            return done
        names = names_by_case(model, [case.pk for case in batch])
        for case in batch:
            case.search_document = document_of(case, names[case.pk])
        model._base_manager.bulk_update(batch, ["search_document"], batch_size=500)
        done, last = done + len(batch), batch[-1].pk
        if len(batch) < batch_size:
            return done


class DocumentVector(Func):
    """The case's search_vector: to_tsvector('simple', search_document), which
    PostgreSQL keeps in a generated column with the GIN index on it (migration
    0024), so that no query parses a document again. Not a field of the model
    (SQLite has no tsvector), so it is named here beside search_document, in
    whatever alias the query gives the case's table."""

    def __init__(self, **extra):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(F("search_document"), output_field=SearchVectorField(), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        document, params = compiler.compile(self.source_expressions[0])
        column = connection.ops.quote_name("search_document")
        if not document.endswith(column):
            raise ValueError(f"Unexpected column for the search vector: {document}")
        return document.removesuffix(column) + connection.ops.quote_name("search_vector"), params


def query_terms(query: str, max_words: int) -> list[tuple[str, ...]]:
    """[(word, its key, ...)] for the first MAX_WORDS words of QUERY: a case
    matches when, for each tuple, one of its forms begins a word of the case."""
    terms = []
    for word in dict.fromkeys(words(query)[:max_words]):
        key = spelling_key(word)
        terms.append((word, key) if key and key != word else (word,))
    return terms


def _matching_terms(queryset, terms: list[tuple[str, ...]]):
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVectorExact

        # Each form is letters and digits only: nothing to escape in the tsquery.
        tsquery = " & ".join(
            "(" + " | ".join(f"'{form}':*" for form in forms) + ")" for forms in terms
        )
        return queryset.filter(
            SearchVectorExact(
                DocumentVector(), SearchQuery(tsquery, config="simple", search_type="raw")
            )
        )
    condition = Q()
    for forms in terms:
        either = Q()
        for form in forms:
            either |= Q(search_document__contains=f" {form}")
        condition &= either
    return queryset.filter(condition)


def matching(queryset, query: str, max_words: int, *, near: bool = True):
    """The cases of QUERYSET (of Case) whose search document has, for each of
    the first MAX_WORDS words of QUERY, a word beginning with it or its key;
    on PostgreSQL, if there are none and NEAR is true, those matching the
    query's near spellings (near_terms()).

    A query without any letter or digit (such as "%") matches nothing.
    """
    terms = query_terms(query, max_words)
    if not terms:
        return queryset.none()
    exact = _matching_terms(queryset, terms)
    if not near or connections[queryset.db].vendor != "postgresql" or exact.exists():
        return exact
    near = near_terms(terms, using=queryset.db)
    if near == terms:
        return exact
    return _matching_terms(queryset, near)


# Near spellings and suggestions

# How alike (pg_trgm's word_similarity, 0 to 1) a name must be to a query
# word for the search to take it as a near spelling of it, and to be
# suggested on an empty result. "sailybaeeva" and "sailybaeva": 0.67;
# "kurmanv" and "kurmanov": 0.56; "moscow" and "kurmanov": 0.
NEAR = 0.5
SUGGESTED = 0.3
MAX_SUGGESTIONS = 5


def _name_fields(*, public: bool):
    """(queryset, [fields holding its names]) of what near spellings are looked
    for in: on PostgreSQL every person and charge, which the trigram indexes
    serve (limiting them to the published first costs seconds at 100,000
    cases); what a name finds is then searched among published cases only,
    so no other name is ever shown."""
    from .models import Charge, Person

    people, charges = Person.objects.all(), Charge.objects.all()
    if public:
        people, charges = people.public(), charges.public()
    return [
        (people, ["name", "name_original", "other_names"]),
        (charges, ["name", "name_original", "name_transliterated"]),
    ]


def _similar_names(text: str, threshold: float, limit: int, using: str) -> list[str]:
    """Names of people and charges like TEXT by pg_trgm's word similarity
    (at least THRESHOLD), most alike first by their words' spelling keys."""
    with connections[using].cursor() as cursor:
        # The operator (%>) that the trigram indexes serve compares with this
        # setting of the session; set here, before each use.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(threshold)]
        )
    found = set()
    for queryset, fields in _name_fields(public=False):
        for field in fields:
            # Unordered: ordering by similarity reads every candidate (0.25 s
            # for a common surname); the first LIMIT are ranked below.
            rows = (
                queryset.using(using)
                .filter(**{f"{field}__trigram_word_similar": text})
                .order_by()
                .values_list(field, flat=True)[:limit]
            )
            for value in rows:
                found.update(name.strip() for name in value.splitlines() if name.strip())
    keys = [spelling_key(word) or word for word in words(text)]
    return _ranked(keys, found, 0)


def _ranked(keys: list[str], names: Iterable[str], minimum: float) -> list[str]:
    """NAMES whose words' spelling keys are, on average over KEYS, at least
    MINIMUM alike (difflib) with one of them, most alike first."""
    scored = {}
    for name in names:
        name_keys = [spelling_key(word) or word for word in words(name)]
        if not name_keys or not keys:
            continue
        score = sum(max(_alike(key, other) for other in name_keys) for key in keys) / len(keys)
        if score >= minimum:
            scored[name] = score
    return sorted(scored, key=lambda name: (-scored[name], name))


def near_terms(terms: list[tuple[str, ...]], *, using: str) -> list[tuple[str, ...]]:
    """TERMS, each with the words of published names that are near spellings
    of it added (PostgreSQL): ('kurmanv', '0kurmanv') → (..., 'kurmanov')."""
    widened = []
    for forms in terms:
        word = forms[0]
        near = []
        for name in _similar_names(word, NEAR, 20, using)[:5]:
            near += [w for w in words(name) if _alike(word, w) >= NEAR]
        widened.append(tuple(dict.fromkeys([*forms, *near])))
    return widened


def _alike(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one, other).ratio()


def suggestions(queryset, query: str, max_words: int) -> list[str]:
    """Up to MAX_SUGGESTIONS names of published people and charges close to
    QUERY, each finding at least one case of QUERYSET: for a search that found
    nothing. PostgreSQL ranks them by trigram similarity; elsewhere the
    spelling keys of their words are compared (difflib) with the query's."""
    terms = query_terms(query, max_words)
    if not terms:
        return []
    text = " ".join(forms[0] for forms in terms)
    if connections[queryset.db].vendor == "postgresql":
        candidates = _similar_names(text, SUGGESTED, 20, queryset.db)
    else:
        candidates = _names_by_keys(terms, queryset.db)
    found, seen = [], {_keys(query)}
    for name in candidates:
        if len(found) == MAX_SUGGESTIONS:
            break
        # One spelling of each name: "Айнур Курманов" finds what "Ainur Kurmanov" does.
        if _keys(name) in seen:
            continue
        seen.add(_keys(name))
        if _matching_terms(queryset, query_terms(name, max_words)).exists():
            found.append(name)
    return found


def _keys(name: str) -> tuple[str, ...]:
    return tuple(spelling_key(word) or word for word in words(name))


def _names_by_keys(terms: list[tuple[str, ...]], using: str) -> list[str]:
    """Names of published people and charges whose words' keys are like the
    query's, most alike first. Reads every such name: for SQLite, which serves
    `make run` and the tests, not a register of 100,000 cases."""
    keys = [spelling_key(forms[0]) or forms[0] for forms in terms]
    names = set()
    for queryset, fields in _name_fields(public=True):
        for values in queryset.using(using).values_list(*fields):
            for value in values:
                names.update(name.strip() for name in value.splitlines() if name.strip())
    return _ranked(keys, names, 0.75)
