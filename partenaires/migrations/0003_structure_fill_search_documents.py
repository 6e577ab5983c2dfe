"""Fill the search documents of the structures created before the directory (name and kind only)."""

import re
import unicodedata

from django.db import migrations

NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return NON_ALNUM.sub(" ", stripped.lower()).strip()


def fill(apps, schema_editor):
    Structure = apps.get_model("partenaires", "Structure")
    batch = []
    for structure in Structure.objects.filter(search_document="").only("id", "name", "kind").iterator(chunk_size=500):
        structure.search_document = normalize(f"{structure.name} {structure.kind}")
        batch.append(structure)
        if len(batch) == 500:
            Structure.objects.bulk_update(batch, ["search_document"])
            batch = []
    Structure.objects.bulk_update(batch, ["search_document"])


class Migration(migrations.Migration):
    dependencies = [("partenaires", "0002_structure_directory_fields_services_contacts_actions")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
