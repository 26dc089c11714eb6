#!/bin/sh
# install-deps.sh - install every Debian package peermail needs to build, test and run.
# Run as root on Debian 12. Safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get)" >&2
	exit 77
fi
# Postfix asks debconf questions on install; answer them so the install never waits.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential pkg-config ca-certificates \
	libglib2.0-dev libgmime-3.0-dev libesmtp-dev libconfuse-dev libsqlite3-dev sqlite3 \
	libcmark-dev libjson-glib-dev libxml2-dev libcsv-dev zlib1g-dev libmicrohttpd-dev \
	libssl-dev curl chromium nginx wrk \
	postfix openssl clang libclang-rt-14-dev python3 python3-dkim python3-nacl procps passwd bc strace time \
	>/dev/null
echo "install-deps.sh: dependencies installed"
