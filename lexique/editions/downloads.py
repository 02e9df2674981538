"""An edition's file as readers download it: stored, or built by the task queue the first time."""
from redis.exceptions import RedisError

from lexique.editions.files import (
    edition_file_name,
    failure_name,
    get_edition_export,
    stored_edition_file,
)
from lexique.editions.tasks import build_edition_file_task
from lexique.interop.downloads import refuse_if_task_failed
from lexique.interop.exporters.base import Exporter
from lexique.interop.published import ExportOptions
from lexique.interop.store import ExportFailed, StoredExport, logger, refuse_if_failed
from lexique.models import Edition
from lexique.platform.queue import TaskStatus, enqueue, queue_enabled, task_id


def edition_file_or_task(edition: Edition, exporter_class: type[Exporter], options: ExportOptions, *,
                         location: str) -> StoredExport | TaskStatus:
    """The stored file of this edition, served at once; the first time, the status of the task building it
    (`location` serves it once built). Without a task queue it is built here. Errors as get_edition_export's."""
    if not queue_enabled():
        return get_edition_export(edition, exporter_class, options)
    try:
        stored = stored_edition_file(edition, exporter_class, options)
        if stored is not None:
            return stored
        remembered = failure_name(edition, exporter_class, options)
        refuse_if_failed(remembered)
        identifier = task_id("edition", remembered)
        refuse_if_task_failed(identifier)
        return enqueue(build_edition_file_task, identifier, number=edition.number,
                       file_name=edition_file_name(exporter_class, options), location=location)
    except (OSError, RedisError) as error:
        logger.exception("Edition store unusable for %s", edition.number)
        raise ExportFailed(str(error)) from error
