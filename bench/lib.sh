# Shared by the bench scripts: source it after setting WORK (a scratch folder) and RUNS.

# /usr/bin/time reports peak memory; install it when running as root.
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null; else echo "bench needs /usr/bin/time (apt-get install time)" >&2; exit 1; fi
fi

# "median ms (min, max), peak MB" of a command over RUNS runs: wall time from the clock in
# nanoseconds (including the fork and exec of /usr/bin/time, about a millisecond), peak RSS
# from /usr/bin/time.
measure() {
    : > "$WORK/times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        start=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$WORK/one" "$@" >/dev/null
        end=$(date +%s%N)
        echo "$(( (end - start) / 1000 )) $(cat "$WORK/one")" >> "$WORK/times"
        i=$((i + 1))
    done
    sort -n "$WORK/times" | awk '{ t[NR] = $1 / 1000; if ($2 > m) m = $2 }
        END { printf "%7.1f ms median (min %.1f, max %.1f), peak %5.1f MB", t[int((NR + 1) / 2)], t[1], t[NR], m / 1024 }'
}
