"""Response headers for every page: a strict Content-Security-Policy and friends.

The site uses no inline script, no third-party anything, and no browser features such as the
camera, so the policy says exactly that. HTTPS itself is the reverse proxy's job; HSTS is sent
on requests that arrived over HTTPS. The session cookie's flags are in app/config.py.

A few lines of our own set them, worked out once: the same headers suit every response.
flask-talisman, which set them before, works them out again for every response, which costs
about 0.02 ms a request (a tenth of an API request), and has no public way to avoid that.
A view that sets one of these headers on its response keeps its own value.
"""

from flask import Flask, Response, request

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


HEADERS = {
    "Content-Security-Policy": "; ".join(
        f"{directive} {sources}" for directive, sources in CONTENT_SECURITY_POLICY.items()
    ),
    "Permissions-Policy": ", ".join(
        f"{feature}={allowed}" for feature, allowed in PERMISSIONS_POLICY.items()
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
        if request.is_secure or request.headers.get("X-Forwarded-Proto") == "https":
            headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response
