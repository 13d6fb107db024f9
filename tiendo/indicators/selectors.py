"""Reads of the catalogue for the faces: pickers and lookups by id or code."""

from django.db.models import QuerySet

from tiendo.indicators.models import DataElement, DataSet, Indicator


def indicators_all() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("code")


def indicator_get(*, pk=None, code: str | None = None) -> Indicator | None:
    """The indicator with this id or code, or None (an id that is not a number included)."""
    if code is not None:
        return Indicator.objects.filter(code=code).first()
    try:
        return Indicator.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def data_sets_all() -> list[DataSet]:
    return list(DataSet.objects.prefetch_related("elements").order_by("code"))


def data_elements_all() -> QuerySet[DataElement]:
    return DataElement.objects.select_related("disaggregation").order_by("code")


def data_set_get(code: str) -> DataSet | None:
    return DataSet.objects.filter(code=code).first()
