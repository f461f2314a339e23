"""The container's health check: GET /healthz as the proxy would send it, exit 0 when the database answers.

Only the standard library (the slim image has no curl). The Host header is the first of ALLOWED_HOSTS and the
request claims HTTPS, so neither the host check nor the HTTPS redirect turns the check into an error.
"""

import os
import sys
import urllib.request

url = os.environ.get("SIPLAN_HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
host = hosts[0].lstrip("*.") if hosts else ""
request = urllib.request.Request(url, headers={"Host": host or "localhost", "X-Forwarded-Proto": "https"})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:  # URLError, HTTPError (503: database unreachable), timeouts
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
