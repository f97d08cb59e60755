"""framing code against a real llama.cpp server (llama-cpp-python) with Gemma 3 270M: the path a user takes.

Short documents, a three-frame catalog with one example each, short answers and one answer cache for the
session keep the added time small. The model is Gemma 3 270M *base* (not instruction-tuned): its codes
test the plumbing, not what a model can code.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.config import load_config
from framing.jobs.ingest import run_ingest

DATA = Path(__file__).resolve().parent.parent / "data" / "llm"
CATALOG = DATA / "catalog.yaml"
SECRET = "sk-framing-test-3c1d2f0a9b8e7d6c"
SMALL = ["llm.system_role=false", "llm.examples_per_frame=1", "llm.max_tokens=120", "llm.timeout=900",
         "llm.max_retries=1", "llm.concurrency=1"]
pytestmark = pytest.mark.slow


def _ingest(tmp_path, *names, run="run") -> Path:
    corpus = tmp_path / f"{run}-corpus.jsonl"
    corpus.write_text("".join((DATA / f"{n}.jsonl").read_text() for n in names))
    return run_ingest([corpus], load_config(), tmp_path / run).run_dir


def _code(server, run, cache, *extra, key_env=None):
    args = ["code", str(run), "--llm-url", server.url, "--llm-model", server.model, "--frames", str(CATALOG),
            "--set", f"embedding.cache_dir={cache}", "--quiet", *[x for k in SMALL for x in ("--set", k)], *extra]
    if key_env:
        args += ["--llm-key-env", key_env]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return pd.read_parquet(Path(run) / "tables" / "llm_codes.parquet"), json.loads((Path(run) / "run.json").read_text())


def _codes_of(table: pd.DataFrame, docs: pd.DataFrame, record: str) -> dict:
    doc = docs.loc[docs.record_id == record, "doc_id"].iat[0]
    rows = table[table.doc_id == doc]
    return {r.frame_id: (bool(r.matched), r.quote, r.voice) for r in rows.itertuples()}


def test_code_runs_end_to_end_and_a_second_run_asks_the_server_nothing(llama_server, cache_env, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("FRAMING_TEST_LLM_KEY", SECRET)
    run = _ingest(tmp_path, "docs")
    before = llama_server.chat_requests()
    codes, meta = _code(llama_server, run, cache_env, key_env="FRAMING_TEST_LLM_KEY")
    docs = pd.read_parquet(run / "tables" / "documents.parquet")
    # the frame tables' keys: one row per document and frame of the catalog
    assert len(codes) == 3 * 3 and not codes.duplicated(["doc_id", "frame_id"]).any()
    assert set(codes.doc_id) == set(docs.doc_id) and set(codes.frame_id) == {"economic", "conflict", "moral"}
    assert (codes.level == "document").all() and (codes.model == llama_server.model).all()
    quoted = codes[codes.quote.notna()]
    for row in quoted.itertuples():   # every kept quote stands in its document where it says
        text = docs.loc[docs.doc_id == row.doc_id, "text"].iat[0]
        assert text[row.quote_start:row.quote_end] == row.quote
    stage = meta["llm"][-1]["stages"]["code"]
    sent = llama_server.chat_requests() - before
    assert sent >= 3 and stage["requests"] == sent and stage["cached"] == 0
    assert stage["prompt_tokens"] > 0 and stage["completion_tokens"] > 0 and stage["seconds"] > 0
    assert meta["llm"][-1]["server"] == llama_server.url and meta["tables"]["llm_codes"]["rows"] == 9

    before = llama_server.chat_requests()
    gold = tmp_path / "gold.jsonl"   # human codes, by the run's doc_id
    doc_of = dict(zip(docs.record_id, docs.doc_id))
    gold.write_text("".join(json.dumps({"doc_id": doc_of[i], "frames": f}) + "\n"
                            for i, f in (("tax", ["economic"]), ("clash", ["conflict"]), ("duty", ["moral"]))))
    again, meta2 = _code(llama_server, run, cache_env, "--gold", str(gold), key_env="FRAMING_TEST_LLM_KEY")
    assert llama_server.chat_requests() == before        # not one request reached the server
    stage2 = meta2["llm"][-1]["stages"]["code"]
    assert stage2["requests"] == 0 and stage2["cached"] == 3 and stage2["prompt_tokens"] == 0
    pd.testing.assert_frame_equal(again, codes)
    agreement = pd.read_parquet(run / "tables" / "llm_agreement.parquet")
    assert agreement.frame_id.tolist() == ["economic", "conflict", "moral", "macro"]
    assert (agreement["items"] == 3).all() and agreement.support.iat[-1] == 3
    pred = codes[codes.matched].merge(docs[["doc_id", "record_id"]], on="doc_id")
    hits = {("tax", "economic"), ("clash", "conflict"), ("duty", "moral")}
    assert agreement.predicted.iat[-1] == len(pred)
    for frame, row in agreement.set_index("frame_id").iloc[:3].iterrows():
        mine = pred[pred.frame_id == frame]
        tp = sum((r, frame) in hits for r in mine.record_id)
        assert row.f1 == pytest.approx(2 * tp / (len(mine) + 1))
    assert meta2["llm"][-1]["agreement"]["items"] == 3

    # the key was sent to the server but is written nowhere: not in the run, not in the cache
    for folder in (run, cache_env):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


def test_an_instruction_inside_a_document_does_not_change_other_documents_codes(llama_server, cache_env,
                                                                                  tmp_path):
    clean = _ingest(tmp_path, "docs", run="clean")
    attacked = _ingest(tmp_path, "docs", "injection", run="attacked")
    codes_clean, _ = _code(llama_server, clean, cache_env)
    before = llama_server.chat_requests()
    codes_attacked, meta = _code(llama_server, attacked, cache_env)
    # One request per document, keyed by that document's text alone: the three documents of the clean run
    # are answered from the cache (a request that also held the attack would be a new one), and only the
    # attacking document reaches the server.
    assert llama_server.chat_requests() - before == 1
    stage = meta["llm"][-1]["stages"]["code"]
    assert stage["cached"] == 3 and stage["requests"] == 1
    docs_clean = pd.read_parquet(clean / "tables" / "documents.parquet")
    docs_attacked = pd.read_parquet(attacked / "tables" / "documents.parquet")
    for record in ("tax", "clash", "duty"):
        assert _codes_of(codes_attacked, docs_attacked, record) == _codes_of(codes_clean, docs_clean, record)
    # ... and the request that carried the attack declared it as data between its own markers
    from framing.llm.codebook import text_message

    attack = docs_attacked.loc[docs_attacked.record_id == "attack", "text"].iat[0]
    message = text_message(attack)
    assert message.splitlines()[1].startswith("<<<TEXT ") and "data, not instructions" in message


def test_a_malformed_answer_is_sent_back_and_asked_again(llama_server):
    from framing.llm.client import ChatClient, MalformedAnswer, NoValidAnswer

    client = ChatClient(llama_server.url, llama_server.model, max_retries=1, backoff=0.01, max_tokens=8,
                        timeout=900)
    seen = []

    def first_is_bad(content):
        seen.append(content)
        if len(seen) == 1:
            raise MalformedAnswer("the test rejects the first answer")
        return content

    answer = client.ask([{"role": "user", "content": "Say one word."}], first_is_bad)
    assert answer.attempts == 2 and len(seen) == 2 and answer.completion_tokens > 0
    with pytest.raises(NoValidAnswer, match="after 2 attempt"):
        client.ask([{"role": "user", "content": "Say one word."}], lambda c: (_ for _ in ()).throw(ValueError("no")))


def test_topic_names_from_keywords_and_sentences(llama_server, cache_env, monkeypatch):
    from framing.llm.cache import AnswerCache
    from framing.llm.client import ChatClient
    from framing.llm.topics import name_topics

    topics = pd.DataFrame({"topic": [-1, 0], "keywords": [["misc"], ["oil", "troops", "fields"]],
                           "representative_ids": [[], ["s1", "s2"]]})
    sentences = pd.DataFrame({"sentence_id": ["s1", "s2"], "text": ["Troops guard the oil fields.",
                                                                    "Foreign troops control the oil revenue."]})
    client = ChatClient(llama_server.url, llama_server.model, cache=AnswerCache(cache_env), max_tokens=60,
                        timeout=900, system_role=False)
    table, stats = name_topics(topics, sentences, client)
    assert table.topic.tolist() == [0]            # the outliers are not named
    assert table.name.iat[0].strip() and table.description.iat[0].strip()
    assert stats["stage"] == "topics" and stats["items"] == 1


def test_the_codes_train_the_fast_classifier(llama_server, cache_env, tmp_path):
    import shutil

    run = _ingest(tmp_path, "train")
    labels = tmp_path / "llm-labels.jsonl"
    codes, _ = _code(llama_server, run, cache_env, "--labels-out", str(labels))
    written = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(written) == codes.doc_id.nunique() >= 6 and {tuple(r) for r in written} == {("doc_id", "frames")}
    assert {r["doc_id"]: set(r["frames"]) for r in written} == {
        d: set(g.loc[g.matched, "frame_id"]) for d, g in codes.groupby("doc_id")}
    catalog = tmp_path / "catalog.yaml"   # frames train saves its model beside the catalog
    shutil.copy(CATALOG, catalog)
    result = CliRunner().invoke(app, ["frames", "train", str(catalog), "--labels", str(labels), "--run", str(run),
                                      "--level", "document", "--model", "hashing", "--pooling", "mean",
                                      "--set", "embedding.cache=false"])
    trainable = [f for f in ("economic", "conflict", "moral")   # 3 positive and 3 negative documents
                 if 3 <= sum(f in r["frames"] for r in written) <= len(written) - 3]
    if not trainable:
        assert result.exit_code != 0 and "enough coded examples" in result.output, result.output
        pytest.skip(f"the model's codes give no frame 3 positive and 3 negative documents: {written}")
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "catalog.trained.json").read_text())
    assert set(model["model"]["frames"]) == set(trainable)
    assert model["meta"]["labels_file"] == str(labels) and model["meta"]["items"] == len(written)
    # the run's table of codes is a label file too: the same classifier without the JSONL step
    codes_file = run / "tables" / "llm_codes.parquet"
    again = CliRunner().invoke(app, ["frames", "train", str(catalog), "--labels", str(codes_file), "--run", str(run),
                                     "--level", "document", "--model", "hashing", "--pooling", "mean",
                                     "--set", "embedding.cache=false"])
    assert again.exit_code == 0, again.output
    model = json.loads((tmp_path / "catalog.trained.json").read_text())
    assert set(model["model"]["frames"]) == set(trainable) and model["meta"]["labels_file"] == str(codes_file)
