"""BERTopic is imported without torch and transformers, and still fits, saves and loads (framing.topics.lean_import)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("bertopic")


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (sys.modules starts empty there); it prints one JSON line."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fresh_process_imports_bertopic_without_torch_and_still_fits_saves_and_loads(tmp_path):
    out = _run(f"""
        import json, sys, warnings
        import numpy as np
        from framing.topics.lean_import import import_bertopic
        before = warnings.filters[:]
        BERTopic = import_bertopic().BERTopic
        deferred = [name for name in ("torch", "transformers", "sentence_transformers") if name in sys.modules]
        filters_kept = warnings.filters == before
        from bertopic.representation import KeyBERTInspired, TextGeneration
        from sklearn.decomposition import PCA
        from hdbscan import HDBSCAN
        rng = np.random.default_rng(0)
        centres = rng.normal(size=(3, 16)) * 10
        emb = np.vstack([c + rng.normal(size=(40, 16)) for c in centres]).astype(np.float32)
        docs = [f"{{w}} word{{i % 7}} text" for w in ("oil", "troops", "media") for i in range(40)]
        model = BERTopic(umap_model=PCA(n_components=5, random_state=0),
                         hdbscan_model=HDBSCAN(min_cluster_size=10), calculate_probabilities=False)
        topics, _ = model.fit_transform(docs, emb)
        model.save(r"{tmp_path / 'm'}", serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
        loaded = BERTopic.load(r"{tmp_path / 'm'}")
        import torch  # the packages import normally once BERTopic is in
        print(json.dumps({{"deferred_loaded": deferred, "filters_kept": filters_kept,
                          "keybert": KeyBERTInspired.__name__, "textgen_placeholder": type(TextGeneration).__name__,
                          "n_topics": len(set(topics) - {{-1}}), "loaded_topics": len(loaded.get_topic_info()),
                          "torch": torch.__version__}}))
    """)
    assert out["deferred_loaded"] == []
    assert out["filters_kept"]
    assert out["keybert"] == "KeyBERTInspired"
    assert out["textgen_placeholder"] == "NotInstalled"  # BERTopic's own fallback for a missing extra
    assert out["n_topics"] == 3
    assert out["loaded_topics"] >= 3
    assert out["torch"].startswith("2.")


def test_packages_already_loaded_are_left_alone():
    out = _run("""
        import json, sys
        import torch
        from framing.topics.lean_import import import_bertopic
        import_bertopic()
        import bertopic._save_utils as su
        print(json.dumps({"has_torch": su._has_torch, "meta_path_clean": not any(
            type(f).__name__ == "_Absent" for f in sys.meta_path)}))
    """)
    assert out == {"has_torch": True, "meta_path_clean": True}


def test_a_missing_bertopic_says_the_one_command_that_installs_it():
    out = _run("""
        import importlib.abc, json, sys
        class NoBertopic(importlib.abc.MetaPathFinder):
            def find_spec(self, fullname, path=None, target=None):
                if fullname.partition(".")[0] == "bertopic":
                    raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        sys.meta_path.insert(0, NoBertopic())
        from framing.errors import TopicModelError
        from framing.topics.lean_import import import_bertopic
        try:
            import_bertopic()
        except TopicModelError as exc:
            print(json.dumps({"message": str(exc)}))
    """)
    assert "pip install --no-deps 'bertopic==" in out["message"]
    assert "framing[sentence-transformers]" in out["message"]
