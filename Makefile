# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv with the pinned packages in requirements.lock first.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Tests need a SECRET_KEY, as production does; this one is for tests only.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only}

.PHONY: run test test-postgres lint install lock clean backup restore screenshots

run: install  ## Serve the site with the demo data on http://127.0.0.1:$(PORT)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Demo accounts for http://127.0.0.1:$(PORT)/admin/ :"
	@DEBUG=1 $(BIN)/python manage.py demo_accounts
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install  ## Run the whole suite (on SQLite, or on DATABASE_URL when set)
	$(TEST_ENV) $(BIN)/pytest

test-postgres: install  ## Run the suite on a throwaway PostgreSQL server
	.ci/with-postgres $(MAKE) test

lint: install  ## Style, lint and the migrations check, as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The translations (locale/<language>/LC_MESSAGES/django.po), compiled with
# Babel: a fresh machine has no GNU gettext. Rebuilt whenever a .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(INSTALLED) $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/pybabel --quiet compile --domain django --locale $* --directory locale

$(INSTALLED): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

lock:  ## Re-pin requirements.lock from the dependencies in pyproject.toml
	rm -rf /tmp/repression-lock && $(PYTHON) -m venv /tmp/repression-lock
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > /tmp/repression-lock/in.txt
	/tmp/repression-lock/bin/pip install --quiet -r /tmp/repression-lock/in.txt
	{ echo "# Every package, pinned: what \`make\` installs. Regenerate with \`make lock\` after changing"; \
	  echo "# the dependencies in pyproject.toml."; \
	  /tmp/repression-lock/bin/pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) staticfiles

backup: install  ## Write a consistent copy of the database to backups/ (or FILE=...)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup $(FILE)

restore: install  ## Replace the database with a backup: make restore FILE=backups/...
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/<name>"; exit 2; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore $(FILE)

screenshots: install  ## Save PNGs of the main pages, 1280 and 375 px wide, in screenshots/ (needs /usr/bin/chromium)
	$(BIN)/python -m tests.browser.screenshots screenshots

.PHONY: bench
bench: install  ## Measure the site at 100,000 synthetic cases (PostgreSQL, gunicorn, wrk); see docs/benchmarks.md
	bench/run.sh

.PHONY: cluster
cluster: install  ## nginx, two app servers, PostgreSQL, Redis and an S3 store on loopback, with the demo data (docs/deploy.md)
	PORT=$(PORT) $(BIN)/python deploy/cluster.py

.PHONY: soak
soak: install  ## 5 minutes of load at 16 connections under gunicorn and PostgreSQL; prints errors and worker memory
	bench/soak.sh
