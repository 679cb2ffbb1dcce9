"""Haokan's own pages (shell): the social page, friends' pages, the 好看 feeds, search, sitemap.

Pelican instantiates SocialGenerator (returned by glue.get_generators) and calls
generate_output after the articles generator has put the build's World in the context.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from pelican.generators import Generator
from pelican.urlwrappers import Category

from . import catalog, health, ownfeed, social
from .glue import World, haokan_settings
from .text import html_to_text
from .urls import canonical_url

FRIEND_PAGE_ITEMS = 200


class SocialGenerator(Generator):  # type: ignore[misc]
    """Write the social page (index.html), friends' pages, avatars and the owner's 好看 feeds."""

    def generate_output(self, writer: Any) -> None:
        world: World | None = self.context.get("haokan_world")
        if world is not None:
            self._social_pages(writer, world)
            self._friend_pages(writer, world)
            self._own_feeds(writer, world)
            self._search(writer, world)
            archive = self._archive(writer, world)
            self._sitemap_and_manifest(writer, world, archive)
            self._status(writer, world)
        # The last generator that writes: the incremental writer removes what is gone and
        # records what this build produced.
        finish = getattr(writer, "finish", None)
        if finish is not None:
            finish()

    def _write(self, writer: Any, name: str, template: str, **values: Any) -> None:
        writer.write_file(
            name,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            **values,
        )

    def _social_pages(self, writer: Any, world: World) -> None:
        items = world.items
        per_page = haokan_settings(self.settings).social_per_page
        pages = max(1, -(-len(items) // per_page))
        for number in range(1, pages + 1):
            name = "index.html" if number == 1 else f"page/{number}/index.html"
            chunk = items[(number - 1) * per_page : number * per_page]
            self._write(
                writer,
                name,
                "social",
                social_items=chunk,
                page_number=number,
                page_count=pages,
                page_kind="social",
            )

    def _friend_pages(self, writer: Any, world: World) -> None:
        for friend in world.friends:
            picks = [
                (item, rec)
                for item in world.items
                for rec in item.recommendations
                if rec.who == friend.slug
            ]
            picks.sort(key=lambda pair: (-pair[1].at.timestamp(), pair[0].canonical))
            if friend.avatar is not None:
                writer.copy_file(friend.avatar, f"friends/{friend.slug}/{friend.avatar_file}")
            self._write(
                writer,
                f"friends/{friend.slug}/index.html",
                "friend",
                friend=friend,
                picks=picks[:FRIEND_PAGE_ITEMS],
                pick_count=len(picks),
                page_kind="friends",
            )

    def _own_feeds(self, writer: Any, world: World) -> None:
        site_url = self.settings.get("FEED_DOMAIN") or ""
        name, author = self.settings["SITENAME"], self.settings.get("AUTHOR") or ""
        writer.write_text(
            "feeds/haokan.atom.xml", ownfeed.atom(world.marks, name, site_url, author, world.as_of)
        )
        writer.write_text(
            "feeds/haokan.json", ownfeed.json_feed(world.marks, name, site_url, author)
        )

    def _search(self, writer: Any, world: World) -> None:
        """Write search/index.json (titles, excerpts, notes) and the search page."""
        records = search_records(world, world.items)
        writer.write_text(
            "search/index.json", json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        )
        self._write(writer, "search/index.html", "search", page_kind="search")

    def _status(self, writer: Any, world: World) -> None:
        """Write status/: every feed's health, for the owner (noindex)."""
        feeds = [
            (s.url, s.title or world.titles.get(s.url) or s.url, "subscription")
            for s in world.subscriptions
        ]
        feeds += [(f.feed_url, f.name, "friend") for f in world.friends]
        rows = health.table(
            feeds, world.records, world.as_of, haokan_settings(self.settings).stale_days
        )
        self._write(
            writer,
            "status/index.html",
            "status",
            feeds_health=rows,
            checked_at=world.as_of,
            page_kind="status",
        )

    def _archive(self, writer: Any, world: World) -> list[str]:
        """Write archive/ (months) and archive/YYYY/MM/: entries older than the window, linked
        to where they were published. Return the pages' paths."""
        zone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        strings = catalog.strings(haokan_settings(self.settings).lang)
        months: dict[str, list[tuple[str, str, str, str, str]]] = {}
        for row in world.archived:
            local = row.date.astimezone(zone)
            months.setdefault(f"{local:%Y/%m}", []).append(
                (
                    row.entry.title,
                    row.entry.link or "",
                    world.names.get(row.feed_url, row.feed_url),
                    local.isoformat(),
                    local.strftime(strings["date_format"]),
                )
            )
        keys = sorted(months, reverse=True)
        index = [
            (strings["month"].format(y=int(k[:4]), m=int(k[5:])), f"archive/{k}/", len(months[k]))
            for k in keys
        ]
        self._write(
            writer,
            "archive/index.html",
            "archive",
            archive_title=strings["archive"],
            archive_months=index,
            archive_entries=[],
            page_kind="subscriptions",
        )
        for key, (label, path, _) in zip(keys, index, strict=True):
            self._write(
                writer,
                f"{path}index.html",
                "archive",
                archive_title=label,
                archive_months=[],
                archive_entries=months[key],
                page_kind="subscriptions",
            )
        return ["archive/", *(path for _, path, _ in index)]

    def _sitemap_and_manifest(self, writer: Any, world: World, archive: list[str]) -> None:
        """Write sitemap.xml (every page a reader can reach) and manifest.webmanifest."""
        site = (self.settings.get("SITEURL") or "").rstrip("/")
        paths = ["", "subscriptions/", "search/"]
        shown = {world.names[row.feed_url] for row in world.rows}
        paths += sorted(str(Category(name, self.settings).url) for name in shown)
        paths += [f"friends/{f.slug}/" for f in world.friends]
        paths += [world.article_urls[row.slug] for row in world.rows]
        paths += archive
        writer.write_text("sitemap.xml", sitemap(site, paths))
        manifest = {
            "name": self.settings["SITENAME"],
            "short_name": self.settings["SITENAME"],
            "start_url": "./",
            "scope": "./",
            "display": "standalone",
            "background_color": "#fdfcf9",
            "theme_color": "#b0361f",
            "lang": catalog.HTML_LANG[haokan_settings(self.settings).lang],
            "icons": [
                {"src": f"theme/icons/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
                for n in (192, 512)
            ]
            + [{"src": "theme/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        }
        writer.write_text(
            "manifest.webmanifest", json.dumps(manifest, ensure_ascii=False, indent=1)
        )


def sitemap(site: str, paths: list[str]) -> str:
    """Return a sitemap of `paths` under `site` (root-relative locations in development)."""
    urls = "".join(f"<url><loc>{xml_escape(f'{site}/{p}')}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


def search_records(world: World, items: list[social.SocialItem]) -> list[dict[str, str]]:
    """Return one search record per article page and per marked article without one."""
    notes = {
        item.canonical: " ".join(html_to_text(r.note_html) for r in item.recommendations)
        for item in items
    }
    records = []
    for row in world.rows:
        entry = row.entry
        records.append(
            {
                "t": entry.title,
                "e": entry.excerpt,
                "s": world.names[row.feed_url],
                "u": world.article_urls[row.slug],
                "n": notes.get(canonical_url(entry.link), "") if entry.link else "",
            }
        )
    for item in items:
        if item.article is None:
            records.append(
                {
                    "t": item.title,
                    "e": "",
                    "s": item.url.split("/")[2],
                    "u": item.url,
                    "n": notes[item.canonical],
                }
            )
    return records
