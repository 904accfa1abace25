#!/usr/bin/env bash
# make test: every test, on the real components (a model trained from the
# current data, a real action server and Rasa server on loopback).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"

scripts/bootstrap.sh
echo "==> ruff (lint)"
"$VENV/bin/ruff" check .
model=$(scripts/model.sh)
echo "==> pytest (modèle $(basename "$model"))"
REFUGE_MODEL="$model" "$VENV/bin/python" -m pytest "$@"
