from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
