"""How alike two texts are (pure): CJK-aware tokens, and a BM25 index over documents (bm25s).

Chinese and Japanese are written without spaces, so a run of CJK characters becomes its
character bigrams (a word of two characters is the common case); latin text becomes words.
docs/picks.md measures these tokens against the alternatives we tried.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from itertools import chain
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt

# bm25s sets its own log to DEBUG when imported, and narrates every index it builds (made
# from the texts, or again from a kept record): a build's log is for the owner.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_RUNS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+|[^\W\d_]{2,}|\d{3,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Words too common to tell two English texts apart.
STOPWORDS = frozenset(
    "of to in on at by an as is it or be we he me my so no do if up us am "
    "the and for are but not you all any can had her was one our out has have this that with "
    "from they will would there their what about which when your into than then them these "
    "some more most very just also been being its it's his she him how who why where over".split()
)
Scores = npt.NDArray[np.float32]
KEYWORDS = 40  # a document is known by its rarest tokens: what tells it apart


def tokens(text: str) -> list[str]:
    """Return the tokens of `text`: CJK runs as character bigrams, other words whole."""
    runs = _RUNS.findall(text.lower())
    if _CJK.search(text) is None:  # no run to split: the words, in one pass
        return [run for run in runs if run not in STOPWORDS]
    found: list[str] = []
    for run in runs:
        if _CJK.match(run):
            found += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        elif run not in STOPWORDS:
            found.append(run)
    return found


_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1 << 12)  # of each marked article's text, at each choice
def language(text: str) -> str:
    """Return "zh" for text mostly in CJK characters, else "en" (what picks balance on)."""
    letters = len(_LETTER.findall(text))
    return "zh" if letters and len(_CJK.findall(text)) * 3 >= letters else "en"


def _language_of(document: Sequence[str]) -> str:
    """Return a tokenized document's language, as `language` would (CJK tokens start at U+3040)."""
    if not document or max(document) < "\u3040":  # the largest token first: no CJK in it
        return "en"
    cjk = sum(1 for t in document if t[0] >= "\u3040")
    return "zh" if cjk and cjk * 2 >= len(document) else "en"


class Index:
    """BM25 scores of every document for a query of tokens, and each token's rarity.

    Each document is indexed by its KEYWORDS rarest tokens rather than all of them: about a
    seventh of the tokens of an excerpt, and what similarity rests on anyway. "Rarest" means
    rarest of those another document shares; a token of one document alone comes after them.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        distinct = [set(document) for document in documents]
        frequency = Counter(chain.from_iterable(distinct))
        # Rarest first, ties by the token: one sort of the vocabulary, then a lookup per token.
        # A token of one document alone comes last: it is rare, but it makes nothing alike.
        vocabulary = sorted(frequency, key=lambda t: (frequency[t] == 1, frequency[t], t))
        self._know(len(documents), vocabulary, [frequency[t] for t in vocabulary])
        # Every token of an indexed document is ranked: its rarest are a sort away.
        # Ranks are distinct integers: sorting them is sorting the words by rank.
        rank, words_of = self._rank.__getitem__, vocabulary.__getitem__
        self.keywords = [
            list(map(words_of, sorted(map(rank, words))[:KEYWORDS])) for words in distinct
        ]
        self.languages = [_language_of(d) for d in documents]
        self._index_keywords()

    def _know(self, size: int, vocabulary: list[str], frequency: list[int]) -> None:
        self.size = size
        self._vocabulary, self._frequency = vocabulary, frequency
        self._rank = {t: r for r, t in enumerate(vocabulary)}
        self.idf = {
            t: math.log(1 + (size - n + 0.5) / (n + 0.5))
            for t, n in zip(vocabulary, frequency, strict=True)
        }

    def _index_keywords(self) -> None:
        self._alike: dict[str, Scores] = {}  # by text: what `like` found (the index never changes)
        self._bm25: bm25s.BM25 | None = None
        if self.size:
            self._bm25 = bm25s.BM25()
            # bm25s wants a token in every document; an empty one gets a marker nothing queries.
            self._bm25.index([k or ["\x00"] for k in self.keywords], show_progress=False)

    def record(self) -> dict[str, Any]:
        """Return the index as plain data (`from_record` makes it again, without the texts)."""
        rank = self._rank
        return {
            "size": self.size,
            "vocabulary": self._vocabulary,
            "frequency": self._frequency,
            "keywords": [[rank[t] for t in words] for words in self.keywords],
            "languages": self.languages,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Index:
        """Return the index `record` holds; ValueError if it is not one."""
        try:
            index = cls.__new__(cls)
            vocabulary, frequency = list(record["vocabulary"]), list(record["frequency"])
            index._know(int(record["size"]), vocabulary, frequency)
            index.keywords = [[vocabulary[r] for r in words] for words in record["keywords"]]
            index.languages = list(record["languages"])
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise ValueError(f"not an index record ({error})") from error
        if not len(index.keywords) == len(index.languages) == index.size:
            raise ValueError("not an index record (its lists disagree)")
        index._index_keywords()
        return index

    def scores(self, query: Sequence[str]) -> Scores:
        """Return every document's score for `query` (0 where nothing is shared)."""
        known = [t for t in query if t in self.idf]
        if not known or self._bm25 is None:
            return np.zeros(self.size, dtype=np.float32)
        found: Scores = self._bm25.get_scores(known)
        return found

    def like(self, text: str) -> Scores:
        """Return every document's score for a query of `text`'s most distinctive tokens;
        remembered by text (a build asks again for each marked article it asked for before)."""
        found = self._alike.get(text)
        if found is None:
            found = self._alike[text] = self.scores(self.distinctive(tokens(text), KEYWORDS))
        return found

    def distinctive(self, document: Collection[str], k: int = 12) -> list[str]:
        """Return the `k` rarest distinct tokens of `document` that the indexed documents have
        (rarest as the index ranks them): what tells it apart, and what it can be matched by."""
        rank = self._rank
        return sorted((t for t in set(document) if t in rank), key=rank.__getitem__)[:k]
