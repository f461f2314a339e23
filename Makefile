# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install migrate demo messages collect-messages untranslated clean

$(INSTALLED): pyproject.toml
	@echo "== Installing siplan and its dependencies in $(VENV) (a minute or two the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(INSTALLED)

# A laptop's settings (git-ignored, read by siplan/settings.py; the environment wins): a generated key, DEBUG on.
.env:
	@echo "== Writing .env with a generated SECRET_KEY and DEBUG=1 (for this laptop only)"
	@$(PYTHON) -c 'import secrets; print(f"SECRET_KEY={secrets.token_urlsafe(50)}\nDEBUG=1")' > $@

install: $(INSTALLED) .env

# HOST is exported so that approved PDFs' QR code and short link point where runserver listens.
run: export DEBUG ?= 1
run: export HOST := $(HOST)
run: $(INSTALLED) .env
	@echo "== Migrating the database and loading the demo"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST)

test: export SECRET_KEY ?= insecure-key-for-tests-only
test: $(INSTALLED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The house's checks (README, "Layout"): ruff's lint and format, the apps' import layers, the types.
lint: export SECRET_KEY ?= insecure-key-for-lint-only
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# After editing locale/*/LC_MESSAGES/django.po: compile the .mo files (committed) without GNU gettext.
messages: $(INSTALLED)
	$(BIN)/python scripts/compile_messages.py

# New messages into locale/en (needs GNU gettext: apt-get install gettext), then what is left to translate.
# Never `makemessages -l es_GT`: that catalogue holds only Django's messages reworded for Guatemala, which
# makemessages --no-obsolete would delete (siplan's own messages are written in Spanish and need no entry).
collect-messages: export SECRET_KEY ?= insecure-key-for-makemessages-only
collect-messages: $(INSTALLED)
	$(BIN)/python manage.py makemessages -l en --no-obsolete
	-$(BIN)/python scripts/untranslated_messages.py

# The entries of locale/en still untranslated or fuzzy (they show in Spanish); exit status 1 while any is left.
untranslated: $(INSTALLED)
	$(BIN)/python scripts/untranslated_messages.py

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
