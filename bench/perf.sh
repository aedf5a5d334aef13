#!/usr/bin/env bash
# Times the everyday commands on three seeded demo journals of the same team (87 people) and
# different ages, about 1k, 10k and 100k entries, with hyperfine, and writes the table with a
# description of the machine to bench/results.md. Recording is timed beside the git CLI adding and
# committing an equivalent file, the baseline the targets are stated against.
# Usage: bench/perf.sh path/to/rapport
# Environment: RUNS (timed runs per command, default 15), ONLY_SIZES (weeks of the journals to
# time, default "10 104 1040"), QUARTER_ARGS (default "--quarter last"; e.g. "--since 2026-07-01
# --until 2026-09-30" for a binary without --quarter).
set -eu
[ $# -eq 1 ] || { echo "usage: bench/perf.sh path/to/rapport" >&2; exit 64; }
RAPPORT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$RAPPORT" ] || { echo "perf.sh: $1 is not an executable" >&2; exit 1; }
RUNS=${RUNS:-15}
WARMUP=2
ONLY_SIZES=${ONLY_SIZES:-10 104 1040}
read -r -a QUARTER <<< "${QUARTER_ARGS:---quarter last}"
PEOPLE=87
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="$HERE/journals"
OUT="$HERE/results.md"
mkdir -p "$WORK"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 RAPPORT_NOW=2026-11-27T18:00:00+01:00
mkdir -p "$HOME"
git config --global user.name "Bench" && git config --global user.email "bench@example.com"
. "$HERE/lib.sh"   # installs /usr/bin/time (GNU time) when missing

if ! command -v hyperfine >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
    else
        echo "bench needs hyperfine: sudo apt-get update && sudo apt-get install -y hyperfine" >&2
        exit 1
    fi
fi

# Scratch files live beside the journals (same filesystem as the copies that are timed).
SCRATCH=$(mktemp -d "$WORK/perf.XXXXXX")
COPY=
trap 'rm -rf "$SCRATCH" ${COPY:+"$COPY"}' EXIT
trap 'exit 130' INT TERM
RESULTS="$SCRATCH/results.tsv"   # weeks, row, median ms, min ms, max ms, peak KB
: > "$RESULTS"

# Runs a command once and stops unless its exit code is one the command may give on purpose, so
# that `hyperfine -i` below cannot hide a command failing for a wrong reason (an unknown option).
# Usage: check_once "ALLOWED CODES" CMD...
check_once() {
    local allowed=$1 code=0
    shift
    "$@" >/dev/null 2>"$SCRATCH/stderr" || code=$?
    case " $allowed " in *" $code "*) return 0 ;; esac
    echo "perf.sh: \`${*/#"$RAPPORT"/rapport}\` in $PWD exited $code (allowed: $allowed):" >&2
    head -5 "$SCRATCH/stderr" >&2
    exit 1
}

# Appends hyperfine's median, min and max (seconds in its CSV) and the peak of the RSS values GNU
# time appended, over warmup and timed runs alike, to RESULTS, and echoes the row as it goes.
# Usage: record_row WEEKS ROW CSV RSSFILE
record_row() {
    local median min max peak
    read -r median min max < <(awk -F, 'NR == 2 { print $4 * 1000, $7 * 1000, $8 * 1000 }' "$3")
    peak=$(awk 'NF == 1 && $1 ~ /^[0-9]+$/ && $1 > m { m = $1 } END { print m + 0 }' "$4")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$median" "$min" "$max" "$peak" >> "$RESULTS"
    printf '  %-28s %8.1f ms (%.1f-%.1f), %.1f MB\n' "$2" "$median" "$min" "$max" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" >&2
}

# Times `rapport ARGS...` in the current directory with no shell in between (-N), each run under
# GNU time for its peak memory. Usage: time_rapport WEEKS ROW "ALLOWED CODES" ARGS...
time_rapport() {
    local weeks=$1 row=$2 allowed=$3 n=$((++ROW_SEQ))
    shift 3
    check_once "$allowed" "$RAPPORT" "$@"
    local ignore=() cmd
    [ "$allowed" = 0 ] || ignore=(-i)
    # hyperfine -N splits the command line like a POSIX shell, so quote every word.
    cmd=$(printf '%q ' /usr/bin/time -f %M -a -o "$SCRATCH/$n.rss" "$RAPPORT" "$@")
    : > "$SCRATCH/$n.rss"
    hyperfine -N "${ignore[@]}" --style none --warmup "$WARMUP" --runs "$RUNS" \
        --command-name "$row" --export-csv "$SCRATCH/$n.csv" "$cmd" >/dev/null 2>"$SCRATCH/hyperfine.err" ||
        { cat "$SCRATCH/hyperfine.err" >&2; exit 1; }
    record_row "$weeks" "$row" "$SCRATCH/$n.csv" "$SCRATCH/$n.rss"
}
ROW_SEQ=0

