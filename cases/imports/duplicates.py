"""Possible duplicates of a new person among the people of the register.

Lists write one person many ways: "Ukteshbayev" and "Ukteshbaev", "Yesenbek"
and "Esenbek", "Есенбек Уктешбаев", surname first, with a patronymic or
without. Each spelling is compared by the spelling keys of its words, the
same keys search uses (cases.search.spelling_key: Cyrillic through its
transliterations, ye/e, y/i, kh/h ... made alike), word order aside, by
rapidfuzz; a name whose words are all in the other (a patronymic left out)
counts as alike when at least two words meet. A candidate is offered, with
its score and why, and never linked without an editor's choice.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from ..models import Person
from ..search import spelling_key, words

# The lowest score (0-100) offered as a possible duplicate.
THRESHOLD = 88


@dataclass
class Candidate:
    pk: int
    name: str
    score: int
    why: str
    # The file's person (plan.key_text of PersonTarget.key) it may be the same as.
    for_key: str = ""


def name_key(name: str) -> str:
    """'ainur kurmanov' for "Айнур Курманов", "Ainur Kurmanov" and "Kurmanov Ainur"."""
    return " ".join(sorted(spelling_key(word) or word for word in words(name)))


class PeopleIndex:
    """Every person of the register, by the keys of each word of their spellings:
    read once, when the first new person is compared."""

    def __init__(self):
        self._by_word: dict[str, set[int]] | None = None
        self._keys: dict[int, list[tuple[str, str]]] = {}
        self._names: dict[int, str] = {}

    def _load(self):
        self._by_word = {}
        people = Person.objects.values_list("pk", "name", "name_original", "other_names")
        for pk, name, original, others in people.iterator(chunk_size=2000):
            self._names[pk] = name
            spellings = [n for n in (name, original, *others.splitlines()) if n.strip()]
            keyed = [(spelling, name_key(spelling)) for spelling in spellings]
            self._keys[pk] = keyed
            for _spelling, key in keyed:
                for word in key.split():
                    self._by_word.setdefault(word, set()).add(pk)

    def candidates(self, spellings: list[str]) -> list[Candidate]:
        if self._by_word is None:
            self._load()
        keyed = [(spelling, name_key(spelling)) for spelling in spellings if spelling.strip()]
        pks = set()
        for _spelling, key in keyed:
            for word in key.split():
                pks |= self._by_word.get(word, set())
        found = []
        for pk in pks:
            best = max(
                (
                    _alike(mine, theirs) + (spelling, other)
                    for spelling, mine in keyed
                    for other, theirs in self._keys[pk]
                ),
                key=lambda scored: scored[0],
            )
            score, reason, spelling, other = best
            if score >= THRESHOLD:
                why = reason % {"ours": spelling, "theirs": other}
                found.append(Candidate(pk=pk, name=self._names[pk], score=score, why=why))
        return sorted(found, key=lambda c: (-c.score, c.name))[:5]


def _alike(one: str, other: str) -> tuple[int, str]:
    if one == other:
        return 100, _("“%(ours)s” is spelt like “%(theirs)s”")
    ordered = round(fuzz.token_sort_ratio(one, other))
    shared = set(one.split()) & set(other.split())
    if len(shared) >= 2:
        subset = round(fuzz.token_set_ratio(one, other))
        if subset > ordered:
            return subset, _("“%(ours)s” and “%(theirs)s” share their names but one has more")
    return ordered, _("“%(ours)s” is spelt much like “%(theirs)s”")
