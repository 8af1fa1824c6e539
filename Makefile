# The two commands a new machine needs: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
export DJANGO_SETTINGS_MODULE := mapserver.settings
# Database roles (deploy/localdb.sh, deploy/db/roles.sql): the server connects as the app role (DATABASE_URL: rows
# only); migrations, data loads and the test suite, which creates its own database, as the owner role
# (MAPSERVER_MIGRATE_DATABASE_URL; when only DATABASE_URL is set, it is used for both). Unset: the local cluster.
# Shell text, expanded by the shell, so that passwords need no make escaping.
LOCAL_DB = 127.0.0.1:$${MAPSERVER_DB_PORT:-5433}/mapserver
APP_URL = "$${DATABASE_URL:-postgis://mapserver_app:mapserver_app@$(LOCAL_DB)}"
OWNER_URL = "$${MAPSERVER_MIGRATE_DATABASE_URL:-$${DATABASE_URL:-postgis://mapserver:mapserver@$(LOCAL_DB)}}"

.PHONY: run start stop test lint bench backup setup sysdeps venv db migrate sample static clean-db

run: setup ## set up everything and serve the map on http://$(HOST):$(PORT)
	@echo "serving on http://$(HOST):$(PORT)  (stop with Ctrl-C, then 'make stop' for the database)"
	exec env DATABASE_URL=$(APP_URL) $(VENV)/bin/gunicorn mapserver.wsgi -w $(WORKERS) -b $(HOST):$(PORT) \
	  --pid .data/gunicorn.pid --access-logfile - --timeout 120

start: setup ## the same as run, in the background
	env DATABASE_URL=$(APP_URL) $(VENV)/bin/gunicorn mapserver.wsgi -w $(WORKERS) -b $(HOST):$(PORT) \
	  --pid .data/gunicorn.pid --daemon --timeout 120 --access-logfile .data/access.log --error-logfile .data/error.log
	@for i in $$(seq 50); do curl -sf http://$(HOST):$(PORT)/healthz >/dev/null && break; sleep 0.2; done
	@echo "serving on http://$(HOST):$(PORT)"

stop: ## stop the server and the local database cluster
	-@[ -f .data/gunicorn.pid ] && kill $$(cat .data/gunicorn.pid) 2>/dev/null; rm -f .data/gunicorn.pid; true
	@[ -n "$$DATABASE_URL" ] || deploy/localdb.sh stop

test: sysdeps venv lint db migrate static ## set up, then run the whole suite against the real PostGIS
	WITH_BROWSER=1 deploy/sysdeps.sh
	env DATABASE_URL=$(OWNER_URL) MAPSERVER_APP_DATABASE_URL=$(APP_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv ## ruff (lint and format) and the import layering contract (.importlinter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: setup ## benchmarks against the peers; writes docs/benchmarks.md
	$(PY) -m bench.run

backup: venv db ## a backup folder in .data/backups (MAPSERVER_BACKUP_DIR): dump, photos, rasters, manifest, SHA-256
	env DATABASE_URL=$(OWNER_URL) $(PY) manage.py mapserver_backup

setup: sysdeps venv db migrate static sample

sysdeps:
	@deploy/sysdeps.sh

venv: $(VENV)/.installed

# One venv with the runtime lock and the development tools (the production image installs requirements.txt only).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

db:
	@if [ -n "$$DATABASE_URL" ]; then echo "using DATABASE_URL"; else deploy/localdb.sh start; fi

migrate: ## as the owner role; also grants the app role its rows (mapserver/grants.py)
	env DATABASE_URL=$(OWNER_URL) $(PY) manage.py migrate --noinput -v 0

static:
	$(PY) manage.py collectstatic --noinput -v 0

sample: ## load the real admin units and the synthetic sector data, if the database is empty
	env DATABASE_URL=$(OWNER_URL) $(PY) manage.py geodata_load_sample --if-empty
	env DATABASE_URL=$(OWNER_URL) $(PY) manage.py reports_load_sample --if-empty
	env DATABASE_URL=$(OWNER_URL) $(PY) manage.py reports_indicators

clean-db: stop ## delete the local cluster (all data)
	rm -rf .data/pg .data/run
