#!/bin/bash
# Times pushing 1,000 new entries, pulling them into another clone and cloning the remote, with
# rapport and with the git CLI on the same repositories, over file:// and over ssh to an sshd on 127.0.0.1.
# Usage: bench/sync.sh path/to/rapport   (ONLY=file:rapport, file:git, ssh:rapport or ssh:git for one)
set -eu
RAPPORT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="$HERE/journals/sync"
rm -rf "$WORK" && mkdir -p "$WORK"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME/.ssh"
git config --global user.name "Bench" && git config --global user.email "bench@example.com"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# Runs a command and writes its user+sys CPU time in ms to $1: on a loaded machine that varies
# far less than the wall time, and a git push's CPU includes its pack-objects and receive-pack.
cpu() { local out=$1; shift; /usr/bin/time -o "$out.raw" -f '%U %S' "$@"; awk '{ printf "%d", ($1 + $2) * 1000 }' "$out.raw" > "$out"; }

# An sshd on a loopback port with throwaway keys, as the tests start it.
SSHD="$WORK/sshd"
mkdir -p "$SSHD" /run/sshd
ssh-keygen -q -t ed25519 -N "" -f "$SSHD/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519"
cp "$HOME/.ssh/id_ed25519.pub" "$SSHD/authorized_keys"
PORT=$(( 20000 + RANDOM % 30000 ))
cat > "$SSHD/config" <<CONFIG
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSHD/host_key
AuthorizedKeysFile $SSHD/authorized_keys
PidFile $SSHD/pid
StrictModes no
UsePAM no
PasswordAuthentication no
PermitRootLogin prohibit-password
LogLevel ERROR
CONFIG
/usr/sbin/sshd -f "$SSHD/config"
trap 'kill $(cat "$SSHD/pid") 2>/dev/null || true' EXIT
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$SSHD/host_key.pub")" > "$HOME/.ssh/known_hosts"
# ssh finds ~ through the password database, not $HOME: name the key and known_hosts.
export GIT_SSH_COMMAND="ssh -F /dev/null -p $PORT -i $HOME/.ssh/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=$HOME/.ssh/known_hosts -o BatchMode=yes"

echo "machine: $(nproc) cores, $(uname -sr), $(git --version), libgit2 $(pkg-config --modversion libgit2)"
"$RAPPORT" demo "$WORK/seed" --people 20 --weeks 52 --seed 3 --end 2026-11-27 >/dev/null
for transport in file ssh; do
    for tool in rapport git; do
        # ONLY=ssh:git runs one of the four.
        [ -n "${ONLY:-}" ] && [ "$ONLY" != "$transport:$tool" ] && continue
        remote="$WORK/$transport-$tool.git"
        git clone -q --bare "$WORK/seed" "$remote"
        if [ "$transport" = file ]; then url="file://$remote"; else url="ssh://$(whoami)@127.0.0.1:$PORT$remote"; fi
        git clone -q -b main "$remote" "$WORK/$transport-$tool-a"
        git clone -q -b main "$remote" "$WORK/$transport-$tool-b"
        for side in a b; do git -C "$WORK/$transport-$tool-$side" remote set-url origin "$url"; done
        # 1,000 new entries in one clone, one commit each, recorded by rapport for both tools.
        cd "$WORK/$transport-$tool-a"
        person=$(ls people | head -1 | sed 's/\.md$//')
        for i in $(seq 1 1000); do "$RAPPORT" kudos "$person" "Bench thanks $i." >/dev/null; done
        # rapport packs its loose objects past about 6,700: then git push reuses the pack's deltas,
        # which libgit2's packbuilder searches again, so the two cases are told apart.
        loose=$(git count-objects -v | awk '/^count:/ { print $2 }')
        start=$(date +%s%N)
        if [ $tool = rapport ]; then cpu "$WORK/push.cpu" "$RAPPORT" push >/dev/null; else cpu "$WORK/push.cpu" git push -q origin main; fi
        push=$(ms "$start")
        cd "$WORK/$transport-$tool-b"
        start=$(date +%s%N)
        if [ $tool = rapport ]; then cpu "$WORK/pull.cpu" "$RAPPORT" pull >/dev/null; else cpu "$WORK/pull.cpu" git pull -q --no-rebase origin main; fi
        pull=$(ms "$start")
        entries=$(git ls-files entries | wc -l)
        printf '%-4s %-8s push 1,000 entries (%d objects loose): %6d ms (cpu %s ms)   pull them: %6d ms (cpu %s ms)   (%d entries after)\n' \
            "$transport" "$tool" "$loose" "$push" "$(cat "$WORK/push.cpu")" "$pull" "$(cat "$WORK/pull.cpu")" "$entries"
        git fsck --strict >/dev/null 2>&1 && git -C "$remote" fsck --strict >/dev/null 2>&1 || echo "fsck FAILED"
        # Then a clone of the remote (its seed packed, the pushed entries as pushed).
        cd "$WORK"
        start=$(date +%s%N)
        if [ $tool = rapport ]; then cpu "$WORK/clone.cpu" "$RAPPORT" clone "$url" "$WORK/$transport-$tool-c" >/dev/null 2>&1
        else cpu "$WORK/clone.cpu" git clone -q "$url" "$WORK/$transport-$tool-c"; fi
        printf '%-4s %-8s clone of %d entries: %6d ms (cpu %s ms)\n' "$transport" "$tool" "$entries" "$(ms "$start")" "$(cat "$WORK/clone.cpu")"
        git -C "$WORK/$transport-$tool-c" fsck --strict >/dev/null 2>&1 || echo "fsck FAILED"
    done
done
