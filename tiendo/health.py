"""Whether this server can do its work, for a load balancer or a monitor: the database
answers and its schema is up to date."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def health_problems() -> list[str]:
    """What stops the server from working (empty when it can)."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return ["migrations not applied: run tiendo setup"]
    except Exception as exc:  # any failure is the answer, not an error of this check
        return [f"database: {exc.__class__.__name__}"]
    return []
