#!/bin/bash
# Stand-in for the entrypoint of postgres:15-alpine: on first start it initializes $PGDATA from
# POSTGRES_USER / POSTGRES_PASSWORD (and POSTGRES_DB), with password (scram-sha-256) auth for
# TCP clients, then runs postgres listening on all addresses. As root it hands the folders to
# the postgres user (uid 70) and re-executes itself as that user; as non-root it skips chown.
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" = 'postgres' ]; then
	if [ "$(id -u)" = '0' ]; then
		mkdir -p "$PGDATA" /var/run/postgresql
		chown postgres:postgres "$PGDATA" /var/run/postgresql
		chmod 700 "$PGDATA"
		exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
	fi

	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	if [ ! -s "$PGDATA/PG_VERSION" ]; then
		if [ -z "${POSTGRES_PASSWORD:-}" ]; then
			echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
			echo '       You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.' >&2
			exit 1
		fi
		: "${POSTGRES_USER:=postgres}"
		: "${POSTGRES_DB:=$POSTGRES_USER}"
		initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
			--auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA"
		printf '\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
		if [ "$POSTGRES_DB" != 'postgres' ]; then
			pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
			psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
				-c "CREATE DATABASE \"$POSTGRES_DB\""
			pg_ctl -D "$PGDATA" -m fast -w stop
		fi
		echo
		echo 'PostgreSQL init process complete; ready for start up.'
		echo
	else
		echo
		echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
		echo
	fi
fi

exec "$@"
