#!/usr/bin/env bash
# `make run`: the development server and a Huey consumer beside it; stopping one
# (Ctrl-C, or either exiting) stops both.
set -euo pipefail
python="${PYTHON:-.venv/bin/python}"
"$python" manage.py run_huey --quiet &
consumer=$!
trap 'kill "$consumer" 2>/dev/null || true; wait "$consumer" 2>/dev/null || true' EXIT
"$python" manage.py runserver "127.0.0.1:${PORT:-8000}"
