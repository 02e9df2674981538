"""A task's progress report is best effort: a broker that cannot be reached never fails the work it measures."""
import logging
import socket
import time

from celery import Celery

from lexique.platform.queue import report_progress


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once closed: nothing listens there


def test_a_progress_report_to_an_unreachable_redis_is_logged_and_the_task_goes_on(caplog):
    address = f"redis://127.0.0.1:{closed_port()}/0"
    app = Celery("progress", broker=address, backend=address)
    app.conf.redis_backend_health_check_interval = None
    app.conf.result_backend_transport_options = {"retry_policy": {"max_retries": 0}}

    @app.task(bind=True)
    def measured(self):
        report_progress(self, done=1, total=2)
        return "done"

    measured.push_request(id="a-task", is_eager=False)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="lexique.tasks"):
            assert measured.run() == "done"
    finally:
        measured.pop_request()
    assert "Progress of task a-task not recorded" in caplog.text
    assert time.monotonic() - started < 30
