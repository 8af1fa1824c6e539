"""Announce every new alert and every state change on the `mapserver_events` channel (delivered on commit), so
that every app process's event stream hears of it, whichever process or job wrote it."""

from django.db import migrations

NOTIFY = """
CREATE OR REPLACE FUNCTION public.alerts_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state OR NEW.severity IS DISTINCT FROM OLD.severity THEN
        PERFORM pg_notify('mapserver_events', json_build_object(
            'type', 'alert', 'id', NEW.id, 'state', NEW.state, 'source', NEW.source,
            'severity', NEW.severity, 'commune_code', NEW.commune_code, 'sector', NEW.sector,
            'responsible_unit', NEW.responsible_unit)::text);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER alerts_notify AFTER INSERT OR UPDATE ON public.alerts_alert
    FOR EACH ROW EXECUTE FUNCTION public.alerts_notify();
"""
DROP = "DROP TRIGGER IF EXISTS alerts_notify ON public.alerts_alert; DROP FUNCTION IF EXISTS public.alerts_notify();"


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunSQL(NOTIFY, DROP)]
