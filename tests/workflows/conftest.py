"""One analyzed tiny run shared by the workflow tests (hashing embedder, PCA: seconds, offline)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
TINY = DATA / "tiny"
# Six documents are too few for the rules that need many documents (docs/tuning-topics.md): keep topics inside them.
FAST = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
            topics__min_cluster_size=3, topics__n_neighbors=5, topics__min_main_documents=0,
            topics__min_anchored_share=0.0,
            # the hashing embedder places no anchor far from ordinary text: the shipped reference sample cannot
            # calibrate it, so the workflow tests calibrate against the corpus (tests/frames checks the reference)
            frames__calibration="corpus",
            # nor can its bag-of-words vectors tell a near miss sharing a sentence's words from the frame: the
            # contrast margin (tests/frames/test_contrast_support.py) needs a semantic model
            frames__contrast=False, frames__document_rule="score")
FAST_SET = [x for k, v in FAST.items() for x in ("--set", f"{k.replace('__', '.')}={v}")]


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """A run of the tiny corpus with the us-middle-east catalog (the catalog docs/tables.md queries)."""
    import framing

    return framing.load_run(framing.analyze(TINY, frames=["us-middle-east"], out=tmp_path_factory.mktemp("wf") / "run",
                                            **FAST).run_dir)
