#!/bin/sh
# Like the official redis image: `redis-server [args]` runs as the redis user, reachable from
# outside the container (protected mode off), keeping nothing on disk.
set -eu
[ "${1:-redis-server}" = redis-server ] || exec "$@"
shift || true
exec setpriv --reuid=redis --regid=redis --init-groups \
  redis-server --protected-mode no --save '' --appendonly no "$@"
