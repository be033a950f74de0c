"""Data flows one way: each module imports only the layers below it (see docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "newsclean"

# module (or package) -> newsclean modules it may import. Leaves first.
ALLOWED: dict[str, set[str]] = {
    "_version": set(),
    "errors": set(),
    "agencies": set(),
    "vocab": set(),
    "people": {"agencies"},
    "config": {"_version", "errors"},
    "sources": {"errors", "sources"},
    "repair": {"config", "errors"},
    "detect": {"config", "errors"},
    "extract": {"errors", "config", "extract"},
    "clean": {"errors", "config", "clean", "agencies", "people"},
    "record": {"clean"},
    "sinks": {"_version", "errors", "record", "sinks"},
    "htmlpipeline": {
        "clean",
        "config",
        "detect",
        "errors",
        "extract",
        "people",
        "record",
        "repair",
        "sources",
    },
    "pipeline": {
        "clean",
        "config",
        "detect",
        "errors",
        "extract",
        "htmlpipeline",
        "people",
        "record",
        "repair",
        "sources",
    },
    "batch": {"_version", "config", "detect", "errors", "finish", "pipeline", "record", "sources"},
    "fetch": {"_version", "errors", "fetch", "sources"},
    "dedupe": set(),
    "siterepeat": {"record"},
    "finish": {"clean", "config", "dedupe", "record", "siterepeat"},
    "dask": {"batch", "config", "pipeline", "record", "sources"},
    "crawl": {"_version", "config", "errors", "fetch", "pipeline", "record", "sinks"},
    "cli": {
        "_version",
        "batch",
        "clean",
        "config",
        "crawl",
        "errors",
        "fetch",
        "finish",
        "pipeline",
        "record",
    }
    | {"sinks", "sources"},
    "__init__": {"_version", "batch", "config", "errors", "finish", "pipeline", "record"},
    "__main__": {"cli"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsclean"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("newsclean."))
    return found


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_imports_follow_the_layers(path: Path) -> None:
    layer = _layer(path)
    assert layer in ALLOWED, f"new module {layer}: add it to ALLOWED with the layers it may use"
    extra = _imports(path) - ALLOWED[layer] - {layer}
    assert not extra, f"{path.relative_to(SRC)} imports {sorted(extra)}, which {layer} may not use"


def test_only_cli_imports_click() -> None:
    for path in MODULES:
        if path.name != "cli.py":
            assert "import click" not in path.read_text("utf-8"), path


def test_no_print_in_library_code() -> None:
    for path in MODULES:
        if path.name not in ("cli.py",):
            assert not re.search(r"(?<![\w.])print\(", path.read_text("utf-8")), path
