"""The demo's tasks (nhiệm vụ), counted by `tiendo.lib.assignments`, never typed.

- Hồ Chí Minh City 2022 (the published counts, titles generic): the department's 21 work
  programmes, all completed (two of them a few days late, so 21/21 completed still holds);
  the 18 submissions to the City People's Committee, all done; the 3 resolutions of the
  City People's Council drafted.
- Long An 2024 and Tây Ninh 2025–2026, wholly simulated ("Dữ liệu mô phỏng"): tasks in
  every class, judged as of 2 December 2026: done on time, done late, in progress, due soon,
  overdue, one deadline extended in time and one too late, an ongoing duty.

Idempotent: a document that already has tasks is left as it is.
"""

import datetime

from tiendo.assignments.models import Task
from tiendo.assignments.services import RawTask, tasks_check, tasks_save
from tiendo.audit.services import Actor, audited_create, audited_update
from tiendo.lib.periods import parse_period
from tiendo.org.selectors import orgunit_children, orgunit_resolve
from tiendo.plans.services import document_get_or_create

SIMULATED = "Dữ liệu mô phỏng"
SRC_HCMC = "Tin Thành ủy TP.HCM, hội nghị tổng kết Sở LĐTBXH ngày 27/12/2022"
HCMC_PROGRAMMES = "CTCT-2022/SLĐTBXH"
HCMC_SUBMISSIONS = "KH-TT-2022/SLĐTBXH"
HCMC_DRAFTS = "KH-NQ-2022/SLĐTBXH"
ACTOR = Actor.system("demo")
DAY = datetime.timedelta(days=1)
D = datetime.date


def _store(symbol: str, rows: list[dict], *, kind: str, date: D, issuer: str,
           title: str) -> list[Task]:
    document = document_get_or_create(symbol=symbol, kind=kind, date=date, issuer=issuer,
                                      title=title, actor="demo")
    if document.assignments.exists():
        return []
    records = [RawTask(line, {"document_symbol": symbol, **row})
               for line, row in enumerate(rows, start=1)]
    return tasks_save(pending=tasks_check(records=records, user=None, today=D(2026, 12, 2)),
                      actor=ACTOR, via="demo")


def _hcmc() -> None:
    hcmc = "79"
    quarters = ["30/03/2022", "30/06/2022", "30/09/2022", "15/12/2022"]
    programmes = []
    for number in range(1, 22):
        deadline = quarters[number % 4]
        day, month, year = (int(part) for part in deadline.split("/"))
        done = D(year, month, day) - (5 - number % 5) * DAY
        if number in (7, 16):  # late by a few days; still counted as completed
            done = D(year, month, day) + 4 * DAY
        programmes.append({"title": f"Chương trình công tác số {number}/21 năm 2022 của Sở",
                           "unit_in_charge": hcmc, "deadline": deadline, "kind": "programme",
                           "done_on": done.strftime("%d/%m/%Y")})
    _store(HCMC_PROGRAMMES, programmes, kind="plan", date=D(2022, 1, 10),
           issuer="Sở LĐTBXH TP. Hồ Chí Minh",
           title=f"Chương trình công tác năm 2022 (số lượng: {SRC_HCMC}; tên: {SIMULATED})")
    submissions = [{"title": f"Nội dung trình UBND Thành phố số {n}/18 năm 2022",
                    "unit_in_charge": hcmc, "deadline": f"tháng {1 + (n * 2) % 11}/2022",
                    "kind": "submission",
                    "done_on": f"{10 + n % 15:02d}/{1 + (n * 2) % 11:02d}/2022"}
                   for n in range(1, 19)]
    _store(HCMC_SUBMISSIONS, submissions, kind="plan", date=D(2022, 1, 5),
           issuer="Sở LĐTBXH TP. Hồ Chí Minh",
           title=f"Kế hoạch tham mưu trình UBND Thành phố năm 2022 (số lượng: {SRC_HCMC})")
    drafts = [{"title": f"Dự thảo Nghị quyết HĐND Thành phố số {n}/3 năm 2022",
               "unit_in_charge": hcmc, "deadline": "Quý III/2022", "kind": "draft",
               "done_on": f"{n + 10:02d}/09/2022"} for n in range(1, 4)]
    _store(HCMC_DRAFTS, drafts, kind="plan", date=D(2022, 2, 15),
           issuer="Sở LĐTBXH TP. Hồ Chí Minh",
           title=f"Kế hoạch xây dựng nghị quyết HĐND năm 2022 (số lượng: {SRC_HCMC})")


