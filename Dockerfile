# Production image: gunicorn serves Django; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=wmo.settings.production
# gettext for the English catalogue; Pango and a font for WeasyPrint (quarterly PDF report).
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 \
    libpangoft2-1.0-0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/* && useradd --create-home --uid 1000 wmo
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/vendor ./static/vendor
# collectstatic needs settings to import: the dev settings' throwaway secrets serve at build
# time (the production settings refuse placeholders) and are never used at run time.
RUN msgfmt -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po \
    && DJANGO_SETTINGS_MODULE=wmo.settings.dev python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/uploads && chown wmo /app/uploads && chmod 700 /app/uploads
USER wmo
EXPOSE 8000
CMD ["gunicorn", "-c", "python:wmo.gunicorn", "wmo.wsgi:application"]
