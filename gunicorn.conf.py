"""gunicorn's settings for the container (read from the working directory); docs/deploy.md "Web workers" has the
figures behind them.

WEB_CONCURRENCY worker processes (about one per core), each with GUNICORN_THREADS threads (gthread): a request
that waits (a password's hash, which hashlib computes without the GIL; PostgreSQL; a download waiting for the
worker's documents) holds a thread, not a whole process, and a burst of clicks is served side by side instead of
queueing behind the longest request.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A large report's PDF takes seconds; give it room before the worker is recycled.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
accesslog = "-"
