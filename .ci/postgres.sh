#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster (creating it if missing) and makes the
# coffreo/coffreo_test role and database; idempotent. Run as root. Prints the
# SQLAlchemy URL of the test database on its last line of stdout.
set -euo pipefail

DB_USER="${COFFREO_PG_USER:-coffreo}"
DB_PASS="${COFFREO_PG_PASSWORD:-coffreo}"
DB_NAME="${COFFREO_PG_DB:-coffreo_test}"

log() { echo "[postgres] $*" >&2; }
as_pg() { runuser -u postgres -- "$@"; }

# Newest server installed (15 on Debian 12); found rather than hard-coded.
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
[ -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ] || { log "no PostgreSQL server installed"; exit 1; }

# The package's postinst normally creates 'main', but not always (e.g. a
# policy-rc.d or an image that removed it), so make it when absent.
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q .; then
    log "creating cluster ${PG_VERSION}/main"
    pg_createcluster "$PG_VERSION" main >&2
fi

PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $3}')"
PG_STATUS="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $4}')"

if [ "$PG_STATUS" != "online" ]; then
    log "starting cluster ${PG_VERSION}/main on port ${PG_PORT}"
    # The socket directory lives on a tmpfs that may be empty on a new machine.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    if ! pg_ctlcluster "$PG_VERSION" main start >&2; then
        log "start failed; server log follows"
        tail -n 50 "/var/log/postgresql/postgresql-${PG_VERSION}-main.log" >&2 || true
        exit 1
    fi
else
    log "cluster ${PG_VERSION}/main already online on port ${PG_PORT}"
fi

for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >&2 || { log "server not ready on 127.0.0.1:${PG_PORT}"; exit 1; }

# Role: created or its password reset, so a rerun always ends in a known state.
as_pg psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
    -v u="$DB_USER" -v p="$DB_PASS" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CREATEDB', :'u', :'p')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L CREATEDB', :'u', :'p') \gexec
-- The test fixtures drop and re-create their databases WITH (FORCE), which may have to end an
-- autovacuum worker: that needs the right to signal other backends.
SELECT format('GRANT pg_signal_backend TO %I', :'u') \gexec
SQL

if ! as_pg psql -tAq -p "$PG_PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'" | grep -q 1; then
    log "creating database ${DB_NAME}"
    as_pg createdb -p "$PG_PORT" -O "$DB_USER" -E UTF8 -T template0 "$DB_NAME"
fi

# Prove that a password login over TCP works, as the tests will do it.
if ! PGPASSWORD="$DB_PASS" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" \
        -tAc "SELECT current_user || '@' || current_database()" >&2; then
    log "cannot log in as ${DB_USER} to ${DB_NAME} on 127.0.0.1:${PG_PORT}"
    exit 1
fi

echo "postgresql+psycopg://${DB_USER}:${DB_PASS}@127.0.0.1:${PG_PORT}/${DB_NAME}"
