# Two commands for a fresh machine: `make site` and `make test`. Every target is phony: after
# a YAML edit, `make site` always rebuilds (the generator is fast; make's timestamps are not
# the judge of what changed under data/).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check bench deps test-deps browser clean import

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

bench: test-deps
	$(PY) -m generator.bench $(if $(BASELINE),--baseline $(BASELINE))
	$(PY) -m generator.search_bench

# The virtual environment with the pinned dependencies (constraints.txt pins what they pull in).
deps:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -c constraints.txt -e .

test-deps: deps browser
	@$(PIP) install -c constraints.txt -e '.[test]'
	@test -d node_modules/axe-core || npm ci --no-audit --no-fund --silent

# Browser tests drive Debian's chromium; never a downloaded browser build.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

clean:
	rm -rf site .site.building .site.previous
