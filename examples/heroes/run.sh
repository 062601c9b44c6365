#!/usr/bin/env bash
# Replays the SQLModel/Alembic migrations tutorial with schemactl on SQLite,
# from the project file schemactl.hcl (--env local):
# create the hero table, add heroes, add a "power" column, check that a second
# plan is empty, and go back one migration. Runs in a temporary directory
# (KEEP=1 keeps it and prints where).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "working in $work"; else trap 'rm -rf "$work"' EXIT; fi

go build -o "$work/schemactl" "$root/cmd/schemactl"
go build -o "$work/heroes" "$root/examples/heroes"
cd "$work"
export PATH="$work:$PATH"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

# schemactl.hcl names the database, the schema and the migration directory.
cp "$root/examples/heroes/schemactl.hcl" schemactl.hcl
cp "$root/examples/heroes/schema.hcl" schema.hcl
step schemactl plan --env local -m "init_db"
step cat migrations/0001_init_db.sql
step schemactl apply --env local
step heroes -db heroes.db create
step heroes -db heroes.db list

cp "$root/examples/heroes/schema_power.hcl" schema.hcl   # add column "power"
step schemactl plan --env local -m "new field power"
step cat migrations/0002_new_field_power.sql
step schemactl apply --env local
step heroes -db heroes.db list
step schemactl plan --env local --exit-code
step schemactl status --env local

step schemactl downgrade --env local -1
step heroes -db heroes.db list
step schemactl history --env local
