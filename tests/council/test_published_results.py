"""The public results page (Qualiopi indicator 3): no login, no personal data, the period and
the number of candidates behind each rate, a rate on too few candidates withheld, and a switch
in the configuration (off: 404). Data: the indicators' fixture (tests/council/helpers.py)."""
from .helpers import TODAY, build_fixture

PAGE = "/resultats-certification"


def rows_of(html: str) -> str:
    """The page on one line, every run of white space (no-break spaces too) one space."""
    return " ".join(html.split())


def test_anyone_reads_the_rates_with_their_period_and_candidates(app, web, organiser_user,
                                                                 set_paris_today):
    build_fixture(organiser_user)
    set_paris_today(TODAY)
    app.config["PUBLISH_RESULTS_MIN_CANDIDATES"] = 2

    response = web.get(PAGE)
    assert response.status_code == 200  # no login
    page = rows_of(response.text)
    # RS6240 2027 (IND-B): 2 candidates with a decision, 1 admitted.
    assert '<th scope="row">RS6240<br><span class="muted">Gérer les réseaux sociaux' in page
    assert ('<td class="num">2027</td> <td class="nowrap">du 15 janvier 2027<br>au 15 janvier 2027</td> '
            '<td class="num">2</td> <td class="num"><strong class="nowrap">50,0 %</strong>') in page
    # RS6240 2026 (IND-A; the cancelled IND-X is left out): 3 candidates, 2 admitted.
    assert ('<td class="num">2026</td> <td class="nowrap">du 1er décembre 2026<br>au 1er décembre 2026</td> '
            '<td class="num">3</td> <td class="num"><strong class="nowrap">66,7 %</strong>') in page
    # RNCP-CM 2026 (IND-C): 2 of 2; 2027 (IND-D, to come): no decision, no row.
    assert ('<td class="num">2026</td> <td class="nowrap">du 10 décembre 2026<br>au 10 décembre 2026</td> '
            '<td class="num">2</td> <td class="num"><strong class="nowrap">100,0 %</strong>') in page
    assert "du 1er février 2027" not in page
    assert "données au 20 janvier 2027" in page


def test_no_name_nor_session_number_is_published(web, organiser_user, set_paris_today):
    build_fixture(organiser_user)
    set_paris_today(TODAY)
    page = web.get(PAGE).text
    for personal in ("Alex", "IND-A", "IND-B", "IND-C", organiser_user.last_name, "@"):
        assert personal not in page, personal


def test_a_rate_on_too_few_candidates_is_withheld_but_its_count_shown(app, web, organiser_user,
                                                                      set_paris_today):
    build_fixture(organiser_user)
    set_paris_today(TODAY)
    page = rows_of(web.get(PAGE).text)  # the default minimum: 5 candidates
    assert app.config["PUBLISH_RESULTS_MIN_CANDIDATES"] == 5
    assert "66,7" not in page and "100,0" not in page and "50,0" not in page
    assert page.count("non publié (moins de 5 candidats)") == 3
    assert '<td class="num">3</td> <td class="num"><span class="muted">non publié' in page


def test_the_page_says_so_when_nothing_is_decided_yet(web):
    response = web.get(PAGE)
    assert response.status_code == 200
    assert "Aucun résultat n'est encore disponible" in response.text


def test_turned_off_the_page_is_not_found_and_the_login_page_no_longer_links_it(app, web):
    assert 'href="/resultats-certification"' in web.get("/connexion").text  # on by default
    app.config["PUBLISH_RESULTS"] = False
    assert web.get(PAGE).status_code == 404
    assert 'href="/resultats-certification"' not in web.get("/connexion").text


def test_the_council_page_shows_the_years_blocks_and_retakes(council, organiser_user,
                                                             set_paris_today):
    build_fixture(organiser_user)
    set_paris_today(TODAY)
    page = rows_of(council.get("/conseil/indicateurs/").text)
    assert "Par certification et par année" in page
    assert '<td class="num" data-label="Blocs validés">4</td>' in page  # RNCP-CM: 3 + 1
    assert ('<td class="num" data-label="Rattrapages réussis">1 / 1<br>'
            '<span class="muted nowrap">100,0 %</span></td>') in page
    assert 'href="/resultats-certification"' in page
