"""The site's files on local storage and in a real S3 API: moto's standalone server, a child process of the tests.

The server listens on 127.0.0.1 only, on a free port: one of LEXIQUE_TEST_S3_PORTS ("8320-8329") when
that is set, else one the system gives. Each test that asks for it gets a bucket of its own.
"""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

from django.core.files.storage import storages

from lexique.platform import files

REGION = "us-east-1"
ACCESS_KEY = "lexique-test"
SECRET_KEY = "lexique-test-secret"
START_SECONDS = 30


def _free_port() -> int:
    wanted = os.environ.get("LEXIQUE_TEST_S3_PORTS", "")
    if wanted:
        first, _dash, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in LEXIQUE_TEST_S3_PORTS={wanted}")


@contextlib.contextmanager
def moto_server():
    """A running S3 API server: yields its address."""
    # Its log (a line per request) goes to a file: a pipe nobody reads would fill up and stop the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (open while the server runs)
    for _attempt in range(5):  # another process may take the port between the probe and the server's bind
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (our own interpreter)
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY},
        )
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{address}/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        if server.poll() is None:
            break
        server.wait()
    else:
        log.seek(0)
        output = log.read().decode(errors="replace")[-2000:]
        log.close()
        raise RuntimeError(f"moto's S3 server did not start:\n{output}")
    try:
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def s3_storage_settings(endpoint: str, bucket: str) -> dict:
    """STORAGES["default"] for `bucket` of the server at `endpoint`, as config/settings.py makes it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket, "endpoint_url": endpoint, "region_name": REGION, "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY, "addressing_style": "path", "signature_version": "s3v4",
            "default_acl": None, "querystring_auth": True, "file_overwrite": True,
        },
    }


def new_bucket(endpoint: str) -> str:
    """A new empty bucket of the server at `endpoint`: its name."""
    import boto3

    name = f"lexique-{uuid.uuid4().hex[:16]}"
    boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                 aws_secret_access_key=SECRET_KEY).create_bucket(Bucket=name)
    return name


def stored_names(directory: str) -> list[str]:
    """The files stored in `directory` of the site's storage (local or bucket), temporary ones included."""
    try:
        return sorted(storages["default"].listdir(directory)[1])
    except FileNotFoundError:
        return []


def is_bucket() -> bool:
    return not files.is_local()


def body(response) -> bytes:
    """What a reader gets for `response`: its content, or the bucket's answer at the address it redirects to."""
    if response.status_code == 302 and is_bucket():
        with urllib.request.urlopen(response["Location"], timeout=30) as answer:
            assert answer.status == 200
            return answer.read()
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content
