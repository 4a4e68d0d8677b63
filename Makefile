# The two commands: `make demo` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DASHBOARD_PORT    ?= 8501
DASHBOARD_ADDRESS ?= 127.0.0.1


LANDING := $(or $(INTAKE_LANDING_DIR),var/landing)
DEMO_RECORDS ?= 6000
DEMO_DAYS ?= 42
DEMO_CLINICS ?= 4
RECORDS ?= 1000000
DB ?= sqlite postgres

DEMO_ADMIN ?= demo-admin

.PHONY: demo test lint typecheck pytest install migrate seed pipeline dashboard demo-admin bench fuzz clean \
	prod-up prod-down test-prod

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,prod]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its dev tools

migrate: $(STAMP) ## bring the database at DATABASE_URL to the newest schema
	$(BIN)/intake db upgrade

seed: $(STAMP) ## write synthetic intake files into the landing directory if it has none
	@if ls $(LANDING)/intake_* >/dev/null 2>&1; then \
		echo "$(LANDING) already has intake files: not seeding"; \
	else \
		$(BIN)/intake seed --records $(DEMO_RECORDS) --days $(DEMO_DAYS) --clinics $(DEMO_CLINICS) --out $(LANDING); \
	fi

pipeline: migrate seed ## ingest the landing directory through the Dagster pipeline
	$(BIN)/intake run --landing $(LANDING)

dashboard: migrate ## serve the clinic dashboard (DASHBOARD_PORT, default 8501; Ctrl-C stops it)
	@echo "Clinic dashboard: http://$(DASHBOARD_ADDRESS):$(DASHBOARD_PORT)"
	$(BIN)/streamlit run dashboards/server.py \
		--server.port $(DASHBOARD_PORT) --server.address $(DASHBOARD_ADDRESS)

demo-admin: migrate ## create the demo administrator with a random password it prints (kept as it is if it exists)
	$(BIN)/intake users add $(DEMO_ADMIN) --role admin --generate-password --if-missing

demo: pipeline demo-admin ## set everything up, seed, run the pipeline and serve the dashboard
	@echo "Done: the database is $${DATABASE_URL:-sqlite:///var/intake.db}; runs are in var/dagster."
	@echo "Watch the pipeline in the Dagster UI: DAGSTER_HOME=$$PWD/var/dagster $(BIN)/dg dev"
	@echo "Sign in to the dashboard as $(DEMO_ADMIN) with the password printed above when it was made"
	@echo "(lost it? $(BIN)/intake users remove $(DEMO_ADMIN), then make demo-admin prints a new one)"
	@$(MAKE) --no-print-directory dashboard

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -n auto -m "not prod"

test-prod: $(STAMP) ## the production topology's tests (Celery, daemon, PostgreSQL, Redis): a few minutes
	$(BIN)/pytest -m prod -p no:xdist tests/prod

prod-up: $(STAMP) ## the production topology of deploy/ on 127.0.0.1, data under var/prod/ (docs/deploy.md)
	$(BIN)/python -m deploy.local up

prod-down: $(STAMP) ## stop what prod-up started and delete var/prod/
	$(BIN)/python -m deploy.local down

test: lint typecheck pytest ## everything the project checks

bench: $(STAMP) ## time the pipeline against the raw bulk load: make bench RECORDS=1000000 DB=sqlite
	@for db in $(DB); do $(BIN)/intake bench --records $(RECORDS) --db $$db || exit 1; done

FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP) ## the long fuzz run: FUZZ_EXAMPLES hostile files per test (make test tries 300)
	INTAKE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n auto tests/reliability/test_hostile_input.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
