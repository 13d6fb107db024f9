"""The rows of the permission matrix (tiendo/tests/test_permissions.py) for the task pages
and API: T1 is held by the officer's commune; T2 too, coordinated by the sibling commune and
reported done by the officer."""

import datetime

from django.utils import timezone

from tiendo.assignments.services import task_mark_done, tasks_create
from tiendo.audit.services import Actor
from tiendo.plans.models import Document


def task_cases(world, Case, expect: dict) -> list:
    doc = Document.objects.create(symbol="20/KH-UBND", kind="plan",
                                  date=datetime.date(2026, 1, 10))
    specialist, officer = world.users["specialist"], world.users["officer"]
    first, second = tasks_create(document=doc, user=specialist, actor=Actor.of(specialist), rows=[
        {"title": "T1", "unit_in_charge": "25459", "deadline": "30/06/2026"},
        {"title": "T2", "unit_in_charge": "25459", "deadline": "30/06/2026",
         "coordinating_units": "25480"}])
    task_mark_done(task=second, done_on=datetime.date(2026, 6, 1), user=officer,
                   actor=Actor.of(officer))
    t1, t2, d, commune = first.pk, second.pk, doc.pk, world.commune.pk
    everyone, read, enter = expect["EVERYONE"], expect["READ_COMMUNE"], expect["ENTER_COMMUNE"]
    plan = {**everyone, "officer": "forbidden", "viewer": "forbidden", "sibling": "forbidden"}
    decide = {**expect["APPROVE_COMMUNE"], "sibling": "forbidden"}
    coordinated = {**read, "sibling": "ok"}
    today = timezone.localdate().isoformat()
    api = "/api/v1/tasks"
    row = {"title": "T3", "unit_in_charge": "25459", "deadline": "31/12/2026"}
    return [
        Case("tasks/", "get", "/tasks/?period=2026", everyone),
        Case("tasks/overdue/", "get", f"/tasks/overdue/?unit={commune}&period=2026", read),
        Case("tasks/document/<int:document_id>/", "get", f"/tasks/document/{d}/", everyone),
        Case("tasks/document/<int:document_id>/", "post", f"/tasks/document/{d}/", plan,
             {"rows": "1", "title-0": "T3", "unit_in_charge-0": "25459",
              "deadline-0": "31/12/2026"}),
        Case("tasks/<int:task_id>/", "get", f"/tasks/{t1}/", read),
        Case("tasks/<int:task_id>/", "get", f"/tasks/{t2}/", coordinated),
        Case("tasks/<int:task_id>/", "post", f"/tasks/{t1}/", enter,
             {"action": "progress", "progress_pct": "50", "progress_note": "x"}),
        Case("tasks/<int:task_id>/", "post", f"/tasks/{t2}/", decide, {"action": "confirm"}),
        Case(f"{api}/", "get", f"{api}/?period=2026", everyone, api=True),
        Case(f"{api}/", "post", f"{api}/", plan, {"document_id": d, "tasks": [row]}, api=True),
        Case(f"{api}/overdue", "get", f"{api}/overdue?period=2026&unit_id={commune}", read,
             api=True),
        Case(f"{api}/{{task_id}}", "get", f"{api}/{t1}", read, api=True),
        Case(f"{api}/{{task_id}}", "get", f"{api}/{t2}", coordinated, api=True),
        Case(f"{api}/{{task_id}}/progress", "post", f"{api}/{t1}/progress", enter,
             {"progress_pct": 50}, api=True),
        Case(f"{api}/{{task_id}}/done", "post", f"{api}/{t1}/done", enter,
             {"done_on": today, "evidence_document": "12/BC"}, api=True),
        Case(f"{api}/{{task_id}}/decision", "post", f"{api}/{t2}/decision", decide,
             {"decision": "confirm"}, api=True),
    ]
