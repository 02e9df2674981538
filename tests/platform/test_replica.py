"""A read replica: anonymous reads go to it, signed-in people and every write stay on the primary."""
import shutil
import sqlite3
import subprocess
import sys

from tests.support import ROOT
from tests.support.production import manage, production_environment

SCRIPT = """
import django; django.setup()
from django.test import Client
anonymous, member = Client(), Client()
assert member.login(username="contributeur", password="demo-contribution")
for path in ("/termes/metadonnees/", "/api/v1/terms/metadonnees/"):
    print(path, "anonymous", "REPLICA" in anonymous.get(path).content.decode())
    print(path, "member", "REPLICA" in member.get(path).content.decode())
"""


def test_public_reads_come_from_the_replica_and_signed_in_reads_from_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    environment = production_environment(f"sqlite:///{primary}", tmp_path, SECURE_SSL_REDIRECT="0",
                                         ALLOWED_HOSTS="testserver", CACHE_URL="locmemcache://replica-test",
                                         API_CACHE_SECONDS="0")  # each read serialised from its database
    manage(environment, "collectstatic", "--no-input", "-v0")
    manage(environment, "migrate", "--no-input", "-v0")
    manage(environment, "seed_demo", "--i-know-this-is-production")
    shutil.copy(primary, replica)
    # What the replica holds differs, so that the page tells which database it was read from.
    with sqlite3.connect(replica) as database:
        database.execute("UPDATE lexique_term SET headword_fr = 'REPLICA', headword_en = 'REPLICA' "
                         "WHERE slug = 'metadonnees'")
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            env={**environment, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "/termes/metadonnees/ anonymous True", "/termes/metadonnees/ member False",
        "/api/v1/terms/metadonnees/ anonymous True", "/api/v1/terms/metadonnees/ member False",
    ]


def test_without_a_replica_every_read_is_on_the_primary(tmp_path):
    environment = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
                             "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS)"],
                            cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.stdout.strip() == "['default'] []"
