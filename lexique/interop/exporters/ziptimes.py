"""A zip archive whose every entry carries one fixed date: the same content gives the same bytes."""
from __future__ import annotations

import zipfile
from datetime import datetime
from typing import IO, TYPE_CHECKING, Literal
from zipfile import ZIP_DEFLATED, ZIP_STORED

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

__all__ = ["ZIP_DEFLATED", "ZIP_STORED", "FixedTimeZipFile", "zip_date"]

# The six fields of a zip entry's date: year, month, day, hours, minutes, seconds.
ZipDate = tuple[int, int, int, int, int, int]
# The earliest date a zip entry can carry.
ZIP_EPOCH: ZipDate = (1980, 1, 1, 0, 0, 0)


def zip_date(moment: datetime | None) -> ZipDate:
    """A moment as the six fields of a zip entry's date (not before 1980)."""
    if moment is None:
        return ZIP_EPOCH
    year, month, day, hours, minutes, seconds = moment.timetuple()[:6]
    return max(ZIP_EPOCH, (year, month, day, hours, minutes, seconds))


class FixedTimeZipFile(zipfile.ZipFile):
    """ZipFile, with entries added by name dated `date_time` rather than the moment they are written.

    zipfile dates an entry added by name with the clock, so two writings of one book a second apart
    differ in a few bytes; an edition's book must not.
    """

    date_time = ZIP_EPOCH

    def _info(self, name: str | zipfile.ZipInfo, compress_type: int | None = None) -> zipfile.ZipInfo:
        if isinstance(name, zipfile.ZipInfo):
            return name
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = self.compression if compress_type is None else compress_type
        try:
            info.compress_level = self.compresslevel  # type: ignore[attr-defined]  # Python 3.13's name
        except AttributeError:  # Python before 3.13 names it privately
            info._compresslevel = self.compresslevel  # type: ignore[attr-defined]  # not in the stubs
        info.external_attr = 0o600 << 16  # what zipfile gives an entry added by name
        return info

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: SizedBuffer | str,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        return super().writestr(self._info(zinfo_or_arcname, compress_type), data, compress_type, compresslevel)

    def write(self, filename: StrPath, arcname: StrPath | None = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        """A file on disk added under `arcname`, dated `date_time` rather than by the file's own date (openpyxl
        writes its sheets through temporary files)."""
        with open(filename, "rb") as handle:
            data = handle.read()
        self.writestr(str(arcname if arcname is not None else filename), data, compress_type, compresslevel)

    def open(self, name: str | zipfile.ZipInfo, mode: Literal["r", "w"] = "r", pwd: bytes | None = None, *,
             force_zip64: bool = False) -> IO[bytes]:
        if mode == "w":
            name = self._info(name)
        return super().open(name, mode, pwd, force_zip64=force_zip64)
