"""The shared case file: people, households, consent, follow-ups, situations over time, events, referrals.

Every read of a person's data starts from `Person.objects.visible_to(user)` (parcours/access.py);
every change to the tracked models is recorded by PostgreSQL triggers (django-pghistory).

One module per part of the domain; every model is importable from `parcours.models`.
"""

from .caseload import *  # noqa: F403
from .common import *  # noqa: F403
from .people import *  # noqa: F403
from .plan import *  # noqa: F403
from .privacy import *  # noqa: F403
from .referrals import *  # noqa: F403
from .situations import *  # noqa: F403
