"""Writes of the people who use Tiến Độ: adding a user to a unit with a role, changing the
role or unit, deactivating, importing many from Excel, and the e-mail that lets a new user
choose a password (Django's password-reset machinery).

The rule of every write here: nobody grants a role above their own, nor for a unit outside
their scope, nor changes a person whose role is above theirs or who works outside it. An
administrator stands above everyone; a provincial specialist manages the specialists,
officers and viewers of their province and the units below it. Every change is audited.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, Scope, user_scope
from tiendo.accounts.models import Membership, Role
from tiendo.audit.services import Actor, audit_record
from tiendo.errors import Forbidden, InvalidInput, NotFound, Problem, text_problems
from tiendo.org.models import OrgUnit

# Who stands above whom: a role may be granted by a role of at least its rank.
RANK = {Role.VIEWER: 1, Role.OFFICER: 1, Role.SPECIALIST: 2, Role.ADMIN: 3}


@dataclass(frozen=True, slots=True)
class PersonInput:
    """One person to add: what the page's form or a row of the workbook gives."""

    full_name: str
    email: str
    role: str
    unit_code: str = ""
    line: int | None = None  # the workbook's row, for the problems
    sheet: str = ""


def _manager_scope(actor_user) -> Scope:
    scope = user_scope(actor_user)
    if not scope.allows(Action.USERS):
        raise Forbidden(_("your role does not allow managing users"))
    return scope


def role_of(text: str) -> str | None:
    """A role given by its code ("officer") or its name in either language."""
    wanted = (text or "").strip().casefold()
    if not wanted:
        return None
    from django.utils import translation

    for role in Role:
        names = {role.value.casefold(), str(role.label).casefold()}
        for lang in ("vi", "en"):
            with translation.override(lang):
                names.add(str(role.label).casefold())
        if wanted in names:
            return role.value
    return None


def grant_problems(*, scope: Scope, role: str | None, unit: OrgUnit | None,
                   line: int | None = None, sheet: str = "") -> list[Problem]:
    """Why `scope` may not give `role` at `unit` (empty when it may)."""
    problems = []
    if role is None:
        problems.append(Problem(_("choose a role: %(roles)s") % {
            "roles": ", ".join(str(r.label) for r in Role)}, line, "role", "", sheet))
        return problems
    if RANK[role] > RANK[scope.role]:
        problems.append(Problem(_("you cannot grant a role above your own"), line, "role",
                                str(Role(role).label), sheet))
    if role != Role.ADMIN and unit is None:
        problems.append(Problem(_("choose the unit the person works for"), line, "unit", "",
                                sheet))
    if unit is not None:
        if not scope.covers(unit):
            problems.append(Problem(_("this unit is outside your scope"), line, "unit",
                                    unit.code, sheet))
        elif unit.valid_to is not None:
            problems.append(Problem(
                _("this unit no longer exists (it ended on %(date)s); choose a unit of the map "
                  "in force") % {"date": f"{unit.valid_to:%d/%m/%Y}"}, line, "unit", unit.code,
                sheet))
    return problems


def manageable(scope: Scope, user) -> bool:
    """Whether `scope` may change `user`: in the scope, and not above it."""
    membership = getattr(user, "membership", None) if user.pk else None
    if scope.is_admin:
        return True
    if membership is None or membership.org_unit is None:
        return False
    return RANK[membership.role] <= RANK[scope.role] and scope.covers(membership.org_unit)


def unit_in_force(code: str) -> OrgUnit | None:
    """The unit of today's map with this code, or None."""
    code = (code or "").strip()
    if not code:
        return None
    return OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()


