# Two commands do everything: `make demo` and `make test`. Both set up
# the Debian packages (Tesseract + Chinese data, CJK fonts), the virtualenv and
# the `contracts` command in .venv/bin on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test setup bench bench-batch bench-ocr samples notebooks clean

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(BIN)/contracts run samples --db sqlite:///$(DEMO_DB) --report demo-report.json
	$(BIN)/python scripts/demo_report.py sqlite:///$(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q -rs

# JupyterLab is in the `notebooks` extra only: `make test` and CI do not install it.
NB_STAMP := $(VENV)/.notebooks-installed

$(NB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	touch $(NB_STAMP)

# Opens notebooks/ in JupyterLab on $(DEMO_DB) (built by `make demo` when missing), or on
# CONTRACTS_DB=URL when set (e.g. a PostgreSQL database). Interactive: not part of `make test`/CI.
notebooks: $(NB_STAMP)
	@if [ -z "$$CONTRACTS_DB" ] && [ ! -f $(DEMO_DB) ]; then $(MAKE) demo; fi
	CONTRACTS_DB="$${CONTRACTS_DB:-sqlite:///$(DEMO_DB)}" $(BIN)/jupyter lab notebooks \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: $(STAMP)
	$(BIN)/python scripts/bench_extract.py
	$(BIN)/python scripts/bench_megabyte.py

bench-batch: $(STAMP)
	$(BIN)/python scripts/bench_batch.py

bench-ocr: $(STAMP)
	$(BIN)/python scripts/bench_ocr_speed.py
	$(BIN)/python scripts/bench_ocr.py

samples: $(STAMP)
	$(BIN)/contracts samples --count 6 --out samples --seed 11 --inject-errors 0.3 --formats txt,pdf
	$(BIN)/contracts samples --count 2 --out samples --seed 11 --inject-errors 0.3 --formats scan

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache demo.db demo-report.json
