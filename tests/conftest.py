"""Shared test helpers: where things are, and the expectation checker for dump fixtures."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI must be reproducible: the same examples on every run. Locally, Hypothesis explores freely.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DUMPS = FIXTURES / "dumps"
GOLDEN = FIXTURES / "golden"
SHARED = ROOT.parent / "shared"


HTML = FIXTURES / "html"


def dump_paths() -> list[Path]:
    """Every text-dump fixture, sorted."""
    return sorted(DUMPS.glob("*.txt"))


def html_paths() -> list[Path]:
    """Every HTML page fixture, sorted."""
    return sorted(p for p in HTML.iterdir() if p.is_file() and p.name.split(".", 1)[-1] in {"html", "htm"})


def stem(path: Path) -> str:
    """A fixture's name without any extension (``page.html`` and ``page.htm`` alike)."""
    return path.name.split(".", 1)[0]


def expectation(path: Path) -> dict[str, Any]:
    """The snippet expectations written for a fixture (dump or page)."""
    data: dict[str, Any] = json.loads(
        (path.parent / "expected" / f"{stem(path)}.expected.json").read_text("utf-8")
    )
    return data


def golden_path(path: Path) -> Path:
    """Where a fixture's golden record lives: fixtures/golden/ for dumps, fixtures/golden/html/ for pages."""
    sub = GOLDEN / "html" if path.parent == HTML else GOLDEN
    return sub / f"{stem(path)}.record.json"


def squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def failed_checks(record: dict[str, Any], exp: dict[str, Any]) -> Iterator[str]:
    """Describe every expectation the record misses (same meaning as shared/seeds/README.md)."""
    flat = squash(record.get("text"))
    for key in ("title", "site_name", "language", "page_type", "canonical_url"):
        if key in exp:
            options = exp[key] if isinstance(exp[key], list) else [exp[key]]
            if squash(record.get(key)) not in options:
                yield f"{key}: got {record.get(key)!r}, want {exp[key]!r}"
    for key in ("published", "modified"):
        if key in exp:
            options = exp[key] if isinstance(exp[key], list) else [exp[key]]
            if (record.get(key) or "")[:10] not in options:
                yield f"{key}: got {record.get(key)!r}, want {exp[key]!r}"
    for key in ("authors", "agencies"):
        got = [squash(a).casefold() for a in record.get(key) or []]
        for name in exp.get(key, []):
            names = name if isinstance(name, list) else [name]
            if not any(n.casefold() in got for n in names):
                yield f"{key}: {names} missing from {record.get(key)!r}"
    got_authors = [squash(a).casefold() for a in record.get("authors") or []]
    for name in exp.get("not_authors", []):
        if name.casefold() in got_authors:
            yield f"not_authors: {name!r} is listed as an author"
    if "starts_with" in exp:
        options = exp["starts_with"] if isinstance(exp["starts_with"], list) else [exp["starts_with"]]
        if not any(flat.startswith(squash(o)) for o in options):
            yield f"starts_with: text starts {flat[:80]!r}"
    if "description" in exp and record.get("description") != exp["description"]:
        yield f"description: got {record.get('description')!r}"
    got_tags = [t.casefold() for t in record.get("tags") or []]
    for tag in exp.get("tags", []):
        if tag.casefold() not in got_tags:
            yield f"tags: {tag!r} missing from {record.get('tags')!r}"
    codes = [w["code"] for w in record.get("warnings") or []]
    for code in exp.get("warnings", []):
        if code not in codes:
            yield f"warnings: {code!r} missing from {codes!r}"
    if "ends_with" in exp and not flat.endswith(squash(exp["ends_with"])):
        yield f"ends_with: text ends {flat[-80:]!r}"
    for snippet in exp.get("must_keep", []):
        if squash(snippet) not in flat:
            yield f"must_keep: {snippet[:60]!r} missing"
    for snippet in exp.get("must_drop", []):
        if squash(snippet) in flat:
            yield f"must_drop: {snippet[:60]!r} still present"


@pytest.fixture
def seeds_dir() -> Path:
    if not (SHARED / "seeds" / "grade.py").exists():
        pytest.skip("../shared/seeds is not present next to the repository (CI and developers have it)")
    return SHARED / "seeds"
