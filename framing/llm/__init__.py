"""Coding with a language model behind any OpenAI-compatible chat server (``framing[llm]``).

- :mod:`~framing.llm.client`: the chat client (cache, retries, concurrency, time and tokens);
- :mod:`~framing.llm.codebook`: a frame catalog written out as a codebook prompt;
- :mod:`~framing.llm.schemas`: the answers, validated with pydantic, and their quotes checked against the text;
- :mod:`~framing.llm.coding`: coding texts into the ``llm_codes`` table;
- :mod:`~framing.llm.topics`: topic names and one-line descriptions;
- :mod:`~framing.llm.agreement`: F1 per frame and Krippendorff's alpha against human codes;
The job ``framing code RUN`` is :func:`framing.jobs.code.code_run`; the report's "Coded by MODEL" section is
:mod:`framing.report.sections.llm`.

Nothing here imports ``openai`` until a client is made, so ``import framing`` stays light.
"""
