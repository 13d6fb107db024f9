# The audit record moved to the audit app (audit 0001), table and all: it leaves this
# app's migration state only, and the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('datavalues', '0004_audit_user_kept'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditRecord')],
            database_operations=[],
        ),
    ]
