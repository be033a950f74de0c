"""What kind of page this is: article, index (section front), paywall, error (soft-404) or empty.

Every page still becomes a record; ``page_type`` and a warning with the reason let users filter.
The tests are evidence a reader would use, cheapest first:

* **error**: the title or headline says "not found" / "404" (in the languages we serve) and the
  page has little text of its own;
* **paywall**: the publisher declares the article not free (JSON-LD ``isAccessibleForFree``)
  or a subscription wall was removed, and only a teaser is left;
* **index**: many headline links and little prose, or the page declares itself a collection;
* **empty**: nothing is left after cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

_NOT_FOUND = re.compile(
    r"\b(?:404|page not found|not found|no longer available"
    r"|page (?:you requested )?(?:does not|doesn't) exist"
    r"|seite nicht gefunden|nicht gefunden|page introuvable|page non trouvée|página no encontrada"
    r"|no se ha encontrado|pagina non trovata|página não encontrada|pagina niet gevonden"
    r"|nie znaleziono|strony nie znaleziono|страница не найдена|сторінку не знайдено|сторінка не знайдена)\b",
    re.IGNORECASE,
)
_WALL_RULES = ("paywall", "subscribe", "subscription", "abo", "premium")
_TEASER_WORDS = 300
_ERROR_WORDS = 150
_INDEX_LINKS = 15
_INDEX_WORDS = 250
_HEADLINE_LINK = re.compile(r"\w+(?:\W+\w+){3,}")  # four words or more: a headline, not a menu item


@dataclass(frozen=True, slots=True)
class PageType:
    kind: str
    code: str | None  # warning code, None for an article
    reason: str


def classify_page(
    tree: lxml_html.HtmlElement,
    *,
    words: int,
    titles: tuple[str | None, ...],
    free: bool | None,
    wall_removed: bool,
    is_article: bool,
    jsonld_types: tuple[str, ...],
) -> PageType:
    """Decide the page type from the cleaned text's length and the page's own signals."""
    for title in titles:
        if title and _NOT_FOUND.search(title) and words < _ERROR_WORDS:
            return PageType("error", "error_page", f"the page's title says {title!r}")
    if free is False and words < _TEASER_WORDS:
        return PageType("paywall", "paywall", f"declared not free, and only {words} words are visible")
    if wall_removed and words < _TEASER_WORDS:
        return PageType("paywall", "paywall", f"a subscription wall, and only {words} words are visible")
    if not words:
        return PageType("empty", "empty_after_cleaning", "no main text was found")
    collection = any(t in {"collectionpage", "itemlist", "searchresultspage"} for t in jsonld_types)
    if (collection and not is_article) or (not is_article and words < _INDEX_WORDS):
        links = _headline_links(tree)
        if collection or links >= _INDEX_LINKS:
            return PageType("index", "index_page", f"{links} headline links and {words} words of prose")
    return PageType("article", None, "")


def _headline_links(tree: lxml_html.HtmlElement) -> int:
    count = 0
    for anchor in tree.iter("a"):
        text = anchor.text_content()
        if text and len(text) < 200 and _HEADLINE_LINK.search(text):
            count += 1
    return count


def wall_rule(rule: str) -> bool:
    """Whether a removal's rule id names a subscription wall."""
    return any(part in rule for part in _WALL_RULES)
