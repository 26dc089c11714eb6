#!/usr/bin/env bash
# bench_dkim.sh - bench_newsletter.sh unsigned, then with every copy DKIM-signed:
# rsa-sha256 (2048 bits), ed25519-sha256, and both; each run prints its own smtp-source
# ceiling (the host may be shared: compare ratios and CPU per message, not raw rates).
# Environment: N (default 20000), CONNECTIONS.
here=$(dirname "$0")
for k in none rsa ed25519 both; do
	echo "-- DKIM=$k"
	if [ "$k" = none ]; then
		N=${N:-20000} DKIM= bash "$here/bench_newsletter.sh"
	else
		N=${N:-20000} DKIM=$k bash "$here/bench_newsletter.sh"
	fi
done
