"""The sections of the configuration: one pydantic model per section of ``configs/default.yaml``.

Each section forbids unknown keys and validates on assignment; :class:`Config`
holds them all and the top-level ``seed``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Section
from .topics import TopicsConfig


class FieldMapping(Section):
    """Which field of a .jsonl / .csv / .parquet record holds what.

    ``None`` means the field is absent. ``text`` may name a field holding a
    string, a list of strings, or a list of lists of strings (paragraphs of
    sentences), which are joined into one text.
    """

    text: str = "text"
    id: str | None = "id"
    source: str | None = "source"
    date: str | None = "date"
    title: str | None = "title"
    url: str | None = "url"
    language: str | None = "language"
    author: str | None = "author"
    parent: str | None = "parent"
    role: str | None = "role"
    keep: list[str] = Field(default_factory=list)
    """Other record fields or manifest columns to keep as their own documents columns (lists joined
    as text); every other short field is kept anyway in the documents' ``meta`` JSON column."""

    def mapped(self) -> dict[str, str | None]:
        """The single-field mappings (every key but ``keep``)."""
        return self.model_dump(exclude={"keep"})


class CorpusConfig(Section):
    """How inputs are found and read."""

    fields: FieldMapping = Field(default_factory=FieldMapping)
    manifest: str | None = None
    """Manifest file (.csv / .jsonl / .yaml) keyed by file name; None looks for
    ``manifest.csv|jsonl|yaml`` inside each input folder."""
    extensions: list[str] = Field(default_factory=lambda: [".txt", ".md", ".html", ".htm"])
    recursive: bool = True
    encodings: list[str] = Field(default_factory=lambda: ["utf-8-sig", "utf-8", "cp1252", "latin-1"])
    """Encodings tried in order when charset detection is not decisive."""
    default_source: str | None = None
    """Source for records that name none; None uses the file's folder or stem."""


class StructureConfig(Section):
    """Splitting scraped pages into article, comments and posts."""

    split: Literal["auto", "none"] = "auto"
    """``auto`` finds threads and blog archives; ``none`` keeps every page as one unit."""
    min_comment_markers: int = Field(2, ge=1)
    """A comment style is recognised only with at least this many markers."""
    min_name_lines: int = Field(3, ge=1)
    """Distinct bare author names needed before a page is read as a name-line thread."""
    max_name_words: int = Field(5, ge=1)
    """Longest bare author-name line, in words (longer lines are comment text)."""
    min_archive_posts: int = Field(2, ge=1)
    """Day-name date headers needed before a page is read as a blog archive."""


class LanguageConfig(Section):
    """Language identification of units and sentences."""

    languages: list[str] = Field(
        default_factory=lambda: ["en", "nl", "de", "fr", "es", "it", "pt", "ru", "ar", "tr", "pl", "uk"]
    )
    """ISO 639-1 codes the detector chooses among; fewer languages are faster and surer."""
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
    """Below this, a sentence takes the language of its unit."""
    min_chars: int = Field(20, ge=0)
    """Sentences shorter than this take the language of their unit."""


class SegmentConfig(Section):
    """Sentence segmentation."""

    min_chars: int = Field(3, ge=1)
    """Sentences with fewer word characters are flagged as fragments (kept, not embedded)."""
    max_chars: int = Field(2000, ge=50)
    """Longer sentences are split at the nearest whitespace so no text is lost."""


class EmbeddingConfig(Section):
    """Sentence embeddings and their cache."""

    model: str = "auto"
    """``auto``, a registered name (``sentence-transformers``, ``use-multilingual``,
    ``hashing``), or any sentence-transformers model name or local path."""
    english_share: float = Field(0.95, ge=0.0, le=1.0)
    """``auto`` picks the English model when at least this share of sentences is English."""
    batch_size: int = Field(64, ge=1)
    batch_independent: bool = True
    """Encode each sentence on its own, so its vector is the same whatever else is embedded with it or already
    cached: a cold and a warm cache give the same topics. ``false`` encodes ``batch_size`` sentences per call,
    about 1.7 times faster, with vectors that vary in the last bits with their batch (cached apart)."""
    cache: bool = True
    """Keep embeddings, UMAP reductions, split corpora and topic fits on disk and reuse them (docs/reference/config.md: Embedding cache)."""
    cache_dir: str | None = None
    """None uses the user's cache directory (platformdirs)."""
    device: str = "cpu"
    backend: Literal["torch", "int8"] = "torch"
    """``int8``: sentence-transformers models with their Linear layers quantised
    to int8 (torch dynamic quantisation, per channel): faster on CPU, vectors
    close to the full model's (docs/performance.md); cached under their own key."""


