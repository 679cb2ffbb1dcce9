"""好看 marks (pure): the text of a file in content/haokan/ — Pelican-style metadata, a blank
line, then the note in Markdown. storage/owner.py reads and writes the files."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from .errors import MarkError
from .sanitize import sanitize_note
from .slugs import slug
from .text import one_line
from .urls import absolute_url, canonical_url

_FIELD = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s*(.*)$")
KNOWN_FIELDS = ("title", "link", "date", "via", "modified")


@dataclass(frozen=True)
class Mark:
    """One article the owner marked 好看, with the note (想法)."""

    path: Path
    title: str
    link: str
    date: datetime
    note: str  # the Markdown the owner wrote
    note_html: str  # rendered and sanitized: text and links only
    via: str = ""

    @property
    def canonical(self) -> str:
        """Return the URL the article is merged on."""
        return canonical_url(self.link)


def _date(value: str, path: Path, zone: tzinfo) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise MarkError(
            f"{path}: Date {value!r} is not a date; write it like 2026-11-24 20:15"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _fields(head: str, path: Path) -> dict[str, str]:
    """Return the metadata lines as {lower-case name: value}; refuse what no mark has."""
    fields: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), 1):
        match = _FIELD.match(line)
        if not match:
            raise MarkError(f"{path}, line {number}: expected 'Name: value', got {line[:60]!r}")
        name = match.group(1).lower()
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1)
            hint = f"; did you mean {close[0].title()}?" if close else ""
            known = ", ".join(f.title() for f in KNOWN_FIELDS)
            raise MarkError(
                f"{path}, line {number}: unknown field {match.group(1)!r}{hint} "
                f"(a mark has {known})"
            )
        fields[name] = match.group(2).strip()
    return fields


def parse_mark(text: str, path: Path, zone: tzinfo) -> Mark:
    """Return the mark in `text` (the contents of `path`); raise MarkError naming the file."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    fields = _fields(head, path)
    link = absolute_url(fields.get("link", ""))
    if link is None:
        raise MarkError(
            f"{path}: Link {fields.get('link', '')!r} is not an http(s) URL; "
            "every mark needs the article's address, e.g. Link: https://…"
        )
    if "date" not in fields:
        raise MarkError(f"{path}: no Date; add a line like Date: 2026-11-24 20:15")
    note = body.strip()
    return Mark(
        path,
        one_line(fields.get("title", "")) or link,
        link,
        _date(fields["date"], path, zone),
        note,
        note_html(note, link) if note else "",
        absolute_url(fields.get("via", "")) or "",
    )


@functools.lru_cache(maxsize=1 << 12)  # every mark's, at each build of one process
def note_html(note: str, link: str) -> str:
    """Return a mark's note (Markdown) as safe HTML, its links made absolute against `link`."""
    import markdown  # here: a build with nothing changed reads no note (15 ms of its 0.33 s)

    return sanitize_note(markdown.markdown(note), link)


def newest_per_article(marks: Iterable[Mark]) -> tuple[Mark, ...]:
    """Return one mark per article (the newest), newest first."""
    kept: dict[str, Mark] = {}
    for mark in marks:
        other = kept.get(mark.canonical)
        if other is None or mark.date > other.date:
            kept[mark.canonical] = mark
    return tuple(sorted(kept.values(), key=lambda m: (-m.date.timestamp(), m.canonical)))


def render_mark(title: str, link: str, date: datetime, note: str, via: str = "") -> str:
    """Return the text of a mark file."""
    lines = [
        f"Title: {one_line(title)}",
        f"Link: {link}",
        f"Date: {date.isoformat(sep=' ', timespec='minutes')}",
    ]
    if via:
        lines.append(f"Via: {via}")
    return "\n".join(lines) + "\n\n" + (note.strip() + "\n" if note.strip() else "")


def file_name(title: str, link: str) -> str:
    """Return the file name of a new mark: the title's words and a digest of the article."""
    return f"{slug(title, canonical_url(link), digest=8)}.md"
