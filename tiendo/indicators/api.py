"""The catalogue in the API: data sets (the reports units fill in) and data elements."""

from ninja import Router

from tiendo.indicators.selectors import data_elements_all, data_sets_all

router = Router(tags=["catalogue"])


@router.get("/data-sets")
def data_sets(request):
    """The reports (groups of data elements) units fill in."""
    return [{"code": d.code, "name": d.name,
             "elements": list(d.elements.order_by("code").values_list("code", flat=True))}
            for d in data_sets_all()]


@router.get("/elements")
def elements(request):
    return [{"code": e.code, "name": e.name, "value_type": e.value_type,
             "disaggregation": e.disaggregation.code if e.disaggregation else None}
            for e in data_elements_all()]
