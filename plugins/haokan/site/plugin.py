"""Pelican glue (shell): read the world, assemble the build, make the Articles, hand over.

register() connects module-level receivers (blinker holds receivers weakly). Pelican calls them
in this order: `configure` when it starts, `add_entries` while it reads content, then our
generator (generator.py) and writer (writer.py), which take the build from the handoff.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.utils import order_content
from pelican.writers import Writer

from ..core import catalog, manifest, ownfeed
from ..core.assemble import assemble
from ..core.build import Build, Options
from ..core.errors import SettingsError
from ..core.settings import Settings
from ..storage.store import Store
from .articles import ArticleMaker, carry
from .digests import load_manifest, manifest_of, site_digest, standing_files, theme_contract
from .handoff import hand_over
from .picking import Choosing
from .pool import build_workers
from .trims import trim
from .world import read_world

log = logging.getLogger(__name__)
NOT_BY_HAOKAN = (
    "Haokan needs its own settings, which `invoke build` (or `python -m haokan build`) reads "
    "from the settings file; plain `pelican` cannot tell it where that file is"
)


def haokan_settings(pelican_settings: dict[str, Any]) -> Settings:
    """Return the Settings the build was started with."""
    given = pelican_settings.get("HAOKAN")
    if not isinstance(given, Settings):
        raise SettingsError(NOT_BY_HAOKAN)
    return given


def configure(pelican: Any) -> None:
    """Force Jinja autoescaping and give templates the string catalog."""
    settings = pelican.settings
    if not isinstance(settings.get("HAOKAN"), Settings):
        # Plain `pelican`: it logs every exception with its traceback, and this is no bug but
        # a wrong command, so stop with one line instead.
        raise SystemExit(f"error: {NOT_BY_HAOKAN}")
    hk = haokan_settings(settings)
    # Feed text is escaped by Jinja; only sanitized HTML is ever wrapped in Markup.
    # Compiled templates are kept beside the store: compiling them took a third of a rebuild.
    cache = hk.store.parent / "templates"
    cache.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "autoescape": True,
        "bytecode_cache": FileSystemBytecodeCache(str(cache)),
        # A build loads each template once: Jinja need not stat it again at every page that
        # extends or imports it (12,000 stats at 5,000 entries).
        "auto_reload": False,
    }
    # Pelican's StaticGenerator copies the theme's files after every other generator, at every
    # build, over the old ones in place: a page loaded meanwhile (the reload after a press of
    # 好看) could read half a style sheet. Haokan's generator copies them instead, whole and
    # only when they changed (generator.py); Pelican is left none of them to copy.
    settings["HAOKAN_THEME_STATIC_PATHS"] = settings["THEME_STATIC_PATHS"]
    settings["THEME_STATIC_PATHS"] = []
    # Folder pages paginate as Pelican's category pages do.
    settings["PAGINATED_TEMPLATES"] = {**settings["PAGINATED_TEMPLATES"], "folder": None}
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "T": catalog.strings(hk.lang),
        "N": catalog.counter(hk.lang),  # N('articles', 3): a count in its right form
        "COUNT_FORMS": catalog.COUNTS[hk.lang],  # the same, for the scripts
        "HTML_LANG": catalog.HTML_LANG[hk.lang],
        "OWN_FEED_TITLE": ownfeed.title(hk.site_name),
        "once": Once(),
    }


class Once:
    """What the theme's `once` is: a macro's output rendered once a build for each set of its
    arguments (the parts of every page that only depend on its depth and kind: base.html)."""

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], object] = {}

    def __call__(self, name: str, macro: Any, *arguments: object) -> object:
        key = (name, *arguments)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = macro(*arguments)
        return made


def _plan(settings: dict[str, Any], pages: list[tuple[str, str, str]]) -> manifest.Plan:
    """Return what this build must redo, against the manifest of the last build."""
    previous = load_manifest(manifest_of(settings))
    output = settings["OUTPUT_PATH"]
    standing = manifest.intact(previous.files, standing_files(output, previous))
    untouched = standing and bool(theme_contract(Path(settings["THEME"])))
    return manifest.plan(previous, site_digest(settings), pages, untouched, standing)


def options_of(hk: Settings, settings: dict[str, Any]) -> Options:
    """Return what of Haokan's and Pelican's settings assembling needs."""
    return Options(
        hk.zone,
        catalog.strings(hk.lang)["me"],
        settings["ARTICLE_URL"],
        hk.window_days,
        hk.max_per_subscription,
    )


def add_entries(generator: ArticlesGenerator) -> None:
    """Add stored entries of current subscriptions as Articles, with who recommended them."""
    settings = generator.settings
    hk = haokan_settings(settings)
    build = assemble(read_world(hk), options_of(hk, settings))
    picking = Choosing(build, hk, workers=build_workers(hk))
    maker = ArticleMaker(settings, generator.context, generator.path, build.media)
    goes_on = pages_wait = False
    known = picking.pages
    if picking.apart and known is not None:
        # Only the 精选 is being chosen (a mark): the pages, their "More like this" and so
        # their digests are known, and the build goes on; only Haokan's pages wait for it.
        build, goes_on = known, True
    elif picking.apart:
        # While 精选 is chosen in a process of its own, make every page's Article: only what
        # it shows in "More like this" is then missing, and it is the same Article with it.
        maker.make_ahead(build.pages, _contents(hk, [p.slug for p in build.pages]))
        # When nothing of the last build can be reused, no page's digest is needed before it
        # is rendered: the build goes on, and waits only to render the article pages and
        # Haokan's own (site/generator.py).
        goes_on = pages_wait = _fresh(settings)
    if not goes_on:
        build = picking.result()
    # When every list page and feed of the last build still stands (same entries, same site),
    # only the articles whose own page changed are handed to Pelican (core/manifest.py).
    plan = _plan(settings, [(p.slug, p.list_digest, p.page_digest) for p in build.pages])
    wanted = [p for p in build.pages if plan.renders(p.slug, p.page_digest)]
    html = _contents(hk, [p.slug for p in wanted if not maker.made(p.slug)])
    generator.articles.extend(maker.make_all(wanted, html))
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    later = _Later(picking, generator.articles, plan) if goes_on else None
    hand_over(generator.context, build, plan, later, pages_wait)
    generator.context["haokan_friends"] = {f.slug: f for f in build.friends}  # for the theme
    log.info(
        "Haokan: %d entries, %d social items, %d friends",
        len(build.pages),
        len(build.items),
        len(build.friends),
    )


def _fresh(settings: dict[str, Any]) -> bool:
    """Return True when no page of the last build can be reused (there was none, its pages
    were forgotten, or it was made by other code, theme or settings): every page is rendered,
    whatever its digest (the plan is not partial)."""
    return load_manifest(manifest_of(settings)).site != site_digest(settings)


class _Later:
    """The 精选 and each page's "More like this" a build waits for (handoff.Later): chosen in
    a process of their own while Pelican queues its pages (site/picking.py)."""

    def __init__(self, picking: Choosing, articles: list[Article], plan: manifest.Plan) -> None:
        self.picking, self.articles, self.plan = picking, articles, plan

    def busy(self) -> bool:
        return self.picking.busy()

    def join(self) -> tuple[Build, manifest.Plan]:
        """Return the build with them, its Articles carrying their pages with their lists,
        and the plan with those pages' digests."""
        build = self.picking.result()
        carry(self.articles, build.pages)
        digests = {page.slug: page.page_digest for page in build.pages}
        return build, dataclasses.replace(self.plan, articles=digests)


def _contents(hk: Settings, slugs: list[str]) -> dict[str, str]:
    """Return the sanitized HTML of the entries of these pages, by slug."""
    if not slugs:
        return {}
    with Store(hk.store) as store:
        return store.contents(slugs)


def get_writer(pelican: Any) -> type[Writer]:
    """Return our writer class: it renders and writes only what changed (writer.py)."""
    from .writer import IncrementalWriter

    return IncrementalWriter


def get_generators(pelican: Any) -> type[Generator]:
    """Return our generator class (Pelican instantiates it)."""
    from .generator import HaokanGenerator

    return HaokanGenerator


def register() -> None:
    """Connect the receivers (module-level functions: blinker holds receivers weakly)."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(add_entries)
    signals.article_generator_finalized.connect(trim)  # skip what no page uses (trims.py)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
