"""Books built in a child process, so that a web worker holds as much memory after a build as before.

Python keeps the memory a large build used (its allocator rarely gives it back), so a worker that built
a 100,000-term book would stay that large until it is recycled. The child is a new interpreter, not a
fork: it shares nothing with the worker's threads, locks or connections, and gives all its memory back
to the system when it ends. The parent keeps the store's locks and slots, and names the file.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from lexique.interop.published import ExportOptions

if TYPE_CHECKING:
    from lexique.interop.exporters.base import Exporter

# The child: Django set up with the parent's settings, the export written, its outcome on the last line.
_CHILD = """\
import json, sys
try:
    request = json.loads(sys.stdin.read())
    import django
    from django.conf import settings
    for name, value in request["settings"].items():
        setattr(settings, name, value)  # before setup: the connections are made from these
    django.setup()
except BaseException as error:
    print(json.dumps({"error": repr(error)}))
    sys.exit(1)
from lexique.interop.isolated import run_child
run_child(request)
"""
# What the child must see as the parent does, even when the parent's settings were changed at run
# time (the test database a runner created, a store moved by a test).
_INHERITED_SETTINGS = (
    "MEDIA_ROOT", "STORAGES", "SITE_URL", "TIME_ZONE", "LEXIQUE_PUBLISHER", "LEXIQUE_CONTENT_LICENCE",
    "LEXIQUE_CONTENT_LICENCE_URL",
)


class ChildBuildFailed(RuntimeError):
    """The child process could not write the book; the message carries its error."""


def build_in_child(exporter_class: type[Exporter], options: ExportOptions, path: str | os.PathLike[str], *,
                   timeout: float) -> tuple[int, int]:
    """Write the export of `options` to `path` in a child process: (version of the published set, terms).

    ChildBuildFailed if the child fails, dies or takes more than `timeout` seconds (it is then killed).
    """
    request = json.dumps({
        "exporter": f"{exporter_class.__module__}.{exporter_class.__qualname__}",
        "options": asdict(options),
        "path": os.fspath(path),
        "settings": _settings_for_child(),
    }, default=str)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
                   or settings.SETTINGS_MODULE}
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and code, no shell)
        [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=environment, text=True,
    )
    try:
        out, err = child.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ChildBuildFailed(f"the build took more than {timeout:.0f} s") from None
    except BaseException:  # the task running it stopped (its time limit...): the child goes with it
        child.kill()
        child.communicate()
        raise
    lines = out.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if child.returncode or "version" not in answer:
        raise ChildBuildFailed(answer.get("error") or f"the build process ended with code {child.returncode}: "
                               f"{err.strip()[-2000:]}")
    return answer["version"], answer["terms"]


def _settings_for_child() -> dict[str, Any]:
    inherited = {name: getattr(settings, name) for name in _INHERITED_SETTINGS}
    # The site's templates, where the child reads the name its files print (publishing.site).
    engines: list[dict[str, Any]] = settings.TEMPLATES
    inherited["TEMPLATES"] = [{**engine, "DIRS": [os.fspath(folder) for folder in engine.get("DIRS", ())]}
                              for engine in engines]
    inherited["DATABASES"] = {alias: dict(connections[alias].settings_dict) for alias in settings.DATABASES}
    return inherited


def run_child(request: dict[str, Any]) -> None:  # pragma: no cover (runs in the child)
    """The child's side, Django set up: write the export asked for, print the outcome as one JSON line."""
    try:
        fields: dict[str, Any] = {name: tuple(value) if isinstance(value, list) else value
                                  for name, value in request["options"].items()}
        options = ExportOptions(**fields)
        published = import_string(request["exporter"])(options).write(request["path"])
        print(json.dumps({"version": published.version, "terms": len(published.terms)}))
    except BaseException:  # noqa: BLE001 (everything is reported to the parent, which logs it)
        print(json.dumps({"error": traceback.format_exc(limit=20)}))
        sys.exit(1)
