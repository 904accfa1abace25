#!/usr/bin/env bash
# Prints the path of a trained model matching the current data, domain, config,
# stack and this training recipe; trains one first if none matches. A model is only ever published whole
# (Rasa writes it at the end of training, then it is moved into place), so an
# interrupted training is simply done again by the next call.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFUGE_ROOT"

fingerprint=$(
    { find data components -type f \( -name '*.yml' -o -name '*.py' \) -print0 | sort -z | xargs -0 sha256sum
      sha256sum config.yml domain.yml requirements.lock scripts/model.sh; } | sha256sum | cut -c1-16
)
name="refuge-$fingerprint.tar.gz"
mkdir -p models "$REFUGE_MODEL_CACHE"

if [ ! -f "models/$name" ] && [ -f "$REFUGE_MODEL_CACHE/$name" ]; then
    cp "$REFUGE_MODEL_CACHE/$name" "models/$name.part" && mv "models/$name.part" "models/$name"
fi
if [ ! -f "models/$name" ]; then
    echo "==> Entraînement du modèle (données, domaine ou configuration changés): 2 à 4 minutes" >&2
    # Rasa's own training cache does not notice a changed library version: key it by the lock.
    export RASA_CACHE_DIRECTORY="$REFUGE_MODEL_CACHE/../rasa-cache-$(sha256sum requirements.lock | cut -c1-12)"
    tmp=$(mktemp -d "$REFUGE_ROOT/models/.training-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # No story augmentation: the flows are rules and short stories, and
    # augmenting them only makes TED's training longer.
    "$VENV/bin/rasa" train --quiet --augmentation 0 --out "$tmp" --fixed-model-name refuge >&2
    mv "$tmp/refuge.tar.gz" "models/$name"
    cp "models/$name" "$REFUGE_MODEL_CACHE/$name.part" && mv "$REFUGE_MODEL_CACHE/$name.part" "$REFUGE_MODEL_CACHE/$name"
fi
echo "$REFUGE_ROOT/models/$name"
