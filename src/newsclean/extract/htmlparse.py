"""Decoded page text -> lxml.html tree, the one parse every later stage shares.

trafilatura's ``load_html`` does the same job but runs a character-class regex over the whole
page to drop characters XML forbids (control characters, U+FFFE/U+FFFF): 1.3 ms on an average
news page (170 k characters), a twentieth of a full record. They are almost never there, so
we look for each of them with ``str.__contains__`` first (0.3 ms) and clean only when one is.

The parser settings are trafilatura's, so the tree it receives is the tree it expects: no
comments or processing instructions, no ids collected, no doctype invented. A fragment
(``<p>…</p>`` alone) is parsed as a document too, wrapped in ``<html><body>``.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

_FORBIDDEN = (*(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))), "\ufffe", "\uffff")
_FORBIDDEN_RE = re.compile("[" + re.escape("".join(_FORBIDDEN)) + "]")
#: A doctype at the very start: libxml2 mis-parses some of them (those holding a "/"), and no
#: stage needs it.
_DOCTYPE = re.compile(r"\A\s*<\s*!\s*doctype[^>]*>", re.IGNORECASE)
#: ``<html ... />`` written as an empty element would leave the whole page outside <html>.
_SELF_CLOSED_HTML = re.compile(r"(<html\b[^>]*?)\s*/>", re.IGNORECASE)

_PARSER = lxml_html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)


def parse_page(text: str) -> lxml_html.HtmlElement | None:
    """The page's tree, or None when the text holds no HTML lxml can build a tree from."""
    if any(ch in text for ch in _FORBIDDEN):
        text = _FORBIDDEN_RE.sub("", text)
    text = _DOCTYPE.sub("", text, count=1)
    head = text[:4096]
    if "/>" in head and _SELF_CLOSED_HTML.search(head):
        text = _SELF_CLOSED_HTML.sub(r"\1>", text, count=1)
    if not text.strip():
        return None
    try:
        return lxml_html.document_fromstring(text, parser=_PARSER)
    except ValueError:  # a str that still declares an encoding: lxml wants bytes for that
        pass
    except etree.ParserError:
        return None
    try:
        return lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (ValueError, etree.ParserError):
        return None
