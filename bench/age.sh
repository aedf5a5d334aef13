#!/bin/sh
# The Age library beside the age CLI, process for process: encrypt and decrypt 1 KiB and 10 MiB
# (wall time, median of RUNS), and 100 MiB with peak memory, through `rapport-age` (a thin CLI
# over the library, streaming in 64 KiB chunks). Then the weekly digest, `list` and `prep` on
# journals with `encrypt: all` beside the same journals in plain text (same people, seed and
# notes), at about 1k, 10k and 100k entries.
# Usage: bench/age.sh path/to/rapport [runs]
set -eu
RAPPORT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
AGETOOL=$(dirname "$RAPPORT")/rapport-age
RUNS=${2:-11}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="$HERE/journals"
PEOPLE=${BENCH_PEOPLE:-87}
mkdir -p "$WORK/age"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 RAPPORT_NOW=2026-11-27T18:00:00+01:00
mkdir -p "$HOME"
. "$HERE/lib.sh"

echo "machine: $(nproc) cores, $(uname -sr), $(age --version 2>/dev/null | head -1 | sed 's/^/age /')"
cd "$WORK/age"
# One identity for the encrypted journals kept between runs; a new one means new journals.
if [ ! -f identity.txt ]; then
    age-keygen -o identity.txt 2>/dev/null
    rm -rf encrypted-*
fi
recipient=$(age-keygen -y identity.txt)
head -c 1024 /dev/urandom > 1k.bin
head -c 10485760 /dev/urandom > 10m.bin
head -c 104857600 /dev/urandom > 100m.bin
for size in 1k 10m; do
    age -r "$recipient" -o "$size.age" "$size.bin"
    echo "encrypt $size: rapport-age $(measure "$AGETOOL" -r "$recipient" -o out.age "$size.bin")"
    echo "encrypt $size: age         $(measure age -r "$recipient" -o out.age "$size.bin")"
    echo "decrypt $size: rapport-age $(measure "$AGETOOL" -d -i identity.txt -o out.bin "$size.age")"
    echo "decrypt $size: age         $(measure age -d -i identity.txt -o out.bin "$size.age")"
    cmp out.bin "$size.bin"
done
RUNS=3
age -r "$recipient" -o 100m.age 100m.bin
echo "encrypt 100m: rapport-age $(measure "$AGETOOL" -r "$recipient" -o out.age 100m.bin)"
echo "encrypt 100m: age         $(measure age -r "$recipient" -o out.age 100m.bin)"
echo "decrypt 100m: rapport-age $(measure "$AGETOOL" -d -i identity.txt -o out.bin 100m.age)"
echo "decrypt 100m: age         $(measure age -d -i identity.txt -o out.bin 100m.age)"
cmp out.bin 100m.bin
rm -f 100m.bin 100m.age out.bin out.age 10m.bin 10m.age

RUNS=${2:-11}
export RAPPORT_IDENTITY="$WORK/age/identity.txt"
for weeks in 12 104 1040; do
    for mode in plain encrypted; do
        journal="$WORK/age/$mode-$PEOPLE-$weeks"
        if [ ! -d "$journal" ]; then
            start=$(date +%s%N)
            if [ "$mode" = encrypted ]; then
                "$RAPPORT" demo "$journal" --people "$PEOPLE" --weeks "$weeks" --seed 1 --end 2026-11-27 --timezone Europe/Berlin --encrypt-to "$recipient" >/dev/null
            else
                "$RAPPORT" demo "$journal" --people "$PEOPLE" --weeks "$weeks" --seed 1 --end 2026-11-27 --timezone Europe/Berlin >/dev/null
            fi
            echo "demo $mode $weeks weeks: $(( ($(date +%s%N) - start) / 1000000 )) ms"
        fi
        cd "$journal"
        entries=$(git ls-files entries | wc -l)
        person=$(ls people | head -1 | sed 's/\.md$//')
        echo "$mode, $entries entries: digest --week last $(measure "$RAPPORT" digest --week last)"
        echo "$mode, $entries entries: prep $person        $(measure "$RAPPORT" prep "$person")"
        if [ "$weeks" -le 104 ]; then
            echo "$mode, $entries entries: list               $(measure "$RAPPORT" list)"
        fi
    done
    # The two journals hold the same notes: their digests must say the same (but for the commit).
    a=$("$RAPPORT" --journal "$WORK/age/plain-$PEOPLE-$weeks" digest --week last | grep -v 'built from')
    b=$("$RAPPORT" --journal "$WORK/age/encrypted-$PEOPLE-$weeks" digest --week last | grep -v 'built from')
    [ "$a" = "$b" ] && echo "$weeks weeks: the encrypted journal's digest is the plain one's" || { echo "$weeks weeks: the digests differ" >&2; exit 1; }
done
