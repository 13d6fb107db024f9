"""`DataValue.updated_by` without a foreign key in the database (see the field). Dropped on
PostgreSQL only, where its check ran once per value at commit; on SQLite, where the check
is cheap, the table would have to be copied whole to drop it, so it stays there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def dropped(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("datavalues", "DataValue")
    with schema_editor.connection.cursor() as cursor:
        found = schema_editor.connection.introspection.get_constraints(
            cursor, model._meta.db_table)
    for name, constraint in found.items():
        if constraint["foreign_key"] and constraint["columns"] == ["updated_by_id"]:
            schema_editor.execute(f"ALTER TABLE {model._meta.db_table} DROP CONSTRAINT {name}")


def restored(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("datavalues", "DataValue")
    user = apps.get_model(settings.AUTH_USER_MODEL)
    schema_editor.execute(
        f"ALTER TABLE {model._meta.db_table} ADD CONSTRAINT datavalue_updated_by_fk "
        f"FOREIGN KEY (updated_by_id) REFERENCES {user._meta.db_table} (id) "
        f"DEFERRABLE INITIALLY DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ('datavalues', '0010_yearly_aggregates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='datavalue',
                    name='updated_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
                ),
            ],
            database_operations=[migrations.RunPython(dropped, restored)],
        ),
    ]