class FramesConfig(Section):
    """Frame catalogs and matching."""

    catalogs: list[str] = Field(default_factory=list)
    """Catalog YAML files (``--frames`` adds some); when none is named, ``default_catalog`` applies."""
    default_catalog: str | None = None
    """The catalog used when no catalog is named (e.g. news-frames); null matches no frames and says so.
    null by default: news-frames has not yet met its accuracy target (docs/frames.md)."""
    threshold: Literal["calibrated"] | float = "calibrated"
    calibration: Literal["reference", "corpus", "anchors"] = "reference"
    """``reference``: each frame's threshold sits halfway between the typical score of the shipped
    reference sample of ordinary sentences (per language) and its anchors', and never below the
    ``reference_quantile`` of the reference's scores: a decision does not move with the rest of the
    corpus. ``corpus`` (corpus-relative): halfway between the corpus's typical score and its anchors';
    ``anchors``: learned from the catalog's anchors alone."""
    reference_quantile: float = Field(0.99, ge=0.5, lt=1.0)
    """With ``calibration: reference``, a sentence threshold never sits below this quantile of the
    reference sentences' scores for the frame in the sentence's language."""
    near_miss_floor: bool = False
    """With ``calibration: reference``, a sentence threshold is also never below the midpoint between
    the frame's near misses (its negatives) and its anchors (off by default: see docs/frames.md)."""
    contrast: bool = True
    """A sentence matches a frame only when it also leans toward it: nearer the frame's anchors than to
    any sentence of the shipped reference sample, any near miss of the catalog and any unrelated
    frame's anchors (the ``margin`` column above 0; :mod:`framing.frames.margin`)."""
    whole_sentence_lean: bool = True
    """With ``contrast``, a sentence matches only when the whole sentence leans toward the frame (the
    ``sentence_margin`` column above 0), not only one of its clause windows; a window can still raise its
    strength and its ``margin``, which a document's support counts. Under ``document_rule: support``, at
    least one of a document's leaning sentences must then lean as a whole (docs/frames.md)."""
    specificity: float = Field(0.5, ge=0.0)
    """How much a sentence's strength for unrelated frames lowers its strength for a frame."""
    exclusive: bool = True
    """A sentence is matched only to the frame it is strongest on (and that frame's family)."""
    document_top_k: int = Field(3, ge=1)
    """A document's score for a frame is the mean strength of its top-k sentences."""
    document_rule: Literal["support", "score"] = "support"
    """``support``: a document uses a frame when one per ten of its sentences (at least 1, at most
    ``document_top_k``) lean toward it (margin above 0); ``score``: when its top-k score reaches the
    document threshold and one of its sentences matches (:mod:`framing.frames.document`)."""
    document_calibration: Literal["sentence", "mixture"] = "sentence"
    """``sentence``: a document uses a frame when its score reaches the matcher's fixed document
    threshold; ``mixture`` (corpus-relative): when a two-component mixture of the corpus's document
    scores puts it in the higher component. Either way at least one of its sentences must match."""
    negative_weight: float = Field(0.5, ge=0.0)
    topic_min_share: float = Field(0.1, ge=0.0, le=1.0)
    """A topic expresses a frame when at least this share of its sentences match it."""
    topic_min_sentences: int = Field(2, ge=1)
    """... and at least this many of its sentences match it."""
    n_evidence: int = Field(5, ge=1)
    suggest_min_sources: int = Field(2, ge=1)


class TechniquesConfig(Section):
    """Propaganda techniques (:mod:`framing.techniques`): off unless a catalog is named."""

    catalogs: list[str] = Field(default_factory=list)
    """One technique catalog (a YAML file or a bundled name: ``propaganda``); ``--techniques`` sets it.
    Empty: the run has no technique tables."""
    scorer: Literal["auto", "trained", "catalog"] = "auto"
    """``auto``: the model trained beside the catalog (``framing techniques train``) when it was fitted
    with the run's embedder, else the catalog zero-shot; ``trained`` requires the model; ``catalog``
    ignores it."""
    corroborate: bool = True
    """Zero-shot only: a clause-level technique is decided for a sentence only when the sentence is near the
    technique's examples *and* holds one of its cue words (a technique without cue words is then never decided
    zero-shot). ``false`` decides on the meaning alone. The trained model ignores it."""


