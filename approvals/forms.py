from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    text = forms.CharField(label=_("Buscar (producto, subproducto, documento o usuario)"), required=False)
    since = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Archivo a verificar (PDF o Excel, hasta 20 MB)"))
