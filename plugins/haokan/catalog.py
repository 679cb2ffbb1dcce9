"""Every interface string, in Chinese (default) and English."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "social": "朋友在看",
        "me": "我",
        "recommended_by": "{n} 位朋友在看",
        "owner_marked": "我标记了好看",
        "marked_by": "谁觉得好看",
        "picks_of": "{name} 在看",
        "their_site": "TA 的网站",
        "no_friend_picks": "TA 还没有推荐文章。",
        "read_here": "在这里读",
        "all_friends": "全部朋友",
        "subscriptions": "订阅",
        "friends": "朋友",
        "all_subscriptions": "全部订阅",
        "read_original": "阅读原文",
        "minutes": "分钟",
        "by": "作者",
        "from": "来自",
        "newer": "较新",
        "older": "较早",
        "page": "第 {n} 页",
        "no_marks": "还没有人标记好看。去订阅里看看吧。",
        "excerpt_only": "这里只显示摘要，全文请阅读原文。",
        "attachments": "附件",
        "feeds": "订阅源",
        "articles": "篇",
        "skip": "跳到正文",
        "date_format": "%Y年%-m月%-d日 %H:%M",
    },
    "en": {
        "social": "Friends are reading",
        "me": "Me",
        "recommended_by": "{n} friends recommend",
        "owner_marked": "I marked it 好看",
        "marked_by": "Who liked it",
        "picks_of": "{name}'s picks",
        "their_site": "Their site",
        "no_friend_picks": "No picks yet.",
        "read_here": "Read here",
        "all_friends": "All friends",
        "subscriptions": "Subscriptions",
        "friends": "Friends",
        "all_subscriptions": "All subscriptions",
        "read_original": "Read the original",
        "minutes": "min",
        "by": "by",
        "from": "from",
        "newer": "Newer",
        "older": "Older",
        "page": "Page {n}",
        "no_marks": "Nobody has marked anything 好看 yet. Have a look at your subscriptions.",
        "excerpt_only": "Only an excerpt is shown here; read the full text at the source.",
        "attachments": "Attachments",
        "feeds": "Feeds",
        "articles": "articles",
        "skip": "Skip to content",
        "date_format": "%b %-d, %Y %H:%M",
    },
}
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def strings(lang: str) -> dict[str, str]:
    """Return the interface strings of `lang`."""
    return STRINGS[lang]
