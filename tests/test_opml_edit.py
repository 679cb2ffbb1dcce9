"""Editing an OPML file in place (pure): every byte the edit does not touch stays as written."""

import pytest

from haokan.core import opml_edit
from haokan.core.errors import OpmlError
from haokan.core.opml import walk

OWNERS = b"""<?xml version='1.0' encoding='utf-8'?>
<!-- my feeds, sorted by hand -->
<opml version="2.0">
\t<head><title>mine</title></head>
\t<body>
\t\t<outline text="Reading" title="Reading">
\t\t\t<outline text='Tidepool' xmlUrl='https://tide.example/feed' lang="en"/>
\t\t\t<!-- the good one -->
\t\t\t<outline text="Stacks" xmlUrl="https://stacks.example/rss" htmlUrl="https://stacks.example/"/>
\t\t</outline>
\t\t<outline text="Later"/>
\t\t<outline text="Loose" xmlUrl="https://loose.example/atom"/>
\t</body>
</opml>
"""


def feeds(data):
    return [(o.name, o.folder) for o in walk(data, "x.opml") if o.kind == "feed"]


def element(data, url):
    document = opml_edit.read(data, "x.opml")
    return document, next(e for e in document.feeds() if e.attributes["xmlUrl"] == url)


def test_removing_a_feed_takes_its_line_and_nothing_else():
    document, stacks = element(OWNERS, "https://stacks.example/rss")
    after = opml_edit.remove(document, stacks)
    assert after == OWNERS.replace(
        b'\t\t\t<outline text="Stacks" xmlUrl="https://stacks.example/rss" '
        b'htmlUrl="https://stacks.example/"/>\n',
        b"",
    )
    assert feeds(after) == [("Tidepool", "Reading"), ("Loose", "")]


def test_a_new_feed_goes_last_in_its_folder_indented_like_its_siblings():
    fragment = opml_edit.outline({"type": "rss", "text": "A & B", "xmlUrl": "https://ab.example/"})
    after = opml_edit.add(OWNERS, "x.opml", fragment, "Reading")
    assert (
        b'htmlUrl="https://stacks.example/"/>\n'
        b'\t\t\t<outline type="rss" text="A &amp; B" xmlUrl="https://ab.example/"/>\n'
        b"\t\t</outline>"
    ) in after
    assert (
        after.replace(
            b'\t\t\t<outline type="rss" text="A &amp; B" xmlUrl="https://ab.example/"/>\n', b""
        )
        == OWNERS
    )
    assert feeds(after)[2] == ("A & B", "Reading")


def test_a_missing_folder_is_made_and_an_empty_one_opens():
    fragment = opml_edit.outline({"text": "Py", "xmlUrl": "https://py.example/"})
    nested = opml_edit.add(OWNERS, "x.opml", fragment, "Tech/Python")
    assert feeds(nested)[-1] == ("Py", "Tech/Python")
    assert (
        b'\t\t<outline text="Tech" title="Tech">\n\t\t\t<outline text="Python" title="Python">'
        in nested
    )
    into_empty = opml_edit.add(OWNERS, "x.opml", fragment, "Later")
    assert b'\t\t<outline text="Later">\n\t\t\t<outline text="Py"' in into_empty
    assert b'\t\t</outline>\n\t\t<outline text="Loose"' in into_empty
    assert feeds(into_empty)[-2] == ("Py", "Later")


def test_moving_keeps_the_outline_exactly_as_written():
    document, tide = element(OWNERS, "https://tide.example/feed")
    after = opml_edit.move(document, tide, "", "x.opml")
    written = b"<outline text='Tidepool' xmlUrl='https://tide.example/feed' lang=\"en\"/>"
    assert after.count(written) == 1
    assert feeds(after) == [("Stacks", "Reading"), ("Loose", ""), ("Tidepool", "")]
    assert b"<!-- my feeds, sorted by hand -->" in after and b"<!-- the good one -->" in after


def test_a_file_with_an_empty_body_takes_its_first_outline():
    for body in (b"<body/>", b"<body />", b"<body></body>"):
        data = b"<opml version='2.0'><head/>" + body + b"</opml>"
        after = opml_edit.add(data, "x.opml", opml_edit.outline({"xmlUrl": "https://a/"}), "")
        assert feeds(after) == [("", "")], body


def test_attribute_values_cannot_break_out_of_the_outline():
    fragment = opml_edit.outline({"text": 'say "hi"\n<x>', "xmlUrl": "https://e.org/?a=1&b=2"})
    after = opml_edit.add(OWNERS, "x.opml", fragment, "")
    (found,) = [
        o for o in walk(after, "x") if o.attributes.get("xmlUrl") == "https://e.org/?a=1&b=2"
    ]
    assert found.attributes["text"] == 'say "hi"\n<x>'


def test_a_broken_file_is_one_error():
    with pytest.raises(OpmlError, match="not well-formed XML"):
        opml_edit.read(b"<opml><body><outline></body></opml>", "x.opml")
