"""Which form (data set) an element is entered through: one, so that a report's status,
its values' status and the schedule always agree. Two forms holding the same element
disagree as soon as one is submitted (the other still says draft while its rows say
submitted)."""

from django.db import transaction

from tiendo.audit.services import Actor, audit_record
from tiendo.indicators.models import DataElement, DataSet


def dataset_take_elements(*, data_set: DataSet, codes, actor: Actor) -> int:
    """Put the elements with these codes in `data_set` and take them out of every other
    data set (audited); how many memberships changed."""
    elements = list(DataElement.objects.filter(code__in=codes))
    through = DataSet.elements.through
    with transaction.atomic():
        elsewhere = through.objects.filter(dataelement__in=elements).exclude(
            dataset=data_set).select_related("dataset", "dataelement")
        moved = [(row.dataset.code, row.dataelement.code) for row in elsewhere]
        elsewhere.delete()
        present = set(data_set.elements.values_list("pk", flat=True))
        added = [e for e in elements if e.pk not in present]
        data_set.elements.add(*added)
        if moved or added:
            audit_record(actor=actor, action="update", entity="dataset",
                         entity_id=data_set.pk, key=data_set.code,
                         old={"elsewhere": sorted(f"{s}:{e}" for s, e in moved)},
                         new={"elements": sorted(e.code for e in added)})
    return len(moved) + len(added)


def elements_in_two_data_sets() -> list[str]:
    """Codes of elements that two data sets hold (what the rule above forbids)."""
    through = DataSet.elements.through
    seen: dict[int, str] = {}
    twice = set()
    for element_id, code in through.objects.values_list("dataelement_id",
                                                        "dataelement__code"):
        if element_id in seen:
            twice.add(code)
        seen[element_id] = code
    return sorted(twice)
