import textwrap

import pytest
from typer.testing import CliRunner

from framing.errors import CatalogError
from framing.frames import bundled_catalogs, load_catalog, load_catalogs
from framing.frames.cli import frames_app

SEED_IDS = [
    "us-withdrawal-as-defeat", "us-as-terrorist-aggressor", "us-presence-illegal-occupation",
    "us-supports-terrorists", "israel-drives-us-policy", "western-media-lies", "us-kills-civilians",
    "attacks-as-legitimate-resistance", "syria-allies-legitimate", "us-empire-decline", "us-there-for-oil",
    "chemical-attack-pretext", "iran-land-bridge", "idlib-militants-are-terrorists",
]


def write(tmp_path, text, name="cat.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """
    catalog: t
    languages: [en, nl]
    frames:
      - id: a
        label: A
        description: frame a
        examples: {en: [one a, two a], nl: [een a, twee a]}
      - id: b
        label: B
        description: frame b
        examples: {en: [one b, two b], nl: [een b, twee b]}
"""


def test_seed_catalog_has_required_frames_in_english_and_dutch():
    cat = load_catalog("us-middle-east")
    assert set(SEED_IDS) <= set(cat.ids)
    for frame in cat.frames:
        assert len(frame.examples["en"]) >= 4 and len(frame.examples["nl"]) >= 4, frame.id
        assert frame.description and frame.label


def test_policy_catalog_has_the_15_dimensions():
    cat = load_catalog("policy-frames")
    assert len(cat) == 15
    assert {"economic", "morality", "security-and-defense", "public-opinion", "other"} <= set(cat.ids)


def test_bundled_catalogs_merge_without_duplicate_ids():
    merged = load_catalogs(bundled_catalogs())
    assert len(merged) == 34 and len(set(merged.ids)) == 34


def test_good_catalog_loads(tmp_path):
    cat = load_catalog(write(tmp_path, GOOD))
    assert cat.name == "t" and cat.ids == ["a", "b"]
    assert cat.get("a").anchors == ["one a", "two a", "een a", "twee a"]
    assert cat.get("a").catalog == "t"


@pytest.mark.parametrize("bad, message", [
    (GOOD.replace("id: b", "id: a"), r"frame 'a' / field 'id': duplicate id"),
    (GOOD.replace("examples: {en: [one b, two b], nl: [een b, twee b]}", "keywords: [x]"),
     r"frame 'b' / field 'examples': missing examples"),
    (GOOD.replace("nl: [een b, twee b]", "de: [ein b]"), r"frame 'b' / field 'examples': missing examples in language\(s\) nl"),
    (GOOD.replace("label: B", "label: B\n        colour: red"), r"frame 'b' / field 'colour': unknown key"),
    (GOOD.replace("label: B", "label: B\n        parent: zzz"), r"parent 'zzz' is not a frame"),
    (GOOD.replace("description: frame b", "description: ''"), r"field 'description'.*required"),
    (GOOD.replace("id: b", "id: B x"), r"field 'id'"),
    (GOOD.replace("frames:", "framez:"), r"non-empty 'frames' list"),
    (GOOD.replace("en: [one b, two b]", "en: one b"), r"must be a list of non-empty strings"),
    (GOOD.replace("label: B", "label: B\n        counters: [Not An Id]"), r"frame 'b' / field 'counters': 'counters' must"),
    (GOOD.replace("label: B", "label: B\n        counters: [b]"), r"frame 'b' / field 'counters': a frame cannot counter"),
    (GOOD.replace("label: B", "label: B\n        counters: a"), r"field 'counters': 'counters' must be a list"),
])
def test_validation_errors_name_file_frame_and_field(tmp_path, bad, message):
    path = write(tmp_path, bad)
    with pytest.raises(CatalogError, match=message) as info:
        load_catalog(path)
    assert str(path) in str(info.value)


def test_yaml_error_gives_line(tmp_path):
    path = write(tmp_path, GOOD.replace("description: frame b", "description: frame: b"))
    with pytest.raises(CatalogError, match=r"line 11: not valid YAML"):
        load_catalog(path)


def test_two_level_taxonomy(tmp_path):
    text = GOOD + """
      - id: narrative
        label: N
        description: a narrative with sub-narratives a and b
"""
    text = text.replace("label: A", "label: A\n        parent: narrative").replace("label: B", "label: B\n        parent: narrative")
    cat = load_catalog(write(tmp_path, text))
    assert [f.id for f in cat.children("narrative")] == ["a", "b"]
    assert [f.id for f in cat.matchable()] == ["a", "b"]
    deep = text.replace("label: N", "label: N\n        parent: a")
    with pytest.raises(CatalogError, match="two levels"):
        load_catalog(write(tmp_path, deep, "deep.yaml"))


def test_counters_are_symmetric(tmp_path):
    cat = load_catalog(write(tmp_path, GOOD.replace("label: B", "label: B\n        counters: [a]")))
    assert cat.get("b").counters == ("a",) and cat.get("a").counters == ()
    assert cat.counters_of("a") == ["b"] and cat.counters_of("b") == ["a"] and cat.has_counters()
    assert not load_catalog(write(tmp_path, GOOD, "plain.yaml")).has_counters()


def test_counters_may_name_frames_of_another_catalog_loaded_with_it(tmp_path):
    rebuttal = GOOD.replace("catalog: t", "catalog: r").replace("id: a", "id: ra").replace("id: b", "id: rb")
    rebuttal = write(tmp_path, rebuttal.replace("label: B", "label: B\n        counters: [a]"), "rebuttals.yaml")
    base = write(tmp_path, GOOD, "base.yaml")
    cat = load_catalogs([base, rebuttal])
    assert cat.counters_of("a") == ["rb"] and cat.counters_of("rb") == ["a"]
    assert load_catalog(rebuttal).external_counters() == [("rb", "a")]
    with pytest.raises(CatalogError, match=r"rebuttals.yaml / frame 'rb' / field 'counters': counter-frame 'a' is in "
                                           r"none of the catalogs used"):
        load_catalogs([rebuttal])
    result = CliRunner().invoke(frames_app, ["validate", str(rebuttal)])
    assert result.exit_code == 0 and "counter-frames not defined in this file" in result.output and "rb -> a" in result.output


def test_duplicate_ids_across_catalogs(tmp_path):
    one = write(tmp_path, GOOD, "one.yaml")
    two = write(tmp_path, GOOD.replace("catalog: t", "catalog: u"), "two.yaml")
    with pytest.raises(CatalogError, match=r"Frame id 'a' is defined in both .*one.yaml and .*two.yaml"):
        load_catalogs([one, two])


def test_unknown_catalog_name_lists_bundled():
    with pytest.raises(CatalogError, match="us-middle-east"):
        load_catalog("no-such-catalog")


def test_cli_validate_and_list(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(frames_app, ["validate", str(write(tmp_path, GOOD))])
    assert ok.exit_code == 0 and "2 frames, 8 anchors" in ok.output
    bad = runner.invoke(frames_app, ["validate", str(write(tmp_path, GOOD.replace("id: b", "id: a"), "bad.yaml"))])
    assert bad.exit_code == 2 and "frame 'a' / field 'id': duplicate id" in bad.output and "Traceback" not in bad.output
    listed = runner.invoke(frames_app, ["list"])
    assert listed.exit_code == 0
    assert "us-withdrawal-as-defeat" in listed.output and "economic" in listed.output
    one = runner.invoke(frames_app, ["list", str(write(tmp_path, GOOD)), "--examples"])
    assert "+ (nl) een a" in one.output and "us-withdrawal" not in one.output


def test_plain_list_examples_and_name_alias(tmp_path):
    text = GOOD.replace("catalog: t", "name: plain").replace(
        "examples: {en: [one b, two b], nl: [een b, twee b]}", "examples: [one b, een b]")
    cat = load_catalog(write(tmp_path, text))
    assert cat.name == "plain" and cat.get("b").examples == {"und": ("one b", "een b")}


def test_every_problem_is_reported_at_once_with_lines(tmp_path):
    text = """catalog: broken
languages: [en]
frames:
  - id: a
    label: A
    description: First.
    examples: {en: [one, two]}
  - id: a
    label: A again
    description: Duplicate.
    examples: {en: [three, four]}
  - id: b
    label: B
    description: Its own parent.
    parent: b
    examples: {en: [five, six]}
  - id: c
    label: C
    description: No examples.
"""
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert "has 3 problems" in message
    assert "line 8 / frame 'a' / field 'id': duplicate id" in message
    assert "line 12 / frame 'b' / field 'parent': a frame cannot be its own parent" in message
    assert "line 17 / frame 'c' / field 'examples': missing examples" in message
