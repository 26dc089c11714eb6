#!/usr/bin/env bash
# bench_dkim.sh - bench_newsletter.sh with every copy DKIM-signed: rsa-sha256 (2048 bits),
# ed25519-sha256, and both; compare with bench_newsletter.sh's unsigned figure and with the
# smtp-source ceiling each run prints. Environment: N (default 20000), CONNECTIONS.
here=$(dirname "$0")
for k in rsa ed25519 both; do
	echo "-- DKIM=$k"
	N=${N:-20000} DKIM=$k bash "$here/bench_newsletter.sh"
done
