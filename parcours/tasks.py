"""Thin Celery tasks: they take ids, re-fetch, and call a service."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox.jobs import exclusive

from . import services
from .models import Notification, NotificationKind


@shared_task(name="parcours.tasks.expire_referrals")
def expire_referrals(scheduled: bool = False) -> int:
    """Nightly: referrals without an answer after the configured delay expire; senders are told."""
    with exclusive("parcours.expire_referrals", daily=scheduled) as go:
        return services.expire_overdue_referrals() if go else 0


SUBJECTS = {
    NotificationKind.REFERRAL_RECEIVED: gettext_lazy("Une orientation a été reçue par votre structure"),
    NotificationKind.REFERRAL_ACCEPTED: gettext_lazy("Votre orientation a été acceptée"),
    NotificationKind.REFERRAL_REFUSED: gettext_lazy("Votre orientation a été refusée"),
    NotificationKind.REFERRAL_EXPIRED: gettext_lazy("Votre orientation a expiré sans réponse"),
    NotificationKind.REFERRAL_CANCELLED: gettext_lazy("Une orientation reçue par votre structure a été annulée"),
    NotificationKind.DUPLICATE_CHECK: gettext_lazy("Vérification de doublon demandée"),
    NotificationKind.FOLLOWUP_DECLARED: gettext_lazy("Un partenaire a déclaré un accompagnement"),
    NotificationKind.BREAK_GLASS: gettext_lazy("Accès exceptionnel à un dossier suivi"),
    NotificationKind.SELF_MEMBERSHIP: gettext_lazy("Un·e administrateur·rice s'est donné une appartenance"),
    NotificationKind.RETENTION_WARNING: gettext_lazy("Un dossier sera bientôt anonymisé sans nouveau contact"),
    NotificationKind.BULK_ACCESS: gettext_lazy("Un compte a ouvert de nombreux dossiers en un jour"),
    NotificationKind.ACTIVITY: gettext_lazy("Un partenaire a enregistré un fait du parcours d'une personne suivie"),
}


@shared_task(name="parcours.tasks.send_notification_email")
def send_notification_email(notification_id: int) -> int:
    """E-mail a notification: a count-free subject and a link, never a name (privacy.md §8)."""
    notification = Notification.objects.select_related("recipient", "activity").filter(pk=notification_id).first()
    if notification is None:
        return 0
    recipients = services.notification_recipients(notification)
    if not recipients:
        return 0
    if notification.referral_id:
        link = settings.SITE_URL + reverse("parcours:referral_detail", args=[notification.referral_id])
    elif notification.activity_id:
        link = settings.SITE_URL + reverse("parcours:person_activity", args=[notification.activity.person_id])
    elif notification.duplicate_check_id:
        link = settings.SITE_URL + reverse("parcours:duplicate_check_list")
    else:
        link = settings.SITE_URL + reverse("parcours:notification_list")
    subject = str(SUBJECTS[notification.kind])
    body = _("%(subject)s.\n\nConsultez-la dans l'application : %(link)s\n") % {"subject": subject, "link": link}
    return send_mail(subject, body, None, recipients)


@shared_task(name="parcours.tasks.send_activity_digests")
def send_activity_digests() -> int:
    """Daily: the digest of partners' facts each user chose to receive that way (counts and a link, no names)."""
    return services.send_activity_digests()
