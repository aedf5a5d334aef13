#!/bin/sh
# Makes sure the system packages rapport builds and tests with are present: pkg-config and
# libgit2-dev (build), git and flock (tests), Chromium (the HTML digest test, headless), and
# OpenSSH's server and client (the sync tests start an sshd on 127.0.0.1), and the age CLI
# (the Age library's interoperability tests), strace (the fsync test), openssl (a TLS server
# for the https test, and the test CA), lighttpd and its TLS module (Debian ships mod_openssl
# apart, in lighttpd-mod-openssl) in front of git's http-backend (the https sync tests), setpriv
# and mount (the permission and full-disk tests). Installs them with apt-get when run as root.
set -u
missing=""
pkg-config --exists libgit2 2>/dev/null || missing="$missing libgit2-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v git >/dev/null 2>&1 || missing="$missing git"
command -v flock >/dev/null 2>&1 || missing="$missing util-linux"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
command -v ssh-agent >/dev/null 2>&1 || missing="$missing openssh-client"
command -v age >/dev/null 2>&1 || missing="$missing age"
command -v strace >/dev/null 2>&1 || missing="$missing strace"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -x /usr/sbin/lighttpd ] || missing="$missing lighttpd"
[ -e /usr/lib/lighttpd/mod_openssl.so ] || missing="$missing lighttpd-mod-openssl"
[ -x /usr/lib/git-core/git-http-backend ] || missing="$missing git"
command -v setpriv >/dev/null 2>&1 || missing="$missing util-linux"
command -v mount >/dev/null 2>&1 || missing="$missing mount"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing ca-certificates >/dev/null || {
        echo "apt-get could not install:$missing" >&2
        exit 1
    }
    exit 0
fi
echo "rapport needs:$missing" >&2
echo "Install them with: sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
