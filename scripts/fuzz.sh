#!/usr/bin/env bash
# fuzz.sh: run every Go fuzz target in the module for FUZZTIME each (default
# 30s), with minimizing bounded by FUZZMINTIME (default 5s) so a target
# spends its time fuzzing, and print one line per target with its execs.
# Usage: scripts/fuzz.sh [PKG_PATTERN ...]   (default ./...)
# Exit status is non-zero when any target failed; its output is kept in
# $FUZZLOG (default a temporary directory).
set -u
GO=${GO:-go}
TAGS=${TAGS:-nolibopusfile}
FUZZTIME=${FUZZTIME:-30s}
FUZZMINTIME=${FUZZMINTIME:-5s}
FUZZLOG=${FUZZLOG:-$(mktemp -d)}
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

failed=0
total=0
printf '%-50s %-32s %12s %s\n' package target execs result
for dir in $($GO list -tags "$TAGS" -f '{{.Dir}}' "${pkgs[@]}"); do
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u)
	[ -z "$targets" ] && continue
	pkg=$($GO list -tags "$TAGS" "$dir")
	for t in $targets; do
		total=$((total + 1))
		log="$FUZZLOG/$(echo "$pkg" | tr / _).$t.log"
		( cd "$dir" && $GO test -tags "$TAGS" -run '^$' -fuzz "^${t}\$" \
			-fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINTIME" . ) >"$log" 2>&1
		rc=$?
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}')
		result=ok
		if [ -z "$execs" ]; then
			# The time ran out while the seed corpus was still being run.
			execs=0
			result="ok, $(grep -o 'baseline coverage: [0-9/]*' "$log" | tail -1) only: raise FUZZTIME"
		fi
		if [ $rc -ne 0 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input' "$log"; then
			# go test can report its own -fuzztime deadline as a failure
			# when it falls inside a worker's call; no input failed.
			rc=0
			result="ok (go test reported its own deadline; no failing input)"
		fi
		if [ $rc -ne 0 ]; then
			result="FAIL (see $log)"
			failed=$((failed + 1))
		fi
		printf '%-50s %-32s %12s %s\n' "${pkg#github.com/agentty/agentty}" "$t" "$execs" "$result"
	done
done
echo "fuzz: $total targets, $failed failed, ${FUZZTIME} each, logs in $FUZZLOG"
# Every target in the module must have run: a package go list leaves out
# (a build constraint, a directory it skips) would hide its targets.
if [ ${#@} -eq 0 ]; then
	root=$($GO list -tags "$TAGS" -m -f '{{.Dir}}')
	want=$(grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' "$root" | wc -l)
	if [ "$want" -ne "$total" ]; then
		echo "fuzz: the module has $want fuzz targets but $total ran:" >&2
		grep -rnE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' "$root" >&2
		failed=$((failed + 1))
	fi
fi
[ $failed -eq 0 ]
