"""Core reads and writes: who am I, units, targets judged, data values, submissions."""

from ninja import Router, Schema

from tiendo.accounts.access import user_scope

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    role: str | None
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None


@router.get("/me", response=MeOut)
def me(request):
    """The caller, their role and the unit their scope starts from."""
    scope = user_scope(request.auth)
    unit = scope.unit
    return MeOut(
        username=request.auth.get_username(), role=scope.role,
        unit_id=unit.pk if unit else None, unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
    )
