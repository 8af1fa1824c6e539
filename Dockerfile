# The application image for docker-compose.yml (production path). Same settings names as the Makefile.
# The default command serves (gunicorn, as the app role of DATABASE_URL); run deploy/migrate.sh first, once per
# deployment (migrations and data as the owner role of MAPSERVER_MIGRATE_DATABASE_URL), as docker-compose does.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=mapserver.settings \
    MAPSERVER_STATIC_ROOT=/srv/static MAPSERVER_TILE_CACHE_DIR=/srv/cache/tiles \
    MAPSERVER_RASTER_DIR=/srv/data/rasters MAPSERVER_MEDIA_DIR=/srv/data/media MAPSERVER_STATE=/tmp/mapserver
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin libgdal-dev ffmpeg fonts-dejavu-core mosquitto \
    postgresql-client curl && rm -rf /var/lib/apt/lists/*
# Not root: the code is read-only to the server; it writes only the static, cache and data volumes.
RUN useradd --system --no-create-home --home-dir /app --shell /usr/sbin/nologin mapserver \
    && mkdir -p /srv/static /srv/cache/tiles /srv/data/rasters /srv/data/media \
    && chown -R mapserver /srv/static /srv/cache /srv/data
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER mapserver
RUN python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn -c deploy/gunicorn.conf.py mapserver.asgi:application -b 0.0.0.0:8000"]
