"""Households keyed by one integer packing (review, line) (`models.household_key`), and
their unique index on (household_id, year), the id first.

The primary key cannot be changed in place on every database: the table is made anew, its
rows copied with their key worked out, the old one dropped (as in 0003)."""

import django.db.models.deletion
from django.db import migrations, models

CHECKED = ("classification", "deprivation_count", "line", "members", "year")
COLUMNS = ("review_id, year, household_id, name, urban, members, income, flags, "
           "deprivation_count, classification, line")


def constraints_renamed(apps, schema_editor) -> None:
    """PostgreSQL named the new table's constraints after its first name."""
    if schema_editor.connection.vendor != "postgresql":
        return
    renames = [("poverty_householdpacked_pkey", "poverty_household_pkey"), *(
        (f"poverty_householdpacked_{c}_check", f"poverty_household_{c}_check") for c in CHECKED)]
    for old, new in renames:
        schema_editor.execute(f"ALTER TABLE poverty_household RENAME CONSTRAINT {old} TO {new}")


class Migration(migrations.Migration):

    dependencies = [
        ('poverty', '0003_household_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdPacked',
            fields=[
                ('key', models.BigIntegerField(primary_key=True, serialize=False)),
                ('year', models.PositiveSmallIntegerField()),
                ('household_id', models.CharField(max_length=64)),
                ('name', models.CharField(blank=True, max_length=255)),
                ('urban', models.BooleanField()),
                ('members', models.PositiveSmallIntegerField()),
                ('income', models.BigIntegerField()),
                ('flags', models.IntegerField()),
                ('deprivation_count', models.PositiveSmallIntegerField()),
                ('classification', models.PositiveSmallIntegerField()),
                ('line', models.PositiveIntegerField()),
                ('review', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='poverty.review')),
            ],
        ),
        migrations.RunSQL(
            f"INSERT INTO poverty_householdpacked (key, {COLUMNS}) "
            f"SELECT review_id * 4294967296 + line, {COLUMNS} FROM poverty_household",
            f"INSERT INTO poverty_household ({COLUMNS}) "
            f"SELECT {COLUMNS} FROM poverty_householdpacked"),
        migrations.DeleteModel(name='Household'),
        migrations.RenameModel(old_name='HouseholdPacked', new_name='Household'),
        migrations.RunPython(constraints_renamed, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.UniqueConstraint(fields=('household_id', 'year'), name='poverty_hh_year_id', opclasses=['varchar_pattern_ops', 'int2_ops']),
        ),
    ]