class LLMConfig(Section):
    """A language model behind an OpenAI-compatible chat server (``framing code``; needs ``framing[llm]``).

    Only the user sets it (``--config``, ``--set``, the command's options): a corpus's framing.yaml and a
    received run's run.json cannot choose the server a corpus is sent to or the variable holding its key.
    """

    url: str | None = None
    """Base URL of the server's OpenAI API, e.g. http://127.0.0.1:8080/v1 (llama.cpp), http://localhost:11434/v1 (Ollama)."""
    model: str | None = None
    """The model name the server knows (Ollama: gemma3:27b; vLLM: the Hugging Face id; llama.cpp: any)."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key (the key itself is never written anywhere)."""
    timeout: float = Field(120.0, gt=0)
    """Seconds to wait for one answer."""
    max_retries: int = Field(3, ge=0)
    """Retries of a failed request or a malformed answer (exponential backoff between them)."""
    concurrency: int = Field(4, ge=1)
    """Requests in flight at once."""
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(512, ge=16)
    """Longest answer, in tokens."""
    max_chars: int = Field(12000, ge=200)
    """A longer text is cut to its first max_chars characters (said in run.json)."""
    system_role: bool = True
    """False puts the codebook at the start of the user message, for chat formats without a system role
    (llama-cpp-python's gemma format drops system messages)."""
    examples_per_frame: int = Field(3, ge=0)
    """Anchors of each frame quoted in the codebook (and as many near misses, at most 2)."""
    structured: Literal["json_object", "json_schema", "none"] = "json_object"
    """How JSON is asked for: json_object with the schema beside it (llama.cpp and llama-cpp-python enforce it; vLLM,
    Ollama give JSON), json_schema (OpenAI's structured outputs; vLLM, Ollama, llama.cpp's own server), or none."""


class CompareConfig(Section):
    """Comparisons across groups (``framing compare`` and the defaults of ``framing analyze``)."""

    by: list[str] = Field(default_factory=lambda: ["source", "role"])
    """Groupings ``framing analyze`` compares; one with a single group (no comments) is skipped."""
    min_documents: int = Field(5, ge=1)
    """Groups with fewer documents are flagged ``few_documents`` (kept, not hidden)."""
    bootstrap: int = Field(1000, ge=100)
    """Bootstrap resamples (over documents) of every sentence-level interval."""
    terms_top_n: int = Field(20, ge=1)
    """Distinctive terms kept per group and scope."""
    terms_min_count: int = Field(5, ge=1)
    """Terms counted fewer times in a scope are left out (and frames with fewer matches get no scope)."""
    terms_prior_scale: float = Field(1.0, gt=0.0)
    """Dirichlet prior of the log-odds: this times each term's count in the compared sentences."""
    terms_by_frame: bool = True
    """Also find distinctive terms within each frame's matched sentences."""
    reprints: Literal["once", "raw"] = "once"
    """``once``: a passage reprinted in other documents counts once, where it first appeared (the ``reuse``
    table); ``raw``: every copy counts."""
    reuse_min_words: int = Field(8, ge=3)
    """Sentences shorter than this are never counted as reprints (short sentences repeat by chance)."""
    reuse_threshold: float = Field(0.8, gt=0.0, le=1.0)
    """Jaccard similarity of word shingles from which two passages or documents are copies (1.0: identical)."""


class ReportConfig(Section):
    """The HTML report."""

    title: str | None = None
    max_points: int = Field(10000, ge=100)
    """Sentences shown in the 2-D map at most (a seeded sample beyond that)."""


class OutputConfig(Section):
    """Where runs are written."""

    dir: str | None = None
    """None writes to ``reports/<corpus name>/``."""
    overwrite: bool = True


class Config(Section):
    """The whole configuration. ``seed`` reaches every random step."""

    seed: int = Field(42, ge=0, le=2**32 - 1)
    corpus: CorpusConfig = Field(default_factory=CorpusConfig)
    structure: StructureConfig = Field(default_factory=StructureConfig)
    language: LanguageConfig = Field(default_factory=LanguageConfig)
    segment: SegmentConfig = Field(default_factory=SegmentConfig)
    embedding: EmbeddingConfig = Field(default_factory=EmbeddingConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    frames: FramesConfig = Field(default_factory=FramesConfig)
    techniques: TechniquesConfig = Field(default_factory=TechniquesConfig)
    compare: CompareConfig = Field(default_factory=CompareConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    llm: LLMConfig = Field(default_factory=LLMConfig)
