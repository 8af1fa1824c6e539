-- The app role's privileges on what the current role (the owner) has in schema public: rows of tables, reading
-- views, using sequences; the audit log is append-only and the migration history read-only. Run as the owner
-- after every migrate (mapserver/grants.py) and by deploy/localdb.sh on start, with the app role's name in the
-- setting mapserver.app_role. Idempotent.
-- name: grant_app_role
DO $grants$
DECLARE
    app text := current_setting('mapserver.app_role');
    rel record;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
    FOR rel IN
        SELECT c.oid::regclass AS name, c.relname, c.relkind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
           AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        IF rel.relkind = 'S' THEN
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', rel.name, app);
        ELSIF rel.relkind IN ('v', 'm') OR rel.relname = 'django_migrations' THEN
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %s FROM %I', rel.name, app);
            EXECUTE format('GRANT SELECT ON %s TO %I', rel.name, app);
        ELSIF rel.relname = 'mapserver_auditentry' THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM %I', rel.name, app);
            EXECUTE format('GRANT SELECT, INSERT ON %s TO %I', rel.name, app);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', rel.name, app);
        END IF;
    END LOOP;
END
$grants$;
