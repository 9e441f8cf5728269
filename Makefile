# Two commands for a fresh machine: `make site` and `make test`. Every target is phony: after
# a YAML edit, `make site` always runs, and the generator works out what changed (an edit of items'
# wording makes again only the pages that show them; make's timestamps are not the judge).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
export NO_MKDOCS_2_WARNING := 1
# The .venv is set up again only when the dependency files change (their content, not their dates):
# an up-to-date .venv installs nothing and `make site` works offline.
DEPS_KEY := $(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | tr ' ' -)
TEST_KEY := test-$(DEPS_KEY)-$(shell cat package-lock.json 2>/dev/null | cksum | tr ' ' -)

.PHONY: site test serve check bench deps test-deps python-version browser clean clean-venv import

site: deps
	$(PY) -m generator build

check: deps
	$(PY) -m generator check

# --dirty: an edit rebuilds only the pages whose output changed (the hook fingerprints them).
serve: deps
	$(PY) -m mkdocs serve --livereload --dirty

test: test-deps
	$(PY) -m pytest

# Next year's 推进计划: make import FILE=path/to/text.txt ID=plan-2024 [YEAR=2024] [FROM=URL] [FORCE=1]
import: deps
	@test -n "$(FILE)" -a -n "$(ID)" || { echo "usage: make import FILE=official-text.txt ID=plan-2024 [YEAR=2024] [FROM=URL] [FORCE=1]" >&2; exit 2; }
	$(PY) -m generator import-plan "$(FILE)" --id "$(ID)" $(if $(YEAR),--year "$(YEAR)") $(if $(FROM),--obtained-from "$(FROM)") $(if $(FORCE),--force)

# Hugo is the bench's outside reference (Debian's package); without it the bench leaves that line out.
bench: test-deps
	@command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; } \
	  || echo "make bench: hugo could not be installed; the bench runs without the Hugo reference" >&2
	$(PY) -m generator.bench $(if $(BASELINE),--baseline $(BASELINE))
	$(PY) -m generator.search_bench

# Refuse an old Python before anything is created (pip's resolver error would not say why).
python-version:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)." >&2; \
	  echo "make: run e.g. 'make PYTHON=python3.11 site'. Nothing was installed." >&2; exit 1; }
	@test ! -x $(PY) || $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make: $(VENV) is broken or made with an older Python; remove it with 'make clean-venv' and run make again." >&2; exit 1; }

# The virtual environment with the pinned dependencies (constraints.txt pins what they pull in).
deps: python-version
	@test "$$(cat $(VENV)/.deps-key 2>/dev/null)" = "$(DEPS_KEY)" || { \
	  rm -f $(VENV)/.deps-key $(VENV)/.test-key; \
	  { test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; } && \
	  $(PIP) install -c constraints.txt -e . && echo "$(DEPS_KEY)" > $(VENV)/.deps-key; }

test-deps: deps browser
	@test "$$(cat $(VENV)/.test-key 2>/dev/null)" = "$(TEST_KEY)" || { \
	  $(PIP) install -c constraints.txt -e '.[test]' && \
	  { test -d node_modules/axe-core || npm ci --no-audit --no-fund --silent; } && \
	  echo "$(TEST_KEY)" > $(VENV)/.test-key; }
	@test -d node_modules/axe-core || npm ci --no-audit --no-fund --silent

# Browser tests drive Debian's chromium; never a downloaded browser build.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# Leftovers of killed builds are also removed by the next build (the lock file .site.lock stays: a
# running build may hold it); .site.cache is the last build's record for incremental builds; the .venv
# only on request.
# A build's work in the background (deleting the old site, linking the new one's files for the next
# build) may still be writing for a second or two: removed again until nothing is left.
clean:
	@for attempt in 1 2 3 4 5; do rm -rf site .site.building* .site.previous* .site.old* .site.cache && exit 0; sleep 1; done; exit 1

clean-venv:
	rm -rf $(VENV)
