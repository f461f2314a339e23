#!/usr/bin/env bash
# Back up siplan: the database as a pg_dump custom-format file (and the uploads, when MEDIA_ROOT is set),
# into BACKUP_DIR; files older than BACKUP_KEEP_DAYS days are deleted. Prints the dump's path.
# Usage: DATABASE_URL=postgres://user@host:5432/siplan scripts/backup.sh [BACKUP_DIR]
# Restore: pg_restore --no-owner --exit-on-error --dbname=postgres://user@host:5432/EMPTY_DATABASE FILE.dump
set -euo pipefail
url="${DATABASE_URL:?set DATABASE_URL to the postgres:// address of siplan\'s database}"
dir="${1:-${BACKUP_DIR:-/var/backups/siplan}}"
keep_days="${BACKUP_KEEP_DAYS:-30}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"

dump="$dir/siplan-$stamp.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$dump.partial" "$url"
mv "$dump.partial" "$dump"

if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -czf "$dir/siplan-$stamp-media.tar.gz" -C "$MEDIA_ROOT" .
fi

find "$dir" -maxdepth 1 -type f -name 'siplan-*' -mtime +"$keep_days" -delete
echo "$dump"