# Writes the next entry file for the git baseline, run by hyperfine's --prepare before every run
# (warmup included): a copy of the template with a fresh id, G + 5 digits from a counter (valid
# Crockford base32), skipping any id the journal already has, named like rapport names it.
# The git baseline's two processes, each under GNU time like every timed rapport run.
timed() { printf '%q ' /usr/bin/time -f %M -a -o "$SCRATCH/git.rss" "$@"; }

cat > "$SCRATCH/next-entry.sh" <<'EOF'
set -eu
template=$1 person=$2 counter=$3 ids=$4
n=$(cat "$counter")
while id=$(printf 'G%05d' "$n") && n=$((n + 1)) && grep -qx "$id" "$ids"; do :; done
echo "$n" > "$counter"
sed -e "s/^id: .*/id: $id/" "$template" > "entries/2026/11/2026-11-27-one-on-one-$person-$id.md"
EOF

SIZES=()
for weeks in $ONLY_SIZES; do
    journal="$WORK/digest-$PEOPLE-$weeks"
    if [ ! -d "$journal" ]; then
        echo "making $journal ..." >&2
        "$RAPPORT" demo "$journal" --people "$PEOPLE" --weeks "$weeks" --seed 1 --end 2026-11-27 --timezone Europe/Berlin >/dev/null
    fi
    cd "$journal"
    entries=$(git ls-files entries | wc -l)
    person=$(ls people | head -1)
    person=${person%.md}
    SIZES+=("$weeks:$entries")
    echo "journal $PEOPLE people x $weeks weeks: $entries entries" >&2

    # Recording changes the journal, so it and the git baseline run in a throwaway copy.
    COPY="$WORK/record-$weeks"
    rm -rf "$COPY" && cp -a "$journal" "$COPY" && cd "$COPY"
    time_rapport "$weeks" "record 1on1" 0 1on1 "$person" --mood 3 --note "Benchmark note"

    # The template is the entry rapport just recorded, so the baseline commits the same content.
    template=$(git ls-files "entries/2026/11/*-one-on-one-$person-??????.md" | tail -1)
    cp "$template" "$SCRATCH/template.md"
    git ls-files entries | sed -n 's/.*-\([0-9A-Z]\{6\}\)\.md$/\1/p' > "$SCRATCH/ids"
    echo 0 > "$SCRATCH/counter"
    prepare=$(printf '%q ' sh "$SCRATCH/next-entry.sh" "$SCRATCH/template.md" "$person" "$SCRATCH/counter" "$SCRATCH/ids")
    gitcmd="$(timed git add entries/2026/11) && $(timed git commit -q -m baseline)"
    eval "$prepare" && check_once 0 git add entries/2026/11 && check_once 0 git commit -q -m baseline
    # Needs a shell for the &&: hyperfine's default shell, whose start-up hyperfine subtracts.
    : > "$SCRATCH/git.rss"
    hyperfine --style none --warmup "$WARMUP" --runs "$RUNS" --prepare "$prepare" \
        --command-name "git add + commit (baseline)" --export-csv "$SCRATCH/git.csv" "$gitcmd" >/dev/null 2>"$SCRATCH/hyperfine.err" ||
        { cat "$SCRATCH/hyperfine.err" >&2; exit 1; }
    record_row "$weeks" "git add + commit (baseline)" "$SCRATCH/git.csv" "$SCRATCH/git.rss"
    cd "$WORK" && rm -rf "$COPY" && COPY=

    cd "$journal"
    time_rapport "$weeks" "digest --week last" 0 digest --week last
    time_rapport "$weeks" "digest --month last" 0 digest --month last
    time_rapport "$weeks" "digest ${QUARTER[*]}" 0 digest "${QUARTER[@]}"
    time_rapport "$weeks" "list --since 2026-10-27" 0 list --since 2026-10-27
    time_rapport "$weeks" "list -n 10" 0 list -n 10
    time_rapport "$weeks" "search feedback" 0 search feedback
    time_rapport "$weeks" "prep PERSON" 0 prep "$person"
    time_rapport "$weeks" "due" "0 3" due
    time_rapport "$weeks" "check" "0 1" check
done
cd "$HERE"

