import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.org.models import OrgUnit


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SPECIALIST = "specialist", _("Provincial specialist")
    OFFICER = "officer", _("Unit officer")
    VIEWER = "viewer", _("Leader / viewer")


class Membership(models.Model):
    """Binds a user to the org unit they work for and their role there.

    The unit and everything below it (and the units it replaced in a reorganisation) is the
    user's scope; see `tiendo.accounts.access`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
        verbose_name=_("user"),
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(org_unit__isnull=False),
                name="membership_unit_unless_admin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.org_unit}"


def token_expiry():
    """When a token made now stops working: `TIENDO_API_TOKEN_DAYS` from now."""
    return timezone.now() + datetime.timedelta(days=settings.TIENDO_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once.

    It works until `expires_at` or until it is revoked (`revoked_at`), whichever comes first.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=token_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name}"
