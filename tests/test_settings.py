import subprocess
import sys
from decimal import Decimal

from django.template import Context, Template
from django.utils import formats, translation


def settings_in_subprocess(env, expression):
    """Import the settings in a fresh interpreter with `env`, and print `expression`."""
    code = f"import siplan.settings as s; print({expression})"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


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
