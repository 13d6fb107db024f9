from django.contrib import admin

from tiendo.audit.admin import ReadOnlyAdmin
from tiendo.data.models import DataValue


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    """Values change through entry, import and approval; the admin shows them."""

    list_display = ["data_element", "part", "org_unit", "period", "value", "estimate", "status",
                    "version", "updated_at", "source"]
    list_filter = ["status", "estimate", "period_type", "data_element"]
    search_fields = ["data_element__code", "org_unit__code", "org_unit__name", "period"]
    list_select_related = ["data_element", "org_unit"]
