"""Tasks whose worker died while holding them, handed back to their queue within a minute.

Tasks are acknowledged late: a worker holds a task's message, unacknowledged, until the task ends. When
the worker is killed outright (the host reboots, the kernel's OOM killer, `kill -9`), or when it hands a
task back while Redis restarts, the message stays in the broker's table of unacknowledged messages, and
Redis gives it to a worker again only after the visibility timeout: over an hour here, since it must
outlast the longest task. Meanwhile the task's page says "in progress" and the same work asked again is
not sent (see `queue.enqueue`).

So every worker looks, once at start and then every LEXIQUE_ORPHAN_CHECK_SECONDS, for messages
unacknowledged for longer than LEXIQUE_ORPHAN_GRACE_SECONDS whose task no living worker has (executing,
prefetched or waiting for a retry), and hands them back to the front of their queue. When no worker
answers the question, nothing is handed back: an unanswered question proves nothing. A task handed back
while its worker in fact lived runs twice, which the tasks allow: each is keyed by what it builds.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from celery import Celery
from redis.exceptions import RedisError

logger = logging.getLogger("lexique.tasks")


def living_task_ids(app: Celery, *, timeout: float) -> set[str] | None:
    """The ids of the tasks that the workers answering within `timeout` seconds hold; None if none answers."""
    inspect = app.control.inspect(timeout=timeout)
    held: set[str] = set()
    answered = False
    for replies in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if not replies:
            continue
        answered = True
        for tasks in replies.values():
            for task in tasks:
                request = task.get("request", task)  # scheduled tasks are wrapped with their ETA
                if request.get("id"):
                    held.add(request["id"])
    return held if answered else None


def _task_of(payload: bytes | str) -> str | None:
    message = json.loads(payload)[0]
    return (message.get("headers") or {}).get("id") or (message.get("properties") or {}).get("correlation_id")


def hand_back_orphans(app: Celery, *, grace: float, timeout: float = 2.0) -> list[str]:
    """Hand back to their queues the messages unacknowledged for more than `grace` seconds whose task no
    answering worker holds; the ids of their tasks. Only for a Redis broker (the others: [])."""
    with app.connection_for_write() as connection:
        channel: Any = connection.default_channel
        if not hasattr(channel, "unacked_index_key"):
            return []
        client = channel.client
        tags = client.zrangebyscore(channel.unacked_index_key, "-inf", time.time() - grace)
        if not tags:
            return []
        living = living_task_ids(app, timeout=timeout)
        if living is None:
            return []
        handed: list[str] = []
        for tag in tags:
            payload = client.hget(channel.unacked_key, tag)
            if payload is None:  # acknowledged meanwhile
                continue
            task = _task_of(payload)
            if task in living:
                continue
            # A transaction that watches the table: a message acknowledged or handed back by another
            # worker in between is left alone.
            channel.qos.restore_by_tag(tag, client=client)  # next to be taken
            handed.append(task or "?")
            logger.warning("Task %s was held by a worker that is gone: handed back to its queue.", task)
        return handed


def watch_for_orphans(app: Celery, *, grace: float, every: float) -> threading.Thread:
    """A daemon thread of the worker that hands back orphaned tasks now and every `every` seconds."""

    def watch() -> None:
        while True:
            try:
                hand_back_orphans(app, grace=grace)
            except (RedisError, OSError, ValueError) as error:
                logger.warning("Looking for orphaned tasks failed: %s", error)
            time.sleep(every)

    thread = threading.Thread(target=watch, name="lexique-orphans", daemon=True)
    thread.start()
    return thread
