#!/bin/sh
# As in the stock image: the default server already listens on [::]:80 here; the stock script
# edits default.conf only where it can write it, and a read-only root makes it skip.
set -e
DEFAULT_CONF_FILE="/etc/nginx/conf.d/default.conf"
if [ ! -w "$DEFAULT_CONF_FILE" ]; then
    echo "$0: info: can not modify $DEFAULT_CONF_FILE (read-only file system?)"
fi
exit 0
