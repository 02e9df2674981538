"""A task whose worker is killed outright comes back within the orphan check's grace, not after the
broker's visibility timeout (over an hour), and a task that a living worker holds is never handed back."""
import os
import signal
import time

import pytest
import redis
from celery import Celery

from lexique.platform.orphans import hand_back_orphans
from tests.support.production import production_environment
from tests.support.queue import Worker, broker_url, queue_environment, wait_until

pytestmark = pytest.mark.skipif(not broker_url() and not os.environ.get("LEXIQUE_TOOLS_REQUIRED"),
                                reason="needs Redis (TEST_BROKER_URL or TEST_REDIS_URL)")


def _environment(tmp_path, **overrides):
    return production_environment(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path, **queue_environment(
        LEXIQUE_ORPHAN_GRACE_SECONDS="3", LEXIQUE_ORPHAN_CHECK_SECONDS="1", **overrides))


def _client(environment) -> Celery:
    client = Celery("lexique-test", broker=environment["CELERY_BROKER_URL"])
    client.conf.task_default_queue = environment["CELERY_QUEUE"]
    return client


def _unacknowledged(environment) -> int:
    return redis.Redis.from_url(environment["CELERY_BROKER_URL"]).hlen("unacked")


def test_a_task_whose_worker_was_killed_is_run_by_another_worker_within_seconds(tmp_path):
    environment = _environment(tmp_path)
    first = Worker(environment, tmp_path, name="first", app="tests.support.slow_tasks", pool="solo")
    try:
        _client(environment).send_task("tests.slow", args=[str(tmp_path), 4])
        wait_until(lambda: (tmp_path / "started").exists(), "the first worker starts the task")
        held = _unacknowledged(environment)
        assert held >= 1
        os.kill(first.process.pid, signal.SIGKILL)  # no warm shutdown: the message stays unacknowledged
        first.process.wait()
    finally:
        first.stop()
    assert not (tmp_path / "done").exists()
    second = Worker(environment, tmp_path, name="second", app="tests.support.slow_tasks", pool="solo")
    try:
        # The visibility timeout is over an hour: only the orphan check brings it back this soon.
        wait_until(lambda: (tmp_path / "done").exists(), "the second worker runs the task", seconds=60)
        assert (tmp_path / "done").read_text().startswith(second.name)
        assert [line.split("@")[0] for line in (tmp_path / "started").read_text().split()] == [first.name,
                                                                                            second.name]
        assert "was held by a worker that is gone: handed back to its queue" in second.output()
    finally:
        second.stop()


def test_a_task_a_living_worker_holds_is_left_to_it_however_long_it_runs(tmp_path):
    environment = _environment(tmp_path)
    worker = Worker(environment, tmp_path, name="busy", app="tests.support.slow_tasks", concurrency=1)
    try:
        task = _client(environment).send_task("tests.slow", args=[str(tmp_path), 8])
        wait_until(lambda: (tmp_path / "started").exists(), "the worker starts the task")
        time.sleep(4)  # past the grace: only the worker's answer keeps the task where it is
        # (Other runs' orphans in the same Redis may be handed back: not this one.)
        assert task.id not in hand_back_orphans(_client(environment), grace=3)
        wait_until(lambda: (tmp_path / "done").exists(), "the task ends", seconds=30)
        assert len((tmp_path / "started").read_text().split()) == 1  # run once
        assert "handed back" not in worker.output()
    finally:
        worker.stop()
