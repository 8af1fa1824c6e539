"""The audit table is append-only for the application: UPDATE, DELETE and TRUNCATE raise in PostgreSQL.

TRUNCATE passes only in a session that has set `mapserver.audit_maintenance = on` (SET LOCAL in a transaction):
reserved for the database owner's maintenance (for instance archiving the table after exporting it with
`manage.py mapserver_audit`); the application never sets it.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION mapserver_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND coalesce(current_setting('mapserver.audit_maintenance', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the audit log (%) is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'audit entries are only ever inserted; see manage.py mapserver_audit to export them';
END
$$;
"""
TRIGGERS = """
CREATE TRIGGER mapserver_audit_no_change BEFORE UPDATE OR DELETE ON mapserver_auditentry
  FOR EACH ROW EXECUTE FUNCTION mapserver_audit_append_only();
CREATE TRIGGER mapserver_audit_no_truncate BEFORE TRUNCATE ON mapserver_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION mapserver_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS mapserver_audit_no_change ON mapserver_auditentry;
DROP TRIGGER IF EXISTS mapserver_audit_no_truncate ON mapserver_auditentry;
DROP FUNCTION IF EXISTS mapserver_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("mapserver", "0003_auth_ratecounter"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGERS, DROP),
    ]
