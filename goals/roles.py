"""Who may do what, asked on the server by every view and service: the role (a group's permissions) and the institution.

A user works for one institution (goals.access.is_member) and may change only its data; oversight
staff read other institutions (goals.access.institutions_for) but change nothing there.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.roles import ADMINISTRATOR as ADMINISTRATOR
from accounts.roles import DIRECTOR as DIRECTOR
from accounts.roles import PLANNER as PLANNER
from accounts.roles import READER as READER
from accounts.roles import ROLES as ROLES
from goals.access import AnyUser, institutions_for, is_member
from goals.models import Institution


def can_read(user: AnyUser, institution: Institution) -> bool:
    return institutions_for(user).filter(pk=institution.pk).exists()


def can_read_drafts(user: AnyUser, institution: Institution) -> bool:
    """Reports not yet approved are internal: the institution's planners and director see them."""
    return is_member(user, institution) and user.has_perm("approvals.view_draft_report")


def can_enter_data(user: AnyUser, institution: Institution) -> bool:
    return is_member(user, institution) and user.has_perm("goals.change_subproductexecution")


def can_submit(user: AnyUser, institution: Institution) -> bool:
    return is_member(user, institution) and user.has_perm("approvals.submit_report")


def can_approve(user: AnyUser, institution: Institution) -> bool:
    return is_member(user, institution) and user.has_perm("approvals.approve_report")


def can_approve_reprogrammings(user: AnyUser, institution: Institution) -> bool:
    return is_member(user, institution) and user.has_perm("approvals.approve_reprogramming")


def can_audit(user: AnyUser, institution: Institution) -> bool:
    return is_member(user, institution) and user.has_perm("approvals.view_audit")


def is_window_bound(user: AnyUser) -> bool:
    """Entry windows bind planners; the director, administrators and superusers may correct late."""
    return not (
        user.is_superuser or user.has_perm("approvals.approve_report") or user.has_perm("approvals.change_period")
    )


def can_change_calendar(user: AnyUser) -> bool:
    """Periods and circulars are global (every institution's deadlines): superusers, or oversight staff given
    approvals.change_calendar explicitly. An institution's administrator grants extensions to his own only."""
    return bool(user.is_superuser or user.has_perm("approvals.change_calendar"))


def can_prepare_congress_report(user: AnyUser) -> bool:
    """SEGEPLAN's report for the Congress covers every institution: superusers, and oversight staff who read every
    one of them, build, approve and reopen it; anyone else (an institution's own staff) never sees it."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    readable = institutions_for(user).values("pk")
    return bool(user.readable_institutions.exists() and not Institution.objects.exclude(pk__in=readable).exists())