def _check_people(scope: Scope, people: list[PersonInput]) -> tuple[list, list[Problem]]:
    User = get_user_model()
    problems, ready, seen = [], [], {}
    codes = {p.unit_code.strip() for p in people if p.unit_code.strip()}
    # Excel drops leading zeros ("08" typed as a number reads 8): try the padded codes too.
    padded = {code.zfill(width) for code in codes if code.isdigit() for width in (2, 3, 5)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes | padded,
                                                       valid_to__isnull=True)}
    taken = {
        email.casefold() for email in User.objects.filter(
            email__in=[p.email.strip() for p in people]).values_list("email", flat=True)
    } | {
        name.casefold() for name in User.objects.filter(
            username__in=[p.email.strip().casefold() for p in people]
        ).values_list("username", flat=True)
    }
    for person in people:
        where = {"line": person.line, "sheet": person.sheet}
        found = text_problems({"name": person.full_name, "email": person.email}, **where)
        name, email = person.full_name.strip(), person.email.strip()
        if not name:
            found.append(Problem(_("the person's name is missing"), person.line, "name", "",
                                 person.sheet))
        try:
            validate_email(email)
        except Exception:
            found.append(Problem(_("not an e-mail address"), person.line, "email", email,
                                 person.sheet))
        else:
            if email.casefold() in taken:
                found.append(Problem(_("a user with this e-mail address already exists"),
                                     person.line, "email", email, person.sheet))
            elif email.casefold() in seen:
                found.append(Problem(_("this e-mail address is also on line %(line)s") % {
                    "line": seen[email.casefold()]}, person.line, "email", email, person.sheet))
            seen.setdefault(email.casefold(), person.line)
        role = role_of(person.role)
        if role is None and person.role.strip():
            found.append(Problem(_("unknown role; use one of: %(roles)s") % {
                "roles": ", ".join(str(r.label) for r in Role)}, person.line, "role",
                person.role, person.sheet))
        code = person.unit_code.strip()
        unit = units.get(code) or next(
            (units[code.zfill(width)] for width in (2, 3, 5)
             if code.isdigit() and code.zfill(width) in units), None)
        if code and unit is None:
            found.append(Problem(_("no unit of the map in force has this code"), person.line,
                                 "unit", code, person.sheet))
        elif role is not None or not person.role.strip():
            found.extend(grant_problems(scope=scope, role=role, unit=unit, **where))
        problems.extend(found)
        if not found:
            ready.append((person, name, email, role, unit))
    return ready, problems


def people_add(*, actor_user, people: list[PersonInput], base_url: str) -> list:
    """Add every person, each with an e-mail to choose a password, or none of them: every
    problem of every row comes back at once (InvalidInput), located by line and column."""
    scope = _manager_scope(actor_user)
    ready, problems = _check_people(scope, people)
    if problems:
        raise InvalidInput(problems)
    if not ready:
        raise InvalidInput([Problem(_("no person to add"))])
    User = get_user_model()
    actor = Actor.of(actor_user)
    added = []
    with transaction.atomic():
        for _person, name, email, role, unit in ready:
            user = User(username=email.casefold(), email=email, first_name=name, last_name="",
                        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, role=role, org_unit=unit)
            audit_record(actor=actor, action="create", entity="user", entity_id=user.pk,
                         key=user.username,
                         new={"name": name, "email": email, "role": role,
                              "org_unit": unit.code if unit else None})
            added.append(user)
        for user in added:
            transaction.on_commit(lambda user=user: password_link_send(user=user,
                                                                       base_url=base_url))
    return added


def person_add(*, actor_user, full_name: str, email: str, role: str, unit_code: str,
               base_url: str):
    """One person added from the page's form; see `people_add`."""
    return people_add(actor_user=actor_user, base_url=base_url, people=[
        PersonInput(full_name=full_name, email=email, role=role, unit_code=unit_code)])[0]


def person_for(*, actor_user, user_id: int | str):
    """A person the actor may manage, else NotFound (the same as for an unknown id)."""
    scope = _manager_scope(actor_user)
    User = get_user_model()
    try:
        user = User.objects.select_related("membership__org_unit").get(pk=int(user_id))
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such user")) from None
    if not manageable(scope, user):
        raise NotFound(_("no such user"))
    return user


def person_change(*, actor_user, user, role: str, unit_code: str, active: bool,
                  reason: str = "") -> bool:
    """Give `user` another role or unit, or (de)activate them (audited); whether anything
    changed. Nobody deactivates themselves or lowers their own role here."""
    scope = _manager_scope(actor_user)
    if not manageable(scope, user):
        raise NotFound(_("no such user"))
    wanted_role = role_of(role)
    unit = unit_in_force(unit_code)
    problems = []
    if unit_code.strip() and unit is None:
        problems.append(Problem(_("no unit of the map in force has this code"), None, "unit",
                                unit_code))
    else:
        problems = grant_problems(scope=scope, role=wanted_role, unit=unit)
    if user.pk == actor_user.pk:
        problems.append(Problem(_("you cannot change your own role, unit or access here")))
    if problems:
        raise InvalidInput(problems)
    membership = Membership.objects.filter(user=user).first()
    old = {"role": membership.role if membership else None,
           "org_unit": membership.org_unit.code if membership and membership.org_unit else None,
           "active": user.is_active}
    new = {"role": wanted_role, "org_unit": unit.code if unit else None, "active": active}
    if old == new:
        return False
    with transaction.atomic():
        Membership.objects.update_or_create(user=user, defaults={"role": wanted_role,
                                                                 "org_unit": unit})
        user.is_active = active
        user.is_staff = user.is_superuser = wanted_role == Role.ADMIN
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
        changed = {k: v for k, v in new.items() if old[k] != v}
        audit_record(actor=Actor.of(actor_user), action="update", entity="user",
                     entity_id=user.pk, key=user.get_username(),
                     old={k: old[k] for k in changed}, new=changed, reason=reason)
    return True


