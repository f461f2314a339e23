#!/usr/bin/env bash
# Proves that a backup restores. On a PostgreSQL server: a new database gets the migrations and the demo, is
# backed up with scripts/backup.sh, and the dump is restored into a second, empty database. Both must give
# the same IGM 2024 C3 report (JSON, byte for byte) and the same row count in every table. Both databases
# are dropped at the end, whatever happens.
# Usage: scripts/restore-check.sh [postgres://user@host:port]   (default: postgres://postgres@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
server="${1:-postgres://postgres@127.0.0.1:5432}"
python="${PYTHON:-.venv/bin/python}"
export SECRET_KEY="${SECRET_KEY:-restore-check-only}"
unset MEDIA_ROOT
suffix="$$_$(date +%s)"
original="siplan_backup_${suffix}"
restored="siplan_restored_${suffix}"
work="$(mktemp -d)"

psql_on() { psql "$server/$1" -v ON_ERROR_STOP=1 -q -X "${@:2}"; }
cleanup() {
    psql_on postgres -c "DROP DATABASE IF EXISTS ${original}" -c "DROP DATABASE IF EXISTS ${restored}" || true
    rm -rf "$work"
}
trap cleanup EXIT

psql_on postgres -c "CREATE DATABASE ${original}" -c "CREATE DATABASE ${restored}"
DATABASE_URL="$server/$original" "$python" manage.py migrate --noinput -v 0
DATABASE_URL="$server/$original" "$python" manage.py load_demo

dump="$(DATABASE_URL="$server/$original" BACKUP_KEEP_DAYS=1 bash scripts/backup.sh "$work")"
pg_restore --no-owner --exit-on-error --dbname="$server/$restored" "$dump"

row_counts="SELECT table_name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text
            FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
for database in "$original" "$restored"; do
    psql_on "$database" -A -t -F ' ' -c "$row_counts" > "$work/$database.counts"
    DATABASE_URL="$server/$database" "$python" manage.py export_report \
        --institution IGM --year 2024 --cuatrimestre 3 --format json --output "$work/$database.json"
done

cmp "$work/$original.json" "$work/$restored.json"
diff "$work/$original.counts" "$work/$restored.counts"
products="$(awk '$1 == "goals_product" {print $2}' "$work/$restored.counts")"
if [ "${products:-0}" -eq 0 ]; then
    echo "restore check: the restored database has no products" >&2
    exit 1
fi
tables="$(wc -l < "$work/$restored.counts")"
rows="$(awk '{total += $2} END {print total}' "$work/$restored.counts")"
echo "restore check: $(du -h "$dump" | cut -f1) dump restored; $tables tables, $rows rows, $products products identical;" \
     "IGM 2024 C3 report JSON identical (sha256 $(sha256sum "$work/$restored.json" | cut -c1-16))"
