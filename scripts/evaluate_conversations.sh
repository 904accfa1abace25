#!/usr/bin/env bash
# make eval-conversations: starts the action server, Rasa and the public web
# service on free ports with a throw-away SQLite database and rate limits no
# evaluation reaches, plays the story files through the public API
# (scripts/evaluate_conversations.py), stops everything, even on error or Ctrl-C.
# Arguments go to the Python script (--histoires FILE..., --json FILE, --sans-crises):
#   make eval-conversations ARGS="--histoires tests/histoires_dev.yml"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"
scripts/bootstrap.sh
# REFUGE_EVAL_MODEL: evaluate a given model (an older one, to compare) instead of the current one.
model="${REFUGE_EVAL_MODEL:-$(scripts/model.sh)}"

# Free ports, chosen by the kernel: others run the assistant on this machine too.
read -r actions_port rasa_port web_port < <("$VENV/bin/python" - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)

work=$(mktemp -d)
# One database for the three processes: the web service's table beside Rasa's tracker.
export REFUGE_DATABASE_URL="sqlite:///$work/eval.db"
export REFUGE_ACTIONS_HOST=127.0.0.1 REFUGE_ACTIONS_PORT="$actions_port"
export REFUGE_WEB_HOST=127.0.0.1 REFUGE_WEB_PORT="$web_port"
export REFUGE_RASA_URLS="http://127.0.0.1:$rasa_port"
# A story is played faster than anyone types, and every one opens a conversation.
export REFUGE_RATE_CONVERSATION=1000000/60 REFUGE_RATE_ADDRESS_MESSAGES=1000000/60
export REFUGE_RATE_ADDRESS_CONVERSATIONS=1000000/60 REFUGE_RATE_LIMIT_STORE=memory
unset REFUGE_TRUSTED_PROXIES

pids=()
stop() {
    trap - EXIT INT TERM
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

SANIC_HOST=127.0.0.1 "$VENV/bin/python" -m rasa_sdk --actions actions --logging-config_file logging.yml --port "$actions_port" \
    >"$work/actions.log" 2>&1 &
pids+=("$!")
"$VENV/bin/rasa" run --model "$model" --interface 127.0.0.1 --port "$rasa_port" \
    --credentials credentials.yml --endpoints endpoints.yml --logging-config-file logging.yml >"$work/rasa.log" 2>&1 &
pids+=("$!")
"$VENV/bin/python" -m web >"$work/web.log" 2>&1 &
pids+=("$!")

"$VENV/bin/python" scripts/wait_ready.py "http://127.0.0.1:$actions_port/health" \
    "http://127.0.0.1:$rasa_port/" "http://127.0.0.1:$web_port/api/health" || {
    for log in "$work"/*.log; do
        echo "--- $(basename "$log")" >&2
        tail -n 15 "$log" >&2
    done
    exit 1
}
echo "==> Modèle $(basename "$model"), SQLite jetable, service web :$web_port"
"$VENV/bin/python" scripts/evaluate_conversations.py --url "http://127.0.0.1:$web_port" "$@"
