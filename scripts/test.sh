#!/bin/bash
# Runs the built test bundle as a few `swift test` processes at once, each on its own suites.
# Why: Swift Testing runs as many tests at once as the cooperative thread pool has threads (one
# per core), and most of rapport's tests spend their time waiting for a child process (the
# binary, git, sshd, Chromium), blocking their thread. In one process on 2 cores the CPU stayed
# a third idle and the run took about 250 s; see docs/Development.md for the figures.
# Every suite runs exactly once: the last shard skips everything the others run.
# Usage: scripts/test.sh PACKAGE_PATH   (after `swift build --build-tests`)
set -u
package=${1:-.}
swift=${SWIFT:-swift}
# Each shard runs what its pattern matches and no earlier shard ran; the last runs the rest.
shards=(
    'CLITests\.CrashTests/'
    'CLITests\.(RacingSyncTests|SSHTests|HTTPSTests|TLSTests)/'
    'CLITests\.(HostileRemoteTests|HTMLDigestTests)/|JournalTests\.SyncTests/'
    'CLITests\.'
)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
taken='^$'
for i in "${!shards[@]}"; do
    # --ignore-lock: every shard only reads the build folder (SwiftPM would queue them otherwise).
    "$swift" test --package-path "$package" --skip-build --ignore-lock --filter "${shards[$i]}" --skip "$taken" >"$logs/$i" 2>&1 &
    pids+=($!)
    taken="$taken|${shards[$i]}"
done
"$swift" test --package-path "$package" --skip-build --ignore-lock --skip "$taken" >"$logs/rest" 2>&1 &
pids+=($!)
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for log in "$logs"/*; do cat "$log"; done
echo
echo "Each shard's summary:"
grep -h -e "Test run with" -e "Executed [1-9]" "$logs"/* || true
exit $status
