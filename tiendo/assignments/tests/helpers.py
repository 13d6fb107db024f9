import datetime

from tiendo.assignments.services import tasks_create
from tiendo.audit.services import Actor
from tiendo.plans.models import Document

D = datetime.date
JANUARY = D(2026, 1, 10)
DECEMBER = D(2026, 12, 2)


def document(symbol="12/KH-UBND", kind="plan", date=JANUARY) -> Document:
    return Document.objects.create(symbol=symbol, kind=kind, date=date, issuer="UBND tỉnh")


def create(world, doc, *rows, user=None, today=DECEMBER):
    user = user or world.users["specialist"]
    return tasks_create(document=doc, rows=list(rows), user=user, actor=Actor.of(user),
                        today=today)


def row(title="Rà soát lao động", unit="25459", deadline="30/06/2026", **more) -> dict:
    return {"title": title, "unit_in_charge": unit, "deadline": deadline, **more}
