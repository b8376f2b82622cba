# Two commands do everything: `make demo` and `make test`. Both set up
# the Debian packages (Tesseract + Chinese data, CJK fonts), the virtualenv and
# the `contracts` command in .venv/bin on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test setup bench bench-batch bench-ocr samples clean

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

bench: $(STAMP)
	$(BIN)/python scripts/bench_extract.py

bench-batch: $(STAMP)
	$(BIN)/python scripts/bench_batch.py

bench-ocr: $(STAMP)
	$(BIN)/python scripts/bench_ocr.py

samples: $(STAMP)
	$(BIN)/contracts samples --count 6 --out samples --seed 11 --inject-errors 0.3 --formats txt,pdf
	$(BIN)/contracts samples --count 2 --out samples --seed 11 --inject-errors 0.3 --formats scan

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache demo.db demo-report.json
