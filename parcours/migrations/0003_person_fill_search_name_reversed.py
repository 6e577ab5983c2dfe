from django.db import migrations


def fill(apps, schema_editor):
    from parcours.text import search_name

    Person = apps.get_model("parcours", "Person")
    last_id = 0
    while True:
        batch = list(Person.objects.filter(pk__gt=last_id).order_by("pk").only("pk", "last_name", "first_name")[:1000])
        if not batch:
            return
        for person in batch:
            person.search_name_reversed = search_name(person.first_name, person.last_name)
        Person.objects.bulk_update(batch, ["search_name_reversed"])
        last_id = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("parcours", "0002_person_search_prefix_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
