# The two commands of the README's quick start: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup serve test translations-update test-postgres db content lint clean screenshots

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The compiled gettext catalogues (app/translations/<language>/LC_MESSAGES/messages.mo).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

$(CATALOGUES): %.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

setup: $(VENV)/.installed $(CATALOGUES)

# After changing words in templates or code: collect them, then merge them into each catalogue
# (translate the new entries, then `make setup` compiles them). README: "Translations".
translations-update: setup
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-location --sort-output -o app/translations/messages.pot app
	$(BIN)/pybabel --quiet update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations

db: setup
	$(FLASK) db upgrade

content: db
	$(FLASK) content load

serve: content
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest

# The database-touching tests again on PostgreSQL: TEST_DATABASE_URL=postgresql+psycopg://...
# (an empty database, and a second one named like it plus "_scratch"; both are wiped).
test-postgres: setup
	@test -n "$(TEST_DATABASE_URL)" || { echo "set TEST_DATABASE_URL"; exit 2; }
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest --ignore=tests/browser

lint: setup
	$(BIN)/ruff check app tests bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Screenshots of the main pages at phone and desktop widths (not committed; see screenshots/).
screenshots: setup
	$(BIN)/python scripts/screenshots.py
