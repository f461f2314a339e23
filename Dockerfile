# siplan under gunicorn (settings in gunicorn.conf.py), static files served by WhiteNoise, as a non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Pango and fonts for the oficio and annex PDFs (WeasyPrint); the report PDF (Typst) uses static/fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home /app siplan \
    && mkdir -p /data/media && chown -R siplan /data

USER siplan
EXPOSE 8000
VOLUME ["/data/media"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py"]
CMD ["gunicorn", "siplan.wsgi:application"]
