"""On PostgreSQL, households in one partition per review year (`models.year_table`), so that
a national year is loaded into a table of its own, indexed alone and attached
(`services._FreshYear`) instead of re-sorting every year's rows. A partitioned table's
primary key must hold the partition column: it is (key, year) there; the model keeps `key`.
Other databases keep one table (nothing changes)."""

from django.db import migrations

TABLE = "poverty_household"


def partitioned(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_plain")
    run(f"ALTER TABLE {TABLE}_plain RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_plain_pkey")
    run("ALTER INDEX poverty_hh_year_id RENAME TO poverty_hh_year_id_plain")
    run(f"CREATE TABLE {TABLE} (LIKE {TABLE}_plain INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        f" PARTITION BY LIST (year)")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (key, year)")
    run(f"CREATE UNIQUE INDEX poverty_hh_year_id ON {TABLE} "
        f"(household_id varchar_pattern_ops, year)")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT year FROM {TABLE}_plain ORDER BY year")
        years = [row[0] for row in cursor.fetchall()]
    for year in years:
        run(f"CREATE TABLE {TABLE}_y{int(year)} PARTITION OF {TABLE} "
            f"FOR VALUES IN ({int(year)})")
    run(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_plain")
    run(f"DROP TABLE {TABLE}_plain")


def plain(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f"CREATE TABLE {TABLE}_plain (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    run(f"INSERT INTO {TABLE}_plain SELECT * FROM {TABLE}")
    run(f"DROP TABLE {TABLE}")  # its partitions with it
    run(f"ALTER TABLE {TABLE}_plain RENAME TO {TABLE}")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (key)")
    run(f"CREATE UNIQUE INDEX poverty_hh_year_id ON {TABLE} "
        f"(household_id varchar_pattern_ops, year)")


class Migration(migrations.Migration):

    dependencies = [
        ('poverty', '0004_household_packed_key'),
    ]

    operations = [migrations.RunPython(partitioned, plain)]
