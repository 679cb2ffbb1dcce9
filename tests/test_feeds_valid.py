"""Our feeds are the public contract friends' sites read: a publish build's feeds pass the W3C
Feed Validator with no error and no warning, the JSON Feed has what JSON Feed 1.1 requires,
and the dev build's feeds are at least well-formed."""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, demo_site

pytestmark = pytest.mark.slow
VALIDATOR = ROOT.parent / "shared" / "tools" / "feedvalidator" / "validate.py"
SITE_URL = "https://haokan.example.org"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo fetched, built for the local reader and for publishing."""
    site = demo_site(tmp_path_factory.mktemp("feeds"))
    site.invoke("fetch")
    site.invoke("build")
    public = site.root / "publishing.py"
    public.write_text(
        "from haokanconf import *  # noqa\n"
        f"SITEURL = {SITE_URL!r}\nFEED_DOMAIN = SITEURL\nRELATIVE_URLS = False\n"
        "OUTPUT_PATH = 'public'\nHAOKAN_FULL_CONTENT = False\n"
    )
    site.invoke("build", "--settings", str(public))
    return site, site.output, site.root / "public"


def validate(base, feeds):
    """Return the validator's counts and messages for `feeds`, published under `base`."""
    result = subprocess.run(
        [sys.executable, str(VALIDATOR), "--base", base, *map(str, feeds)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    counts = re.search(r"feeds=(\d+) errors=(\d+) warnings=(\d+)", result.stdout)
    assert counts, result.stdout + result.stderr
    return tuple(map(int, counts.groups())), result.stdout


@pytest.mark.skipif(not VALIDATOR.exists(), reason="the W3C Feed Validator copy is not here")
def test_every_feed_of_a_publish_build_passes_the_w3c_validator(demo):
    pytest.importorskip("html5lib", reason="the validator needs html5lib (dev extras)")
    _, _, public = demo
    checked = 0
    for folder in (public / "feeds", public / "feeds" / "folders"):
        feeds = sorted(folder.glob("*.xml"))
        assert feeds, folder
        base = f"{SITE_URL}/{folder.relative_to(public).as_posix()}/"
        (count, errors, warnings), report = validate(base, feeds)
        assert (errors, warnings) == (0, 0), report
        checked += count
    # everything as Atom and RSS, the 好看 feed, one per subscription, one per folder
    assert checked >= 12


def test_the_json_feed_has_what_json_feed_1_1_requires(demo):
    _, output, public = demo
    for root, published in ((output, False), (public, True)):
        document = json.loads((root / "feeds" / "haokan.json").read_text("utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["title"] and document["items"]
        assert all(isinstance(a.get("name"), str) for a in document["authors"])
        if published:  # absolute addresses, where the feed says where it lives
            assert document["home_page_url"] == f"{SITE_URL}/"
            assert document["feed_url"] == f"{SITE_URL}/feeds/haokan.json"
        for item in document["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert isinstance(item.get("content_html", item.get("content_text")), str)
            assert item["url"].startswith("https://")


def test_the_dev_builds_feeds_are_well_formed(demo):
    _, output, _ = demo
    feeds = sorted((output / "feeds").rglob("*.xml"))
    assert len(feeds) >= 10
    for feed in feeds:
        root = ET.parse(feed).getroot()  # raises on anything not well-formed
        assert root.tag in {"{http://www.w3.org/2005/Atom}feed", "rss"}, feed
