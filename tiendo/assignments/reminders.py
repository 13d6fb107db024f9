"""E-mail reminders for tasks: once when a task becomes due soon, once when it is missed;
never twice for the same task and event (`TaskReminder` is the sent-record)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiendo.accounts.models import Membership
from tiendo.assignments.models import Task, TaskReminder
from tiendo.assignments.selectors import task_state_of
from tiendo.lib.assignments import TaskStatus


def _event(task: Task, today: datetime.date) -> str | None:
    state = task_state_of(task, today)
    if state is None:
        return None
    if state.status == TaskStatus.OVERDUE:
        return TaskReminder.Event.OVERDUE
    if state.due_soon:
        return TaskReminder.Event.DUE_SOON
    return None


def task_reminders_send(*, today: datetime.date | None = None) -> list[TaskReminder]:
    """Send what is due as of `today`; returns the reminders sent now."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.TIENDO_TASK_DUE_SOON_DAYS)
    sent_already = set(TaskReminder.objects.values_list("task_id", "event"))
    open_tasks = (Task.objects.filter(state=Task.State.OPEN, current_deadline__lte=horizon,
                                      assigned_on__lte=today)
                  .select_related("unit_in_charge", "document")
                  .prefetch_related("extensions"))
    sent = []
    for task in open_tasks:
        event = _event(task, today)
        if event is None or (task.pk, event) in sent_already:
            continue
        emails = sorted(Membership.objects.filter(org_unit=task.unit_in_charge,
                                                  user__is_active=True)
                        .exclude(user__email="").values_list("user__email", flat=True))
        if not emails:
            continue
        try:
            with transaction.atomic():
                reminder = TaskReminder.objects.create(task=task, event=event,
                                                       recipients=", ".join(emails))
        except IntegrityError:
            continue  # another worker sent it meanwhile
        with translation.override(settings.LANGUAGE_CODE):
            values = {"title": task.title, "document": task.document.symbol,
                      "deadline": task_state_of(task, today).deadline.strftime("%d/%m/%Y"),
                      "unit": task.unit_in_charge.name}
            if event == TaskReminder.Event.OVERDUE:
                subject = _("Task overdue: %(title)s") % values
                body = _("The task \"%(title)s\" (%(document)s) held by %(unit)s was due on "
                         "%(deadline)s and is not reported done.") % values
            else:
                subject = _("Task due soon: %(title)s") % values
                body = _("The task \"%(title)s\" (%(document)s) held by %(unit)s is due on "
                         "%(deadline)s.") % values
        send_mail(subject, body, None, emails)
        sent.append(reminder)
    return sent
