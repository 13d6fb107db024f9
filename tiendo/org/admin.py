from django.contrib import admin

from tiendo.org.models import OrgUnit, OrgUnitSuccessor


class SuccessorInline(admin.TabularInline):
    model = OrgUnitSuccessor
    fk_name = "predecessor"
    raw_id_fields = ("successor",)
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")
    inlines = (SuccessorInline,)
    # 14,000 units: the exact count on every filtered page is not worth the query.
    show_full_result_count = False

    def save_model(self, request, obj: OrgUnit, form, change: bool) -> None:
        # Paths depend on the row id and the parent's path, so writes go through the
        # services, which keep paths right and leave an audit record.
        from tiendo.org.services import orgunit_create, orgunit_move, orgunit_update

        actor = request.user.get_username()
        if not change:
            created = orgunit_create(
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                actor=actor,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        orgunit_update(unit=obj, actor=actor)
        if "parent" in form.changed_data:
            orgunit_move(unit=obj, parent=form.cleaned_data["parent"], actor=actor)


@admin.register(OrgUnitSuccessor)
class OrgUnitSuccessorAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "share", "effective")
    list_filter = ("effective", "predecessor__kind")
    search_fields = (
        "predecessor__code",
        "predecessor__name",
        "successor__code",
        "successor__name",
    )
    raw_id_fields = ("predecessor", "successor")
    list_select_related = ("predecessor", "successor")
