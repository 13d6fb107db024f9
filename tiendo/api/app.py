"""The API object: authentication, error answers and the routers of every app."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI

from tiendo.api.auth import AUTH
from tiendo.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    Locked,
    NotFound,
    TiendoError,
    TooManyAttempts,
)
from tiendo.health import health_problems

api = NinjaAPI(
    title="Tiến Độ API",
    version="1",
    description="Targets, results and reports. Every answer is limited to the caller's scope.",
    auth=AUTH,
    urls_namespace="api",
)

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Locked: 409, InvalidInput: 422,
          TooManyAttempts: 429}


@api.exception_handler(TiendoError)
def _tiendo_error(request, exc: TiendoError):
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
    body = {"detail": str(exc)}
    if isinstance(exc, InvalidInput):
        body = {
            "detail": _("Nothing was written. Problems found:"),
            "problems": [
                {"message": p.message, "line": p.line, "field": p.field, "value": p.value,
                 "sheet": p.sheet}
                for p in exc.problems
            ],
        }
    return api.create_response(request, body, status=status)


@api.get("/health", auth=None, tags=["health"])
def health(request):
    """200 when the database answers and is migrated, 503 with the problems when not."""
    problems = health_problems()
    body = {"status": "ok" if not problems else "unavailable", "problems": problems}
    return api.create_response(request, body, status=503 if problems else 200)


# Each app's router; keep this list the one place that says what the API has.
api.add_router("/", "tiendo.accounts.api.router")
api.add_router("/", "tiendo.org.api.router")
api.add_router("/", "tiendo.indicators.api.router")
api.add_router("/", "tiendo.data.api.router")
api.add_router("/", "tiendo.analytics.api.router")
api.add_router("/targets/", "tiendo.plans.api.router")
api.add_router("/exchange/", "tiendo.exchange.api.router")
api.add_router("/periodic-reports/", "tiendo.reports.api.router")
api.add_router("/tasks/", "tiendo.assignments.api.router")
api.add_router("/poverty/", "tiendo.poverty.api.router")
