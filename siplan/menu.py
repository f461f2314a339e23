"""The main menu of every signed-in page ({% main_menu %}, templates/nav.html): the same links for every user of one
kind, so it is written once per process for each kind of user, language and address prefix, not at each request
(half a millisecond of CPU a page: a dozen reverse() and fifteen translations)."""

import functools

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import autoreload
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    user = context["user"]
    return menu(
        language=get_language(),
        script_prefix=get_script_prefix(),
        institution_code=user.institution.code if user.institution else "",
        reads_several_institutions=user.reads_several_institutions,
        enters_data=user.has_perm("goals.change_subproductexecution"),
        reads_drafts=user.has_perm("approvals.view_draft_report"),
        audits=user.has_perm("approvals.view_audit"),
        is_staff=user.is_staff,
    )


@functools.lru_cache(maxsize=1024)
def menu(**kind):
    """nav.html for one kind of user: it reads these arguments and nothing else."""
    return render_to_string("nav.html", kind)


def forget_menus(**kwargs):
    """runserver reloads an edited template or translation without restarting: the menus written before go."""
    menu.cache_clear()


autoreload.file_changed.connect(forget_menus, dispatch_uid="siplan.menu.forget_menus")
