#!/usr/bin/env bash
# make bench: starts the assistant on its own ports with a throw-away SQLite
# tracker store, runs scripts/bench.py against it, stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"
scripts/bootstrap.sh
model=$(scripts/model.sh)

work=$(mktemp -d)
export REFUGE_DATABASE_URL="sqlite:///$work/bench.db"
export REFUGE_ACTIONS_PORT="${REFUGE_BENCH_ACTIONS_PORT:-5155}"
rasa_port="${REFUGE_BENCH_RASA_PORT:-5105}"

SANIC_HOST=127.0.0.1 "$VENV/bin/python" -m rasa_sdk --actions actions --logging-config_file logging.yml --port "$REFUGE_ACTIONS_PORT" >"$work/actions.log" 2>&1 &
actions=$!
"$VENV/bin/rasa" run --model "$model" --interface 127.0.0.1 --port "$rasa_port" \
    --credentials credentials.yml --endpoints endpoints.yml --logging-config-file logging.yml >"$work/rasa.log" 2>&1 &
rasa=$!
trap 'kill $rasa $actions 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT INT TERM

"$VENV/bin/python" scripts/wait_ready.py "http://127.0.0.1:$REFUGE_ACTIONS_PORT/health" "http://127.0.0.1:$rasa_port/"
echo "==> Modèle $(basename "$model"), tracker store SQLite, $(nproc) cœurs"
"$VENV/bin/python" scripts/bench.py --url "http://127.0.0.1:$rasa_port" --pids "$rasa" "$actions" "$@"
