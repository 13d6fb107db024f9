"""The API's answer to "who am I"."""

from ninja import Router, Schema

from tiendo.accounts.access import user_scope
from tiendo.analytics.serialize import unit_json
from tiendo.api.kit import UnitOut

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str | None
    unit: UnitOut | None


@router.get("/me", response=MeOut)
def me(request):
    """The caller, their role and the unit their scope starts from."""
    scope = user_scope(request.auth)
    return {"username": request.auth.get_username(), "role": scope.role,
            "unit": unit_json(scope.unit) if scope.unit else None}
