"""Security headers on every response: a strict CSP without inline script, framing only by partners."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages that a partner site may show in an iframe (the widget's chat).
EMBEDDABLE_PATHS = frozenset({"/chat"})
# Scripts a partner page loads from us.
CROSS_ORIGIN_PATHS = frozenset({"/widget.js"})


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityHeadersMiddleware:
    """A plain ASGI middleware (no per-request task): it only adds headers at response start."""

    def __init__(self, app: ASGIApp, partner_origins: tuple[str, ...]) -> None:
        self.app = app
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            # Ignored over plain http (the loopback default), kept by browsers over https.
            (b"strict-transport-security", b"max-age=31536000"),
        ]
        embeddable = " ".join(["'self'", *partner_origins])
        self._headers_page = [
            *common,
            (b"content-security-policy", content_security_policy("'none'").encode()),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        # X-Frame-Options cannot name several origins; frame-ancestors does.
        self._headers_embeddable = [
            *common,
            (b"content-security-policy", content_security_policy(embeddable).encode()),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        self._headers_cross_origin = [
            *common,
            (b"content-security-policy", content_security_policy("'none'").encode()),
            (b"cross-origin-resource-policy", b"cross-origin"),
        ]
        self._no_store = (b"cache-control", b"no-store")

    def _headers_for(self, path: str) -> list[tuple[bytes, bytes]]:
        if path in EMBEDDABLE_PATHS:
            return self._headers_embeddable
        if path in CROSS_ORIGIN_PATHS:
            return self._headers_cross_origin
        return self._headers_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = list(self._headers_for(path))
        if path.startswith("/api/"):
            # A conversation must not linger in a shared computer's cache.
            extra.append(self._no_store)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend(h for h in extra if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def forwarded_client(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The client's address: the peer, or behind our own proxies the nearest address they saw."""
    peer = request.client.host if request.client else "inconnu"
    if peer in trusted_proxies:
        # Every X-Forwarded-For line: a proxy may add its own rather than append.
        header = ",".join(request.headers.getlist("x-forwarded-for"))
        forwarded = [part.strip() for part in header.split(",")]
        # The nearest address that is not one of our proxies is the client.
        for address in reversed([part for part in forwarded if part]):
            if address not in trusted_proxies:
                return address
    return peer


def is_https(request: Request, trusted_proxies: tuple[str, ...]) -> bool:
    """Served over https, here or at one of our proxies (X-Forwarded-Proto, from them only)."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return peer in trusted_proxies and proto == "https"
