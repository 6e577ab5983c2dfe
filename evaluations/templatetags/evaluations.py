"""`{% load evaluations %}{% person_distance person %}`: the last evaluation's distance to employment, with why.

Lets the person file (parcours, a lower app) show it without importing this app. `person` must come from the
access policy (`get_visible_person_or_404`): the evaluation is read through `Evaluation.objects.visible_to`.
"""

from django import template

from evaluations import services
from evaluations.models import Evaluation
from evaluations.views import _show_rqth

register = template.Library()


@register.inclusion_tag("evaluations/includes/person_distance.html", takes_context=True)
def person_distance(context, person):
    base = {"person": person, "evaluation": None}
    if person.access.is_referral_only:
        return base | {"limited": True}
    user = context["request"].user
    evaluation = (
        Evaluation.objects.visible_to(user).current().filter(person_id=person.pk).select_related("structure").first()
    )
    if evaluation is None:
        return base
    barriers = list(evaluation.barriers.all())
    facts = services.person_facts(person)
    synthesis = services.synthesis_for(evaluation, person, facts, sees_health=_show_rqth(person), barriers=barriers)
    # The referral form's "accompagnement demandé" for the recommended orientation (parcours' FollowUpKind codes).
    orientation = evaluation.recommended_orientation
    kind = ("SOCIAL" if orientation == "SOCIAL_FIRST" else "EMPLOYMENT") if orientation else ""
    return base | {"evaluation": evaluation, "distance": synthesis.distance, "orientation": kind}
