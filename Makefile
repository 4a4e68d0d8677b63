# The two commands: `make demo` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DASHBOARD_PORT    ?= 8501
DASHBOARD_ADDRESS ?= localhost


.PHONY: demo test lint typecheck pytest install migrate dashboard clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its dev tools

migrate: $(STAMP) ## bring the database at DATABASE_URL to the newest schema
	$(BIN)/intake db upgrade

dashboard: migrate ## serve the clinic dashboard (DASHBOARD_PORT, default 8501; Ctrl-C stops it)
	@echo "Clinic dashboard: http://$(DASHBOARD_ADDRESS):$(DASHBOARD_PORT)"
	$(BIN)/streamlit run dashboards/app.py \
		--server.port $(DASHBOARD_PORT) --server.address $(DASHBOARD_ADDRESS)

demo: migrate ## set everything up and run as much of the product as exists
	$(BIN)/intake db status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -n auto

test: lint typecheck pytest ## everything the project checks

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
