from django.contrib import admin

from tiendo.data.models import DataValue


class ReadOnlyAdmin(admin.ModelAdmin):
    """Values change through the services (entry, import, approval), which keep the audit
    trail; the admin shows them and their history but cannot bypass it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ["data_element", "part", "org_unit", "period", "value", "estimate", "status",
                    "version", "updated_at", "source"]
    list_filter = ["status", "estimate", "period_type", "data_element"]
    search_fields = ["data_element__code", "org_unit__code", "org_unit__name", "period"]
    list_select_related = ["data_element", "org_unit"]

