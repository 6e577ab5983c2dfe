from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FseConfig(AppConfig):
    name = "fse"
    label = "fse"
    verbose_name = _("Rapports FSE")
