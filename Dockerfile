# The application image for docker-compose.yml (production path). Same settings names as the Makefile.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=mapserver.settings \
    MAPSERVER_STATIC_ROOT=/srv/static MAPSERVER_TILE_CACHE_DIR=/srv/cache/tiles \
    MAPSERVER_RASTER_DIR=/srv/data/rasters MAPSERVER_MEDIA_DIR=/srv/data/media
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin libgdal-dev ffmpeg fonts-dejavu-core \
    postgresql-client curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py geodata_load_sample --if-empty && exec gunicorn mapserver.wsgi -w ${MAPSERVER_WORKERS:-4} -b 0.0.0.0:8000 --timeout 120 --access-logfile -"]