def password_link(*, user, base_url: str) -> str:
    """The address where `user` chooses a password (Django's password-reset link: it works
    once, until the password changes, for PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def password_link_send(*, user, base_url: str) -> None:
    """E-mail `user` the link to choose their password (console e-mail in development)."""
    link = password_link(user=user, base_url=base_url)
    subject = _("Tiến Độ: choose your password")
    body = _(
        "Hello %(name)s,\n\nAn account on Tiến Độ has been made for you (user name: "
        "%(username)s). Choose your password here:\n\n%(link)s\n\nThe link works once.\n"
    ) % {"name": user.get_full_name() or user.get_username(),
         "username": user.get_username(), "link": link}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


COLUMNS = ("name", "email", "unit", "role")


def _header_key(text) -> str | None:
    words = str(text or "").strip().casefold()
    if not words:
        return None
    aliases = {
        "name": ("name", "full name", "họ tên", "họ và tên", "tên"),
        "email": ("email", "e-mail", "thư điện tử"),
        "unit": ("unit", "unit code", "mã đơn vị", "đơn vị", "mã đvhc"),
        "role": ("role", "vai trò"),
    }
    for key, names in aliases.items():
        if words in names:
            return key
    return None


def people_read(content: bytes) -> tuple[list[PersonInput], list[Problem]]:
    """The rows of a users workbook: a header row naming the columns (name, e-mail, unit
    code, role, in Vietnamese or English), then one person a row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        return [], [Problem(_("not an Excel workbook (.xlsx)"))]
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    where = {key: index for index, text in enumerate(header)
             if (key := _header_key(text)) is not None}
    missing = [key for key in COLUMNS if key not in where]
    if missing:
        return [], [Problem(_("the first row must name the columns: name, e-mail, unit code, "
                              "role; missing: %(missing)s") % {"missing": ", ".join(missing)},
                            1, "", "", sheet.title)]
    people = []
    for line, row in enumerate(rows, start=2):
        cells = {key: row[index] if index < len(row) else None for key, index in where.items()}
        if all(value in (None, "") for value in cells.values()):
            continue
        people.append(PersonInput(
            full_name=str(cells["name"] or ""), email=str(cells["email"] or ""),
            role=str(cells["role"] or ""), unit_code=_code_text(cells["unit"]), line=line,
            sheet=sheet.title))
    return people, []


def _code_text(value) -> str:
    """A unit code as typed; Excel turns "25459" into a number (and "08" into 8)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def people_import(*, actor_user, content: bytes, base_url: str) -> list:
    """Add the people of a workbook, all or none (see `people_read`, `people_add`)."""
    _manager_scope(actor_user)
    people, problems = people_read(content)
    if problems:
        raise InvalidInput(problems)
    return people_add(actor_user=actor_user, people=people, base_url=base_url)


def membership_save(*, user, role: str, org_unit: OrgUnit | None, actor: Actor) -> bool:
    """Give `user` this role and unit, as the admin's user page does (audited); whether
    anything changed."""
    membership = Membership.objects.filter(user=user).first()
    old = ({"role": membership.role, "org_unit": membership.org_unit_id}
           if membership else None)
    new = {"role": role, "org_unit": org_unit.pk if org_unit else None}
    if old == new:
        return False
    with transaction.atomic():
        Membership.objects.update_or_create(user=user, defaults={"role": role,
                                                                 "org_unit": org_unit})
        audit_record(actor=actor, action="update" if old else "create", entity="membership",
                     entity_id=user.pk, key=user.get_username(), old=old, new=new)
    return True


def membership_remove(*, user, actor: Actor) -> bool:
    """Take `user`'s role and unit away (audited): they then see nothing."""
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        return False
    with transaction.atomic():
        old = {"role": membership.role, "org_unit": membership.org_unit_id}
        membership.delete()
        audit_record(actor=actor, action="delete", entity="membership", entity_id=user.pk,
                     key=user.get_username(), old=old)
    return True
