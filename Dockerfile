FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY config ./config
COPY lexique ./lexique
COPY templates ./templates
COPY manage.py ./
RUN pip install --no-cache-dir . && python manage.py compilemessages -v0 \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0
ENV DEBUG=0
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && gunicorn config.wsgi --bind 0.0.0.0:8000 --workers 2"]
