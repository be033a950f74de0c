"""The main text of an HTML page, as blocks (paragraphs, headings, list items, quotes, table rows).

trafilatura finds the article's part of the page. We call it with the settings measured best
on the ScrapingHub benchmark (``fast=True``: its own readability/jusText fallback *lowers* F1
there, 0.9598 -> 0.9623 without it, and halves the time) and read its XML body ourselves, so
each block keeps its kind: a heading that repeats the title, or a list of link teasers at the
end, can then be told from prose by the later stages.

When that finds little on a page that has plenty of text (odd layouts), a second pass runs with
trafilatura's fallbacks and recall focus (``favor_recall``), and the record says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml import html as lxml_html

_SPACES = re.compile(r"[ \t\r\f\v]+")
_WORD = re.compile(r"\w+")
#: Fewer words than this in the first pass, on a page with several times more text, triggers
#: the second pass.
MIN_WORDS = 60
_PAGE_RATIO = 4


# Containers whose id or class names a comment section, a cookie banner or a newsletter box in
# the languages we serve. trafilatura knows the English names only ("comment"); a German
# "kommentare" section otherwise ends up in the article text.
_BOILERPLATE_NAMES = (
    "kommentar", "commentaire", "comentario", "commenti", "comentári", "komentarz", "reacties",
    "комментар", "коментар", "cookie", "consent", "newsletter",
)  # fmt: skip
_BOILERPLATE = re.compile("|".join(_BOILERPLATE_NAMES))
_CONTAINERS = ("section", "div", "aside", "form", "ol", "ul")
#: Elements no stage after metadata reads. trafilatura drops them too (its tree_cleaning list),
#: but only after copying the tree three times and running a dozen XPath passes over them;
#: dropping them first is 1 ms a page faster and changes no extracted line on ScrapingHub.
_INERT = (
    "script", "style", "noscript", "svg", "template", "head", "iframe", "embed", "object", "video",
    "audio", "canvas", "picture", "map", "applet", "aside", "footer",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of main text: ``kind`` is p, head, item, quote, row or code."""

    kind: str
    text: str
    linked: bool = False  # the whole block is link text (a teaser, a menu entry), not prose


@dataclass(frozen=True, slots=True)
class MainText:
    blocks: tuple[Block, ...]
    fallback: bool  # the second pass gave the blocks


def prepare(tree: lxml_html.HtmlElement) -> None:
    """Strip, in place, what extraction and the later stages never need: scripts and styles, and
    containers named as comments, cookie banners or newsletters (see ``_BOILERPLATE_NAMES``).

    Runs after metadata and dates: JSON-LD lives in scripts, and htmldate's last-resort search
    reads dates out of script code. One C-filtered pass over the container tags
    and a case-insensitive name test; trafilatura's ``prune_xpath`` did the same job with a
    24-term XPath at 1.7 ms a page, a tenth of the extraction.
    """
    etree.strip_elements(tree, *_INERT, with_tail=False)
    doomed = []
    for element in tree.iter(_CONTAINERS):
        names = element.get("class"), element.get("id")
        if (names[0] or names[1]) and _BOILERPLATE.search(f"{names[0]} {names[1]}".lower()):
            doomed.append(element)
    for element in doomed:  # an ancestor goes first; its doomed descendants leave with it
        _remove(element)


def _remove(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail) in the document."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def main_text(tree: lxml_html.HtmlElement) -> MainText:
    """Blocks of the page's main text (empty when there is none). The tree is not modified.

    No URL is given to trafilatura: it would resolve every link against it (a urljoin per link,
    6 % of the time), and blocks keep no link targets.
    """
    blocks = _extract(tree, fast=True)
    words = _words(blocks)
    if words < MIN_WORDS:
        page_words = len(_WORD.findall(tree.text_content() or "")) if len(tree) else 0
        if page_words > _PAGE_RATIO * max(words, MIN_WORDS // 2):
            second = _extract(tree, fast=False)
            if _words(second) > max(2 * words, MIN_WORDS // 2):
                return MainText(blocks=second, fallback=True)
    return MainText(blocks=blocks, fallback=False)


def _extract(tree: lxml_html.HtmlElement, *, fast: bool) -> tuple[Block, ...]:
    from trafilatura import bare_extraction

    document: Any = bare_extraction(
        tree,
        url=None,
        fast=fast,
        favor_recall=not fast,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        include_links=True,
        include_images=False,
        with_metadata=False,
        output_format="python",
    )
    body = getattr(document, "body", None)
    if body is None:
        return ()
    return tuple(_blocks(body))


def _blocks(body: etree._Element) -> list[Block]:
    out: list[Block] = [Block("p", t) for t in _split(body.text)]
    for child in body:
        _block(child, out)
        out.extend(Block("p", t) for t in _split(child.tail))  # text between blocks is prose too
    return out


def _split(text: str | None) -> list[str]:
    if not text or not text.strip():
        return []
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _linked(element: etree._Element) -> bool:
    """Whether every word of the element sits inside a link (``<ref>``)."""
    total = len(_WORD.findall("".join(element.itertext())))
    if not total:
        return False
    inside = sum(len(_WORD.findall("".join(ref.itertext()))) for ref in element.iter("ref"))
    return inside >= total


def _block(child: etree._Element, out: list[Block]) -> None:
    tag = child.tag
    if tag == "list":
        for item in child.iter("item"):
            linked = _linked(item)
            out.extend(Block("item", t, linked) for t in _lines(item, skip="list"))
    elif tag == "table":
        for row in child.iter("row"):
            cells = [" ".join(_lines(cell)) for cell in row.iter("cell")]
            text = " | ".join(c for c in cells if c)
            if text:
                out.append(Block("row", text))
    elif tag == "quote" and any(sub.tag in {"p", "list"} for sub in child):
        out.extend(Block("quote", t) for t in _lines(child))
    elif tag in {"graphic", "lb"}:
        return
    else:
        kind = tag if tag in {"head", "quote", "code"} else "p"
        linked = _linked(child)
        out.extend(Block(kind, t, linked) for t in _lines(child))


def _lines(element: etree._Element, skip: str | None = None) -> list[str]:
    """The element's text, split where the page broke lines (``<lb>``, nested paragraphs)."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if skip is not None and el.tag == skip and el is not element:
            return
        if el.tag in {"lb", "p", "item", "head"} and el is not element:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for sub in el:
            walk(sub)
            if sub.tail:
                parts.append(sub.tail)
        if el.tag in {"p", "item", "head"} and el is not element:
            parts.append("\n")

    walk(element)
    text = "".join(parts)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _words(blocks: tuple[Block, ...]) -> int:
    return sum(len(_WORD.findall(b.text)) for b in blocks)
