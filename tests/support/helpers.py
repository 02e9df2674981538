"""Small tools several test modules share: where the repository is, a real HTTP listener, and the queries a
page costs."""
import contextlib
import http.server
import threading
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]  # the repository
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # data files the tests read


@contextlib.contextmanager
def listening_server(body: bytes, content_type: str | None = None):
    """A real HTTP server on 127.0.0.1 answering `body` to every GET: yields (its address, the paths asked)."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            self.send_response(200)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def queries(client, url) -> int:
    """How many SQL queries `url` costs when nothing is cached yet (what a reader pays first)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def plans_of_every_query(evaluate):
    """The EXPLAIN of each SELECT that `evaluate()` makes, sequential scans disabled (as on a big table)."""
    with CaptureQueriesContext(connection) as captured:
        evaluate()
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    cursor.execute("EXPLAIN " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")
    return plans
