#!/bin/sh
# As the curlimages/curl entrypoint: arguments that are not a command are passed to curl.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
  set -- curl "$@"
fi
exec "$@"
