"""Config: defaults, TOML overlay, validation with messages that name the key, fingerprint."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from newsclean.config import CleanConfig, Config, DetectConfig
from newsclean.errors import ConfigError


def test_toml_overrides_only_the_keys_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[clean]\npacks = ["_any", "en"]\n[detect]\nprefix_chars = 500\n')
    config = Config.from_toml(path)
    assert config.clean.packs == ("_any", "en")
    assert config.detect.prefix_chars == 500
    assert config.detect.seed == DetectConfig().seed


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[nope]\nx = 1\n", "nope"),
        ("[detect]\nwhat = 1\n", "detect.what"),
        ("[dates]\norder = 'ydm'\n", "dates.order"),
        ("not toml at all [", "cannot read"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=needle.replace(".", r"\.")):
        Config.from_toml(path)


def test_fingerprint_is_stable_and_sensitive() -> None:
    assert Config().fingerprint() == Config().fingerprint()
    assert Config().fingerprint() != Config(clean=CleanConfig(packs=("en",))).fingerprint()


def test_config_pickles_for_worker_processes() -> None:
    config = Config(clean=CleanConfig(packs=("en",)))
    assert pickle.loads(pickle.dumps(config)) == config


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_cascade_threshold_must_be_a_probability(value: float) -> None:
    with pytest.raises(ConfigError, match="cascade_below"):
        Config(detect=DetectConfig(cascade_below=value)).validate()
