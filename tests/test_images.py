"""The articles' images kept locally: what an entry shows (pure), how an image is made safe
(Pillow), what the store keeps and evicts, every image fault refused alone, and what pages
show under HAOKAN_IMAGES = local | remote | none."""

import asyncio
import io
import ipaddress
import random
import struct
import zlib

import pytest
from PIL import Image

from conftest import NOW, Reply
from haokan.core.images import (
    MAX_IMAGES_PER_ENTRY,
    LocalImage,
    Words,
    image_urls,
    localize,
)
from haokan.core.imaging import PAGE_WIDTH, THUMB_SIDE, ImageRefused, process
from haokan.core.model import Enclosure
from haokan.ingest import images as image_phase
from haokan.ingest.fetch import Source, fetch_all
from haokan.ingest.images import ImagePlan, fetch_images
from haokan.storage.media import MediaFiles
from haokan.storage.store import Store

WORDS = Words("图片", "在原网站观看视频")
LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.0/8"),)
COPY = LocalImage("ab12.webp", "ab12.thumb.webp", 640, 480)


def picture(size=(64, 48), color=(200, 80, 40), kind="PNG", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind, **save)
    return out.getvalue()


def noise(size=(48, 48)) -> bytes:
    """A PNG that does not compress (a photo's worth of bytes for its size)."""
    out = io.BytesIO()
    pixels = random.Random(size[0] * size[1]).randbytes(size[0] * size[1] * 3)
    Image.frombytes("RGB", size, pixels).save(out, "PNG")
    return out.getvalue()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A few hundred bytes claiming 1.6 gigapixels: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    rows = zlib.compress(b"\0" * (width // 8 + 1) * 64, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


# --- which images an entry shows (pure) ---------------------------------------------------


def test_an_entry_shows_its_img_tags_its_image_and_enclosed_images_once_in_order():
    content = (
        '<p><img src="https://a.example/1.jpg" alt="one"></p>'
        '<img srcset="https://a.example/s-320.jpg 320w, https://a.example/s-1280.jpg 1280w">'
        '<img src="https://a.example/1.jpg">'
    )
    enclosures = [
        Enclosure("https://a.example/podcast.mp3", "audio/mpeg", 1),
        Enclosure("https://a.example/cover.png", "image/png", 1),
    ]
    assert image_urls(content, "https://a.example/lead.webp", enclosures) == (
        "https://a.example/1.jpg",
        "https://a.example/s-1280.jpg",  # the widest candidate: the copy is resized anyway
        "https://a.example/lead.webp",
        "https://a.example/cover.png",
    )


def test_an_entry_is_kept_to_a_dozen_images():
    content = "".join(f'<img src="https://a.example/{n}.png">' for n in range(40))
    assert len(image_urls(content, None, [])) == MAX_IMAGES_PER_ENTRY


# --- pages under each mode (pure) -----------------------------------------------------------


HTML = (
    '<p><img src="https://cdn.example/x.jpg" alt="A &quot;sea&quot; view"></p>'
    '<p><img src="https://cdn.example/missing.jpg" alt="Lost  photo"></p>'
    '<img src="https://cdn.example/bare.jpg">'
    '<picture><source srcset="https://cdn.example/x.avif"></picture>'
    '<video poster="https://cdn.example/poster.jpg" controls></video>'
    '<iframe src="https://video.example/embed/1"></iframe>'
)


def test_local_points_at_the_copy_and_leaves_nothing_remote():
    page = localize(HTML, {"https://cdn.example/x.jpg": COPY}, "local", WORDS)
    assert '<img src="{static}/media/ab12.webp" alt="A &quot;sea&quot; view"' in page
    assert 'width="640" height="480"' in page  # the copy's size: no layout shift
    assert 'aria-label="图片: Lost photo"' in page  # a placeholder holding the alt text
    assert page.count('class="image-missing"') == 2
    assert "cdn.example" not in page and "poster=" not in page
    assert '<a href="https://video.example/embed/1"' in page and "<iframe" not in page


def test_none_shows_alt_text_only_and_remote_is_todays_page():
    page = localize(HTML, {"https://cdn.example/x.jpg": COPY}, "none", WORDS)
    assert "<img" not in page and "cdn.example" not in page
    assert page.count('class="image-missing"') == 2  # the image without alt text simply goes
    assert localize(HTML, {"https://cdn.example/x.jpg": COPY}, "remote", WORDS) == HTML


# --- an image made safe (Pillow) --------------------------------------------------------


def test_metadata_is_stripped_and_the_photo_turned_the_way_its_exif_says():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {2: (31.0, 14.0, 0.0), 4: (121.0, 28.0, 0.0)}  # GPS: where it was taken
    original = picture((80, 40), kind="JPEG", exif=exif.tobytes(), comment=b"secret note")
    assert b"CameraMaker" in original

    made = process(original)
    copy = Image.open(io.BytesIO(made.page))
    assert copy.format == "WEBP" and (copy.width, copy.height) == (40, 80) == (
        made.width,
        made.height,
    )
    assert len(copy.getexif()) == 0
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(copy.info)
    assert b"CameraMaker" not in made.page and b"secret" not in made.page


def test_a_large_image_is_resized_for_the_page_and_gets_a_square_thumbnail():
    made = process(picture((PAGE_WIDTH * 2, 500)))
    assert (made.width, made.height) == (PAGE_WIDTH, 250)
    assert Image.open(io.BytesIO(made.thumb)).size == (THUMB_SIDE, THUMB_SIDE)


def test_an_animation_stays_animated():
    frames = [Image.new("RGB", (32, 32), (60 * n, 0, 0)) for n in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    copy = Image.open(io.BytesIO(process(out.getvalue()).page))
    assert copy.format == "WEBP" and copy.n_frames == 4


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (SVG, "an SVG document: only JPEG, PNG, GIF, WebP and AVIF are kept"),
        (b"<!doctype html><p>a web page", "not an image"),
        (png_bomb(), "1,600 megapixels is more than 40 megapixels (a decompression bomb?)"),
        (picture((400, 300), kind="JPEG")[:600], "the image is damaged or cut short"),
    ],
    ids=["svg-with-script", "wrong-type", "png-bomb", "truncated"],
)
def test_what_is_not_a_safe_raster_image_is_refused_in_words(data, words):
    with pytest.raises(ImageRefused) as refused:
        process(data)
    assert words in str(refused.value)


# --- the store: kept, evicted oldest first ------------------------------------------------------


def test_the_cache_evicts_the_oldest_copies_past_its_size(tmp_path):
    files = MediaFiles(tmp_path / "media")
    with Store(tmp_path / "haokan.sqlite3") as store:
        sizes = {}
        for day, color in enumerate([(10, 0, 0), (0, 10, 0), (0, 0, 10), (90, 90, 90)]):
            copy, size = files.keep(process(picture(color=color)))
            url, when = f"https://a.example/{day}.png", NOW.replace(day=day + 1)
            store.record_image(url, "kept", when, copy, size)
            sizes[day] = (copy.file, size)
        cap = sizes[2][1] + sizes[3][1]
        doomed = store.evict_images(cap, NOW)
        files.remove(doomed)
        assert doomed == [sizes[0][0], sizes[1][0]]  # the two oldest
        assert store.kept_bytes() <= cap
        assert set(store.kept_images()) == {"https://a.example/2.png", "https://a.example/3.png"}
        on_disk = {p.name for p in (tmp_path / "media").iterdir()}
        assert sizes[0][0] not in on_disk and sizes[2][0] in on_disk
        # an evicted image is not fetched again on the next fetch
        assert store.wanted_images(None, 0) == []


# --- the fetch: every image fault refused alone ----------------------------------------------

GOOD_PNG = noise()
FAULTS = {
    "huge": (Reply(b"\x89PNG\r\n\x1a\n" + bytes(9 << 20)), "larger than 8 MiB"),
    "drip": (Reply(GOOD_PNG, drip=0.2), "no complete answer within 2 s"),
    "wrong-type": (
        Reply(b"<!doctype html><p>no image here", headers={"Content-Type": "image/png"}),
        "not an image: only JPEG, PNG, GIF, WebP and AVIF are kept",
    ),
    "svg-script": (
        Reply(SVG, headers={"Content-Type": "image/svg+xml"}),
        "an SVG document",
    ),
    "bomb": (Reply(png_bomb(), headers={"Content-Type": "image/png"}), "decompression bomb"),
    "private": (
        Reply(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/x.png"}),
        "169.254.169.254, which is not a public address",
    ),
    "endless": (Reply(GOOD_PNG, endless=True), "larger than 8 MiB"),
}


def feed_of(server, paths_by_entry: dict[str, list[str]]) -> bytes:
    entries = "".join(
        f"<entry><title>{title}</title><id>urn:img:{title}</id>"
        f'<link href="https://blog.example/{title}"/><updated>2026-11-2{n}T09:00:00Z</updated>'
        '<content type="html">'
        + "".join(f'&lt;img src="{server.url(p)}" alt="{title} picture"&gt;' for p in paths)
        + "</content></entry>"
        for n, (title, paths) in enumerate(paths_by_entry.items())
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Pictures</title>{entries}</feed>'.encode()


def fetch_feed(server, store, allowance) -> None:
    """Fetch the one subscription, /feed, into `store`."""
    source = Source(server.url("/feed"), "subscription", "Pictures")
    asyncio.run(
        fetch_all([source], store, allow_private=allowance, concurrency=8, deadline=2, now=NOW)
    )


def run_fetch(server, store, tmp_path, allowance=LOOPBACK_ONLY, cache_bytes=1 << 30):
    fetch_feed(server, store, allowance)
    plan = ImagePlan(tmp_path / "media", cache_bytes, {}, None, 0, deadline=2.0)
    return asyncio.run(fetch_images(store, plan, allow_private=allowance, concurrency=8, now=NOW))


def test_each_image_fault_is_refused_alone_and_every_entry_is_stored(server, tmp_path):
    for name, (reply, _) in FAULTS.items():
        server.routes[f"/{name}.png"] = reply
    server.routes["/good.png"] = Reply(GOOD_PNG, headers={"Content-Type": "image/png"})
    server.routes["/feed"] = Reply(
        feed_of(server, {"good": ["/good.png"], **{n: [f"/{n}.png"] for n in FAULTS}})
    )
    with Store(tmp_path / "haokan.sqlite3") as store:
        report = run_fetch(server, store, tmp_path)
        assert len(store.entries([server.url("/feed")])) == len(FAULTS) + 1
        reasons = dict(report.failed)
        assert report.kept == 1 and len(reasons) == len(FAULTS)
        for name, (_, words) in FAULTS.items():
            assert words in reasons[server.url(f"/{name}.png")], (name, reasons)
        assert set(store.kept_images()) == {server.url("/good.png")}
        # refused for good: not asked for again; a network failure is tried again later
        server.requests.clear()
        run_fetch(server, store, tmp_path)
        asked = {path for path, _ in server.requests}
        assert "/drip.png" in asked
        assert not asked & {"/good.png", "/svg-script.png", "/bomb.png", "/wrong-type.png"}


def test_one_entrys_images_are_capped_together(server, tmp_path, monkeypatch):
    monkeypatch.setattr(image_phase, "MAX_ENTRY_BYTES", len(GOOD_PNG) * 2)
    for n in range(4):
        server.routes[f"/{n}.png"] = Reply(noise((48 + n, 48)))
    server.routes["/feed"] = Reply(feed_of(server, {"many": [f"/{n}.png" for n in range(4)]}))
    with Store(tmp_path / "haokan.sqlite3") as store:
        report = run_fetch(server, store, tmp_path)
    assert report.kept == 2
    assert [reason for _, reason in report.failed] == ["the entry's images pass 0 MiB together"] * 2


def test_a_full_cache_evicts_the_oldest_after_the_fetch(server, tmp_path):
    server.routes["/a.png"] = Reply(noise((40, 40)))
    server.routes["/b.png"] = Reply(noise((60, 60)))
    server.routes["/feed"] = Reply(feed_of(server, {"a": ["/a.png"], "b": ["/b.png"]}))
    with Store(tmp_path / "haokan.sqlite3") as store:
        report = run_fetch(server, store, tmp_path, cache_bytes=1)
        assert report.kept == 2 and report.evicted == 2
        assert store.kept_images() == {} and list((tmp_path / "media").iterdir()) == []


def test_entries_stored_before_images_were_listed_get_theirs(server, tmp_path):
    server.routes["/a.png"] = Reply(GOOD_PNG)
    server.routes["/feed"] = Reply(feed_of(server, {"old": ["/a.png"]}))
    with Store(tmp_path / "haokan.sqlite3") as store:
        fetch_feed(server, store, True)
        with store.transaction() as db:  # as a store of schema 2 migrated: nothing listed
            db.execute("UPDATE entries SET images = NULL")
        report = asyncio.run(
            fetch_images(
                store,
                ImagePlan(tmp_path / "media", 1 << 30, {}, None, 0),
                allow_private=True,
                concurrency=1,
                now=NOW,
            )
        )
        assert report.kept == 1 and set(store.kept_images()) == {server.url("/a.png")}


# --- the site under each mode (end to end) -----------------------------------------------------


def pictures_site(server, make, mode: str):
    server.routes["/sea.png"] = Reply(noise((64, 40)))
    server.routes["/gone.png"] = Reply(b"", 404)
    server.routes["/feed"] = Reply(feed_of(server, {"sea": ["/sea.png", "/gone.png"]}))
    site = make(mode, f'HAOKAN_IMAGES = "{mode}"\nHAOKAN_FETCH_DEADLINE = 2\n')
    site.subscribe_to({"Pictures": server.url("/feed")})
    return site


@pytest.fixture
def make(tmp_path):
    from conftest import make_site

    return lambda name, extra: make_site(tmp_path / name, extra)


def article(site) -> str:
    (page,) = (site.output / "articles").glob("*/index.html")
    return page.read_text("utf-8")


def test_local_pages_show_the_kept_copy_and_a_placeholder_and_allow_only_self(server, make):
    site = pictures_site(server, make, "local")
    fetched = site.invoke("fetch").stdout
    assert "1 image kept" in fetched and "1 not kept" in fetched
    assert "1 × HTTP 404 Not Found" in fetched
    site.invoke("like", "https://blog.example/sea", "--note", "好看")
    site.invoke("build")
    page = article(site)
    assert server.base not in page
    (copy,) = (site.output / "media").glob("*[!b].webp")
    assert f'src="../../media/{copy.name}"' in page
    assert 'aria-label="图片: sea picture"' in page  # the one that could not be fetched
    assert "img-src 'self' data:" in page
    listing = (site.output / "subscriptions" / "pictures" / "index.html").read_text("utf-8")
    assert 'class="thumb"' in listing and ".thumb.webp" in listing and server.base not in listing
    front = (site.output / "index.html").read_text("utf-8")  # 朋友在看's item has it too
    assert f'src="./media/{copy.name.replace(".webp", ".thumb.webp")}"' in front


def test_remote_is_todays_behaviour_and_none_shows_no_image(server, make):
    site = pictures_site(server, make, "remote")
    site.invoke("fetch")
    assert [p for p, _ in server.requests if p.endswith(".png")] == []  # nothing fetched
    site.invoke("build")
    page = article(site)
    assert f'src="{server.url("/sea.png")}"' in page
    assert "img-src 'self' data:;" not in page
    assert not (site.output / "media").exists()

    none = pictures_site(server, make, "none")
    server.requests.clear()
    none.invoke("fetch")
    assert [p for p, _ in server.requests if p.endswith(".png")] == []
    none.invoke("build")
    page = article(none)
    assert "<img" not in page.split("<main", 1)[1] and server.base not in page
    assert page.count('class="image-missing"') == 2
