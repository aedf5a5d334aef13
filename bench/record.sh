#!/bin/sh
# Times recording one entry into a ~10k-entry demo journal with rapport, beside `git add FILE &&
# git commit` of an equivalent file by the git CLI in the same journal, and times generating the
# 100-person, 520-week demo journal. Usage: bench/record.sh path/to/rapport [runs]
set -eu
RAPPORT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
RUNS=${2:-21}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="$HERE/journals"
rm -rf "$WORK/big" "$WORK/10k" && mkdir -p "$WORK"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME"
git config --global user.name "Bench" && git config --global user.email "bench@example.com"

now_ns() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%.1f ms (min %.1f, max %.1f, n=%d)", m / 1e6, a[1] / 1e6, a[NR] / 1e6, NR }'; }

echo "machine: $(nproc) cores, $(uname -sr), $(git --version), libgit2 $(pkg-config --modversion libgit2)"

start=$(now_ns)
"$RAPPORT" demo "$WORK/big" --people 100 --weeks 520 --seed 1 --end 2026-11-27 >/dev/null
echo "demo 100 people x 520 weeks: $(( ($(now_ns) - start) / 1000000 )) ms, $(cd "$WORK/big" && git ls-files entries | wc -l) entries"
rm -rf "$WORK/big"

"$RAPPORT" demo "$WORK/10k" --people 18 --weeks 520 --seed 1 --end 2026-11-27 >/dev/null
cd "$WORK/10k"
echo "journal: $(git ls-files entries | wc -l) entries, $(git ls-files | wc -l) files"
person=$(ls people | head -1 | sed 's/\.md$//')

: > "$WORK/rapport.times"
i=0
while [ $i -lt "$RUNS" ]; do
    start=$(now_ns)
    "$RAPPORT" 1on1 "$person" --mood 3 --note "Benchmark note $i." >/dev/null
    echo $(( $(now_ns) - start )) >> "$WORK/rapport.times"
    i=$((i + 1))
done

: > "$WORK/git.times"
i=0
while [ $i -lt "$RUNS" ]; do
    # An equivalent entry with its own valid id, so the journal still passes `rapport check`.
    id=$(printf 'G%05d' $i)
    file="entries/2026/11/2026-11-27-one-on-one-$person-$id.md"
    sed -e "s/Benchmark note [0-9]*/Git note $i/" -e "s/^id: .*/id: $id/" -e "s/^date: .*/date: 2026-11-27T12:00:00+00:00/" \
        "$(git ls-files 'entries/*-one-on-one-*' | tail -1)" > "$file"
    start=$(now_ns)
    git add "$file" && git commit -q -m "git baseline $i"
    echo $(( $(now_ns) - start )) >> "$WORK/git.times"
    i=$((i + 1))
done
echo "record one 1on1, rapport:       $(median < "$WORK/rapport.times")"
echo "git add FILE && git commit:     $(median < "$WORK/git.times")"
git fsck --strict >/dev/null 2>&1 && echo "git fsck --strict: clean"
"$RAPPORT" check
