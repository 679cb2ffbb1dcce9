"""Haokan's own pages (shell): the social page, friends' pages, the 好看 feeds, search, the
archive, the sitemap and the status page, rendered from the build's values (core/pages.py).

Pelican instantiates HaokanGenerator (returned by plugin.get_generators) and calls
generate_output after the article step handed over the build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from pelican.generators import Generator
from pelican.urlwrappers import Category

from ..core import catalog, health, ownfeed, pages
from ..core.build import Build
from ..core.settings import Settings
from ..core.slugs import former_friend_slug
from ..core.times import zone_name
from .handoff import received
from .writer import IncrementalWriter

# What a subscription page's URL is made of, by Pelican's Category: its URL pattern, and how
# the name becomes the slug. URLs are remembered by these and the name, in the process (the
# warm builder's rehearsal asks before its press's build does: site/warm.py).
CATEGORY_URL_SETTINGS = (
    "CATEGORY_URL",
    "CATEGORY_REGEX_SUBSTITUTIONS",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_PRESERVE_CASE",
    "SLUGIFY_USE_UNICODE",
)
_source_urls: dict[tuple[str, str], str] = {}


def source_urls(names: Iterable[str], settings: Mapping[str, Any]) -> dict[str, str]:
    """Return each subscription page's URL by the subscription's name, as Pelican makes it."""
    rule = repr([settings.get(key) for key in CATEGORY_URL_SETTINGS])
    found = {}
    for name in names:
        url = _source_urls.get((rule, name))
        if url is None:
            url = _source_urls[(rule, name)] = str(Category(name, settings).url)
        found[name] = url
    return found


class HaokanGenerator(Generator):  # type: ignore[misc]
    """Write the social page (index.html), friends' pages, avatars and the owner's 好看 feeds."""

    def generate_output(self, writer: Any) -> None:
        handoff = received(self.context)
        if handoff.pending:
            # 精选 and "More like this" are still being chosen (site/plugin.py): render the
            # pages Pelican queued that do not show them meanwhile, then take them.
            if isinstance(writer, IncrementalWriter):
                writer.render_meanwhile(handoff.busy)
            handoff.join()
        build = handoff.build
        hk: Settings = self.settings["HAOKAN"]
        self._social_pages(writer, build, hk)
        if hk.picks:
            self._write(writer, "picks/index.html", "picks", picks=build.picks, page_kind="picks")
        self._folders(writer, build)
        self._friend_pages(writer, build)
        self._own_feeds(writer, build)
        archive = self._archive(writer, build, hk)
        self._media(writer, build, hk)
        self._theme_files(writer)
        # Every page that shows entries or marks is written by now: the rest may trail it (the
        # local reader answers a press of 好看 here; writer.pages_written).
        if isinstance(writer, IncrementalWriter):
            writer.pages_done()
        self._search(writer, build)
        self._sitemap_and_manifest(writer, build, hk, archive)
        self._status(writer, build, hk)
        # Pelican has no signal after the last write that carries the writer. This is the last
        # generator that writes pages (the StaticGenerator after it only copies files), so the
        # incremental writer removes what is gone and records what this build produced here.
        if isinstance(writer, IncrementalWriter):
            writer.finish()

    def _media(self, writer: Any, build: Build, hk: Settings) -> None:
        """Put the copies of the images the pages show under media/ (HAOKAN_IMAGES = "local")."""
        names = {
            name for page in build.pages for copy in page.images for name in (copy.file, copy.thumb)
        }
        writer.keep_copies(hk.media, "media", sorted(names))

    def _theme_files(self, writer: Any) -> None:
        """Copy the theme's static files under THEME_STATIC_DIR as Pelican's StaticGenerator
        would (a file by its name, a folder's files by their paths in it, ignoring what
        IGNORE_FILES matches), each only when it changed (plugin.configure says why)."""
        theme, under = Path(self.theme), self.settings["THEME_STATIC_DIR"]
        ignored = self.settings["IGNORE_FILES"]
        for path in self.settings["HAOKAN_THEME_STATIC_PATHS"]:
            source = theme / path
            files = [source] if source.is_file() else sorted(source.rglob("*"))
            for file in files:
                inside = file.relative_to(source) if file != source else Path(file.name)
                skipped = any(fnmatch(part, glob) for part in inside.parts for glob in ignored)
                if file.is_file() and not skipped:
                    writer.copy_file(file, f"{under}/{inside.as_posix()}")

    def _write(self, writer: Any, name: str, template: str, **values: Any) -> None:
        writer.write_file(
            name,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            **values,
        )

    def _social_pages(self, writer: Any, build: Build, hk: Settings) -> None:
        items, per_page = build.items, hk.social_per_page
        count = max(1, -(-len(items) // per_page))
        for number in range(1, count + 1):
            name = "index.html" if number == 1 else f"page/{number}/index.html"
            chunk = list(items[(number - 1) * per_page : number * per_page])
            self._write(
                writer,
                name,
                "social",
                social_items=chunk,
                page_number=number,
                page_count=count,
                page_kind="social",
            )

    def _folders(self, writer: Any, build: Build) -> None:
        """Write subscriptions/ (the folder pane, and the read keys its unread counts use),
        each folder's page (its merged timeline, paginated) and its Atom feed."""
        urls = source_urls(build.names.values(), self.settings)
        self._write(
            writer,
            "subscriptions/index.html",
            "subscriptions",
            pane=pages.pane(build, urls),
            page_kind="subscriptions",
        )
        keys = pages.unread_keys(build, urls)
        writer.write_text("subscriptions/unread.json", json.dumps(keys, separators=(",", ":")))
        articles = self.context.get("articles", [])
        for folder in build.folders:
            inside = [a for a in articles if folder.holds(a.haokan.subscription.folder)]
            self._write(
                writer,
                f"{folder.url}index.html",
                "folder",
                paginated={"articles": inside},
                template_name="folder",
                url=folder.url,
                folder=folder,
                folder_parents=[f for f in build.folders if folder.path.startswith(f.path + "/")],
                folder_subscriptions=pages.folder_subscriptions(build, folder, urls),
                articles=inside,
                page_kind="subscriptions",
            )
            writer.write_feed(
                inside,
                self.context,
                folder.feed,
                folder.feed,
                feed_title=folder.path,
            )

    def _friend_pages(self, writer: Any, build: Build) -> None:
        taken = {f.slug for f in build.friends}
        for friend in build.friends:
            former = former_friend_slug(friend.name, friend.feed_url)
            if former != friend.slug and former not in taken:  # an old address: it redirects
                self._write(
                    writer,
                    f"friends/{former}/index.html",
                    "redirect",
                    target=f"friends/{friend.slug}/",
                )
            picks = pages.friend_picks(build.items, friend)
            if friend.avatar is not None:
                writer.copy_file(friend.avatar, f"friends/{friend.slug}/{friend.avatar_file}")
            self._write(
                writer,
                f"friends/{friend.slug}/index.html",
                "friend",
                friend=friend,
                picks=picks[: pages.FRIEND_PAGE_ITEMS],
                pick_count=len(picks),
                page_kind="friends",
            )

    def _own_feeds(self, writer: Any, build: Build) -> None:
        site_url = self.settings.get("FEED_DOMAIN") or ""
        name, author = self.settings["SITENAME"], self.settings.get("AUTHOR") or ""
        writer.write_text(
            "feeds/haokan.atom.xml", ownfeed.atom(build.marks, name, site_url, author, build.as_of)
        )
        writer.write_text(
            "feeds/haokan.json", ownfeed.json_feed(build.marks, name, site_url, author)
        )

    def _search(self, writer: Any, build: Build) -> None:
        """Write search/index.json (titles, excerpts, notes) and the search page."""
        records = pages.search_records(build)
        writer.write_text(
            "search/index.json", json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        )
        self._write(writer, "search/index.html", "search", page_kind="search")

    def _status(self, writer: Any, build: Build, hk: Settings) -> None:
        """Write status/: every feed's health, for the owner (noindex)."""
        feeds = health.watched(build.subscriptions, build.friends, build.feeds)
        checked = build.fetched_at or build.as_of
        rows = health.table(feeds, build.feeds, checked, hk.stale_days, hk.zone)
        self._write(
            writer,
            "status/index.html",
            "status",
            feeds_health=rows,
            checked_at=build.fetched_at.astimezone(hk.zone) if build.fetched_at else None,
            zone=hk.zone,
            zone_name=zone_name(hk.zone),
            page_kind="status",
        )

    def _archive(self, writer: Any, build: Build, hk: Settings) -> list[str]:
        """Write archive/ (months) and archive/YYYY/MM/: entries older than the window, linked
        to where they were published. Return the pages' paths."""
        strings = catalog.strings(hk.lang)
        months = pages.archive_months(build, hk.zone, strings)
        self._write(
            writer,
            "archive/index.html",
            "archive",
            archive_title=strings["archive"],
            archive_months=months,
            archive_month=None,
            page_kind="subscriptions",
        )
        for month in months:
            self._write(
                writer,
                f"{month.path}index.html",
                "archive",
                archive_title=month.label,
                archive_months=[],
                archive_month=month,
                page_kind="subscriptions",
            )
        return ["archive/", *(month.path for month in months)]

    def _sitemap_and_manifest(
        self, writer: Any, build: Build, hk: Settings, archive: list[str]
    ) -> None:
        """Write sitemap.xml (every page a reader can reach) and manifest.webmanifest."""
        site = (self.settings.get("SITEURL") or "").rstrip("/")
        paths = ["", *(["picks/"] if hk.picks else []), "subscriptions/", "timeline/", "search/"]
        shown = {page.source for page in build.pages}
        paths += sorted(source_urls(shown, self.settings).values())
        paths += [folder.url for folder in build.folders]
        paths += [f"friends/{f.slug}/" for f in build.friends]
        paths += [page.url for page in build.pages]
        paths += archive
        writer.write_text("sitemap.xml", pages.sitemap(site, paths))
        writer.write_text("manifest.webmanifest", _web_manifest(self.settings["SITENAME"], hk))


def _web_manifest(name: str, hk: Settings) -> str:
    """Return manifest.webmanifest: what "add to home screen" shows."""
    manifest = {
        "name": name,
        "short_name": name,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#fdfcf9",
        "theme_color": "#b0361f",
        "lang": catalog.HTML_LANG[hk.lang],
        "icons": [
            {"src": f"theme/icons/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ]
        + [{"src": "theme/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1)
