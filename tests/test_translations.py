"""siplan in Guatemalan Spanish (locale/es_GT over Django's Spain-Spanish), and in English when asked."""

import importlib.util
import re
from types import SimpleNamespace

import polib
import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from goals.forms import ImportForm


def script(name):
    """One of scripts/*.py, imported as a module."""
    spec = importlib.util.spec_from_file_location(name, settings.BASE_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compile_messages = script("compile_messages")
untranslated_messages = script("untranslated_messages")
# %(name)s, %(count)d, %% and {name}: what Python fills in, which a translation must keep as it is.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w+\}")


def refusal(field, value):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


def test_the_committed_mo_files_are_the_po_files_compiled():
    catalogues = compile_messages.catalogues()
    assert {path.parent.parent.name for path in catalogues} == {"es_GT", "en"}
    for po_path in catalogues:
        assert po_path.with_suffix(".mo").read_bytes() == compile_messages.compiled(po_path), (
            f"make messages: {po_path}"
        )


def test_the_catalogue_directory_is_the_one_django_looks_up_for_the_site_language():
    assert translation.to_locale(settings.LANGUAGE_CODE) == "es_GT"
    assert (settings.LOCALE_PATHS[0] / "es_GT" / "LC_MESSAGES" / "django.mo").is_file()


def test_djangos_messages_read_as_in_guatemala():
    with translation.override(settings.LANGUAGE_CODE):
        assert refusal(forms.IntegerField(), "x") == ["Ingrese un número entero."]
        assert refusal(forms.DecimalField(), "x") == ["Ingrese un número."]
        assert refusal(forms.IntegerField(max_value=12), "13") == ["Verifique que este valor sea menor o igual a 12."]
        assert refusal(forms.DecimalField(max_digits=4, decimal_places=1), "1.25") == [
            "Verifique que no haya más de 1 dígito decimal."
        ]
        assert refusal(forms.DecimalField(max_digits=4, decimal_places=2), "1.255") == [
            "Verifique que no haya más de 2 dígitos decimales."
        ]
        assert refusal(forms.EmailField(), "x") == ["Ingrese una dirección de correo electrónico válida."]
        # What the catalogue leaves alone stays Django's Spanish.
        assert refusal(forms.IntegerField(), "") == ["Este campo es requerido."]


@pytest.mark.django_db
def test_an_english_browser_gets_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    assert "Forgot your password?" in page and "Log in" in page
    with translation.override("en"):
        assert refusal(forms.IntegerField(), "x") == ["Enter a whole number."]
    spanish = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es-gt">' in spanish and "¿Olvidó su contraseña?" in spanish


@pytest.mark.django_db
def test_the_footer_switches_the_language(client):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page and '<option value="en" lang="en">English</option>' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response["Location"] == reverse("login")
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "es-gt", "next": reverse("login")})
    assert "¿Olvidó su contraseña?" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    "created, updated, sentence",
    [
        (1, 1, "se creará 1 registro y se actualizará 1."),
        (2, 0, "se crearán 2 registros y se actualizarán 0."),
        (0, 2, "se crearán 0 registros y se actualizarán 2."),
    ],
)
def test_the_import_preview_counts_in_singular_and_plural(created, updated, sentence):
    result = SimpleNamespace(ok=True, created=created, updated=updated, errors=[])
    context = {"result": result, "kind": "ejecucion", "name": "ejecucion.csv", "form": ImportForm(), "templates": []}
    with translation.override(settings.LANGUAGE_CODE):
        assert sentence in " ".join(render_to_string("goals/import.html", context).split())


def test_every_message_of_the_english_catalogue_is_translated():
    unfinished = untranslated_messages.unfinished()
    assert not unfinished, "make untranslated:\n" + "\n".join(map(untranslated_messages.described, unfinished))


def test_an_untranslated_or_fuzzy_message_is_found(tmp_path):
    catalogue = polib.pofile(str(untranslated_messages.ENGLISH))
    catalogue[0].msgstr = ""
    catalogue[1].flags.append("fuzzy")
    catalogue.save(str(tmp_path / "django.po"))
    found = untranslated_messages.unfinished(tmp_path / "django.po")
    assert [entry.msgid for entry in found] == [catalogue[0].msgid, catalogue[1].msgid]
    assert untranslated_messages.described(found[1]).startswith(f"fuzzy: {catalogue[1].msgid!r} (")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_the_english_translations_keep_every_placeholder():
    for entry in polib.pofile(str(untranslated_messages.ENGLISH)):
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for spanish, english in pairs:
            assert placeholders(english) == placeholders(spanish), (spanish, english)
