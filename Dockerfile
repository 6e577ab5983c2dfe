# Production image: gunicorn, Celery worker and beat share it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint's system libraries and fonts; gettext for the catalogues; npm for the front-end assets.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 gettext nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir .

ENV STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build/none REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --no-input \
 && SECRET_KEY=build-only DATABASE_URL=postgres://build/none REDIS_URL=redis://build:6379/0 \
    python manage.py compilemessages --ignore 'node_modules/*'

RUN useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
