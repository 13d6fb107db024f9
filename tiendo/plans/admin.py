from django.contrib import admin

from tiendo.plans.models import Document, Target, TargetSet
from tiendo.plans.services import target_save


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "date", "issuer", "title"]
    search_fields = ["symbol", "title", "issuer"]


class TargetInline(admin.TabularInline):
    model = Target
    fk_name = "target_set"
    extra = 0
    raw_id_fields = ["org_unit", "responsible_unit"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # targets change through the target admin, which audits them


@admin.register(TargetSet)
class TargetSetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "document", "scope", "period", "near_pct"]
    list_filter = ["kind"]
    raw_id_fields = ["scope"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "org_unit", "period", "comparison", "value", "value_max",
                    "target_set"]
    list_filter = ["target_set", "comparison"]
    search_fields = ["indicator__code", "org_unit__code", "org_unit__name"]
    raw_id_fields = ["org_unit", "responsible_unit"]
    list_select_related = ["indicator", "org_unit", "target_set"]

    def save_model(self, request, obj, form, change):
        saved = target_save(
            target_set=obj.target_set, indicator=obj.indicator, org_unit=obj.org_unit,
            period=obj.period, comparison=obj.comparison, value=obj.value,
            value_max=obj.value_max, baseline_period=obj.baseline_period,
            responsible_unit=obj.responsible_unit, follow_up_person=obj.follow_up_person,
            note=obj.note, actor=f"admin:{request.user.username}", user=request.user,
        )
        obj.pk = saved.pk

