import pytest
from django.urls import reverse

from partenaires.enums import StructureKind
from tests.partenaires.factories import ContactFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db
URL = reverse("partenaires:structure_list")


def names(response) -> list[str]:
    return [structure.name for structure in response.context["page"].object_list]


@pytest.fixture
def directory():
    chrs = StructureFactory(name="CHRS Les Glycines", kind=StructureKind.CHRS, commune="Villeneuve", is_member=True)
    ServiceFactory(structure=chrs, name="Hébergement d'insertion", publics=["personnes-en-situation-durgence"])
    aci = StructureFactory(name="ACI Les Jardins", kind=StructureKind.ACI, commune="Saint-Étienne-des-Prés")
    ServiceFactory(
        structure=aci,
        name="Chantier maraîchage",
        description="Contrats à durée déterminée d'insertion en maraîchage biologique.",
        thematiques=["trouver-un-emploi--convaincre-un-recruteur-en-entretien"],
        publics=["beneficiaires-des-minimas-sociaux"],
    )
    ContactFactory(structure=aci, name="Léa Garnier")
    StructureFactory(name="Mission locale", kind=StructureKind.MISSION_LOCALE, commune="Villeneuve")
    return chrs, aci


@pytest.mark.parametrize("query", ["hebergement", "HÉBERGEMENT", "Hebergement insertion", "héberg", "glycines chrs"])
def test_search_ignores_accents_and_case_and_needs_every_word(client_for, worker, directory, query):
    response = client_for(worker).get(URL, {"q": query})
    assert response.status_code == 200
    assert names(response) == ["CHRS Les Glycines"]


def test_search_covers_service_descriptions(client_for, worker, directory):
    assert names(client_for(worker).get(URL, {"q": "maraichage biologique"})) == ["ACI Les Jardins"]


def test_empty_query_lists_everything(client_for, worker, directory):
    response = client_for(worker).get(URL, {"q": ""})
    assert len(names(response)) == 4  # the three above plus the worker's structure
    assert "test" in " ".join(names(response))


def test_no_result_says_so(client_for, worker, directory):
    response = client_for(worker).get(URL, {"q": "astronautes"})
    assert names(response) == []
    assert "Aucune structure ne correspond" in response.content.decode()


def test_punctuation_only_query_does_not_break(client_for, worker, directory):
    response = client_for(worker).get(URL, {"q": "&|!:*()'"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "ACI"}, ["ACI Les Jardins"]),
        ({"thematique": "trouver-un-emploi--convaincre-un-recruteur-en-entretien"}, ["ACI Les Jardins"]),
        ({"public": "beneficiaires-des-minimas-sociaux"}, ["ACI Les Jardins"]),
        ({"place": "saint etienne"}, ["ACI Les Jardins"]),
        ({"place": "VILLENEUVE", "q": "chrs"}, ["CHRS Les Glycines"]),
        ({"members": "on"}, ["CHRS Les Glycines"]),
    ],
)
def test_filters(client_for, worker, directory, params, expected):
    assert names(client_for(worker).get(URL, params)) == expected


def test_unknown_filter_value_is_a_form_error_not_a_500(client_for, worker, directory):
    response = client_for(worker).get(URL, {"kind": "SPACESHIP", "q": "chrs"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_results_show_kind_commune_services_and_a_contact(client_for, worker, directory):
    content = client_for(worker).get(URL, {"q": "jardins"}).content.decode()
    assert "Atelier et chantier d&#x27;insertion (ACI)" in content
    assert "Saint-Étienne-des-Prés" in content
    assert "Chantier maraîchage" in content
    assert "Léa Garnier" in content


def test_funder_reads_the_directory_too(client_for, funder, directory):
    assert client_for(funder).get(URL).status_code == 200


def test_anonymous_is_sent_to_login(client, directory):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_htmx_request_gets_the_results_fragment(client_for, worker, directory):
    client = client_for(worker)
    fragment = client.get(URL, {"q": "chrs"}, headers={"HX-Request": "true"}).content.decode()
    page = client.get(URL, {"q": "chrs"}).content.decode()
    assert fragment.strip().startswith('<section id="resultats"')
    assert fragment.strip() in page


def test_post_is_not_allowed(client_for, worker):
    assert client_for(worker).post(URL).status_code == 405


@pytest.mark.parametrize("size", [1, 50])
def test_search_page_runs_a_constant_number_of_queries(client_for, worker, django_assert_num_queries, size):
    for index in range(size):
        structure = StructureFactory(name=f"CHRS numéro {index}")
        ServiceFactory(structure=structure)
        ContactFactory(structure=structure)
    client = client_for(worker)
    # session, user, count, memberships (+ their structures), page, services of the page, contacts of the page;
    # plus the request's savepoint pair, the session save and its savepoint pair (5).
    with django_assert_num_queries(15):  # +1: alerts and concertation tasks badges, +1: the user scope
        response = client.get(URL, {"q": "chrs"})
    assert len(response.context["page"].object_list) == min(size + 1, 20)
