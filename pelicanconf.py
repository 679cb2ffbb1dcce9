"""Site settings for development builds; publishconf.py imports them and overrides for publishing.

Haokan's own settings start with HAOKAN_ (see README); every other name is Pelican's.
"""

import logging
from pathlib import Path

_HERE = Path(__file__).resolve().parent

SITENAME = "好看"
SITESUBTITLE = "朋友在看的文章"
AUTHOR = "Haokan owner"
SITEURL = ""
RELATIVE_URLS = True  # the development site works from any folder, host or file://
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"

PATH = "content"
OUTPUT_PATH = "output"
THEME = str(_HERE / "theme")
PLUGIN_PATHS = [str(_HERE / "plugins")]
PLUGINS = ["haokan"]

# --- Haokan (defaults shown; see README) ---------------------------------------------------
HAOKAN_SUBSCRIPTIONS = "content/subscriptions.opml"
HAOKAN_FRIENDS = "content/friends.opml"
HAOKAN_MARKS_DIR = "content/haokan"
HAOKAN_STORE = "cache/haokan.sqlite3"
HAOKAN_ALLOW_PRIVATE_ADDRESSES = False
HAOKAN_FULL_CONTENT = True
HAOKAN_LANG = "zh"

# --- Content: the articles come from the store, not from files under content/ ---------------
ARTICLE_PATHS = ["articles"]
ARTICLE_EXCLUDES = ["haokan", "samples"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["static"]
DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M"

# --- Output paths (../shared/DESIGN.md §4) -------------------------------------------------
INDEX_URL = "timeline/"  # every subscription's entries; subscriptions/ holds the folders
INDEX_SAVE_AS = "timeline/index.html"
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
CATEGORY_URL = "subscriptions/{slug}/"
CATEGORY_SAVE_AS = "subscriptions/{slug}/index.html"
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DEFAULT_PAGINATION = 30
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds ------------------------------------------------------------------------------------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = True

# Jinja escapes everything by default; Haokan enforces this even if it is changed here.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
GZIP_CACHE = False
# Expected in development (no SITEURL yet; docutils has no Chinese, and we use no reST).
LOG_FILTER = [
    (
        logging.WARNING,
        "Feeds generated without SITEURL or FEED_DOMAIN set properly may not be valid",
    ),
    (logging.WARNING, "Docutils has no localization for '%s'. Using 'en' instead."),
]
CACHE_CONTENT = False
