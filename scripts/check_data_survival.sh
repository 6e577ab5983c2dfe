#!/usr/bin/env bash
# Data survival across a code change (issue 10, docs/architecture.md "Migration notes").
#
#   scripts/check_data_survival.sh OLD_REV
#
# Seeds a scratch database at OLD_REV (migrate, seed_demo, run_alerts, an import of 2 FSE participants) in a
# temporary `git worktree`, counts the rows of every table, migrates the same database with the current
# checkout, counts again and prints the difference. Exit 0 when every table keeps its rows (only
# django_migrations may grow), 1 otherwise.
#
# Needs DATABASE_URL (a PostgreSQL server where the user may create databases: its database name is replaced
# by a scratch one, dropped at the end), REDIS_URL and SECRET_KEY, like `make run` with real servers.
# PYTHON defaults to the checkout's .venv.
set -euo pipefail

OLD_REV=${1:?usage: scripts/check_data_survival.sh OLD_REV}
ROOT=$(git rev-parse --show-toplevel)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
: "${DATABASE_URL:?DATABASE_URL must point to a PostgreSQL server}"
SERVER_URL=${DATABASE_URL%/*}
SCRATCH=coord_survival_$$
WORK=$(mktemp -d)
export DATABASE_URL=$SERVER_URL/$SCRATCH

cleanup() {
    git -C "$ROOT" worktree remove --force "$WORK/old" >/dev/null 2>&1 || true
    psql "$SERVER_URL/postgres" -qc "drop database if exists $SCRATCH" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

COUNT_ROWS='
from django.db import connection
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        print(table, cursor.fetchone()[0])
'
PARTICIPANTS_CSV='
import datetime
from django.apps import apps
operation = apps.get_model("fse", "Operation").objects.exclude(carrier=None).order_by("id").first()
entry = (operation.start_on + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
columns = ["nom", "prenom", "date_naissance", "sexe", "commune_insee", "telephone", "email", "date_entree",
    "situation_entree", "chomeur_depuis", "en_formation_entree", "niveau_cite", "handicap", "nationalite",
    "ne_etranger", "parent_ne_etranger", "situation_logement_entree", "zone_rurale", "date_sortie",
    "date_observation_sortie", "situation_sortie", "en_formation_sortie", "qualification_obtenue"]
rows = [
    ["Survie", "Alice", "1990-05-17", "F", "75056", "", "", entry, "INACTIF", "", "NON", "3", "NON",
     "FR", "NON", "NON", "CHRS", "NON", "", "", "", "", ""],
    ["Survie", "Bruno", "1985-02-03", "M", "75056", "", "", entry, "INACTIF", "", "NON", "2", "NON",
     "FR", "NON", "NON", "RUE", "NON", "", "", "", "", ""],
]
with open("participants.csv", "w", encoding="utf-8") as out:
    out.write(";".join(columns) + "\n" + "\n".join(";".join(r) for r in rows) + "\n")
print(operation.number)
'

psql "$SERVER_URL/postgres" -qc "create database $SCRATCH"
git -C "$ROOT" worktree add --quiet --detach "$WORK/old" "$OLD_REV"
# The front-end assets come through npm: share the checkout's (no network, no warning on start-up).
[ -e "$ROOT/node_modules" ] && ln -s "$(readlink -f "$ROOT/node_modules")" "$WORK/old/node_modules"

echo "== $OLD_REV: migrate, seed_demo, run_alerts, import of 2 participants"
(
    cd "$WORK/old"
    "$PYTHON" manage.py migrate --noinput -v 0
    "$PYTHON" manage.py seed_demo >/dev/null
    "$PYTHON" manage.py run_alerts >/dev/null
    number=$("$PYTHON" manage.py shell -c "$PARTICIPANTS_CSV" | tail -1)
    "$PYTHON" manage.py import_participants --operation "$number" participants.csv
    "$PYTHON" manage.py shell -c "$COUNT_ROWS" >"$WORK/before.txt"
)

echo "== $(git -C "$ROOT" rev-parse --short HEAD) (current checkout): migrate"
(
    cd "$ROOT"
    "$PYTHON" manage.py migrate --noinput -v 0
    "$PYTHON" manage.py shell -c "$COUNT_ROWS" >"$WORK/after.txt"
)

echo "== rows per table: $(wc -l <"$WORK/before.txt") tables before, $(wc -l <"$WORK/after.txt") after"
if diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    echo "Every table kept its rows."
    exit 0
fi
if diff <(grep -v '^django_migrations ' "$WORK/before.txt") <(grep -v '^django_migrations ' "$WORK/after.txt") >/dev/null; then
    echo "Every table kept its rows (django_migrations records the new migrations)."
    exit 0
fi
echo "ROWS CHANGED: see the diff above." >&2
exit 1
