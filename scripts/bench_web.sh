#!/usr/bin/env bash
# make bench-web: starts the action server, Rasa and the public web service on
# their own ports with a throw-away SQLite database, runs scripts/bench_web.py
# (people typing, then saturation), stops everything. Arguments go to bench_web.py
# (--conversations 50, --clients 8, --saturation-seconds 20, --phase, --seed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"
scripts/bootstrap.sh
model=$(scripts/model.sh)

actions_port="${REFUGE_BENCH_WEB_ACTIONS_PORT:-5255}"
rasa_port="${REFUGE_BENCH_WEB_RASA_PORT:-5205}"
web_port="${REFUGE_BENCH_WEB_PORT:-8200}"
saturation_port="${REFUGE_BENCH_WEB_SATURATION_PORT:-8201}"
# Others run the assistant on this machine too: a server already on one of our
# ports would answer in place of ours and the figures would be someone else's.
for port in "$actions_port" "$rasa_port" "$web_port" "$saturation_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "Le port $port est déjà pris : choisir d'autres ports (REFUGE_BENCH_WEB_*_PORT)." >&2
        exit 1
    fi
done

work=$(mktemp -d)
# One database for the three processes: the web service's table beside Rasa's tracker.
export REFUGE_DATABASE_URL="sqlite:///$work/bench.db"
export REFUGE_ACTIONS_HOST=127.0.0.1 REFUGE_ACTIONS_PORT="$actions_port"
export REFUGE_WEB_HOST=127.0.0.1 REFUGE_RASA_URLS="http://127.0.0.1:$rasa_port"
# Counted in this process's memory, never in a Redis others use; no proxy in front.
export REFUGE_RATE_LIMIT_STORE=memory
unset REFUGE_TRUSTED_PROXIES

pids=()
stop() {
    trap - EXIT INT TERM
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT INT TERM

SANIC_HOST=127.0.0.1 "$VENV/bin/python" -m rasa_sdk --actions actions --logging-config_file logging.yml --port "$actions_port" \
    >"$work/actions.log" 2>&1 &
actions=$!
pids+=("$actions")
"$VENV/bin/rasa" run --model "$model" --interface 127.0.0.1 --port "$rasa_port" \
    --credentials credentials.yml --endpoints endpoints.yml --logging-config-file logging.yml >"$work/rasa.log" 2>&1 &
rasa=$!
pids+=("$rasa")
# Phase 1 shows that people writing from one address are not throttled: the
# default limits, whatever the caller's environment says.
env -u REFUGE_RATE_CONVERSATION -u REFUGE_RATE_ADDRESS_MESSAGES -u REFUGE_RATE_ADDRESS_CONVERSATIONS \
    REFUGE_WEB_PORT="$web_port" "$VENV/bin/python" -m web >"$work/web.log" 2>&1 &
web=$!
pids+=("$web")
# Phase 2 measures the most one client address can get through: a second web
# service, same code, same Rasa, with limits no bench reaches.
REFUGE_WEB_PORT="$saturation_port" REFUGE_RATE_CONVERSATION=1000000/60 \
    REFUGE_RATE_ADDRESS_MESSAGES=1000000/60 REFUGE_RATE_ADDRESS_CONVERSATIONS=1000000/60 \
    "$VENV/bin/python" -m web >"$work/web-saturation.log" 2>&1 &
web_saturation=$!
pids+=("$web_saturation")

"$VENV/bin/python" scripts/wait_ready.py "http://127.0.0.1:$actions_port/health" \
    "http://127.0.0.1:$rasa_port/" "http://127.0.0.1:$web_port/api/health" \
    "http://127.0.0.1:$saturation_port/api/health" || {
    for log in "$work"/*.log; do
        echo "--- $(basename "$log")" >&2
        tail -n 15 "$log" >&2
    done
    exit 1
}
echo "==> Modèle $(basename "$model"), SQLite, $(nproc) cœurs; service web :$web_port (limites par défaut)," \
    "et :$saturation_port (limites relevées, phase 2 seulement)"
"$VENV/bin/python" scripts/bench_web.py --rasa-url "http://127.0.0.1:$rasa_port" \
    --web-url "http://127.0.0.1:$web_port" --saturation-web-url "http://127.0.0.1:$saturation_port" \
    --pids web="$web" rasa="$rasa" actions="$actions" web-saturation="$web_saturation" "$@"
