"""Terminal chat with the running assistant through Rasa's REST channel (make shell).

Buttons are numbered: typing the number sends the button's payload.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
import uuid

QUIT_WORDS = {"/quitter", "/stop", "/exit"}


def send(url: str, sender: str, text: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def main() -> int:
    host = os.environ.get("REFUGE_RASA_HOST", "127.0.0.1")
    port = os.environ.get("REFUGE_RASA_PORT", "5005")
    url = f"http://{host}:{port}/webhooks/rest/webhook"
    sender = f"terminal-{uuid.uuid4().hex}"
    print("Refuge, dans le terminal. Écris ton message ; /quitter pour sortir.\n")
    buttons: list[dict] = []
    while True:
        try:
            text = input("toi > ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.lower() in QUIT_WORDS:
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = send(url, sender, text)
        except OSError as error:
            print(f"(Refuge ne répond pas : {error}. En cas d'urgence : 112 ou 17, 3114, 119.)")
            continue
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"refuge > {reply['text']}")
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"   [{len(buttons)}] {button['title']}")
        if not replies:
            print("refuge > (pas de réponse ; en cas d'urgence : 112 ou 17, 3114, 119)")


if __name__ == "__main__":
    sys.exit(main())
