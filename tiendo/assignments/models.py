"""Tasks (nhiệm vụ) assigned by a document, their progress, extensions and assessments.

A programme, project or scheme (chương trình, dự án, đề án) is itself a task of that kind;
its sub-tasks point to it as their `parent`. The status is never stored: it is computed by
`tiendo.lib.assignments` from the deadlines, the extensions and the day it was done.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.org.models import OrgUnit
from tiendo.plans.models import Document


class Task(models.Model):
    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        PROGRAMME = "programme", _("Programme")
        PROJECT = "project", _("Project")
        SCHEME = "scheme", _("Scheme")
        SUBMISSION = "submission", _("Submission to the People's Committee")
        DRAFT = "draft", _("Draft document")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Reported done")
        CONFIRMED = "confirmed", _("Confirmed")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("document"))
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TASK)
    assigned_by = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("assigning unit"))
    unit_in_charge = models.ForeignKey(OrgUnit, on_delete=models.PROTECT,
                                       related_name="tasks_held",
                                       verbose_name=_("unit in charge"))
    coordinating = models.ManyToManyField(OrgUnit, blank=True, related_name="tasks_coordinated",
                                          verbose_name=_("coordinating units"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("programme or parent"))
    # The day the task was assigned: the document's date (a period's tasks start from it).
    assigned_on = models.DateField(_("assigned on"))
    # The first deadline; null for an ongoing duty (thường xuyên). Kept when extended.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_period = models.CharField(_("deadline period"), max_length=16, blank=True)
    current_deadline = models.DateField(_("current deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.OPEN)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.TextField(_("progress"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("marked done by"))
    evidence_document = models.CharField(_("evidence document"), max_length=255, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_file = models.BinaryField(_("evidence file"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    returned_reason = models.CharField(_("reason returned"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["assigned_on"], name="task_assigned_on"),
                   models.Index(fields=["done_on"], name="task_done_on")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress_pct__lte=100),
                                   name="task_progress_at_most_100"),
            models.UniqueConstraint(fields=["document", "title", "unit_in_charge"],
                                    name="task_unique_in_document"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ongoing(self) -> bool:
        return self.deadline is None


class TaskExtension(models.Model):
    """A deadline extended: when it was granted and the new deadline (the first one stays
    on the task)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    granted_on = models.DateField(_("granted on"))
    old_deadline = models.DateField(_("previous deadline"))
    new_deadline = models.DateField(_("new deadline"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.task} → {self.new_deadline}"


class TaskAssessment(models.Model):
    """An ongoing duty assessed for one reporting period: done or not done in it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assessments")
    period = models.CharField(_("period"), max_length=16)
    done = models.BooleanField(_("done"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["task", "period"],
                                               name="task_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.task} {self.period}"


class TaskReminder(models.Model):
    """A reminder e-mailed for a task and an event; never twice for the same pair."""

    class Event(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [models.UniqueConstraint(fields=["task", "event"],
                                               name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task} {self.event}"
