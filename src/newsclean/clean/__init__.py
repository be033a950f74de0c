"""Boilerplate removal by rule packs: ``clean(lines, ruleset) -> Cleaned``.

Rules are data (``packs/*.toml``, see docs/rules.md); ``loader`` validates them, ``engine``
applies them. Nothing here knows about files, records or languages beyond what packs say.
"""

from newsclean.clean.engine import Cleaned, RuleSet, build_ruleset, clean, load_ruleset, ruleset_for
from newsclean.clean.loader import builtin_pack_paths, load_pack, load_packs
from newsclean.clean.model import Pack, Removal, Rule

__all__ = [
    "Cleaned",
    "Pack",
    "Removal",
    "Rule",
    "RuleSet",
    "build_ruleset",
    "builtin_pack_paths",
    "clean",
    "load_pack",
    "load_packs",
    "load_ruleset",
    "ruleset_for",
]
