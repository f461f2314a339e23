"""gunicorn's settings for the container (read from the working directory); WEB_CONCURRENCY sets the workers."""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A large report's PDF takes seconds; give it room before the worker is recycled.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
accesslog = "-"
