-- Statements every kind of trigger-kept cell table shares (layers/celltables.py): the trigger function that applies
-- a statement's transition tables to the cells, the four statement triggers, and their removal.

-- name: function
-- SET search_path FROM CURRENT: the schema migrate installed it from, also when a restore (pg_restore runs with
-- an empty search_path) fires it.
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $cells$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {on_insert};
  ELSIF TG_OP = 'DELETE' THEN
    {on_delete};
  ELSIF TG_OP = 'UPDATE' THEN
    {on_update};
  ELSE
    {on_truncate};
  END IF;
  {prune};
  RETURN NULL;
END $cells$

-- name: trigger_insert
CREATE OR REPLACE TRIGGER {trigger} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION {function}()

-- name: trigger_update
CREATE OR REPLACE TRIGGER {trigger} AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION {function}()

-- name: trigger_delete
CREATE OR REPLACE TRIGGER {trigger} AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION {function}()

-- name: trigger_truncate
CREATE OR REPLACE TRIGGER {trigger} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()

-- name: drop_trigger
DROP TRIGGER IF EXISTS {trigger} ON {table}

-- name: drop_function
DROP FUNCTION IF EXISTS {function}()
