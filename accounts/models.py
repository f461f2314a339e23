from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who uses siplan; each belongs to the institution whose data they see."""

    institution = models.ForeignKey(
        "goals.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