def _long_an() -> None:
    province = orgunit_resolve(code="80", on=D(2024, 12, 31))
    districts = [u.code for u in orgunit_children(province, on=D(2024, 12, 31))][:6]
    rows = []
    deadlines = ["Quý I/2024", "6 tháng đầu năm 2024", "30/09/2024", "năm 2024"]
    for n in range(12):
        district = districts[n % len(districts)]
        deadline = deadlines[n % 4]
        done = None
        if n % 3 == 0:
            done = "15/03/2024" if n % 4 == 0 else "20/06/2024"
        elif n % 3 == 1 and n != 10:
            done = "20/01/2025"  # late
        rows.append({"title": f"Nhiệm vụ {n + 1} triển khai kế hoạch năm 2024 ({SIMULATED})",
                     "unit_in_charge": district, "coordinating_units": "80",
                     "deadline": deadline, "done_on": done or ""})
    rows.append({"title": f"Theo dõi, tổng hợp tình hình lao động việc làm ({SIMULATED})",
                 "unit_in_charge": "80", "deadline": "thường xuyên"})
    _store("KH-NV-2024/UBND-LA", rows, kind="plan", date=D(2024, 1, 15),
           issuer="UBND tỉnh Long An", title=f"Kế hoạch thực hiện nhiệm vụ năm 2024 ({SIMULATED})")


def _tay_ninh() -> None:
    province = orgunit_resolve(code="80", on=D(2026, 1, 1))
    communes = [u.code for u in orgunit_children(province, on=D(2026, 1, 1))][:8]
    plan = [
        ("Đề án giải quyết việc làm giai đoạn 2026-2030", "province", "năm 2026", "",
         "scheme"),
        ("Rà soát lao động thất nghiệp", 0, "30/06/2026", "25/06/2026", "task"),
        ("Tổ chức phiên giao dịch việc làm quý III", 1, "Quý III/2026", "10/10/2026", "task"),
        ("Cập nhật cơ sở dữ liệu cung - cầu lao động", 2, "30/09/2026", "", "task"),
        ("Báo cáo kết quả đào tạo nghề 6 tháng", 3, "6 tháng đầu năm 2026", "", "task"),
        ("Kiểm tra an toàn lao động tại doanh nghiệp", 4, "05/12/2026", "", "task"),
        ("Tổng kết chương trình hỗ trợ người lao động", 5, "08/12/2026", "", "task"),
        ("Xây dựng kế hoạch đào tạo nghề năm 2027", 6, "31/12/2026", "", "task"),
        ("Hỗ trợ lao động đi làm việc ở nước ngoài", 7, "tháng 11/2026", "30/11/2026", "task"),
    ]
    rows = []
    for title, who, deadline, done, kind in plan:
        unit = "80" if who == "province" else communes[who % len(communes)]
        rows.append({"title": f"{title} ({SIMULATED})", "unit_in_charge": unit,
                     "coordinating_units": "" if unit == "80" else communes[(who + 1) %
                                                                               len(communes)],
                     "deadline": deadline, "done_on": done, "kind": kind,
                     "programme": "" if kind == "scheme" else
                     f"Đề án giải quyết việc làm giai đoạn 2026-2030 ({SIMULATED})"})
    rows.append({"title": f"Tiếp nhận, giải quyết hồ sơ bảo trợ xã hội ({SIMULATED})",
                 "unit_in_charge": communes[0], "deadline": "thường xuyên"})
    created = _store("KH-NV-2026/UBND-TN", rows, kind="plan", date=D(2026, 1, 20),
                     issuer="UBND tỉnh Tây Ninh",
                     title=f"Kế hoạch thực hiện nhiệm vụ năm 2026 ({SIMULATED})")
    by_title = {task.title.split(" (")[0]: task for task in created}
    # One extension granted before the first deadline (judged on the new one), one after it
    # passed (still counted against the first).
    for title, granted, new in (("Cập nhật cơ sở dữ liệu cung - cầu lao động",
                                 D(2026, 9, 20), D(2026, 12, 31)),
                                ("Báo cáo kết quả đào tạo nghề 6 tháng",
                                 D(2026, 7, 15), D(2026, 12, 31))):
        task = by_title.get(title)
        if task is None:
            continue
        from tiendo.assignments.models import TaskExtension

        audited_create(model=TaskExtension, actor=ACTOR, data={
            "task": task, "granted_on": granted, "old_deadline": task.deadline,
            "new_deadline": new, "reason": SIMULATED})
        audited_update(instance=task, fields=["current_deadline"],
                       data={"current_deadline": new}, actor=ACTOR, action="extend")
    duty = by_title.get("Tiếp nhận, giải quyết hồ sơ bảo trợ xã hội")
    if duty is not None:
        from tiendo.assignments.models import TaskAssessment

        for quarter in ("2026Q1", "2026Q2", "2026Q3"):
            audited_create(model=TaskAssessment, actor=ACTOR, data={
                "task": duty, "period": parse_period(quarter).code, "done": quarter != "2026Q2",
                "note": SIMULATED})


def demo_tasks_load() -> int:
    """Load the demo's tasks; returns how many there are."""
    _hcmc()
    _long_an()
    _tay_ninh()
    return Task.objects.count()
