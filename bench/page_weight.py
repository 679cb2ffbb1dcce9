"""Measure the front page's weight (HTML + CSS) for a site with 100 social items.

Usage: .venv/bin/python bench/page_weight.py
Builds two throwaway sites with 100 marked articles, each recommended by three friends with
notes (half Chinese): one with the default 20 items a page, one with all 100 on the page.
Prints bytes raw and gzipped. Nothing is timed, so no anchor is needed: it is a size.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 100
FRIENDS = ("Ann Lee", "林小满", "Jo Park")
NOTES = (
    "Worth reading slowly; the second half is the best part.",
    "这篇值得慢慢读，后半部分尤其精彩。",
)


def friend_feed(index: int, name: str) -> str:
    entries = "".join(
        f"<entry><title>Article {n}: 一篇关于阅读的文章</title>"
        f'<link href="https://site{n % 17}.example/posts/{n}"/><id>urn:{index}:{n}</id>'
        f"<published>2026-11-{1 + n % 28:02d}T{index + 8:02d}:00:00Z</published>"
        f'<content type="html">&lt;p&gt;{NOTES[n % 2]}&lt;/p&gt;</content></entry>'
        for n in range(ITEMS)
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{name}</title>{entries}</feed>'


def build(root: Path, per_page: int) -> tuple[int, int, int]:
    content = root / "content"
    (content / "haokan").mkdir(parents=True)
    outlines = []
    for index, name in enumerate(FRIENDS):
        (content / f"friend{index}.atom.xml").write_text(friend_feed(index, name), "utf-8")
        outlines.append(f'<outline text="{name}" xmlUrl="friend{index}.atom.xml"/>')
    (content / "friends.opml").write_text(
        f"<opml version='2.0'><body>{''.join(outlines)}</body></opml>", "utf-8"
    )
    (root / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"HAOKAN_SOCIAL_PER_PAGE = {per_page}\n",
        "utf-8",
    )
    for task in ("fetch", "build"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "invoke",
                "-r",
                str(ROOT),
                task,
                "--settings",
                str(root / "conf.py"),
            ],
            check=True,
            capture_output=True,
            cwd=root,
        )
    html = (root / "output" / "index.html").read_bytes()
    css = (root / "output" / "theme" / "css" / "haokan.css").read_bytes()
    items = html.count(b'class="social-item"')
    return items, len(html) + len(css), len(gzip.compress(html)) + len(gzip.compress(css))


def main() -> None:
    print(f"{'front page':<34} {'items':>5} {'HTML+CSS':>10} {'gzipped':>9}")
    for label, per_page in (("default (20 a page)", 20), ("all 100 on one page", 100)):
        with tempfile.TemporaryDirectory() as folder:
            items, raw, packed = build(Path(folder), per_page)
        print(f"{label:<34} {items:>5} {raw / 1024:>8.1f} KB {packed / 1024:>6.1f} KB")


if __name__ == "__main__":
    main()
