#!/usr/bin/env bash
# make shell: a terminal chat. Uses the assistant started by `make run` if it is
# up, otherwise starts one for the length of the chat.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"
scripts/bootstrap.sh

if ! "$VENV/bin/python" scripts/wait_ready.py --once "http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/api/health" 2>/dev/null; then
    mkdir -p "$REFUGE_VAR_DIR"
    echo "==> Démarrage de Refuge pour cette discussion…"
    scripts/run.sh >"$REFUGE_VAR_DIR/shell.log" 2>&1 &
    server=$!
    trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null' EXIT
    "$VENV/bin/python" scripts/wait_ready.py "http://$REFUGE_RASA_HOST:$REFUGE_RASA_PORT/" \
        "http://$REFUGE_ACTIONS_HOST:$REFUGE_ACTIONS_PORT/health" \
        "http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/api/health"
fi
"$VENV/bin/python" scripts/chat.py
