"""Comparison of two versions: a pure function over two documents."""

from evaluations.comparison import compare, display
from evaluations.enums import Section


def doc(fields=None, barriers=None, retained=None):
    return {
        "fields": fields or {},
        "barriers": barriers or {},
        "distance": {"computed": retained, "retained": retained},
    }


def section(comparison, code):
    return next(s for s in comparison.sections if s.code == code)


def test_field_changes_are_grouped_by_section_with_french_values():
    old = doc({"education_level": "C3A", "job_readiness": "NOT_READY", "driving_licences": ["NONE"]})
    new = doc({"education_level": "NV5", "job_readiness": "IMMEDIATE", "driving_licences": ["B", "CODE"]})
    comparison = compare(old, new, show_health=True)
    b = section(comparison, Section.B)
    assert [(c.label, c.old, c.new) for c in b.fields] == [("Niveau de formation", "3e achevée, brevet", "CAP, BEP")]
    i = section(comparison, Section.I)
    assert i.fields[0].old == "Pas prêt·e actuellement"
    assert section(comparison, Section.G).fields[0].new == "Permis B, Code obtenu"
    assert [s.code for s in comparison.changed_sections] == [Section.B, Section.G, Section.I]


def test_unchanged_values_and_list_order_are_not_changes():
    old = doc({"mobility_means": ["CAR", "BIKE"], "education_level": "NV4", "working_time": None})
    new = doc({"mobility_means": ["BIKE", "CAR"], "education_level": "NV4", "working_time": ""})
    assert compare(old, new, show_health=True).changed_sections == []


def test_barriers_added_closed_and_changed():
    old = doc(
        barriers={
            "MOBILITY": {"status": "ACTIVE", "situations": ["NO_LICENCE"]},
            "HOUSING": {"status": "ACTIVE", "situations": ["NO_SHELTER"]},
            "DIGITAL": {"status": "NOT_DISCUSSED", "situations": []},
            "LANGUAGE": {"status": "ACTIVE", "situations": ["FRENCH"]},
        }
    )
    new = doc(
        barriers={
            "MOBILITY": {"status": "RESOLVED", "situations": ["NO_LICENCE"]},
            "HOUSING": {"status": "ACTIVE", "situations": ["COLLECTIVE"]},
            "DIGITAL": {"status": "ACTIVE", "situations": ["NO_EQUIPMENT"]},
            "LANGUAGE": {"status": "ACTIVE", "situations": ["FRENCH"]},
            "FAMILY": {"status": "ACTIVE", "situations": ["CHILDCARE"]},
        }
    )
    k = section(compare(old, new, show_health=True), Section.K)
    assert [b.theme for b in k.barriers_added] == ["Contraintes familiales", "Numérique"]
    assert [(b.theme, b.old_status, b.new_status) for b in k.barriers_closed] == [
        ("Mobilité", "Frein actif", "Frein levé")
    ]
    changed = k.barriers_changed
    assert [(b.theme, b.old_situations, b.new_situations) for b in changed] == [
        ("Logement", "Sans hébergement", "Hébergement collectif")
    ]


def test_health_items_hidden_without_health_access():
    old = doc({"rqth_status": "PENDING"}, {"HEALTH": {"status": "NOT_DISCUSSED", "situations": []}})
    new = doc({"rqth_status": "YES"}, {"HEALTH": {"status": "ACTIVE", "situations": ["HEALTH_CONSTRAINT"]}})
    assert compare(old, new, show_health=False).changed_sections == []
    full = compare(old, new, show_health=True)
    assert [s.code for s in full.changed_sections] == [Section.F, Section.K]


def test_distance_before_and_after():
    comparison = compare(doc(retained="FAR"), doc(retained="INTERMEDIATE"), show_health=True)
    assert (comparison.distance_before, comparison.distance_after) == ("Éloigné", "Intermédiaire")
    assert comparison.distance_changed
    assert compare(doc(), doc(), show_health=True).distance_before == "Non calculée"


def test_display_of_dates_booleans_and_jobs():
    assert display("permit_end_on", "2026-03-12") == "12/03/2026"
    assert display("education_abroad", True) == "Oui"
    assert display("target_jobs", [{"rome_code": "K2204", "label": "Agent d'entretien"}]) == "K2204 Agent d'entretien"
    assert display("max_commute_minutes", None) == "—"


def test_several_target_jobs_compare_without_error():
    """Two or more target jobs (dicts) used to raise a TypeError in sorted(): a 500 on the comparison page."""
    jobs = [{"rome_code": "K2204", "label": "Agent d'entretien"}, {"rome_code": "N1103", "label": "Magasinier"}]
    same = compare(doc({"target_jobs": jobs}), doc({"target_jobs": list(reversed(jobs))}), show_health=True)
    assert same.changed_sections == []
    more = jobs + [{"rome_code": "G1603", "label": "Commis de cuisine"}]
    changed = compare(doc({"target_jobs": jobs}), doc({"target_jobs": more}), show_health=True)
    (change,) = [c for s in changed.changed_sections for c in s.fields]
    assert change.new == "K2204 Agent d'entretien; N1103 Magasinier; G1603 Commis de cuisine"
