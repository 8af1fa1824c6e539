"""Idle timeout of browser sessions: each request within the idle limit renews the session, at most once a
minute, so that a map pan (dozens of tile requests) costs one session write, not one per tile."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse

RENEW_EVERY_S = 60
SEEN_KEY = "_mapserver_seen"


class IdleSessionMiddleware:
    """Renews an authenticated session's expiry (SESSION_COOKIE_AGE from now) when it was last renewed over a
    minute ago; a session idle for longer than SESSION_COOKIE_AGE has expired and is gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= RENEW_EVERY_S:
                session[SEEN_KEY] = now  # marks the session modified: saved with a new expiry and cookie
        return self.get_response(request)
