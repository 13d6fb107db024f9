# The aggregates' own index on the unit dropped: their unique keys start with it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('datavalues', '0011_updated_by_no_constraint'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='aggregatecell',
            name='org_unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='aggregatereporters',
            name='org_unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='aggregatevalue',
            name='org_unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.orgunit', verbose_name='unit'),
        ),
    ]
