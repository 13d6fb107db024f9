import os
from pathlib import Path

import pytest

from tiendo.errors import InvalidInput
from tiendo.indicators.loaders import DEFAULT_PACK, catalogue_load
from tiendo.indicators.models import DataElement, Indicator

SHARED = Path(__file__).resolve().parents[4] / "shared" / "catalogue"


@pytest.mark.django_db
def test_it_loads_the_pack_idempotently():
    first = catalogue_load()
    second = catalogue_load()
    assert first == second
    assert DataElement.objects.count() == first["elements"]
    assert Indicator.objects.get(code="trained_labour_rate").formula == (
        "trained_workers / labour_force * 100"
    )


@pytest.mark.django_db
def test_it_gives_every_directed_element_its_own_indicator():
    catalogue_load()
    jobs = Indicator.objects.get(code="jobs_created")
    assert jobs.formula == "jobs_created" and jobs.direction == "higher"
    assert list(jobs.elements.values_list("code", flat=True)) == ["jobs_created"]


@pytest.mark.django_db
def test_it_refuses_a_formula_over_unknown_elements(tmp_path):
    (tmp_path / "disaggregations.csv").write_text("disaggregation,code,name_vi,name_en\n")
    header = (DEFAULT_PACK / "labour_social.csv").read_text().splitlines()[0]
    (tmp_path / "pack.csv").write_text(
        header + "\nbad,indicator,Xấu,Bad,%,percent,,,higher,nothing / zero,,x\n"
    )
    with pytest.raises(InvalidInput) as exc:
        catalogue_load(pack_dir=tmp_path)
    assert exc.value.problems[0].line == 2
    assert not Indicator.objects.filter(code="bad").exists()


# CI always has shared/ beside the checkout, so there the comparison must run.
@pytest.mark.skipif(
    not SHARED.exists() and not os.environ.get("CI"),
    reason="../shared is not beside the checkout",
)
def test_it_ships_the_same_catalogue_as_shared():
    for name in ("labour_social.csv", "disaggregations.csv"):
        assert (DEFAULT_PACK / name).read_bytes() == (SHARED / name).read_bytes()
