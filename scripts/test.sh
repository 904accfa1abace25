#!/usr/bin/env bash
# make test: every test, on the real components (a model trained from the
# current data, a real action server and Rasa server on loopback).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"

scripts/bootstrap.sh
# The web chat's tests drive a real browser: Debian's Chromium (Playwright
# cannot download its own here).
chromium="${REFUGE_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> Installation de Chromium pour les tests du chat (apt-get install chromium)"
        apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
    else
        echo "Les tests du chat ont besoin de Chromium : 'sudo apt-get install chromium', ou REFUGE_CHROMIUM=/chemin/vers/chromium." >&2
        exit 1
    fi
fi
echo "==> ruff (lint)"
"$VENV/bin/ruff" check .
model=$(scripts/model.sh)
echo "==> pytest (modèle $(basename "$model"))"
REFUGE_MODEL="$model" "$VENV/bin/python" -m pytest "$@"
