"""Settings for publishing: everything from pelicanconf.py, with absolute URLs.

Set SITEURL to where the site lives. HAOKAN_FULL_CONTENT = False publishes excerpts and links
instead of other people's full articles: republishing full text publicly is the owner's call.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = "https://example.com"  # where your site lives: `invoke publish` refuses this placeholder
RELATIVE_URLS = False
OUTPUT_PATH = "public"  # its own folder: output/ stays the local reader's
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
DRAFT_SAVE_AS = ""  # drafts are never published
DRAFT_PAGE_SAVE_AS = ""
HAOKAN_FULL_CONTENT = False
# Images (docs/images.md): "local" serves copies of the articles' images from your own host, so
# no reader of your site is seen by the image's host; with excerpts they show as list thumbnails
# and as the article's preview image. Republishing other people's images, like their full text,
# is your call: "remote" links to the originals instead (their hosts see every reader), "none"
# shows none.
HAOKAN_IMAGES = "local"

# Where `invoke publish` deploys (docs/deploy.md): a gh-pages branch, or rsync to a host.
HAOKAN_PUBLISH = "gh-pages"
HAOKAN_PUBLISH_REMOTE = "origin"
HAOKAN_PUBLISH_BRANCH = "gh-pages"
HAOKAN_RSYNC_TARGET = ""  # e.g. "me@example.com:/var/www/haokan/" with HAOKAN_PUBLISH = "rsync"
