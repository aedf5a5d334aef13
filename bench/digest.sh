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
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null; else echo "bench needs /usr/bin/time (apt-get install time)" >&2; exit 1; fi
fi

# "median min max" in ms of a command's wall time over RUNS runs, then its peak RSS in MB.
measure() {
    : > "$WORK/times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %M" -o "$WORK/one" "$@" >/dev/null
        cat "$WORK/one" >> "$WORK/times"
        i=$((i + 1))
    done
    sort -n "$WORK/times" | awk '{ t[NR] = $1 * 1000; if ($2 > m) m = $2 }
        END { printf "%7.0f ms median (min %.0f, max %.0f), peak %5.1f MB", t[int((NR + 1) / 2)], t[1], t[NR], m / 1024 }'
}

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
