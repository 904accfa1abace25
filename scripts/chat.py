"""Terminal chat with the running assistant through the public web API (make shell).

The same door as the web chat, so what is typed here is redacted the same way
before Rasa sees it. Buttons are numbered: typing the number sends the button's payload.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

QUIT_WORDS = {"/quitter", "/stop", "/exit"}


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        # Every error of the API carries messages to show.
        return error.code, json.loads(error.read().decode("utf-8") or "{}")


def main() -> int:
    host = os.environ.get("REFUGE_WEB_HOST", "127.0.0.1")
    port = os.environ.get("REFUGE_WEB_PORT", "8000")
    api = f"http://{host}:{port}/api/conversations"
    print("Refuge, dans le terminal. Écris ton message ; /quitter pour sortir.\n")
    conversation: str | None = None
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
            if conversation is None:
                status, body = post(api, {})
                conversation = body.get("id")
            if conversation is not None:
                status, body = post(f"{api}/{conversation}/messages", {"text": text})
        except (OSError, KeyError, ValueError) as error:
            print(f"(Refuge ne répond pas : {error}. En cas d'urgence : 112 ou 17, 3114, 119.)")
            continue
        if body.get("error") == "conversation_inconnue":
            conversation = None
        buttons = []
        for message in body.get("messages", []):
            print(f"refuge > {message['text']}")
            for button in message.get("buttons") or []:
                buttons.append(button)
                print(f"   [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    sys.exit(main())
