from django.contrib import admin

from tiendo.reports.models import (
    GeneratedReport,
    Holiday,
    Reminder,
    ReportingSchedule,
    ReportIssuer,
)


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "data_set", "root", "unit_kind", "period_type", "cutoff_start_day",
                    "cutoff_end_day", "deadline_working_days", "active"]
    list_filter = ["period_type", "active"]
    raw_id_fields = ["root"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["schedule", "org_unit", "period", "sent_at", "recipients"]
    raw_id_fields = ["org_unit"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record of what was sent


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "org_unit", "period", "format", "status", "filename"]
    exclude = ["file"]
    readonly_fields = ["created_at", "created_by", "actor", "org_unit", "period", "target_set",
                       "format", "lang", "params", "content", "status", "progress", "error",
                       "filename"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name"]
    date_hierarchy = "day"


@admin.register(ReportIssuer)
class ReportIssuerAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "layout", "department_name", "signer_name", "addressee"]
    list_filter = ["layout"]
    raw_id_fields = ["org_unit"]
