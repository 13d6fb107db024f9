"""On PostgreSQL, a value's unit and data element are checked once per statement instead of
once per row: the two foreign keys (Django makes them deferred, so each ran a check per
value at commit: ~6 s of a million-value import) become statement triggers over the rows
written (a transition table), which lock the units and elements named, as a foreign key's
check does, and refuse any that does not exist; and row triggers on the unit and element
tables refuse to delete one that values name. The model keeps its foreign keys (Django's
PROTECT still applies first); SQLite keeps its constraints."""

from django.db import migrations

VALUES = "datavalues_datavalue"
REFERENCES = [("org_unit_id", "org_orgunit", "unit"),
              ("data_element_id", "indicators_dataelement", "data_element")]


def _checks() -> str:
    lines = []
    for column, table, _name in REFERENCES:
        lines.append(f"""
  PERFORM 1 FROM {table} r WHERE r.id IN (SELECT DISTINCT {column} FROM new_rows)
    ORDER BY r.id FOR KEY SHARE;
  SELECT string_agg(n.{column}::text, ', ') INTO missing
    FROM (SELECT DISTINCT {column} FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = n.{column});
  IF missing IS NOT NULL THEN
    RAISE foreign_key_violation USING MESSAGE =
      'insert or update on table "{VALUES}": {column} not present in "{table}": ' || missing;
  END IF;""")
    return "".join(lines)


FORWARD = [
    f"""CREATE FUNCTION datavalue_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE missing text;
BEGIN{_checks()}
  RETURN NULL;
END $$""",
    *(f"""CREATE TRIGGER datavalue_references_{event.lower()} AFTER {event} ON {VALUES}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION datavalue_references_check()""" for event in ("INSERT", "UPDATE")),
    *(f"""CREATE FUNCTION datavalue_{name}_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {VALUES} v WHERE v.{column} = OLD.id) THEN
    RAISE foreign_key_violation USING MESSAGE =
      '"{table}" ' || OLD.id || ' is still referenced from table "{VALUES}"';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$""" for column, table, name in REFERENCES),
    *(f"""CREATE TRIGGER datavalue_{name}_in_use BEFORE DELETE OR UPDATE OF id ON {table}
  FOR EACH ROW EXECUTE FUNCTION datavalue_{name}_in_use()""" for _c, table, name in REFERENCES),
]

BACKWARD = [
    *(f"DROP TRIGGER datavalue_{name}_in_use ON {table}" for _c, table, name in REFERENCES),
    *(f"DROP FUNCTION datavalue_{name}_in_use()" for _c, _t, name in REFERENCES),
    f"DROP TRIGGER datavalue_references_insert ON {VALUES}",
    f"DROP TRIGGER datavalue_references_update ON {VALUES}",
    "DROP FUNCTION datavalue_references_check()",
    *(f"ALTER TABLE {VALUES} ADD CONSTRAINT {VALUES}_{column}_fk FOREIGN KEY ({column}) "
      f"REFERENCES {table} (id) DEFERRABLE INITIALLY DEFERRED"
      for column, table, _name in REFERENCES),
]


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        found = schema_editor.connection.introspection.get_constraints(cursor, VALUES)
    columns = {column for column, _t, _n in REFERENCES}
    for name, constraint in found.items():
        if constraint["foreign_key"] and set(constraint["columns"]) <= columns:
            schema_editor.execute(f"ALTER TABLE {VALUES} DROP CONSTRAINT {name}")
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('datavalues', '0012_aggregates_unit_index_dropped'),
        ('indicators', '0002_dataset'),
        ('org', '0001_initial'),
    ]

    operations = [migrations.RunPython(forward, backward)]
