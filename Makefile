# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The wire samples the conformance check imports: every format, several languages.
CONFORMANCE_WIRE = tests/data/wire/text tests/data/wire/newsml-g2/*.xml tests/data/wire/newsml-1.2/*.xml \
	tests/data/wire/nitf tests/data/wire/ninjs/1.6 tests/data/wire/ninjs/2.2 tests/data/wire/ninjs/3.1 \
	tests/data/wire/ninjs/provider-1.4 tests/data/wire/ninjs/provider-3.0 tests/data/wire/wire-formats \
	tests/data/wire/feeds

.PHONY: run test install demo check clean audit ingest conformance

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## run: install, migrate the embedded database, load demo content, serve on 127.0.0.1:$(PORT)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## ingest: the wire ingest service (beside make run): takes in files dropped into wire-inbox/
## and whatever else the admin's Wire sources name, until Ctrl-C
ingest: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py ingest

## test: the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
test: install
	$(BIN)/python -m pytest

## conformance: a demo-plus-wire newsroom in a scratch database, every public output checked
## against its standard (feeds, sitemaps, the ninjs API, JSON-LD, Open Graph, canonical links)
conformance: install
	rm -rf .conformance && mkdir .conformance
	export DATABASE_URL=sqlite:///$(CURDIR)/.conformance/db.sqlite3 DEBUG=1; \
	$(BIN)/python manage.py migrate -v0 && \
	$(BIN)/python manage.py load_demo > /dev/null && \
	$(BIN)/python manage.py import_wire --publish $(CONFORMANCE_WIRE) > /dev/null && \
	$(BIN)/python manage.py check_outputs --minimum 100

## audit: every pinned requirement checked against PyPI's advisory data (needs that network)
audit:
	$(PYTHON) -m venv /tmp/newsroom-audit
	/tmp/newsroom-audit/bin/python -m pip install --quiet pip-audit==2.10.1
	/tmp/newsroom-audit/bin/pip-audit --disable-pip --no-deps -r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles
