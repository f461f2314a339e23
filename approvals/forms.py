from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import TYPIST_INITIALS_LENGTH
from goals.models import FIRST_YEAR, LAST_YEAR


class AuditSearchForm(forms.Form):
    text = forms.CharField(label=_("Buscar (producto, subproducto, documento o usuario)"), required=False)
    since = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        """Dates within the years siplan keeps, the first not after the second."""
        cleaned = super().clean()
        for name in ("since", "until"):
            day = cleaned.get(name)
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Escriba una fecha entre %(first)s y %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("«Hasta» no puede ser anterior a «Desde»."))
        return cleaned


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Archivo a verificar (PDF o Excel, hasta 20 MB)"))


class PasswordConfirmationForm(forms.Form):
    """A deliberate act (an approval): the signed-in user's password again, checked as a login, so django-axes
    counts a wrong one."""

    password = forms.CharField(
        label=_("Su contraseña"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "required": True}),
        help_text=_("Para firmar, confirme que es usted."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        """authenticate() with the signed-in user's name: a wrong or missing password is a failed login to
        django-axes."""
        password = self.cleaned_data["password"]
        user = self.request.user
        confirmed = authenticate(request=self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            if not password:
                raise ValidationError(_("Escriba su contraseña para aprobar. El reporte no fue aprobado."))
            raise ValidationError(_("La contraseña no es correcta. El reporte no fue aprobado."))
        return password


class ApprovalForm(PasswordConfirmationForm):
    """The director's approval: his password again, the oficio's typist initials and an optional comment."""

    typist_initials = forms.CharField(
        label=_("Iniciales de quien elaboró el oficio"),
        required=False,
        max_length=TYPIST_INITIALS_LENGTH,
        help_text=_("Aparecen al pie del oficio, por ejemplo «elb»."),
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignLaterForm(forms.Form):
    """Signing afterwards an approval made without a certificate is deliberate: who signs confirms it first, in the
    words of what is signed (an institution's documents, the Congress report's PDF)."""

    confirm = forms.BooleanField(error_messages={"required": _("Marque la confirmación para firmar.")})

    def __init__(self, *args, confirmation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = confirmation
