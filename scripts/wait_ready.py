"""Waits until every URL given answers HTTP 200 (servers starting), or fails after a timeout."""

from __future__ import annotations

import sys
import time
import urllib.request

TIMEOUT_SECONDS = 180


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(urls: list[str]) -> int:
    once = "--once" in urls  # answer at once: is it up now?
    urls = [url for url in urls if url != "--once"]
    deadline = time.monotonic() + (0 if once else TIMEOUT_SECONDS)
    pending = list(urls)
    while pending:
        pending = [url for url in pending if not ready(url)]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    for url in pending:
        print(f"Pas de réponse de {url}.", file=sys.stderr)
    return 1 if pending else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C during start-up: the caller stops the servers
        sys.exit(130)
