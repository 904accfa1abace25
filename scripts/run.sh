#!/usr/bin/env bash
# make run: installs and trains only when needed, then starts the action server
# and the Rasa server on loopback, with the SQL tracker store, and the public web
# service in front of them. Ctrl-C stops all three.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"

scripts/bootstrap.sh
model=$(scripts/model.sh)
mkdir -p "$REFUGE_VAR_DIR"

pids=()
stop() {
    trap - EXIT INT TERM
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    echo "Refuge arrêté."
}
trap stop EXIT INT TERM

# rasa_sdk binds 0.0.0.0 unless SANIC_HOST says otherwise.
SANIC_HOST="$REFUGE_ACTIONS_HOST" "$VENV/bin/python" -m rasa_sdk --actions actions --logging-config_file logging.yml \
    --port "$REFUGE_ACTIONS_PORT" >"$REFUGE_VAR_DIR/actions.log" 2>&1 &
pids+=($!)
"$VENV/bin/rasa" run --model "$model" --interface "$REFUGE_RASA_HOST" --port "$REFUGE_RASA_PORT" \
    --credentials credentials.yml --endpoints endpoints.yml --logging-config-file logging.yml >"$REFUGE_VAR_DIR/rasa.log" 2>&1 &
pids+=($!)
"$VENV/bin/python" -m web >"$REFUGE_VAR_DIR/web.log" 2>&1 &
pids+=($!)

"$VENV/bin/python" scripts/wait_ready.py \
    "http://$REFUGE_ACTIONS_HOST:$REFUGE_ACTIONS_PORT/health" \
    "http://$REFUGE_RASA_HOST:$REFUGE_RASA_PORT/" \
    "http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/api/health" || {
    echo "Le démarrage a échoué : voir les journaux dans $REFUGE_VAR_DIR (rasa.log, actions.log, web.log)" >&2
    exit 1
}
cat <<MSG

Refuge est prêt (modèle $(basename "$model")).
  - Le chat :                    http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/
  - Le widget pour un site partenaire :
        <script src="http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/widget.js" async></script>
  - Discuter dans le terminal :  make shell   (dans un autre terminal)
  - API publique (OpenAPI) :     http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/api/openapi.json
  - Console des écoutants :      http://$REFUGE_WEB_HOST:$REFUGE_WEB_PORT/operateur
        premier compte : .venv/bin/refuge-operateurs ajouter NOM --role superviseur
  - Journaux : $REFUGE_VAR_DIR/web.log, rasa.log, actions.log
Ctrl-C pour tout arrêter.
MSG
# Returns as soon as one of the three stops, so a crash does not leave part of a service.
wait -n "${pids[@]}"
echo "Un des serveurs s'est arrêté : voir les journaux dans $REFUGE_VAR_DIR." >&2
exit 1
