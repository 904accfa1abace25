#!/usr/bin/env bash
# make run-production: the production layout on this machine (deployment/):
# REFUGE_RASA_SERVERS Rasa servers (one per core by default) sharing the
# PostgreSQL tracker store and the Redis lock store, the action server, and the
# web service in front with its rate limits in Redis. Ctrl-C stops everything.
set -euo pipefail
# Production's own default database, unless one is given: never the SQLite file.
export REFUGE_DATABASE_URL="${REFUGE_DATABASE_URL:-postgresql://127.0.0.1:5432/refuge}"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"
scripts/bootstrap.sh
model=$(scripts/model.sh)
mkdir -p "$REFUGE_VAR_DIR"
exec "$VENV/bin/python" -m deployment --model "$model"
