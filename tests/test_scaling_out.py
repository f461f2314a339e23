"""Settings that let several web and worker machines share one cache and one store of files."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from tests.test_settings import settings_in_subprocess

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_redis_url_selects_the_shared_redis_cache():
    result = settings_in_subprocess(
        {"DEBUG": "1", "REDIS_URL": "redis://cache.example:6380/1"},
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']",
    )
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://cache.example:6380/1"]


def test_with_redis_sessions_are_read_from_the_cache_and_written_through_to_the_database():
    result = settings_in_subprocess({"DEBUG": "1", "REDIS_URL": "redis://cache.example:6380/1"}, "s.SESSION_ENGINE")
    assert result.stdout.strip() == "django.contrib.sessions.backends.cached_db"


def test_without_redis_url_each_process_caches_in_its_own_memory():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE")
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_a_bucket_name_stores_uploads_and_documents_in_the_s3_compatible_store():
    env = {
        "DEBUG": "1",
        "AWS_STORAGE_BUCKET_NAME": "siplan-documentos",
        "SIPLAN_S3_ENDPOINT_URL": "http://minio:9000",
    }
    expression = (
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'], "
        "s.STORAGES['default']['OPTIONS']['endpoint_url'], s.STORAGES['default']['OPTIONS']['default_acl']"
    )
    result = settings_in_subprocess(env, expression)
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "siplan-documentos",
        "http://minio:9000",
        "private",
    ]


def test_without_a_bucket_files_go_to_the_file_system():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.STORAGES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_the_s3_backend_is_installed():
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="siplan-documentos", endpoint_url="http://127.0.0.1:9", access_key="a", secret_key="b"
    )
    assert storage.bucket_name == "siplan-documentos"


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis to share a cache with")
def test_two_machines_see_one_cache_in_redis():
    """What one web container caches, another (a second connection to the same Redis) reads and deletes."""
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "siplan"}
    key = f"test-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": config, "other": config}):
        first, second = caches["default"], caches["other"]
        assert isinstance(first, RedisCache)
        first.set(key, {"pendientes": 3}, timeout=30)
        assert second.get(key) == {"pendientes": 3}
        assert first.add(f"{key}-n", 1)
        assert not second.add(f"{key}-n", 5)
        assert second.incr(f"{key}-n") == 2
        assert first.get(f"{key}-n") == 2
        second.delete_many([key, f"{key}-n"])
        assert first.get(key) is None
