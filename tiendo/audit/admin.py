from django.contrib import admin

from tiendo.audit.models import AuditRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """For what changes only through the services, which keep the audit trail: the admin
    shows it but cannot bypass them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """The trail is only ever added to, by the services; the admin reads it."""

    list_display = ["at", "user", "actor", "action", "entity", "key", "old", "new", "reason"]
    list_filter = ["entity", "action"]
    search_fields = ["key", "actor"]
    date_hierarchy = "at"