# The machine, for reading the numbers later.
first_line() { "$@" 2>&1 | head -1 || true; }
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
read -r fs_source fs_type < <(df -T "$WORK" | awk 'NR == 2 { print $1, $2 }')
rota=$(lsblk -dno ROTA "$fs_source" 2>/dev/null | head -1 | tr -d ' ' || true)
case "$rota" in 0) disk="non-rotational per lsblk, " ;; 1) disk="rotational per lsblk, " ;; *) disk= ;; esac
libgit2=$(pkg-config --modversion libgit2 2>/dev/null || echo "unknown")
swift_version=$(command -v swift >/dev/null && first_line swift --version || echo "not installed")

{
    echo "# rapport performance"
    echo
    echo "$(date '+%Y-%m-%d %H:%M %Z'), \`$(first_line "$RAPPORT" --version)\` ($RAPPORT), made by \`bench/perf.sh\`."
    echo
    echo "## Machine"
    echo
    echo "- CPU: $(nproc) cores, ${cpu:-unknown model}"
    echo "- Memory: $mem"
    echo "- Kernel: $(uname -sr)"
    echo "- Journals on: ${disk}$fs_type ($fs_source)"
    echo "- $(git --version), libgit2 $libgit2"
    echo "- Swift: $swift_version"
    echo "- $(hyperfine --version)"
    echo
    echo "## Method"
    echo
    echo "Seeded demo journals, $PEOPLE people, --seed 1, ending 2026-11-27 (Europe/Berlin), with"
    echo "RAPPORT_NOW=2026-11-27T18:00:00+01:00. Each command runs in the journal's folder, is checked once"
    echo "for its exit code, then timed by hyperfine with $WARMUP warmup runs and $RUNS timed runs, with no"
    echo "shell (-N) except the git baseline, which runs in hyperfine's default shell with the shell's"
    echo "start-up subtracted. A cell is median (min–max) wall time, then peak memory: the largest maximum"
    echo "resident set size GNU time (\`/usr/bin/time -f %M\`) saw over the warmup and timed runs. Every"
    echo "timed process runs under GNU time, which adds about a millisecond; the git baseline runs two."
    echo "\`record 1on1\` and the baseline run in a copy of the journal; each baseline run adds and commits"
    echo "a new copy of the entry rapport recorded, with a fresh id. \`due\` (exit 3 when someone is"
    echo "overdue) and \`check\` (exit 1 on findings) are timed with failures ignored. PERSON is the"
    echo "first person in people/."
    echo
    printf '%s\n' "${SIZES[@]}" | awk -F'\t' -v results="$RESULTS" -v quarter="digest ${QUARTER[*]}" '
        function label(w) { return w == 10 ? "1k" : w == 104 ? "10k" : w == 1040 ? "100k" : w " weeks" }
        function cell(k,   ms, f) {
            if (!(k in median)) return "–"
            f = median[k] >= 1000 ? "%.2f s (%.2f–%.2f)" : "%.1f ms (%.1f–%.1f)"
            ms = median[k] >= 1000 ? 1000 : 1
            return sprintf(f ", %.0f MB", median[k] / ms, low[k] / ms, high[k] / ms, peak[k] / 1024)
        }
        function ratio(a, b) { return (a in median) && (b in median) ? sprintf("%.2f×", median[a] / median[b]) : "n/a (journal not timed)" }
        BEGIN {
            while ((getline line < results) > 0) {
                split(line, f, "\t"); k = f[1] SUBSEP f[2]
                median[k] = f[3]; low[k] = f[4]; high[k] = f[5]; peak[k] = f[6]
            }
        }
        { split($0, s, ":"); weeks[++n] = s[1]; count[n] = s[2] }
        END {
            rows = "record 1on1|git add + commit (baseline)|digest --week last|digest --month last|" quarter "|list --since 2026-10-27|list -n 10|search feedback|prep PERSON|due|check"
            nr = split(rows, row, "|")
            head = "| command |"; rule = "|---|"
            for (i = 1; i <= n; i++) { head = head " " label(weeks[i]) " (" count[i] " entries) |"; rule = rule "---|" }
            print head; print rule
            for (r = 1; r <= nr; r++) {
                line = "| `" row[r] "` |"
                for (i = 1; i <= n; i++) line = line " " cell(weeks[i] SUBSEP row[r]) " |"
                print line
            }
            print ""
            print "- record 100k ÷ git baseline 100k: " ratio(1040 SUBSEP "record 1on1", 1040 SUBSEP "git add + commit (baseline)")
            print "- weekly digest 100k ÷ weekly digest 10k: " ratio(1040 SUBSEP "digest --week last", 104 SUBSEP "digest --week last")
        }'
} > "$OUT"
cat "$OUT"
