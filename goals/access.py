"""Which institutions a user may see: every view and command asks here, nowhere else."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User

from .models import Institution

# Whom views and services ask about: request.user, signed in or not.
AnyUser = User | AnonymousUser


def institutions_for(user: AnyUser) -> QuerySet[Institution]:
    """The user's own institution and, for oversight staff, the others they may read."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Institution.objects.none()
    if user.is_superuser:
        return Institution.objects.all()
    return Institution.objects.filter(Q(pk=user.institution_id) | Q(oversight_readers=user)).distinct()


def is_member(user: AnyUser, institution: Institution) -> bool:
    """Does the user work for the institution (and so may change its data, as their role allows)?"""
    if isinstance(user, AnonymousUser):
        return False
    return user.is_superuser or user.institution_id == institution.pk


def institution_for_user_or_404(user: AnyUser, code: str) -> Institution:
    """The institution with `code` if the user may see it; another institution's data is a 404."""
    try:
        return institutions_for(user).get(code=code)
    except Institution.DoesNotExist:
        raise Http404("Institución no encontrada") from None
