"""Response headers for every page: a strict Content-Security-Policy and friends.

flask-talisman sets them. The site uses no inline script, no third-party anything, and no
browser features such as the camera, so the policy says exactly that. HTTPS itself is the
reverse proxy's job; HSTS is sent on requests that arrived over HTTPS.
"""

from flask import Flask, Response, current_app, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "interest-cohort",
        "browsing-topics",
    )
}


class SameHeadersTalisman(Talisman):
    """flask-talisman, with the headers worked out once instead of for every response.

    They depend only on whether the request came over HTTPS (HSTS), on options a view may set
    with @talisman(...) and on a nonce; no view here sets options and the policy has no nonce,
    so two header sets cover every response. Rebuilding them took about a tenth of the time
    of an API request (docs/performance.md). A view with its own options is handled as usual.
    """

    def init_app(self, app: Flask, **options) -> None:
        self._headers_for_scheme: dict[bool, list[tuple[str, str]]] = {}
        super().init_app(app, **options)

    def _set_response_headers(self, response: Response) -> Response:
        view = current_app.view_functions.get(request.endpoint)
        if hasattr(view, "talisman_view_options") or self.content_security_policy_nonce_in:
            return super()._set_response_headers(response)
        secure = request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"
        headers = self._headers_for_scheme.get(secure)
        if headers is None:
            probe = Response()
            probe.headers.clear()
            super()._set_response_headers(probe)
            headers = self._headers_for_scheme[secure] = list(probe.headers.items())
        for name, value in headers:
            response.headers[name] = value
        return response


talisman = SameHeadersTalisman()


def init_app(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="no-referrer",
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        # The session cookie's flags come from our own configuration (Secure in production).
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=True,
    )
