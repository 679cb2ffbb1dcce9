"""Edit an OPML file in place (pure over bytes): add, remove and move outlines, leaving every
other byte — comments, order, indentation, attributes the owner or another reader wrote — as
it was. (Re-serializing the document would rewrite all of it.)

expat reports where each element starts and ends; an edit cuts or splices at those offsets,
and a new outline is indented like its siblings.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field

from .errors import OpmlError
from .opml import body, folder_path, outline_name


@dataclass(frozen=True)
class Element:
    """An <outline> (or the <body>) and where it stands in the document's bytes."""

    tag: str
    attributes: dict[str, str] = field(hash=False)
    start: int  # the '<' of its start tag
    end: int  # just after its end tag (or after '/>')
    close: int | None  # the '<' of its end tag; None for an empty-element tag <x/>
    path: str  # for a folder, its path; otherwise the folder it is in
    children: tuple[int, ...] = ()  # indexes into Document.elements

    @property
    def name(self) -> str:
        """Return what the outline is called."""
        return outline_name(self.attributes)

    @property
    def is_folder(self) -> bool:
        """Return True for a folder: no feed, and holding outlines or not a site's."""
        feedless = "xmlUrl" not in self.attributes
        return feedless and (bool(self.children) or "htmlUrl" not in self.attributes)


@dataclass(frozen=True)
class Document:
    """An OPML document's bytes and its outlines; elements[0] is the <body>."""

    data: bytes
    elements: tuple[Element, ...]

    @property
    def body(self) -> Element:
        """Return the <body>."""
        return self.elements[0]

    def feeds(self) -> list[Element]:
        """Return the outlines with an xmlUrl, in document order."""
        return [e for e in self.elements[1:] if "xmlUrl" in e.attributes]

    def folder(self, path: str) -> Element | None:
        """Return the folder outline at `path` ("A/B"), the <body> for "", or None."""
        if not path:
            return self.body
        return next((e for e in self.elements[1:] if e.is_folder and e.path == path), None)


def _tag_end(data: bytes, start: int) -> int:
    """Return the offset just after the '>' closing the tag that starts at `start`."""
    quote = 0
    for index in range(start, len(data)):
        byte = data[index]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif byte == ord(">"):
            return index + 1
    raise OpmlError("an OPML tag is not closed")


@dataclass
class _Open:
    """An element whose end expat has not reached yet."""

    tag: str
    attributes: dict[str, str]
    start: int
    path: str
    children: list[int] = field(default_factory=list)


def read(data: bytes, source: str) -> Document:
    """Return the document in `data` with every outline located; raise OpmlError."""
    body(data, source)  # the same checks (and errors) as reading it
    parser = xml.parsers.expat.ParserCreate()
    # Elements are numbered as they start, which is their order in the document.
    open_: list[_Open] = []
    found: list[Element] = []
    count = [0]

    def started(tag: str, attributes: dict[str, str]) -> None:
        if tag == "body" or (tag == "outline" and open_):
            parent = open_[-1].path if open_ else ""
            is_folder = tag == "outline" and "xmlUrl" not in attributes
            path = folder_path(parent, outline_name(attributes)) if is_folder else parent
            if open_:
                open_[-1].children.append(count[0])
            open_.append(_Open(tag, attributes, parser.CurrentByteIndex, path))
            count[0] += 1

    def ended(tag: str) -> None:
        if tag not in ("body", "outline") or not open_:
            return
        element, at = open_.pop(), parser.CurrentByteIndex
        empty = data[_tag_end(data, element.start) - 2] == ord("/")  # <outline .../>
        found.append(
            Element(
                element.tag,
                element.attributes,
                element.start,
                at if empty else _tag_end(data, at),
                None if empty else at,
                element.path,
                tuple(element.children),
            )
        )

    parser.StartElementHandler = started
    parser.EndElementHandler = ended
    parser.Parse(data, True)
    return Document(data, tuple(sorted(found, key=lambda e: e.start)))


def _line_start(data: bytes, offset: int) -> int:
    return data.rfind(b"\n", 0, offset) + 1


def _indent(data: bytes, element: Element) -> bytes:
    """Return the whitespace before `element` on its line (b"" when text precedes it)."""
    head = data[_line_start(data, element.start) : element.start]
    return head if not head.strip() else b""


def remove(document: Document, element: Element) -> bytes:
    """Return the document without `element`, and without the line it stood on if alone."""
    data = document.data
    start, end = element.start, element.end
    line = _line_start(data, start)
    after = data.find(b"\n", end)
    after = len(data) if after < 0 else after
    if not data[line:start].strip() and not data[end:after].strip():
        start, end = line, min(after + 1, len(data))
    return data[:start] + data[end:]


def _unit(document: Document) -> bytes:
    """Return the document's indentation step (two spaces when it shows none)."""
    body = document.body
    for index in body.children:
        child = document.elements[index]
        step = _indent(document.data, child)[len(_indent(document.data, body)) :]
        if step:
            return step
    return b"  "


def append(document: Document, parent: Element, fragment: str | bytes) -> bytes:
    """Return the document with `fragment` (one outline's XML) as the last child of `parent`."""
    data = document.data
    encoded = fragment.encode("utf-8") if isinstance(fragment, str) else fragment
    indent = _indent(data, parent)
    inner = indent + _unit(document)
    if parent.children:
        last = document.elements[parent.children[-1]]
        at = last.end
        return data[:at] + b"\n" + (_indent(data, last) or inner) + encoded + data[at:]
    if parent.close is not None:  # <outline ...></outline>, or <body></body>
        at = parent.close
        return data[:at] + b"\n" + inner + encoded + b"\n" + indent + data[at:]
    # <outline .../> or <body/>: it opens, to hold the fragment.
    tag_end = parent.end - 2  # before "/>"
    start_tag = data[parent.start : tag_end].rstrip()
    tail = b">\n" + inner + encoded + b"\n" + indent + f"</{parent.tag}>".encode()
    return data[: parent.start] + start_tag + tail + data[parent.end :]


def outline(attributes: dict[str, str]) -> str:
    """Return an empty-element outline with these attributes, in their order, escaped."""
    from xml.sax.saxutils import escape  # here: it imports urllib.request, for every command

    entities = {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
    written = " ".join(f'{k}="{escape(v, entities)}"' for k, v in attributes.items())
    return f"<outline {written}/>"


def folder(name: str) -> str:
    """Return a new, empty folder outline called `name`."""
    from xml.sax.saxutils import escape

    quoted = escape(name, {'"': "&quot;"})
    return f'<outline text="{quoted}" title="{quoted}"></outline>'


def with_folder(data: bytes, source: str, path: str) -> bytes:
    """Return the document with folder `path` ("A/B") present, making what is missing."""
    made = ""
    for name in filter(None, path.split("/")):
        parent, made = made, folder_path(made, name)
        document = read(data, source)
        if document.folder(made) is None:
            holder = document.folder(parent)
            assert holder is not None  # made just before, or the body
            data = append(document, holder, folder(name))
    return data


def add(data: bytes, source: str, fragment: str | bytes, path: str) -> bytes:
    """Return the document with `fragment` (one outline) last in folder `path`, which is made
    if it is missing."""
    data = with_folder(data, source, path)
    document = read(data, source)
    holder = document.folder(path)
    assert holder is not None
    return append(document, holder, fragment)


def move(document: Document, element: Element, path: str, source: str) -> bytes:
    """Return the document with `element`, exactly as written, moved last into folder `path`."""
    written = document.data[element.start : element.end]
    return add(remove(document, element), source, written, path)
