from django.contrib import admin

from tiendo.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The trail is only ever added to, by the services; the admin reads it."""

    list_display = ["at", "user", "actor", "action", "entity", "key", "old", "new", "reason"]
    list_filter = ["entity", "action"]
    search_fields = ["key", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
