from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """Who changed what, when, from which value to which, and why. Never updated.

    Written only through `tiendo.audit.services`.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # The user's id stays when the user is deleted (`actor` keeps the name): a record is
    # never updated, so no SET_NULL, and no constraint or index for the database to keep
    # for each of the million records a large import writes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, db_index=False, related_name="+", verbose_name=_("user"),
    )
    actor = models.CharField(_("actor"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=32)
    entity = models.CharField(_("entity"), max_length=32)
    entity_id = models.BigIntegerField(_("entity id"))  # indexed with entity (audit_entity)
    key = models.CharField(_("key"), max_length=255, blank=True)
    old = models.JSONField(_("old"), null=True, blank=True)
    new = models.JSONField(_("new"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        # The table was made by the data app, where the model lived first; moving it
        # changed no table (migrations audit 0001 and datavalues 0005 are state only).
        db_table = "datavalues_auditrecord"
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"], name="audit_entity")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or self.user_id} {self.action} {self.key}"
