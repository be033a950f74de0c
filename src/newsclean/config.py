"""Config: one frozen, keyword-only object with a section per stage.

Defaults live here; a TOML file overrides only the keys it sets (``Config.from_toml``), and
``replace`` returns a changed copy. Being frozen and made of plain values, a Config pickles to
worker processes and hashes to a stable :meth:`Config.fingerprint`, which later runs use to
refuse mixing outputs made under different settings.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self

from newsclean._version import __version__
from newsclean.errors import ConfigError

DateOrder = Literal["auto", "dmy", "mdy"]
DetectMethod = Literal["cascade", "profile", "langdetect"]


@dataclass(frozen=True, kw_only=True)
class RepairConfig:
    """Text repair. Each switch turns one kind of repair on or off; all are on by default.

    ``fix_encoding`` runs ftfy for mojibake and encoding damage; it never touches curly quotes,
    dashes or ellipses, which are the author's typography, not damage.
    """

    fix_encoding: bool = True
    unescape_entities: bool = True
    remove_invisible: bool = True
    normalize_spaces: bool = True


@dataclass(frozen=True, kw_only=True)
class CleanConfig:
    """Boilerplate removal by rule packs.

    ``packs``: pack ids to use, in order; empty means every built-in pack.
    ``extra_pack_dirs``: folders with more ``*.toml`` packs, loaded after the built-in ones.
    ``max_removed_chars``: removed spans longer than this are cut in ``removed[].text``.
    """

    packs: tuple[str, ...] = ()
    extra_pack_dirs: tuple[str, ...] = ()
    max_removed_chars: int = 300


@dataclass(frozen=True, kw_only=True)
class DetectConfig:
    """Language detection on langdetect's profiles (see detect.py for why and how).

    ``method``: ``profile`` scores every n-gram under langdetect's profiles (deterministic, fast);
    ``cascade`` (the default) does the same and asks lingua among the plausible languages when the
    best profile posterior is below ``cascade_below``; ``langdetect`` runs langdetect's own sampling
    detector from a factory seeded with ``seed``.
    ``prefix_chars`` bounds the text looked at, for speed; ``min_letters`` is the least number of
    letters we judge at all (below it the language is ``und``).
    """

    method: DetectMethod = "cascade"
    cascade_below: float = 0.99
    prefix_chars: int = 600
    min_letters: int = 20
    seed: int = 0


@dataclass(frozen=True, kw_only=True)
class DateConfig:
    """Dates. ``order`` forces the day/month order of numeric dates that could be read either
    way (``05/06/2023``); ``auto`` decides by evidence. Unambiguous dates are never changed."""

    order: DateOrder = "auto"


@dataclass(frozen=True, kw_only=True)
class BatchConfig:
    """The batch pass, run over a whole batch's records after they are cleaned (see finish.py).

    ``duplicates`` sets ``duplicate_of`` on exact copies (same ``content_hash``) and near copies:
    estimated Jaccard similarity of word 5-gram sets at least ``near_threshold``.
    ``drop_duplicates`` leaves duplicates out of the output instead.
    ``site_repeat`` removes lines found in at least ``site_min_docs`` documents of one site that
    are also at least ``site_min_share`` of that site's documents (duplicates are not counted).
    """

    duplicates: bool = True
    drop_duplicates: bool = False
    near_threshold: float = 0.7
    site_repeat: bool = True
    site_min_docs: int = 5
    site_min_share: float = 0.5

    @property
    def enabled(self) -> bool:
        """Whether the batch pass changes anything at all."""
        return self.duplicates or self.site_repeat


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything that changes what newsclean outputs, and nothing else."""

    repair: RepairConfig = field(default_factory=RepairConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    dates: DateConfig = field(default_factory=DateConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)

    def replace(self, **changes: Any) -> Self:
        """A copy with top-level sections replaced (``config.replace(clean=CleanConfig(...))``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict, as a TOML file would spell it."""
        out = dataclasses.asdict(self)
        return {
            k: {kk: list(vv) if isinstance(vv, tuple) else vv for kk, vv in v.items()} for k, v in out.items()
        }

    def fingerprint(self) -> str:
        """A short hash of every setting plus the newsclean version: same value, same output."""
        payload = json.dumps({"version": __version__, "config": self.to_dict()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Config:
        """Overlay ``data`` (sections of keys) on the defaults; unknown keys are an error."""
        sections = {f.name: f for f in dataclasses.fields(cls)}
        made: dict[str, Any] = {}
        for name, values in data.items():
            if name not in sections:
                raise ConfigError(f"unknown config section {name!r}; known: {', '.join(sorted(sections))}")
            if not isinstance(values, Mapping):
                raise ConfigError(f"config section {name!r} must be a table")
            section_cls = _SECTION_TYPES[name]
            known = {f.name: f for f in dataclasses.fields(section_cls)}
            kwargs: dict[str, Any] = {}
            for key, value in values.items():
                if key not in known:
                    raise ConfigError(f"unknown key {name}.{key}; known: {', '.join(sorted(known))}")
                kwargs[key] = tuple(value) if isinstance(value, list) else value
            try:
                made[name] = section_cls(**kwargs)
            except TypeError as exc:  # pragma: no cover - dataclass signature errors
                raise ConfigError(f"bad values in section {name!r}: {exc}") from exc
        config = cls(**made)
        config.validate()
        return config

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        """Read a TOML file whose tables are the sections above (``[clean]``, ``[detect]`` ...)."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        return cls.from_mapping(data)

    def validate(self) -> None:
        """Reject values that would make no sense, with a message that names the key."""
        if self.detect.prefix_chars < 50:
            raise ConfigError("detect.prefix_chars must be at least 50")
        if self.detect.min_letters < 1:
            raise ConfigError("detect.min_letters must be at least 1")
        if self.clean.max_removed_chars < 20:
            raise ConfigError("clean.max_removed_chars must be at least 20")
        if self.detect.method not in ("cascade", "profile", "langdetect"):
            raise ConfigError("detect.method must be 'cascade', 'profile' or 'langdetect'")
        if not 0.0 <= self.detect.cascade_below <= 1.0:
            raise ConfigError("detect.cascade_below must be between 0 and 1")
        if not 0.0 < self.batch.near_threshold <= 1.0:
            raise ConfigError("batch.near_threshold must be above 0 and at most 1")
        if self.batch.site_min_docs < 2:
            raise ConfigError("batch.site_min_docs must be at least 2")
        if not 0.0 < self.batch.site_min_share <= 1.0:
            raise ConfigError("batch.site_min_share must be above 0 and at most 1")
        if self.batch.drop_duplicates and not self.batch.duplicates:
            raise ConfigError("batch.drop_duplicates needs batch.duplicates")
        if self.dates.order not in ("auto", "dmy", "mdy"):
            raise ConfigError("dates.order must be one of auto, dmy, mdy")


_SECTION_TYPES: dict[str, type[Any]] = {
    "repair": RepairConfig,
    "clean": CleanConfig,
    "detect": DetectConfig,
    "dates": DateConfig,
    "batch": BatchConfig,
}
