# The audit record moved here from the data app (label "datavalues"), keeping its table:
# the model is created in the migration state only. On a fresh database the table is made
# by datavalues 0001-0004, which this migration follows. Its content type moves along, so
# permissions given on it stay given.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditrecord").exists():
        ContentType.objects.filter(app_label="datavalues", model="auditrecord").update(
            app_label="audit")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="audit", model="auditrecord").update(
        app_label="datavalues")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('datavalues', '0004_audit_user_kept'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='at')),
                        ('actor', models.CharField(blank=True, max_length=255, verbose_name='actor')),
                        ('action', models.CharField(max_length=32, verbose_name='action')),
                        ('entity', models.CharField(max_length=32, verbose_name='entity')),
                        ('entity_id', models.BigIntegerField(verbose_name='entity id')),
                        ('key', models.CharField(blank=True, max_length=255, verbose_name='key')),
                        ('old', models.JSONField(blank=True, null=True, verbose_name='old')),
                        ('new', models.JSONField(blank=True, null=True, verbose_name='new')),
                        ('reason', models.CharField(blank=True, max_length=500, verbose_name='reason')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'audit record',
                        'verbose_name_plural': 'audit records',
                        'db_table': 'datavalues_auditrecord',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['entity', 'entity_id'], name='audit_entity')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
