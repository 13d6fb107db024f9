"""One form per element: an element held by a province's own data set (the demo's monthly
labour report) leaves its sector's catalogue set, so a report's status, its values' status
and the schedule agree (two forms with the same values disagreed after a submission)."""

from django.db import migrations


def one_form_per_element(apps, schema_editor):
    DataSet = apps.get_model("indicators", "DataSet")
    through = DataSet.elements.through
    rows = list(through.objects.values_list("pk", "dataelement_id", "dataelement__sector",
                                            "dataset__code"))
    own = {element for _pk, element, sector, code in rows if code != sector}
    through.objects.filter(pk__in=[pk for pk, element, sector, code in rows
                                   if code == sector and element in own]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("datavalues", "0006_draft_text"),
        ("indicators", "0002_dataset"),
    ]

    operations = [migrations.RunPython(one_form_per_element, migrations.RunPython.noop)]
