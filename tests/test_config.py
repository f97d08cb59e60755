"""The config: defaults complete, overrides layered, errors with dotted paths."""

from pathlib import Path

import pytest
import yaml

from framing.config import DEFAULT_CONFIG_PATH, Config, config_to_dict, load_config, parse_override
from framing.errors import ConfigError


def test_default_yaml_is_complete_and_equals_model_defaults():
    on_disk = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    assert on_disk == config_to_dict(Config())


def test_override_file_then_set_applied_in_order(tmp_path):
    over = tmp_path / "o.yaml"
    over.write_text("seed: 3\ntopics:\n  min_cluster_size: 7\n", encoding="utf-8")
    cfg = load_config(over, ["topics.min_cluster_size=9"])
    assert cfg.seed == 3
    assert cfg.topics.min_cluster_size == 9
    # untouched keys keep their defaults
    assert cfg.topics.n_neighbors == Config().topics.n_neighbors


def test_unknown_key_names_dotted_path_and_allowed_keys():
    with pytest.raises(ConfigError, match=r"Unknown config key 'topics\.min_clustr_size'.*min_cluster_size"):
        load_config(overrides=["topics.min_clustr_size=5"])


def test_bad_value_names_path_and_value():
    with pytest.raises(ConfigError, match=r"'topics\.min_cluster_size' is invalid.*greater than or equal to 2.*Got 1"):
        load_config(overrides=["topics.min_cluster_size=1"])


def test_bad_literal_lists_allowed_values():
    with pytest.raises(ConfigError, match=r"structure\.split.*'auto' or 'none'"):
        load_config(overrides=["structure.split=sometimes"])


def test_unknown_section_in_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("topicz:\n  x: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Unknown config key 'topicz'.*Allowed keys here: .*topics"):
        load_config(bad)


def test_invalid_yaml_names_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: 1\ntopics: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line"):
        load_config(bad)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="Cannot read config file"):
        load_config(tmp_path / "nope.yaml")


def test_parse_override_values_are_yaml():
    assert parse_override("frames.catalogs=[a, b]") == {"frames": {"catalogs": ["a", "b"]}}
    assert parse_override("embedding.cache=false") == {"embedding": {"cache": False}}
    with pytest.raises(ConfigError, match="section.key=value"):
        parse_override("seed")
