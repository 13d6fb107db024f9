"""The admin's user page with the person's role and unit and their API tokens on it.

Role and unit are written through `people.membership_save` (audited); tokens are made by
`tiendo manage api_token` (the token is shown once) and only revoked here."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import ApiToken, Membership
from tiendo.accounts.people import membership_remove, membership_save
from tiendo.accounts.services import apitoken_revoke
from tiendo.audit.admin import ReadOnlyAdmin
from tiendo.audit.services import Actor

User = get_user_model()


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    max_num = 1
    extra = 0
    raw_id_fields = ["org_unit"]
    verbose_name = verbose_name_plural = _("role and unit")


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PersonAdmin(UserAdmin):
    inlines = [MembershipInline, ApiTokenInline]
    list_display = ["username", "first_name", "email", "membership_role", "membership_unit",
                    "is_active"]
    list_select_related = ["membership__org_unit"]
    list_filter = ["is_active", "membership__role"]
    search_fields = ["username", "first_name", "last_name", "email",
                     "membership__org_unit__code", "membership__org_unit__name"]

    @admin.display(description=_("role"))
    def membership_role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description=_("unit"))
    def membership_unit(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.org_unit if membership and membership.org_unit else "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        actor = Actor.of(request.user, via="admin")
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                continue
            data = inline_form.cleaned_data
            if data.get("DELETE"):
                membership_remove(user=form.instance, actor=actor)
            elif data:
                membership_save(user=form.instance, role=data["role"],
                                org_unit=data.get("org_unit"), actor=actor)
        formset.new_objects = formset.changed_objects = formset.deleted_objects = []
        return None


admin.site.unregister(User)
admin.site.register(User, PersonAdmin)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Every role and unit at a glance; changed on the user's page, which audits it."""

    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    list_select_related = ["user", "org_unit"]
    search_fields = ["user__username", "org_unit__code", "org_unit__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        actor = Actor.of(request.user, via="admin")
        count = sum(apitoken_revoke(api_token=token, actor=actor) for token in queryset)
        self.message_user(request, _("%(count)s tokens revoked.") % {"count": count})
