# Two commands matter: `make run` and `make test`. Everything else is a step of theirs.
VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
PYTEST  := $(VENV)/bin/python -m pytest
PYTEST_ARGS ?=
STAMP   := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)
# The app refuses to start without a public URL outside debug; on this machine it is the dev server.
export LMS_PUBLIC_URL ?= http://127.0.0.1:5000

# pybabel compile writes the .mo even when it exits 1; without this a second make would skip the broken catalog.
.DELETE_ON_ERROR:

.PHONY: run test test-pg test-browser setup system-deps translations migrate lint extract-messages

run: setup migrate
	@$(FLASK) lms seed-if-empty
	@echo "Serving on http://127.0.0.1:5000 with a queue worker (Ctrl+C stops both)"
	@FLASK="$(FLASK)" sh scripts/run-with-worker.sh

test: setup
	@$(FLASK) lms content check
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

test-pg: setup
	@test -n "$$LMS_TEST_DATABASE_URL" || { echo "Set LMS_TEST_DATABASE_URL to a PostgreSQL URL"; exit 2; }
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

test-browser: setup
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund
	$(PYTEST) -m browser

lint: setup
	$(VENV)/bin/ruff check .

setup: system-deps $(STAMP) translations instance/config.py

system-deps:
	@sh scripts/system-deps.sh

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

# Compiled only when a catalog changed, so two test passes started together never
# rewrite a .mo file while the other reads it.
CATALOGS := $(wildcard lms/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGS:.po=.mo)

lms/translations/%/LC_MESSAGES/messages.mo: lms/translations/%/LC_MESSAGES/messages.po $(STAMP)
	@$(VENV)/bin/pybabel compile -d lms/translations -l $*

# The secret key is made once per machine and never committed (instance/ is git-ignored).
instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('SECRET_KEY = %r' % secrets.token_hex(32))" > $@
	@echo "Wrote a new secret key to $@"

migrate: setup
	@$(FLASK) db upgrade

# Refresh the catalog template and the English catalog after adding strings.
extract-messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -o lms/translations/messages.pot .
	$(VENV)/bin/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching
