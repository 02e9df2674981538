"""Static files taken from Python packages: only the ones the site uses, not the package's whole tree.

XStatic-jQuery-UI ships every theme of jQuery UI, and some of its CSS points at images that are not
there, which the manifest storage of production refuses. The admin's translation tabs need the script
alone, so this finder exposes exactly that file under the prefix the settings name.
"""
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

import xstatic.pkg.jquery_ui
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

# {URL path under STATIC_URL: (package folder, file inside it)}
PACKAGE_FILES = {
    "jquery-ui/jquery-ui.min.js": (Path(xstatic.pkg.jquery_ui.BASE_DIR), "jquery-ui.min.js"),
}


class PackageFileFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False, **kwargs: Any) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True], **kwargs: Any) -> list[str]: ...

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        find_all = find_all or kwargs.get("all", False)  # the older name of the argument
        if path not in PACKAGE_FILES:
            return [] if find_all else None
        folder, name = PACKAGE_FILES[path]
        match = str(folder / name)
        return [match] if find_all else match

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for path, (folder, name) in PACKAGE_FILES.items():
            storage = FileSystemStorage(location=folder)
            # collectstatic copies `name` from `storage` to the `path` given by `storage.prefix`.
            storage.prefix = str(Path(path).parent)  # type: ignore[attr-defined]  # read by collectstatic, not in the stubs
            yield name, storage
