#!/bin/sh
# Stand-in for the entrypoint of the redis image: as root it hands /data to the redis user
# (uid 999) and re-executes itself as that user; as any other uid it just runs the command.
# The stock image builds redis with protected mode off by default; Debian's redis-server
# keeps it on, so it is switched off on the command line here.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi
if [ "$1" = 'redis-server' ]; then
	shift
	set -- redis-server "$@" --protected-mode no
fi
exec "$@"
