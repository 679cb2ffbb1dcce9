"""Housekeeping: prune removes old entries but never a marked one; vacuum compacts."""

import pytest

from conftest import Reply

pytestmark = pytest.mark.slow

OLD_AND_NEW = b"""<rss version="2.0"><channel><title>f</title>
<item><guid>old-marked</guid><title>Old but marked</title><link>https://e.org/old-marked</link>
  <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>
<item><guid>old</guid><title>Old</title><link>https://e.org/old</link>
  <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>
<item><guid>new</guid><title>New</title><link>https://e.org/new</link>
  <pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"""


def stored_titles(site):
    import sqlite3

    db = sqlite3.connect(site.root / "cache" / "haokan.sqlite3")
    try:
        return {title for (title,) in db.execute("SELECT title FROM entries")}
    finally:
        db.close()


def test_prune_keeps_marked_and_recent_entries(server, site):
    server.routes["/f"] = Reply(OLD_AND_NEW)
    site.subscribe_to({"F": server.url("/f")})
    site.invoke("fetch")
    site.invoke("like", "https://e.org/old-marked?utm_source=x", "--title", "Old but marked")
    dry = site.invoke("prune", "--older-than", "180", "--dry-run")
    assert "Would remove 1 entries" in dry.stdout
    assert stored_titles(site) == {"Old but marked", "Old", "New"}
    site.invoke("prune", "--older-than", "180")
    assert stored_titles(site) == {"Old but marked", "New"}
    assert "Vacuumed" in site.invoke("vacuum").stdout
    assert stored_titles(site) == {"Old but marked", "New"}
