"""Announce field report changes and camera status changes on `mapserver_events` (delivered on commit), as the
alerts already do, so every app process's event stream hears of them whoever wrote them."""

from django.db import migrations

NOTIFY = """
CREATE OR REPLACE FUNCTION public.live_report_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.assigned_to IS DISTINCT FROM OLD.assigned_to
       OR NEW.commune_code IS DISTINCT FROM OLD.commune_code THEN
        PERFORM pg_notify('mapserver_events', json_build_object(
            'type', 'report', 'id', NEW.id, 'status', NEW.status, 'commune_code', NEW.commune_code,
            'sector', NEW.sector, 'category_id', NEW.category_id)::text);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER live_report_notify AFTER INSERT OR UPDATE ON public.reports_fieldreport
    FOR EACH ROW EXECUTE FUNCTION public.live_report_notify();

CREATE OR REPLACE FUNCTION public.live_camera_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        PERFORM pg_notify('mapserver_events', json_build_object(
            'type', 'camera', 'id', NEW.id, 'status', NEW.status, 'commune_code', NEW.commune_code)::text);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER live_camera_notify AFTER INSERT OR UPDATE OF status ON public.geodata_camera
    FOR EACH ROW EXECUTE FUNCTION public.live_camera_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS live_report_notify ON public.reports_fieldreport;
DROP FUNCTION IF EXISTS public.live_report_notify();
DROP TRIGGER IF EXISTS live_camera_notify ON public.geodata_camera;
DROP FUNCTION IF EXISTS public.live_camera_notify();
"""


class Migration(migrations.Migration):
    dependencies = [("live", "0040_subscriptions"), ("reports", "0001_initial"), ("geodata", "0201_vocabulary_choices")]
    operations = [migrations.RunSQL(NOTIFY, DROP)]
