# The two commands of the README: `make seeds` and `make test`.
# Both install everything into .venv first (torch pinned through constraints.txt).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/pip -q --disable-pip-version-check

.PHONY: install seeds test test-fast browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, from the pin in constraints.txt, so nothing pulls a CUDA build.
install: $(BIN)/python
	$(PIP) install -c constraints.txt torch
	$(PIP) install -c constraints.txt -e '.[dev]'
	@$(MAKE) --no-print-directory $(VENV)/.umap-compiled

# numba compiles UMAP's functions once per installation (1-5 minutes), not once per run.
$(VENV)/.umap-compiled:
	$(BIN)/python -m framing.topics.compiled
	@touch $@

seeds: install
	$(BIN)/framing analyze seeds/

test: install browser
	$(BIN)/python -m pytest -q

# The report's browser test needs a headless Chromium. As root with apt (CI, containers) it is
# installed from Debian's packages; elsewhere install it yourself or the test is skipped.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the report's browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "chromium could not be installed: the browser test will be skipped"; \
	else echo "No chromium found: the report's browser test will be skipped"; fi

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf reports/seeds .pytest_cache
