from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self) -> None:
        # Fills parcours' panel registry (barriers, « volet insertion professionnelle », referral synthesis):
        # the people app may not import us.
        from . import panels

        panels.register_all()
