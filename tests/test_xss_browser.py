"""XSS in a real browser: 40 vectors through every field of subscription and friend feeds.

Every generated page is opened in Chromium with the Content-Security-Policy bypassed (so a
vector that survived sanitizing would really run), with hooks that record any script
execution, dialog or navigation; every page is also scanned with an HTML5 parser.
"""

from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest

from conftest import FeedServer, Reply, StaticServer, inert_problems, make_site, require_browser
from haokan.cli.screenshots import ARGS, CHROMIUM

sync_api = require_browser()
pytestmark = pytest.mark.slow

# Written for this project. Each calls alert(N); none may run, whatever field carries it.
VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(5)>",
    '<a href="javascript:alert(6)">link</a>',
    '<a href="&#106;avascript:alert(7)">entity</a>',
    '<a href="jav&#x09;ascript:alert(8)">tab</a>',
    '<a href=" javascript:alert(9)">space</a>',
    '<a href="JaVaScRiPt:alert(10)">case</a>',
    '<a href="vbscript:alert(11)">vbs</a>',
    '<a href="data:text/html,<script>alert(12)</script>">data</a>',
    '<iframe src="javascript:alert(13)"></iframe>',
    '<iframe srcdoc="<script>alert(14)</script>"></iframe>',
    '<img srcset="x 1x, javascript:alert(15) 2x">',
    '<img src="data:image/svg+xml,<svg onload=alert(16)>">',
    '<form action="javascript:alert(17)"><button>go</button></form>',
    "<input onfocus=alert(18) autofocus>",
    "<details open ontoggle=alert(19)>",
    '<div style="background:url(javascript:alert(20))">css</div>',
    "<style>@import 'javascript:alert(21)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
    '<base href="javascript:alert(23)//">',
    '<object data="javascript:alert(24)"></object>',
    '<embed src="javascript:alert(25)">',
    "<video poster=javascript:alert(26) src=x onerror=alert(26)></video>",
    "<audio src=x onerror=alert(27)>",
    "<body onload=alert(28)>",
    '<svg><a xlink:href="javascript:alert(29)"><text y=20>svg link</text></a></svg>',
    "<svg><animate onbegin=alert(30) attributeName=x dur=1s>",
    '<noscript><p title="</noscript><img src=x onerror=alert(31)>">',
    "<img src=`x`onerror=alert(32)>",
    '"><img src=x onerror=alert(33)>',
    "'><script>alert(34)</script>",
    "<template><img src=x onerror=alert(35)></template><img src=x onerror=alert(35)>",
    "<textarea><script>alert(36)</script></textarea>",
    '<a href="https://ok.example/" onmouseover=alert(37)>hover</a>',
    '<link rel=stylesheet href="javascript:alert(38)">',
    "<x onclick=alert(39)>click</x>",
    '<table background="javascript:alert(40)"><tr><td>t</td></tr></table>',
]
SCHEMES = [
    "javascript:alert(0)",
    "data:text/html,<script>alert(0)</script>",
    "vbscript:alert(0)",
    " javascript:alert(0)",
    "jav\tascript:alert(0)",
]


def atom(vectors: list[str], note_only: bool = False) -> bytes:
    entries = []
    for n, vector in enumerate(vectors):
        v = escape(vector)
        link = SCHEMES[n % len(SCHEMES)] if n % 3 == 0 else f"https://ok.example/{n}"
        entries.append(
            f'<entry><title type="{"html" if n % 2 else "text"}">{v} title {n}</title>'
            f'<link rel="alternate" href="{escape(link, {chr(34): "&quot;"})}"/>'
            f'<link rel="enclosure" href="{escape(SCHEMES[n % 5], {chr(34): "&quot;"})}"'
            ' type="audio/mpeg" length="1"/>'
            f"<id>urn:x:{n}</id><published>2026-11-{1 + n % 20:02d}T10:00:00Z</published>"
            f"<author><name>{v}</name><uri>javascript:alert(0)</uri></author>"
            f'<category term="{escape(vector, {chr(34): "&quot;"})}"/>'
            f'<summary type="html">{v}</summary><content type="html">{v} body {n}</content>'
            "</entry>"
        )
    title = escape(vectors[0])
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">{title}</title>'
        '<link rel="alternate" href="javascript:alert(0)"/><icon>javascript:alert(0)</icon>'
        f"<logo>data:image/svg+xml,x</logo><id>urn:x</id>{''.join(entries)}</feed>"
    ).encode()


def rss(vectors: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{escape(v)} rss {n}</title><link>{escape(SCHEMES[n % 5])}</link>"
        f"<author>{escape(v)}</author><guid>g{n}</guid><description>{escape(v)}</description>"
        f'<enclosure url="{escape(SCHEMES[n % 5], {chr(34): "&quot;"})}" type="x" length="1"/>'
        "</item>"
        for n, v in enumerate(vectors)
    )
    return (
        f"<rss version='2.0'><channel><title>{escape(vectors[1])}</title>"
        "<link>javascript:alert(0)</link><image><url>javascript:alert(0)</url></image>"
        f"{items}</channel></rss>"
    ).encode()


HOOK = """
(() => {
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => window.__xss.push(name + "(" + args.join(",") + ")");
  }
  document.addEventListener("securitypolicyviolation", (e) =>
    window.__xss.push("csp:" + e.violatedDirective));
})();
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    feeds = FeedServer()
    feeds.routes["/atom"] = Reply(atom(VECTORS))
    feeds.routes["/rss"] = Reply(rss(VECTORS))
    feeds.routes["/friend"] = Reply(atom(VECTORS))
    site = make_site(tmp_path_factory.mktemp("xss") / "site")
    site.subscribe_to({"Atom": feeds.url("/atom"), "RSS": feeds.url("/rss")})
    site.befriend({escape("<img src=x onerror=alert(0)>", {'"': "&quot;"}): feeds.url("/friend")})
    site.invoke("fetch")
    site.invoke("build")
    feeds.close()
    return site


def test_no_page_carries_anything_executable_to_an_html5_parser(hostile_site):
    pages = sorted(hostile_site.output.rglob("*.html"))
    assert len(pages) >= 60
    for page in pages:
        assert inert_problems(page.read_text("utf-8"), parser="html5lib") == [], page


def test_no_vector_runs_in_chromium_even_without_csp(hostile_site):
    pages = sorted(hostile_site.output.rglob("*.html"))
    # A canary with a live vector proves the hooks see execution; it must be caught.
    canary = hostile_site.output / "canary.html"
    canary.write_text("<!doctype html><p>canary<img src=missing onerror=alert(99)>")
    pages.append(canary)
    served = StaticServer(hostile_site.output)
    events: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(bypass_csp=True)
            context.add_init_script(HOOK)
            page = context.new_page()
            page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1" else r.abort()
                ),
            )
            for path in pages:
                url = served.url("/" + str(path.relative_to(hostile_site.output)))
                page.goto(url)
                page.wait_for_timeout(30)  # let onerror/onload/ontoggle handlers fire
                for frame in page.frames:
                    ran = frame.evaluate("window.__xss || []")
                    events.extend(f"{path.name}: {r}" for r in ran)
                if page.url != url:
                    events.append(f"navigated away from {url} to {page.url}")
                for frame in page.frames[1:]:
                    if urlsplit(frame.url).scheme not in {"https", "about"}:
                        events.append(f"frame at {frame.url}")
            browser.close()
    finally:
        served.close()
    canary.unlink()
    assert events == ["canary.html: alert(99)"]  # the canary, and nothing else
    assert len(pages) * len(VECTORS) >= 2400  # vectors × pages tried: reported in robustness.md
