"""Every request passes here: the token when one is set, the Host when bound to this machine only,
the Origin of anything that changes state, and the security headers of every answer."""

from __future__ import annotations

import hmac
from typing import Optional
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from .config import LOOPBACK

COOKIE = "transcheck_token"
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; media-src 'self'; "
               "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


class Guard(BaseHTTPMiddleware):
    def __init__(self, app, token: Optional[str], loopback: bool) -> None:
        super().__init__(app)
        self.token, self.loopback = token, loopback

    async def dispatch(self, request: Request, call_next) -> Response:
        from_query = request.query_params.get("token")
        if self.token and not self._carries_token(request, from_query):
            return refusal(request, 401, "this server needs its token: send the header 'Authorization: Bearer "
                                         "TOKEN', or open the page once as /?token=TOKEN")
        if self.loopback and _hostname(request.headers.get("host", "")) not in LOOPBACK:
            return refusal(request, 421, "this server answers only requests addressed to this machine "
                                         "(127.0.0.1 or localhost)")
        origin = request.headers.get("origin")
        if request.method not in ("GET", "HEAD", "OPTIONS") and origin and origin != "null" \
                and urlsplit(origin).netloc != request.headers.get("host"):
            return refusal(request, 403, "a page from another site may not change checks on this server")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if self.token and from_query and hmac.compare_digest(from_query, self.token):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
        return response

    def _carries_token(self, request: Request, from_query: Optional[str]) -> bool:
        auth = request.headers.get("authorization", "")
        given = [auth[7:] if auth.lower().startswith("bearer ") else "", request.cookies.get(COOKIE, ""),
                 from_query or ""]
        return any(g and hmac.compare_digest(g.encode(), self.token.encode()) for g in given)


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(request: Request, status: int, message: str) -> Response:
    """A one-line refusal: JSON for the API and scripts, plain text for a browser following a link."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(f"Error: {message}\n", status_code=status)
