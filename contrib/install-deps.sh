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
	libidn12 \
	>/dev/null
# Exim for tests/t_exim.sh: it cannot be installed beside Postfix, so its package is only
# unpacked (not installed, nothing runs) under /var/cache/peermail-tests/exim; libidn12
# above is the one library it needs that Postfix's system lacks.
EXIM_DIR=/var/cache/peermail-tests/exim
if [ ! -x "$EXIM_DIR/usr/sbin/exim4" ]; then
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -qq exim4-daemon-light >/dev/null 2>&1); then
		mkdir -p "$EXIM_DIR"
		dpkg-deb -x "$tmp"/exim4-daemon-light_*.deb "$EXIM_DIR"
	else
		echo "install-deps.sh: could not download exim4-daemon-light (tests/t_exim.sh will skip)" >&2
	fi
	rm -rf "$tmp"
fi
echo "install-deps.sh: dependencies installed"
