"""A client for OpenAI-compatible chat servers: llama.cpp's server, Ollama, vLLM, OpenAI and the like.

What it adds to the ``openai`` package (``framing[llm]``): answers cached on
disk (:mod:`framing.llm.cache`), so a re-run asks the server nothing; each
answer validated by the caller's function, a malformed one sent back once
more with the reason (a repair turn) until ``max_retries`` is spent; failed
requests retried with exponential backoff; at most ``concurrency`` requests
in flight; a progress bar; temperature and seed in every request; and the
time and tokens of each stage counted (:class:`StageStats`, for run.json).

The API key is read from the environment variable named by
``llm.api_key_env`` when the client is made, kept in memory only, and never
written to run.json, a cache entry or a log.

Examples
--------
>>> client = ChatClient("http://127.0.0.1:8080/v1", "gemma-3-270m", seed=42)   # doctest: +SKIP
>>> answers, stats = client.ask_many([[{"role": "user", "content": "Say hi"}]], validate=str)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from ..errors import LLMError
from .cache import NoCache, request_key

logger = logging.getLogger(__name__)

REPAIR = ("Your answer could not be used: {reason}. Answer again with only the JSON object the instructions "
          "describe, and nothing else.")


class NoValidAnswer(LLMError):
    """The retries of one request are spent (other requests may still succeed)."""


class MalformedAnswer(ValueError):
    """Raised by a validator: the answer is not what the prompt asked for (it is sent back with the reason)."""


@dataclass(frozen=True)
class Answer:
    """One validated answer.

    content : the raw text the model returned; parsed : what the validator made of it;
    prompt_tokens, completion_tokens : what the server counted (0 for a cached answer);
    seconds : time spent on it; cached : read from the cache; attempts : requests sent (0 when cached).
    """

    content: str
    parsed: object
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cached: bool = False
    attempts: int = 0


@dataclass
class StageStats:
    """Time and tokens of one stage (coding documents, naming topics ...), as written to run.json."""

    stage: str
    model: str
    items: int = 0
    requests: int = 0
    cached: int = 0
    failed: int = 0
    retries: int = 0
    malformed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    errors: list = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        out["errors"] = self.errors[:5]
        return out


def _retryable(exc: Exception) -> bool:
    import openai

    if isinstance(exc, (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)):
        return True  # APITimeoutError is an APIConnectionError
    status = getattr(exc, "status_code", None) if isinstance(exc, openai.APIStatusError) else None
    return status is not None and (status in (408, 409, 425, 429) or status >= 500)


class ChatClient:
    """Chat completions from one model of an OpenAI-compatible server.

    Parameters
    ----------
    url : str
        The server's API base, e.g. ``http://127.0.0.1:8080/v1``.
    model : str
        The model name the server knows.
    api_key_env : str, optional
        Environment variable holding the API key (local servers need none).
    timeout : float
        Seconds to wait for one answer.
    max_retries : int
        Retries of a failed request or a malformed answer.
    concurrency : int
        Requests in flight at once.
    temperature : float
    seed : int
        Sent with every request (servers that take one sample reproducibly).
    max_tokens : int
    structured : {"json_object", "json_schema", "none"}
        How a JSON answer is asked for when the caller gives a schema: ``json_object`` with the schema
        beside it (llama.cpp and llama-cpp-python enforce it with a grammar; vLLM and Ollama give JSON),
        ``json_schema`` (OpenAI's structured outputs; vLLM, Ollama, llama.cpp's own server), ``none``
        (the prompt alone asks for JSON).
    system_role : bool
        Send instructions as a system message; False puts them at the start of the first user message,
        for models and chat formats without a system role (llama-cpp-python's ``gemma`` format drops
        system messages).
    cache : AnswerCache, optional
        Where answers are kept (none: nothing is kept).
    backoff : float
        Seconds before the first retry of a failed request; doubled for each next one.
    """

    def __init__(self, url: str, model: str, *, api_key_env: str | None = None, timeout: float = 120.0,
                 max_retries: int = 3, concurrency: int = 4, temperature: float = 0.0, seed: int = 42,
                 max_tokens: int = 512, structured: str = "json_object", system_role: bool = True, cache=None,
                 backoff: float = 1.0):
        if not url:
            raise LLMError("No language model server is set. Give --llm-url (e.g. http://127.0.0.1:8080/v1 for "
                           "llama.cpp, http://localhost:11434/v1 for Ollama) or set llm.url in your config.")
        if not model:
            raise LLMError("No model is set. Give --llm-model (the name the server knows, e.g. gemma3:27b for "
                           "Ollama) or set llm.model in your config.")
        self.url = url
        self.model = model
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.max_retries = max_retries
        self.concurrency = concurrency
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = max_tokens
        self.structured = structured
        self.system_role = system_role
        self.cache = cache if cache is not None else NoCache()
        self.backoff = backoff
        self._client = self._make_client()

    def _api_key(self) -> str:
        if not self.api_key_env:
            return "not-needed"  # the openai package insists on a key; local servers ignore it
        key = os.environ.get(self.api_key_env)
        if not key:
            raise LLMError(f"llm.api_key_env names the environment variable {self.api_key_env}, but it is not set. "
                           f"Export it (export {self.api_key_env}=...) or unset llm.api_key_env for a server "
                           "that needs no key.")
        return key

    def _make_client(self):
        try:
            import openai
        except ImportError:
            raise LLMError("Coding with a language model needs the openai package. Install it with: "
                           "pip install 'framing[llm]'") from None
        return openai.OpenAI(base_url=self.url, api_key=self._api_key(), timeout=self.timeout, max_retries=0)

    def params(self, schema: dict | None) -> dict:
        """The sampling parameters and answer format of a request (part of the cache key)."""
        out = {"temperature": self.temperature, "seed": self.seed, "max_tokens": self.max_tokens}
        if not self.system_role:
            out["system_in_user"] = True  # changes the prompt the model reads: part of the key, never sent
        if schema is not None and self.structured == "json_schema":
            out["response_format"] = {"type": "json_schema",
                                      "json_schema": {"name": "answer", "schema": schema, "strict": True}}
        elif schema is not None and self.structured == "json_object":
            # llama.cpp's servers (and llama-cpp-python's) turn "schema" into a grammar; others give any JSON object
            out["response_format"] = {"type": "json_object", "schema": schema}
        return out

    def check(self) -> None:
        """Fail early, with what to do, when the server cannot be reached or refuses the key."""
        import openai

        try:
            self._client.models.list()
        except openai.AuthenticationError:
            raise LLMError(f"The server at {self.url} refused the API key (from ${self.api_key_env}). Check the "
                           "key, or llm.api_key_env.") from None
        except openai.APIConnectionError as exc:
            raise LLMError(f"Cannot reach the language model server at {self.url} ({exc.__cause__ or exc}). Start "
                           "it (llama.cpp: python -m llama_cpp.server --model FILE.gguf; Ollama: ollama serve) or "
                           "fix --llm-url / llm.url.") from None
        except openai.APIStatusError:
            pass  # a server without /models can still answer chat requests

    def _wire(self, messages: list[dict]) -> list[dict]:
        """The messages as sent: without a system role, system text opens the first user message."""
        if self.system_role:
            return messages
        system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
        rest = [dict(m) for m in messages if m["role"] != "system"]
        if system and rest and rest[0]["role"] == "user":
            rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
        elif system:
            rest.insert(0, {"role": "user", "content": system})
        return rest

    def _send(self, messages: list[dict], params: dict):
        import openai

        params = {k: v for k, v in params.items() if k != "system_in_user"}
        try:
            return self._client.chat.completions.create(model=self.model, messages=self._wire(messages), **params)
        except openai.AuthenticationError:
            raise LLMError(f"The server at {self.url} refused the API key (from ${self.api_key_env}).") from None
        except openai.NotFoundError as exc:
            raise LLMError(f"The server at {self.url} does not know the model {self.model!r} ({exc.message}). "
                           "Give a model it serves with --llm-model.") from None
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if "response_format" in params and ("response_format" in str(exc) or "schema" in str(exc)):
                other = "json_schema" if self.structured == "json_object" else "json_object"
                raise LLMError(f"The server at {self.url} refused the answer format ({exc.message}). Set "
                               f"llm.structured to {other}, or none, for this server.") from None
            raise LLMError(f"The server at {self.url} refused the request: {exc.message}. A text longer than the "
                           "model's context? Lower llm.max_chars or start the server with a larger context "
                           "(llama.cpp: --n_ctx 8192).") from None

    def ask(self, messages: list[dict], validate, schema: dict | None = None, stats: StageStats | None = None,
            lock: threading.Lock | None = None) -> Answer:
        """One answer to ``messages``, from the cache or the server, as ``validate(content)`` returns it.

        ``validate`` raises :class:`MalformedAnswer` (or ``ValueError``) when the content is not usable:
        the answer is sent back with the reason and asked again, up to ``max_retries`` times.
        A request that fails (no connection, timeout, 429, 5xx) is retried after 1, 2, 4 ... x ``backoff`` s.

        Raises
        ------
        NoValidAnswer
            When the retries are spent.
        LLMError
            When the server refuses the request for good (key, model, format, context length).
        """
        lock = lock or threading.Lock()
        params = self.params(schema)
        key = request_key(self.model, messages, params)
        start = time.perf_counter()
        hit = self.cache.get(key)
        if hit is not None:
            try:
                return Answer(hit["content"], validate(hit["content"]), cached=True,
                              seconds=time.perf_counter() - start)
            except (ValueError, KeyError, TypeError):
                pass  # the validator changed since: ask again
        convo = list(messages)
        attempts, p_tok, c_tok, last = 0, 0, 0, "no attempt"
        while attempts <= self.max_retries:
            attempts += 1
            try:
                response = self._send(convo, params)
            except LLMError:
                raise
            except Exception as exc:  # noqa: BLE001 -- openai's errors; anything else is raised below
                if not _retryable(exc):
                    raise
                last = f"{type(exc).__name__}: {exc}"
                if stats is not None:
                    with lock:
                        stats.retries += attempts <= self.max_retries
                time.sleep(self.backoff * 2 ** (attempts - 1))
                continue
            usage = getattr(response, "usage", None)
            p_tok += int(getattr(usage, "prompt_tokens", 0) or 0)
            c_tok += int(getattr(usage, "completion_tokens", 0) or 0)
            content = response.choices[0].message.content or ""
            try:
                parsed = validate(content)
            except (ValueError, TypeError) as exc:
                last = f"malformed answer: {exc}"
                if stats is not None:
                    with lock:
                        stats.malformed += 1
                        stats.retries += attempts <= self.max_retries
                convo = [*messages, {"role": "assistant", "content": content},
                         {"role": "user", "content": REPAIR.format(reason=str(exc)[:300])}]
                continue
            self.cache.put(key, {"content": content, "prompt_tokens": p_tok, "completion_tokens": c_tok})
            return Answer(content, parsed, p_tok, c_tok, time.perf_counter() - start, False, attempts)
        raise NoValidAnswer(f"No valid answer from {self.model} at {self.url} after {attempts} attempt(s): {last}")

    def ask_many(self, requests: list[list[dict]], validate, schema: dict | None = None, stage: str = "llm",
                 progress: bool = False) -> tuple[list[Answer | None], StageStats]:
        """Answers to many requests, ``concurrency`` at a time, in input order (None where none was valid).

        Returns
        -------
        answers : list of Answer or None, aligned with ``requests``
        stats : StageStats
            Requests sent, cached answers, failures, retries, tokens and wall-clock seconds.
        """
        from tqdm.auto import tqdm

        stats = StageStats(stage=stage, model=self.model, items=len(requests))
        lock = threading.Lock()
        out: list[Answer | None] = [None] * len(requests)
        start = time.perf_counter()

        def one(i: int) -> None:
            try:
                answer = self.ask(requests[i], validate, schema, stats, lock)
            except NoValidAnswer as exc:
                with lock:
                    stats.failed += 1
                    stats.errors.append(str(exc))
                return
            with lock:
                out[i] = answer
                stats.cached += answer.cached
                stats.requests += answer.attempts
                stats.prompt_tokens += answer.prompt_tokens
                stats.completion_tokens += answer.completion_tokens

        with tqdm(total=len(requests), desc=f"{stage} ({self.model})", disable=not progress, leave=False) as bar:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                for _ in pool.map(lambda i: (one(i), bar.update(1)), range(len(requests))):
                    pass
        stats.seconds = time.perf_counter() - start
        return out, stats
