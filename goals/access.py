"""Which institutions a user may see: every view and command asks here, nowhere else."""

from django.http import Http404

from .models import Institution


def institutions_for(user):
    if not user.is_authenticated:
        return Institution.objects.none()
    if user.is_superuser:
        return Institution.objects.all()
    return Institution.objects.filter(pk=user.institution_id)


def institution_for_user_or_404(user, code):
    """The institution with `code` if the user may see it; another institution's data is a 404."""
    try:
        return institutions_for(user).get(code=code)
    except Institution.DoesNotExist:
        raise Http404("Institución no encontrada") from None
