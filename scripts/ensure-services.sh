#!/usr/bin/env bash
# Starts the local services baton's tests use, if they are not answering. Uses the same commands
# the machine uses at boot. Prints what it did; never fails the caller by itself.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5432; then
  echo "ensure-services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! port_open 3306; then
  echo "ensure-services: starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
if ! port_open 4222; then
  echo "ensure-services: starting NATS"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
fi
for i in $(seq 1 30); do port_open 5432 && port_open 3306 && break; sleep 1; done
