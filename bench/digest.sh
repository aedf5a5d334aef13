#!/bin/sh
# Times the weekly digest (and, for reference, the monthly digest and `prep`) on two demo
# journals with the same team and different ages: about 10k and about 100k entries. The digest
# reads the months a period needs, so both should take about the same time.
# Usage: bench/digest.sh path/to/rapport [runs]
set -eu
RAPPORT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
RUNS=${2:-11}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="$HERE/journals"
PEOPLE=${BENCH_PEOPLE:-87}
mkdir -p "$WORK"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 RAPPORT_NOW=2026-11-27T18:00:00+01:00
mkdir -p "$HOME"
. "$HERE/lib.sh"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), libgit2 $(pkg-config --modversion libgit2)"
for weeks in 104 1040; do
    journal="$WORK/digest-$PEOPLE-$weeks"
    if [ ! -d "$journal" ]; then
        "$RAPPORT" demo "$journal" --people "$PEOPLE" --weeks "$weeks" --seed 1 --end 2026-11-27 --timezone Europe/Berlin >/dev/null
    fi
    cd "$journal"
    entries=$(git ls-files entries | wc -l)
    person=$(ls people | head -1 | sed 's/\.md$//')
    echo "journal: $PEOPLE people x $weeks weeks = $entries entries"
    echo "  digest --week last           $(measure "$RAPPORT" digest --week last)"
    echo "  digest --week last --format html $(measure "$RAPPORT" digest --week last --format html)"
    echo "  digest --month last          $(measure "$RAPPORT" digest --month last)"
    echo "  prep $person                  $(measure "$RAPPORT" prep "$person")"
done
