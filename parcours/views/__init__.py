"""Pages of the shared case file, one module per part of the domain (`urls.py` names them).

Every person is fetched through the access policy (parcours/access.py); every form page follows the one idiom
of `common.person_form_page`.
"""
