from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

TYPIST_INITIALS_LENGTH = 10


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
    readable_institutions = models.ManyToManyField(
        "goals.Institution",
        verbose_name=_("otras instituciones que puede leer"),
        blank=True,
        related_name="oversight_readers",
        help_text=_("Para personal de supervisión (por ejemplo SEGEPLAN): lee sus datos, no los cambia."),
    )
    initials = models.CharField(
        _("iniciales"),
        max_length=TYPIST_INITIALS_LENGTH,
        blank=True,
        help_text=_("Las que firma como mecanógrafo en el oficio (por ejemplo elb). Vacío: las de su nombre."),
    )

    language = models.CharField(
        _("idioma"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("El último en que leyó siplan: sus avisos por correo se escriben en él. Vacío: el del sitio."),
    )

    @cached_property
    def reads_several_institutions(self):
        """Superusers and oversight staff: who the consolidated view across institutions is for."""
        return self.is_superuser or self.readable_institutions.exists()

    @property
    def typist_initials(self):
        """ "elb" for Eva López Barrios, unless the user's initials are set: the oficio's typist line, at most
        TYPIST_INITIALS_LENGTH characters (a user without names gives the start of his username)."""
        names = f"{self.first_name} {self.last_name}".split()
        initials = self.initials.strip() or "".join(name[0] for name in names).lower() or self.get_username()
        return initials[:TYPIST_INITIALS_LENGTH]

    class Meta(AbstractUser.Meta):
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
