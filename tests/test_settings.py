import subprocess
import sys
from decimal import Decimal

from django.template import Context, Template
from django.utils import formats, translation


def settings_in_subprocess(env, expression):
    """Import the settings in a fresh interpreter with `env` (and no .env file), and print `expression`."""
    code = f"import siplan.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], env={"SIPLAN_ENV_FILE": "", **env}, capture_output=True, text=True
    )


def test_database_url_selects_postgresql(tmp_path):
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://planner@db.example:5433/siplan", "PATH": ""}
    result = settings_in_subprocess(env, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['PORT']")
    assert result.stdout.strip() == "django.db.backends.postgresql 5433"


def test_without_database_url_the_embedded_sqlite_file_is_used():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']")
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("db.sqlite3")


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = settings_in_subprocess({"DEBUG": "0"}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_amounts_are_written_the_guatemalan_way():
    with translation.override("es-gt"):
        assert formats.number_format(Decimal("14466570.00"), 2) == "14,466,570.00"
        rendered = Template("{{ amount|floatformat:2 }}").render(Context({"amount": Decimal("629998.9")}))
        assert rendered == "629,998.90"


def test_spanish_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "es-gt"
    assert settings.TIME_ZONE == "America/Guatemala"


def test_the_base_url_of_approved_reports_follows_the_served_host():
    from siplan.settings import base_url

    assert base_url({}) == "http://127.0.0.1:8000"
    assert base_url({"HOST": "127.0.0.1:8101"}) == "http://127.0.0.1:8101"
    assert base_url({"HOST": "127.0.0.1:8101", "SIPLAN_BASE_URL": "https://siplan.example.gob.gt/"}) == (
        "https://siplan.example.gob.gt"
    )
    result = settings_in_subprocess({"DEBUG": "1", "HOST": "127.0.0.1:8101"}, "s.SIPLAN_BASE_URL")
    assert result.stdout.strip() == "http://127.0.0.1:8101"


def test_a_laptops_env_file_supplies_what_the_environment_lacks(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# made by make run\nSECRET_KEY=from-the-file\nDEBUG=1\nALLOWED_HOSTS='laptop.local'\n")
    result = settings_in_subprocess(
        {"SIPLAN_ENV_FILE": str(env_file), "ALLOWED_HOSTS": "from.environment"},
        "s.SECRET_KEY, s.DEBUG, s.ALLOWED_HOSTS",
    )
    assert result.stdout.strip() == "from-the-file True ['from.environment']"


def test_under_make_run_e_mail_is_printed_on_the_console():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.EMAIL_BACKEND")
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_in_production_e_mail_goes_through_the_smtp_server_the_environment_names():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "EMAIL_HOST": "smtp.segeplan.gob.gt",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "siplan",
        "EMAIL_HOST_PASSWORD": "clave",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "siplan@segeplan.gob.gt",
    }
    expression = (
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
        "s.DEFAULT_FROM_EMAIL"
    )
    result = settings_in_subprocess(env, expression)
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.segeplan.gob.gt",
        "587",
        "siplan",
        "clave",
        "True",
        "siplan@segeplan.gob.gt",
    ], result.stderr


def test_under_make_run_jobs_run_at_once_and_with_the_database_backend_a_worker_runs_them():
    expression = "s.TASKS['default']['BACKEND']"
    assert settings_in_subprocess({"DEBUG": "1"}, expression).stdout.strip() == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )
    assert settings_in_subprocess({"DEBUG": "1", "TASKS_BACKEND": "database"}, expression).stdout.strip() == (
        "django_tasks_db.DatabaseBackend"
    )
