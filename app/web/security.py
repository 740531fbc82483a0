"""Security headers, including a Content-Security-Policy with no inline script.

The GOV.UK template's one inline script (which adds the `js-enabled` class)
carries the per-request nonce; nothing else runs inline.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    proxies = app.config.get("SAIT_TRUSTED_PROXIES", 0)
    if proxies:
        # The client's address (for sign-in throttling and the audit trail)
        # and https come from the proxies' X-Forwarded-* headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    talisman.init_app(
        app,
        # TLS ends at the load balancer in production; the redirect is its job.
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
        x_content_type_options=True,
    )

    @app.after_request
    def no_store_for_pages(response):
        # Pages show a board's sensitive self-assessment: never keep them in a
        # shared cache or the browser's back-forward history after logout.
        if response.mimetype in {"text/html", "application/json"}:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
