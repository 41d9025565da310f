# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh`): installs Debian's PostgreSQL when missing, starts
# a throw-away cluster that listens on loopback only, creates a role and a database for the tests, and exports
# PERFKIT_TEST_PG_URL, which the PostgreSQL storage tests and the end-to-end `run --db` test read.
# Needs root (it runs the server as the 'postgres' user). Idempotent: a cluster already running is reused.
# Settings: PERFKIT_PG_DIR (default /tmp/perfkit-pg), PERFKIT_PG_PORT (default 54329).

perfkit_pg_dir="${PERFKIT_PG_DIR:-/tmp/perfkit-pg}"
perfkit_pg_port="${PERFKIT_PG_PORT:-54329}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
perfkit_pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

if [ ! -f "$perfkit_pg_dir/data/PG_VERSION" ]; then
  rm -rf "$perfkit_pg_dir"
  mkdir -p "$perfkit_pg_dir/data" "$perfkit_pg_dir/socket"
  echo postgres > "$perfkit_pg_dir/pwfile"
  chown -R postgres:postgres "$perfkit_pg_dir"
  su postgres -s /bin/bash -c "'$perfkit_pg_bin/initdb' -D '$perfkit_pg_dir/data' -A scram-sha-256 -U postgres \
      --pwfile='$perfkit_pg_dir/pwfile' -E UTF8" >/dev/null
fi
if ! su postgres -s /bin/bash -c "'$perfkit_pg_bin/pg_ctl' -D '$perfkit_pg_dir/data' status" >/dev/null 2>&1; then
  su postgres -s /bin/bash -c "'$perfkit_pg_bin/pg_ctl' -D '$perfkit_pg_dir/data' -l '$perfkit_pg_dir/server.log' -w \
      -o \"-c listen_addresses=127.0.0.1 -p $perfkit_pg_port -k $perfkit_pg_dir/socket -c fsync=on\" start" >/dev/null
fi
su postgres -s /bin/bash -c "cd / && PGPASSWORD=postgres psql -q -h 127.0.0.1 -p $perfkit_pg_port -U postgres -d postgres \
    -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
SELECT 'CREATE ROLE perfkit LOGIN PASSWORD ''perfkit'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'perfkit') \gexec
SELECT 'CREATE DATABASE perfkit_test OWNER perfkit'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'perfkit_test') \gexec
SQL
export PERFKIT_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$perfkit_pg_port/perfkit_test?user=perfkit&password=perfkit"
echo "postgres: $("$perfkit_pg_bin/postgres" --version) on 127.0.0.1:$perfkit_pg_port; PERFKIT_TEST_PG_URL set"
