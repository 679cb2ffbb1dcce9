"""What Haokan's own pages list (pure): the folder pane, a friend's picks, the archive's months,
the search records and the sitemap — all from a `Build`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from xml.sax.saxutils import escape as xml_escape

from .build import Build
from .folders import Folder, unfiled
from .friends import Friend
from .model import Subscription
from .social import Recommendation, SocialItem
from .text import note_text
from .urls import canonical_url

FRIEND_PAGE_ITEMS = 200


def friend_picks(
    items: Sequence[SocialItem], friend: Friend
) -> list[tuple[SocialItem, Recommendation]]:
    """Return what `friend` recommended, newest first (ties by article)."""
    picks = [
        (item, rec) for item in items for rec in item.recommendations if rec.who == friend.slug
    ]
    picks.sort(key=lambda pair: (-pair[1].at.timestamp(), pair[0].canonical))
    return picks


@dataclass(frozen=True)
class ArchivedEntry:
    """One line of an archive month: an entry listed where it was published."""

    title: str
    link: str
    source: str
    iso: str  # its date, machine-readable
    shown: str  # its date, as the owner reads it


@dataclass(frozen=True)
class ArchiveMonth:
    """One month of the archive."""

    key: str  # "2026/11"
    label: str
    entries: tuple[ArchivedEntry, ...]

    @property
    def path(self) -> str:
        """Return where the month's page is, relative to the site's root."""
        return f"archive/{self.key}/"


def archive_months(build: Build, zone: tzinfo, strings: Mapping[str, str]) -> list[ArchiveMonth]:
    """Return the archived entries by month, newest month first."""
    months: dict[str, list[ArchivedEntry]] = {}
    for row in build.archived:
        local = row.date.astimezone(zone)
        months.setdefault(f"{local:%Y/%m}", []).append(
            ArchivedEntry(
                row.entry.title,
                row.entry.link or "",
                build.names.get(row.feed_url, row.feed_url),
                local.isoformat(),
                local.strftime(strings["date_format"]),
            )
        )
    return [
        ArchiveMonth(
            key, strings["month"].format(y=int(key[:4]), m=int(key[5:])), tuple(months[key])
        )
        for key in sorted(months, reverse=True)
    ]


def search_records(build: Build) -> list[dict[str, str]]:
    """Return one search record per article page and per marked article without one."""
    notes = {
        item.canonical: " ".join(note_text(r.note_html) for r in item.recommendations)
        for item in build.items
    }
    records = [
        {
            "t": page.row.entry.title,
            "e": page.row.entry.excerpt,
            "s": page.source,
            "u": page.url,
            "n": notes.get(canonical_url(page.row.entry.link), "") if page.row.entry.link else "",
        }
        for page in build.pages
    ]
    records += [
        {
            "t": item.title,
            "e": "",
            "s": item.url.split("/")[2],
            "u": item.url,
            "n": notes[item.canonical],
        }
        for item in build.items
        if item.article is None
    ]
    return records


def sitemap(site: str, paths: Sequence[str]) -> str:
    """Return a sitemap of `paths` under `site` (root-relative locations in development)."""
    urls = "".join(f"<url><loc>{xml_escape(f'{site}/{p}')}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


@dataclass(frozen=True)
class PaneSubscription:
    """A subscription in the folder pane: its page, and how many articles have pages."""

    name: str
    url: str  # its page (Pelican's category page), relative to the site's root
    count: int


@dataclass(frozen=True)
class PaneFolder:
    """A folder in the pane, with what is directly in it and the folders inside it."""

    name: str
    url: str  # its page; "" for the unfiled group, which has none
    count: int  # articles with pages in it and below it
    subscriptions: tuple[PaneSubscription, ...]
    children: tuple[PaneFolder, ...] = ()


def _counts(build: Build) -> dict[str, int]:
    """Return how many articles of each subscription have pages, by its URL."""
    counts: dict[str, int] = {}
    for page in build.pages:
        counts[page.subscription.url] = counts.get(page.subscription.url, 0) + 1
    return counts


def _listed(
    build: Build, subs: Sequence[Subscription], urls: Mapping[str, str], counts: Mapping[str, int]
) -> tuple[PaneSubscription, ...]:
    names = [build.names[s.url] for s in subs]
    return tuple(
        PaneSubscription(name, urls[name], counts.get(s.url, 0))
        for s, name in zip(subs, names, strict=True)
    )


def pane(build: Build, category_url: Mapping[str, str]) -> list[PaneFolder]:
    """Return the folder pane: every folder in the OPML's order, nested, each with its
    subscriptions; the subscriptions outside any folder last, in one unfiled group."""
    counts = _counts(build)

    def made(folder: Folder) -> PaneFolder:
        inside = [f for f in build.folders if f.parent == folder.path]
        total = sum(counts.get(s.url, 0) for s in build.subscriptions if folder.holds(s.folder))
        listed = _listed(build, folder.subscriptions, category_url, counts)
        return PaneFolder(folder.name, folder.url, total, listed, tuple(map(made, inside)))

    tops = [made(f) for f in build.folders if not f.parent]
    loose = unfiled(build.subscriptions)
    if loose:
        total = sum(counts.get(s.url, 0) for s in loose)
        tops.append(PaneFolder("", "", total, _listed(build, loose, category_url, counts)))
    return tops


def folder_subscriptions(
    build: Build, folder: Folder, category_url: Mapping[str, str]
) -> tuple[PaneSubscription, ...]:
    """Return the subscriptions a folder's page lists at its top: in it and below it."""
    inside = [s for s in build.subscriptions if folder.holds(s.folder)]
    return _listed(build, inside, category_url, _counts(build))


def unread_keys(build: Build, category_url: Mapping[str, str]) -> dict[str, list[str]]:
    """Return each subscription page's articles, by their read keys (their page URLs), for the
    pane's unread counts (kept in the reader's browser)."""
    keys: dict[str, list[str]] = {}
    for page in build.pages:
        keys.setdefault(category_url[page.source], []).append(page.url)
    return keys
