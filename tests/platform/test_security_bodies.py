"""Request bodies: every over-long one is a 413 in the API's JSON, chunked ones are read whole or refused clearly."""
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from tests.support import ROOT
from tests.support.factories import content

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


@pytest.fixture
def as_contributor(contributor):
    from lexique.services import tokens

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(contributor)[1]}")
    return client


@pytest.mark.parametrize("size", [300 * 1024, 3 * 1024 * 1024, 20 * 1024 * 1024])
def test_an_over_long_json_body_is_a_413_in_the_apis_json(as_contributor, size):
    body = json.dumps({**content(), "definition_fr": "x" * size})
    response = as_contributor.post("/api/v1/proposals/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_django_and_the_api_share_one_body_limit(settings):
    from lexique.platform.bodies import body_limit

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert body_limit() == 1000
    response = APIClient().post("/api/v1/auth/token/", json.dumps({"username": "x" * 1000, "password": "y"}),
                                content_type="application/json")
    assert response.status_code == 413


def chunked_post(url, path, payload):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    body = [payload[:5], payload[5:]]  # two chunks
    try:
        connection.request("POST", path, body=iter(body), encode_chunked=True,
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    except (BrokenPipeError, ConnectionResetError):
        pass  # a server refusing the body may answer and close before the last chunk is sent: read its answer
    response = connection.getresponse()
    answer = response.status, json.loads(response.read() or b"null")
    connection.close()
    return answer


def test_a_server_that_cannot_end_a_chunked_body_refuses_it_with_411(live_server):
    status, body = chunked_post(live_server.url, "/api/v1/auth/token/", b'{"username": "camille", "password": 5}')
    assert status == 411
    assert body["code"] == "length_required" and "Content-Length" in body["detail"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """The site under gunicorn (which ends chunked bodies for the application), on a throw-away database."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "DEBUG": "0"}
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail((tmp_path / "gunicorn.log").read_text())
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_a_chunked_body_is_read_whole_under_gunicorn(gunicorn):
    # Read as empty, both fields would be missing; read whole, only the wrong type of one is at fault.
    status, body = chunked_post(gunicorn, "/api/v1/auth/token/", b'{"username": "camille", "password": 5}')
    assert status == 400
    assert list(body["errors"]) == ["password"]


def test_an_over_long_chunked_body_is_a_413_under_gunicorn(gunicorn):
    payload = json.dumps({"username": "x" * (300 * 1024), "password": "y"}).encode()
    status, body = chunked_post(gunicorn, "/api/v1/auth/token/", payload)
    assert status == 413 and body["code"] == "too_large"


def test_a_page_refuses_an_upload_larger_than_any_it_takes_before_reading_it(client):
    # 5 MiB of "logo" to the downloads page: refused from its declared length, nothing written to disk.
    body = b"x" * (5 * 1024 * 1024)
    response = client.generic("POST", "/telechargements/", body,
                              content_type="multipart/form-data; boundary=limite")
    assert response.status_code == 413


def test_the_import_page_takes_a_glossary_up_to_its_own_limit(client, settings):
    from lexique.platform.bodies import FORM_FIELDS_BYTES, page_body_limit
    from lexique.interop.importers.readers import max_bytes

    assert page_body_limit("/moderation/import/") == max_bytes() + FORM_FIELDS_BYTES
    assert page_body_limit("/en/moderation/import/") == max_bytes() + FORM_FIELDS_BYTES
    assert page_body_limit("/telechargements/") == settings.LEXIQUE_LOGO_MAX_BYTES + FORM_FIELDS_BYTES
    too_big = b"x" * (max_bytes() + FORM_FIELDS_BYTES + 1)
    response = client.generic("POST", "/moderation/import/", too_big, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
