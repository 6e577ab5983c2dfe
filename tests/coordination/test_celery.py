from coordination.celery import app
from coordination.tasks import ping


def test_a_task_round_trip_through_redis_and_a_real_worker(celery_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"


def test_celery_configuration():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert {queue.name for queue in conf.task_queues} == {"default", "alerts", "reports"}
    for name, entry in conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task"
