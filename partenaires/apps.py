from django.apps import AppConfig


class PartenairesConfig(AppConfig):
    name = "partenaires"
