"""Rebuild locale/fr/LC_MESSAGES/django.po: the plural entries only, so that ngettext follows the French rule.

French is the msgid language, so a string without a catalogue entry falls back to the English rule of gettext
(« 0 personnes »). Run after adding plural strings:

    python manage.py makemessages -l fr --no-location --ignore '.venv/*' --ignore 'node_modules/*' \
        --ignore 'var/*' --ignore 'tests/*' && python locale/fr/plurals.py
"""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent / "LC_MESSAGES" / "django.po"


def main() -> None:
    extracted = polib.pofile(str(CATALOGUE))
    plurals = polib.POFile()
    plurals.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    plurals.header = "French plural forms of our own strings (see locale/fr/plurals.py)."
    for entry in extracted:
        if entry.msgid_plural and not entry.obsolete:
            plurals.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                    flags=[flag for flag in entry.flags if flag != "fuzzy"],
                )
            )
    plurals.save(str(CATALOGUE))


if __name__ == "__main__":
    main()
