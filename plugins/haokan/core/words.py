"""Counted words in English (pure): "1 feed", "2 feeds", "1 entry", "3 entries"."""

from __future__ import annotations

IRREGULAR = {"was": "were", "needs": "need"}


def plural(noun: str, n: int) -> str:
    """Return `noun` as it goes with `n`: entry → entries, feed → feeds."""
    if n == 1:
        return noun
    consonant_y = noun.endswith("y") and noun[-2:-1] not in tuple("aeiou")
    return IRREGULAR.get(noun) or (noun[:-1] + "ies" if consonant_y else noun + "s")


def counted(n: int, noun: str) -> str:
    """Return `n` and its noun: 1 feed, 1,200 entries."""
    return f"{n:,} {plural(noun, n)}"
