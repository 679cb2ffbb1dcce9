"""好看 marks: the owner's files in content/haokan/ (Pelican-style metadata, then the note)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import markdown

from .opml import write_atomically
from .sanitize import sanitize_note
from .text import one_line
from .urls import absolute_url, canonical_url

_FIELD = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s*(.*)$")
KNOWN_FIELDS = frozenset({"title", "link", "date", "via", "modified"})


class MarkError(ValueError):
    """A mark file the owner must fix; the message names the file and the problem."""


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


def parse_mark(text: str, path: Path, zone: tzinfo) -> Mark:
    """Return the mark in `text` (the contents of `path`); raise MarkError naming the file."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    fields: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), 1):
        match = _FIELD.match(line)
        if not match:
            raise MarkError(f"{path}, line {number}: expected 'Name: value', got {line[:60]!r}")
        fields[match.group(1).lower()] = match.group(2).strip()
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
        sanitize_note(markdown.markdown(note), link) if note else "",
        absolute_url(fields.get("via", "")) or "",
    )


def read_marks(folder: Path, zone: tzinfo) -> tuple[Mark, ...]:
    """Return every mark in `folder`, newest first; one mark per article (the newest file wins)."""
    marks: dict[str, Mark] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MarkError(f"{path}: cannot read the mark ({error})") from error
        mark = parse_mark(text, path, zone)
        kept = marks.get(mark.canonical)
        if kept is None or mark.date > kept.date:
            marks[mark.canonical] = mark
    return tuple(sorted(marks.values(), key=lambda m: (-m.date.timestamp(), m.canonical)))


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


def _slug(title: str, link: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    digest = hashlib.sha1(canonical_url(link).encode()).hexdigest()[:8]
    return "-".join([*words, digest])


def save_mark(
    folder: Path, link: str, title: str, note: str, now: datetime, zone: tzinfo
) -> tuple[Path, bool]:
    """Write (or update) the mark for `link`; return its path and whether it already existed.

    Marking the same article again keeps its file and date, and replaces title and note.
    """
    url = absolute_url(link)
    if url is None:
        raise MarkError(f"{link!r} is not an http(s) URL")
    existing = find_mark(folder, url, zone)
    if existing is not None:
        text = render_mark(
            title or existing.title, existing.link, existing.date, note, existing.via
        )
        write_atomically(existing.path, text.encode("utf-8"))
        return existing.path, True
    path = folder / f"{_slug(title, url)}.md"
    write_atomically(path, render_mark(title or url, url, now.astimezone(zone), note).encode())
    return path, False


def find_mark(folder: Path, link: str, zone: tzinfo) -> Mark | None:
    """Return the mark of the article at `link` (whatever its tracking parameters), if any."""
    wanted = canonical_url(absolute_url(link) or link)
    return next((m for m in read_marks(folder, zone) if m.canonical == wanted), None)


def remove_mark(folder: Path, link: str, zone: tzinfo) -> Path | None:
    """Delete the mark for `link`; return the file removed, or None if it was not marked."""
    mark = find_mark(folder, link, zone)
    if mark is not None:
        mark.path.unlink()
    return mark.path if mark else None
