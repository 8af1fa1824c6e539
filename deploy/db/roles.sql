-- The map server's two database roles, idempotent: deploy/localdb.sh runs it on every start, the PostGIS container
-- on its first start (deploy/db/initdb.sh). Run as a superuser with the psql variables owner, app, db and
-- owner_createdb (CREATEDB or NOCREATEDB); the passwords come from MAPSERVER_DB_PASSWORD and
-- MAPSERVER_DB_APP_PASSWORD and are used only when a role is created.
--   owner: owns the database and everything in it, runs migrations and data loads; not a superuser.
--   app:   what the server connects as: reads and writes rows (mapserver/grants.sql), creates and alters nothing.
\set ON_ERROR_STOP on
\getenv owner_password MAPSERVER_DB_PASSWORD
\getenv app_password MAPSERVER_DB_APP_PASSWORD

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'owner_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS :owner_createdb;
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
-- The served database is durable whatever was set on it before: only the test suite's own throw-away databases
-- turn synchronous_commit off (tests/conftest.py); a database-level setting here would lose acknowledged writes.
ALTER DATABASE :"db" RESET synchronous_commit;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

-- PostGIS is the superuser's, in template1 too so that the databases the owner creates (the test suite's) have it.
-- The owner may write spatial_ref_sys: geodata migration 0200 adds the pinned VN-2000 SRIDs.
\connect template1
CREATE EXTENSION IF NOT EXISTS postgis;
GRANT SELECT, INSERT, UPDATE, DELETE ON spatial_ref_sys TO :"owner";

\connect :db
CREATE EXTENSION IF NOT EXISTS postgis;
GRANT SELECT, INSERT, UPDATE, DELETE ON spatial_ref_sys TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Tables and sequences the owner creates later (migrations) are the app's to use at once; mapserver/grants.sql,
-- run after every migrate, narrows views and the audit log.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
