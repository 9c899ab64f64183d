# Convenience wrappers; the README's commands need only Python (python3 scripts/dev.py …).
.PHONY: run test chat migrate lint

run:
	python3 scripts/dev.py run

test:
	python3 scripts/dev.py test

chat:
	python3 scripts/dev.py chat

migrate:
	python3 scripts/dev.py migrate

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy .
