# Sourced by every entry point: the one configuration of the project, read from
# environment variables with the embedded defaults (SQLite, in-memory lock store).
# Anything already exported wins, so production sets its own values and
# nothing here has to change.

REFUGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REFUGE_ROOT

# Rasa phones home (telemetry, Sentry) unless told not to: minors' data never leaves.
export RASA_TELEMETRY_ENABLED=false
export SENTRY_DSN=""
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export PYTHONDONTWRITEBYTECODE=1
# Rasa 3.6 uses SQLAlchemy 1.4 APIs that 2.0 removed; the lock pins 1.4.
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export HF_HUB_OFFLINE=1

export REFUGE_VAR_DIR="${REFUGE_VAR_DIR:-$REFUGE_ROOT/var}"
# Rasa's SQL tracker store takes a full SQLAlchemy URL (endpoints.yml).
export REFUGE_DATABASE_URL="${REFUGE_DATABASE_URL:-sqlite:///$REFUGE_VAR_DIR/refuge.db}"
export REFUGE_LOCK_STORE="${REFUGE_LOCK_STORE:-in_memory}"
export REFUGE_REDIS_HOST="${REFUGE_REDIS_HOST:-127.0.0.1}"
export REFUGE_REDIS_PORT="${REFUGE_REDIS_PORT:-6379}"
export REFUGE_REDIS_DB="${REFUGE_REDIS_DB:-1}"
export REFUGE_RASA_HOST="${REFUGE_RASA_HOST:-127.0.0.1}"
export REFUGE_RASA_PORT="${REFUGE_RASA_PORT:-5005}"
export REFUGE_ACTIONS_HOST="${REFUGE_ACTIONS_HOST:-127.0.0.1}"
export REFUGE_ACTIONS_PORT="${REFUGE_ACTIONS_PORT:-5055}"
# The public web service (web/): the only door; Rasa and the actions stay on loopback.
export REFUGE_WEB_HOST="${REFUGE_WEB_HOST:-127.0.0.1}"
export REFUGE_WEB_PORT="${REFUGE_WEB_PORT:-8000}"
# The operator console: mounted under /operateur on the web service, or on its own
# (`python -m console`, for a deployment that keeps it off the public network).
export REFUGE_CONSOLE_HOST="${REFUGE_CONSOLE_HOST:-127.0.0.1}"
export REFUGE_CONSOLE_PORT="${REFUGE_CONSOLE_PORT:-8001}"
# Trained models are cached outside the work tree, keyed by a fingerprint of
# everything that shapes them, so a fresh clone does not retrain for nothing.
export REFUGE_MODEL_CACHE="${REFUGE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/refuge/models}"

VENV="$REFUGE_ROOT/.venv"
