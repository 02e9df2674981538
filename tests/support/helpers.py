"""Small tools several test modules share: a real HTTP listener, the queries a page costs, files to import,
backups, and signing in from a browser."""
import contextlib
import csv
import http.server
import io
import threading

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique.interop.exporters.csv import COLUMNS

from .factories import PASSWORD


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
    """The EXPLAIN of each read (SELECT, or WITH … SELECT) that `evaluate()` makes, sequential scans
    disabled (as on a big table)."""
    with CaptureQueriesContext(connection) as captured:
        evaluate()
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured:
                if query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute("EXPLAIN " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")
    return plans


def csv_file(rows, *, columns=COLUMNS, bom=True, encoding="utf-8"):
    """A CSV file of `rows` as a spreadsheet saves it (with a byte order mark unless told otherwise)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def row(headword, definition="Une définition.", **fields):
    """One row of `csv_file`: a headword, a definition and any other columns."""
    return {"headword_fr": headword, "definition_fr": definition, **fields}


def upload(data, name):
    """`data` as a file sent through a form."""
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def export() -> str:
    """The backup `export_all` writes of the whole database."""
    out = io.StringIO()
    call_command("export_all", "-o", "-", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def restore(tmp_path, text, name="backup.json"):
    """`import_all` of the backup `text`, written to a file first."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_all", str(path), stdout=io.StringIO())


def empty_database():
    """Every table emptied, committed, as on a server before a restore."""
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)


def sign_in(page, username, password=PASSWORD):
    """Signs `username` in through the sign-in page of a Playwright `page`."""
    page.goto("/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Nom d'utilisateur")).fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def confirm_address(page, address, *, button="Confirmer mon adresse"):
    """Follows, in a Playwright `page`, the last confirmation link e-mailed to `address` (Django's outbox)."""
    import re

    from django.core import mail
    from playwright.sync_api import expect

    message = [message for message in mail.outbox if message.to == [address]][-1]
    path = re.search(r"https://[^/\s]+(/(?:en/)?comptes/confirmation/\S+/)", message.body).group(1)
    page.goto(path)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(address)
