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
from rapidfuzz import fuzz, process

from ..models import Person
from ..search import spelling_key, words

# The lowest score (0-100) offered as a possible duplicate.
THRESHOLD = 88


# A word that more people than this share ("ainur", "kurmanov") does not by
# itself make someone a candidate: only together with the name's other
# common words. Keeps the comparisons per row bounded in a large register.
COMMON = 200


@dataclass
class Candidate:
    # The person of the register it may be the same as; None for another row of the file.
    pk: int | None
    name: str
    score: int
    why: str
    # The file's person (plan.key_text of PersonTarget.key) it may be the same as.
    for_key: str = ""
    # The line of the file where the other row is (a duplicate within the file).
    line: int | None = None


def name_key(name: str) -> str:
    """'ainur kurmanov' for "Айнур Курманов", "Ainur Kurmanov" and "Kurmanov Ainur"."""
    return " ".join(sorted(spelling_key(word) or word for word in words(name)))


class NameIndex:
    """Names by the keys of each word of their spellings, to find the names
    spelt alike. Candidates are blocked by a shared word first: a name is
    compared only with names that share one of its less common words, or all
    of its common ones; rapidfuzz then scores the candidates in C."""

    def __init__(self):
        self._by_word: dict[str, set] = {}
        self._keys: dict = {}
        self._names: dict = {}

    def add(self, ident, name: str, spellings: list[str]) -> None:
        self._names[ident] = name
        keyed = [(spelling, name_key(spelling)) for spelling in spellings if spelling.strip()]
        self._keys[ident] = keyed
        for _spelling, key in keyed:
            for word in key.split():
                self._by_word.setdefault(word, set()).add(ident)

    def alike(self, spellings: list[str], limit: int = 5) -> list[tuple]:
        """[(ident, name, score, why)] of the LIMIT names spelt most like SPELLINGS."""
        keyed = [(spelling, name_key(spelling)) for spelling in spellings if spelling.strip()]
        idents = self._block({word for _spelling, key in keyed for word in key.split()})
        if not idents:
            return []
        theirs = [(ident, other, key) for ident in idents for other, key in self._keys[ident]]
        choices = [key for _ident, _other, key in theirs]
        close = set()
        for _spelling, mine in keyed:
            for scorer in (fuzz.token_sort_ratio, fuzz.token_set_ratio):
                for _choice, _score, at in process.extract(
                    mine, choices, scorer=scorer, score_cutoff=THRESHOLD, limit=None
                ):
                    close.add(at)
        best = {}
        for at in close:
            ident, other, theirs_key = theirs[at]
            for spelling, mine in keyed:
                score, reason = _alike(mine, theirs_key)
                if score >= THRESHOLD and score > best.get(ident, (0,))[0]:
                    best[ident] = (score, reason, spelling, other)
        found = sorted(best.items(), key=lambda found: (-found[1][0], self._names[found[0]]))
        return [
            (ident, self._names[ident], score, _why(reason) % {"ours": ours, "theirs": theirs})
            for ident, (score, reason, ours, theirs) in found[:limit]
        ]

    def _block(self, words: set[str]) -> set:
        postings = [self._by_word[word] for word in words if word in self._by_word]
        rare = [p for p in postings if len(p) <= COMMON]
        common = [p for p in postings if len(p) > COMMON]
        idents = set().union(*rare)
        if len(common) > 1 or (common and not rare):
            idents |= set.intersection(*common)
        return idents


class PeopleIndex:
    """Every person of the register, by the keys of each word of their spellings:
    read once, when the first new person is compared."""

    def __init__(self):
        self._index: NameIndex | None = None

    def _load(self):
        self._index = NameIndex()
        people = Person.objects.values_list("pk", "name", "name_original", "other_names")
        for pk, name, original, others in people.iterator(chunk_size=2000):
            self._index.add(pk, name, [name, original, *others.splitlines()])

    def candidates(self, spellings: list[str]) -> list[Candidate]:
        if self._index is None:
            self._load()
        return [
            Candidate(pk=pk, name=name, score=score, why=why)
            for pk, name, score, why in self._index.alike(spellings)
        ]


def _alike(one: str, other: str) -> tuple[int, str]:
    """The score of two name keys, and which of _WHY says why (translated only
    for the candidates shown)."""
    if one == other:
        return 100, "same"
    ordered = round(fuzz.token_sort_ratio(one, other))
    shared = set(one.split()) & set(other.split())
    if len(shared) >= 2:
        subset = round(fuzz.token_set_ratio(one, other))
        if subset > ordered:
            return subset, "more"
    return ordered, "much"


def _why(reason: str) -> str:
    return {
        "same": _("“%(ours)s” is spelt like “%(theirs)s”"),
        "more": _("“%(ours)s” and “%(theirs)s” share their names but one has more"),
        "much": _("“%(ours)s” is spelt much like “%(theirs)s”"),
    }[reason]
