"""Households keyed by (review, line) instead of an id, and their ids unique per year.

A primary key cannot be changed in place on every database: the table is made anew, its
rows copied (they already hold one id per year: the import refused repeats), the old one
dropped."""

import django.db.models.deletion
from django.db import migrations, models

CHECKED = ("classification", "deprivation_count", "line", "members", "year")
COLUMNS = ("review_id, year, household_id, name, urban, members, income, flags, "
           "deprivation_count, classification, line")


def constraints_renamed(apps, schema_editor) -> None:
    """PostgreSQL named the new table's constraints after its first name."""
    if schema_editor.connection.vendor != "postgresql":
        return
    renames = [("poverty_householdkeyed_pkey", "poverty_household_pkey"), *(
        (f"poverty_householdkeyed_{c}_check", f"poverty_household_{c}_check") for c in CHECKED)]
    for old, new in renames:
        schema_editor.execute(f"ALTER TABLE poverty_household RENAME CONSTRAINT {old} TO {new}")


class Migration(migrations.Migration):

    dependencies = [
        ('poverty', '0002_household_review_no_db_constraint'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdKeyed',
            fields=[
                ('pk', models.CompositePrimaryKey('review_id', 'line', blank=True, editable=False, primary_key=True, serialize=False)),
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
            f"INSERT INTO poverty_householdkeyed ({COLUMNS}) "
            f"SELECT {COLUMNS} FROM poverty_household",
            f"INSERT INTO poverty_household ({COLUMNS}) "
            f"SELECT {COLUMNS} FROM poverty_householdkeyed"),
        migrations.DeleteModel(name='Household'),
        migrations.RenameModel(old_name='HouseholdKeyed', new_name='Household'),
        migrations.RunPython(constraints_renamed, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.UniqueConstraint(fields=('year', 'household_id'), name='poverty_hh_year_id', opclasses=['int2_ops', 'varchar_pattern_ops']),
        ),
    ]
