"""A database too busy to write gets a page saying so, not a server error."""

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

BUSY_SECONDS = 120  # Retry-After: a large upload takes about a minute on SQLite


def database_busy(get_response):
    """On SQLite one transaction writes at a time and the others wait (settings: a minute).
    One that waited in vain is answered 503 with what happened: nothing was saved."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": _(
                "the database is busy writing a large file; nothing was saved, try again in "
                "a few minutes")}, status=503)
        else:
            response = render(request, "web/busy.html", status=503)
        response["Retry-After"] = str(BUSY_SECONDS)
        return response

    middleware.process_exception = process_exception
    return middleware


def content_security_policy(get_response):
    """Scripts, styles, fonts and images from our own origin only (charts are inline SVG;
    inline style attributes stay allowed), no plug-ins, no framing, forms posted only
    here: an injected <script> would not run. The policy is a setting (TIENDO_CSP). The
    API answers JSON; its documentation page (django-ninja's) keeps its own scripts."""
    from django.conf import settings

    def middleware(request):
        response = get_response(request)
        if settings.TIENDO_CSP and not request.path_info.startswith("/api/"):
            response.headers.setdefault("Content-Security-Policy", settings.TIENDO_CSP)
        return response

    return middleware
