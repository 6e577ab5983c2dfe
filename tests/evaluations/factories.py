"""Factories of evaluations, with traits.

EvaluationFactory(person=p, structure=s)                     # an empty draft (no barrier rows)
EvaluationFactory(person=p, complete=True)                   # a draft ready to finalise (8 barriers)
EvaluationFactory(person=p, complete=True, final=True)       # a finalised, current version 1
EvaluationFactory(..., barriers={"MOBILITY": ["NO_LICENCE"]}) # those themes ACTIVE, the others NONE
"""

import datetime as dt

import factory
from django.utils import timezone

from evaluations.enums import SITUATIONS_BY_THEME, BarrierStatus, BarrierTheme, EvaluationStatus
from evaluations.models import Barrier, Evaluation
from tests.accounts.factories import UserFactory
from tests.parcours.factories import PersonFactory
from tests.partenaires.factories import StructureFactory


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    structure = factory.SubFactory(StructureFactory)
    author = factory.SubFactory(UserFactory)

    class Params:
        complete = factory.Trait(
            nationality_category="FRENCH",
            residence_right="NOT_APPLICABLE",
            work_allowed="YES",
            education_level="NV5",
            employment_situation="JOB_SEEKING",
            job_readiness="IMMEDIATE",
            work_experience_level="ALTERNATING",
            french_level="FLUENT",
            distance_computed="CLOSE",
            distance_level="CLOSE",
            distance_score=1,
            recommended_orientation="EMPLOYMENT",
        )

    @factory.post_generation
    def barriers(self, create, themes, **kwargs):
        """`barriers={theme: [situations]}`: those themes ACTIVE, every other NONE (complete) or absent."""
        if not create or (themes is None and not self.job_readiness):
            return
        themes = themes or {}
        Evaluation.objects.filter(pk=self.pk).update(active_themes=sorted(themes))
        self.active_themes = sorted(themes)
        Barrier.objects.bulk_create(
            Barrier(
                evaluation=self,
                theme=theme,
                status=BarrierStatus.ACTIVE if theme in themes else BarrierStatus.NONE,
                situations=list(themes.get(theme) or (SITUATIONS_BY_THEME[theme][:1] if theme in themes else [])),
            )
            for theme in BarrierTheme.values
        )

    @factory.post_generation
    def finalise(self, create, extracted, **kwargs):
        if not create or not self_final(self):
            return
        Evaluation.objects.filter(person=self.person, is_current=True).update(is_current=False)
        finalised_at = timezone.now() - dt.timedelta(days=30 * (3 - min(self._version, 3)))
        Evaluation.objects.filter(pk=self.pk).update(
            status=EvaluationStatus.FINAL,
            version_no=self._version,
            is_current=True,
            finalised_at=finalised_at,
            finalised_by=self.author,
        )
        self.refresh_from_db()

    @classmethod
    def _create(cls, model_class, *args, final=False, version=1, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj._final = final
        obj._version = version
        return obj


def self_final(evaluation) -> bool:
    return getattr(evaluation, "_final", False)
