#!/usr/bin/env bash
# Installs what the product and its tests need and is not there yet, and nothing else:
#   - npm packages (npm ci) when node_modules is missing or older than package-lock.json;
#   - with --system (tests, CI): Debian packages snmpd, snmp (Net-SNMP agent and tools, a real
#     SNMP peer for the poller tests), chromium (headless UI tests), python3-netaddr (the
#     NetBox algorithm the benchmark compares with), prometheus-snmp-exporter (benchmark peer),
#     prometheus-alertmanager (the alert tests deliver to a real Alertmanager).
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "Node.js $need_node_major+ is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--system" ]; then
  missing=()
  [ -x /usr/sbin/snmpd ] || missing+=(snmpd)
  command -v snmpbulkwalk >/dev/null || missing+=(snmp)
  command -v chromium >/dev/null || missing+=(chromium)
  /usr/bin/python3 -c 'import netaddr' 2>/dev/null || missing+=(python3-netaddr) # Debian's python, as the benchmark uses
  command -v prometheus-snmp-exporter >/dev/null || missing+=(prometheus-snmp-exporter)
  [ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
      echo "setup: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
    # The packaged snmpd and exporter services are not what the tests use (those run their own, on
    # loopback ports): stop the services this install just started — through systemd, or, where
    # there is none, the packaged daemon by its pid file. Nothing is killed by name.
    systemctl disable --now snmpd prometheus-snmp-exporter prometheus-alertmanager >/dev/null 2>&1 || true
    if [ -f /run/snmpd.pid ]; then kill "$(cat /run/snmpd.pid)" 2>/dev/null || true; fi
    pid=/run/prometheus/prometheus-alertmanager.pid
    if [ -f "$pid" ]; then kill "$(cat "$pid")" 2>/dev/null || true; fi
  fi
  command -v java >/dev/null || { echo "setup: Java 17+ is needed for the embedded Neo4j" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "setup: Maven is needed to fetch Neo4j" >&2; exit 1; }
fi
