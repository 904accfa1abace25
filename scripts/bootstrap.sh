#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the lock file, then the project itself.
# Idempotent and resumable: the lock is re-installed until one install completes
# (a stamp holding the lock's hash is written only after success).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"

find_python310() {
    local candidate
    for candidate in "${REFUGE_PYTHON:-}" python3.10 \
        "$(command -v pyenv >/dev/null 2>&1 && pyenv root)"/versions/3.10*/bin/python \
        "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
        [ -n "$candidate" ] || continue
        # A pyenv shim exists even when it cannot run 3.10: ask the interpreter itself.
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

venv_ok() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1
}

if ! venv_ok; then
    if ! PYTHON=$(find_python310); then
        echo "Refuge a besoin de Python 3.10 (Rasa 3.6 ne fonctionne qu'avec Python 3.8 à 3.10)." >&2
        echo "Installez-le (par exemple 'pyenv install 3.10.13', ou 'apt install python3.10 python3.10-venv'), puis relancez la commande." >&2
        exit 1
    fi
    echo "==> Création de .venv avec $PYTHON"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

lock_hash=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
stamp="$VENV/.refuge-installed"
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
    echo "==> Installation des dépendances verrouillées (requirements.lock); la première fois, quelques minutes"
    rm -f "$stamp"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$lock_hash" > "$stamp"
fi
