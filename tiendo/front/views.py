from collections import defaultdict

from django.shortcuts import render

from tiendo.analytics.evaluation import evaluate_targets
from tiendo.lib.judge import summarise
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target


def home(request):
    """Every target set with its "x/y đạt và vượt" per unit and period, from the engine."""
    groups = defaultdict(list)
    targets = Target.objects.select_related("target_set", "indicator", "org_unit")
    for target in targets.order_by("target_set__name", "id"):
        groups[(target.target_set, target.org_unit, target.period)].append(target)
    rows = []
    for (target_set, unit, period), members in groups.items():
        results = evaluate_targets(members, parse_period(period))
        rows.append({
            "target_set": target_set,
            "unit": unit,
            "period": parse_period(period),
            "summary": summarise(r.status for r in results),
            "results": results,
        })
    return render(request, "front/home.html", {"rows": rows})
