"""The data·inclusion labels are in the gettext catalogue (issue 16): a package upgrade adding one is caught."""

from data_inclusion.schema import v1

from partenaires import data_inclusion_labels, referentials


def test_every_label_of_the_package_is_listed_for_makemessages():
    enums = [v1.Categorie, v1.Thematique, v1.Public, v1.TypeService, v1.Frais, v1.ModeMobilisation, v1.ReseauPorteur]
    missing = {member.label for enum in enums for member in enum} - data_inclusion_labels.LABELS
    assert missing == set(), f"add them to partenaires/data_inclusion_labels.py and the English catalogue: {missing}"


def test_labels_are_translated_and_unknown_slugs_kept():
    from django.utils import translation

    with translation.override("en"):
        assert referentials.thematique_label("famille--garde-denfants") == "Childcare"
        assert referentials.public_label("femmes") == "Women"
        assert referentials.thematique_label("inconnu") == "inconnu"
    assert referentials.thematique_label("famille--garde-denfants") == "Garde d’enfants"
