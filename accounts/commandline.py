"""What the management commands share about users: `--user` names an active account, or the command stops."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.models import User


def find_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No existe el usuario activo %(username)s.") % {"username": username})
    return user
