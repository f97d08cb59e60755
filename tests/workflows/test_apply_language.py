"""A topic model applied to documents in another language than it was fitted on says so, in the terminal and run.json."""

import json
import pandas as pd

from framing.jobs.apply import apply_run, language_mismatch
from framing.errors import LanguageWarning

GERMAN = ("Der Stadtrat hat gestern die neuen Pläne für die Innenstadt besprochen. "
          "Viele Bewohner machen sich Sorgen über den Verkehr und die Parkplätze in ihrer Straße. "
          "Die Bürgermeisterin versprach, dass im nächsten Jahr eine neue Brücke über den Fluss gebaut wird.")


def test_language_mismatch_names_both_languages():
    note = language_mismatch({"counts": {"languages": {"en": 500, "nl": 2}}}, pd.DataFrame({"lang": ["nl"] * 9 + ["en"]}))
    assert note.startswith("The topic model was fitted on en sentences; these documents are in nl (90%)")
    assert language_mismatch({"counts": {"languages": {"en": 500}}}, pd.DataFrame({"lang": ["en"] * 19 + ["nl"]})) is None
    assert language_mismatch({}, pd.DataFrame({"lang": ["nl"]})) is None  # an old run without counts: no guess


def test_apply_to_another_language_warns_and_records_it(tiny_run, tmp_path):
    corpus = tmp_path / "german"  # the tiny corpus is English and Dutch
    corpus.mkdir()
    for i in range(3):
        (corpus / f"stueck{i}.txt").write_text(GERMAN, encoding="utf-8")
    done = apply_run(tiny_run.run_dir, [corpus], out=tmp_path / "applied")
    meta = json.loads((done.run_dir / "run.json").read_text(encoding="utf-8"))
    recorded = [w for w in meta["warnings"] if w["category"] == "LanguageWarning"]
    assert recorded and "de (100%)" in recorded[0]["message"] and recorded[0]["stage"] == "apply"
    assert recorded[0]["message"].startswith("The topic model was fitted on en, nl sentences")
    assert LanguageWarning.__name__ == recorded[0]["category"]
