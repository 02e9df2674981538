# The site as one image: gunicorn serving the installed package, static files collected at build time.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/lexique
ENV PATH=/opt/lexique/bin:$PATH
WORKDIR /src
# Exact versions, with hashes, from the lock file (make lock refreshes it).
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY . .
# Translations are compiled into the package, then the package is installed (not run from the source).
RUN DEBUG=1 django-admin compilemessages --ignore=.venv --ignore=node_modules -v0 \
    && pip install --no-cache-dir --no-deps . \
    && SECRET_KEY=build-only DJANGO_SETTINGS_MODULE=config.settings STATIC_ROOT=/opt/static \
       django-admin collectstatic --no-input -v0

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /nonexistent --no-create-home lexique \
    && mkdir -p /data/media && chown lexique:lexique /data/media
COPY --from=build /opt/lexique /opt/lexique
COPY --from=build /opt/static /opt/static
COPY docker/start /usr/local/bin/start
ENV PATH=/opt/lexique/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=0 \
    STATIC_ROOT=/opt/static \
    MEDIA_ROOT=/data/media \
    PORT=8000
USER lexique
WORKDIR /tmp
EXPOSE 8000
VOLUME ["/data/media"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
ENTRYPOINT ["start"]
CMD ["web"]
