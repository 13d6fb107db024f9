from django.contrib import admin

from tiendo.standards.models import Standard, UnitStandard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "unit_kind", "indicator_added", "indicator_total"]


@admin.register(UnitStandard)
class UnitStandardAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "standard", "reached_on", "decision"]
    list_filter = ["standard"]
    raw_id_fields = ["org_unit"]
