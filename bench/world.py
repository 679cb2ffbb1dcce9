"""A synthetic world for benchmarks: N subscriptions × M entries (half Chinese, with images)
and F friends' 好看 feeds whose picks overlap. Deterministic for a given seed."""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:  # Pillow is imported only by what draws the pictures
    from PIL import Image

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
EN_WORDS = (
    "reader feed static site quiet morning river notebook garden signal window "
    "archive letter bridge harbour lantern pattern"
).split()
ZH_TEXT = "慢慢读完一篇好文章就像在雨天里喝一杯热茶朋友推荐的东西总是更值得信任"


@dataclass(frozen=True)
class World:
    """Feed documents by path, and what they hold."""

    feeds: dict[str, bytes]  # "/s/0.xml" → RSS bytes
    friends: dict[str, bytes]  # "/f/0.xml" → Atom bytes
    entries: list[tuple[int, int, str, str, datetime]]  # (feed, n, title, html, date)


def _paragraphs(rng: random.Random, chinese: bool, words: int) -> str:
    if chinese:
        text = "".join(rng.choice(ZH_TEXT) for _ in range(words * 2))
        return "".join(f"<p>{text[i : i + 120]}。</p>" for i in range(0, len(text), 120))
    text = " ".join(rng.choice(EN_WORDS) for _ in range(words))
    return "".join(f"<p>{text[i : i + 400]}.</p>" for i in range(0, len(text), 400))


def build(
    subscriptions: int,
    entries: int,
    friends: int,
    words: int = 600,
    seed: int = 7,
    spacing_hours: int = 13,
    image_base: str = "https://img.example",
) -> World:
    """Return the world: ~`words` words an article, an image in each (`image_base/f/n.jpg`, as
    `picture(f, n)` draws it), every other feed Chinese; each feed's entries `spacing_hours`
    apart."""
    rng = random.Random(seed)
    feeds, all_entries = {}, []
    for f in range(subscriptions):
        chinese = f % 2 == 1
        items = []
        for n in range(entries):
            date = START - timedelta(hours=f * 7 + n * spacing_hours)
            title = (
                f"第 {n} 篇：{ZH_TEXT[n % 20 : n % 20 + 8]}"
                if chinese
                else f"Entry {n} of feed {f}: {' '.join(rng.sample(EN_WORDS, 4))}"
            )
            body = f'<p><img src="{image_base}/{f}/{n}.jpg" alt="photo {n}"></p>' + _paragraphs(
                rng, chinese, words
            )
            all_entries.append((f, n, title, body, date))
            items.append(
                f"<item><guid>https://feed{f}.example/{n}</guid><title>{escape(title)}</title>"
                f"<link>https://feed{f}.example/{n}</link>"
                f"<pubDate>{date.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{escape(body)}</description></item>"
            )
        feeds[f"/s/{f}.xml"] = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
            f"<channel><title>Feed {f}</title>"
            f"<link>https://feed{f}.example/</link>{''.join(items)}"
            "</channel></rss>"
        ).encode()
    friend_feeds = {}
    for k in range(friends):
        picks = rng.sample(all_entries, min(30, len(all_entries)))  # friends' picks overlap
        entries_xml = "".join(
            f"<entry><title>{escape(title)}</title>"
            f'<link rel="alternate" href="https://feed{f}.example/{n}?utm_source=friend{k}"/>'
            f"<id>urn:friend{k}:{f}:{n}</id><published>{date.isoformat()}</published>"
            f'<content type="html">&lt;p&gt;Friend {k} liked this. 好看！&lt;/p&gt;</content>'
            "</entry>"
            for f, n, title, _, date in picks
        )
        friend_feeds[f"/f/{k}.xml"] = (
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Friend {k}</title>'
            f"{entries_xml}</feed>"
        ).encode()
    return World(feeds, friend_feeds, all_entries)


PICTURE_SIZE = (640, 400)


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(256), rng.randrange(256), rng.randrange(256)


@functools.cache
def _backdrop() -> tuple[Image.Image, Image.Image]:
    """Return the gradient and the grain every picture is drawn on (made once)."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize(PICTURE_SIZE).convert("RGB")
    return gradient, Image.effect_noise(PICTURE_SIZE, 24).convert("RGB")


def picture(f: int, n: int) -> bytes:
    """Return entry n of feed f's photo: a JPEG of PICTURE_SIZE, its own for every entry, with
    gradients and grain so it weighs what a small web photo does (about 40 KB)."""
    from PIL import Image, ImageDraw

    rng = random.Random(f * 100_003 + n)
    width, height = PICTURE_SIZE
    gradient, grain = _backdrop()
    image = Image.blend(gradient, Image.new("RGB", PICTURE_SIZE, _colour(rng)), 0.6)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(20, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(rng))
    image = Image.blend(image, grain, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
