#!/usr/bin/env bash
# Makes a container engine ready for `kb record` on a Debian machine without a Docker daemon
# or registry access: buildah (and podman, debootstrap) from Debian's packages, and the base
# images the examples use, made locally and kept in a cache folder across runs:
#
#   docker.io/library/debian:bookworm        debootstrap --variant=minbase bookworm
#   docker.io/library/debian:bookworm-slim   the same without docs, man pages, locales, apt lists
#
# (scripts/swift-image.sh, run on request, adds swift:6.3-bookworm for kb's own Dockerfile.)
#
# Usage: scripts/engine-setup.sh [--check]
#   Prints, on standard output, the settings to record with (eval them, or source
#   $KB_ENGINE_CACHE/env): CONTAINERS_STORAGE_CONF, BUILDAH_ISOLATION, KB_ENGINE.
#   --check only says whether the cache is ready, installing and building nothing.
#
# Environment:
#   KB_ENGINE_CACHE     the cache folder (default /var/cache/kb-engine)
#   KB_STORAGE_DRIVER   overlay or vfs (default: overlay if this machine supports it, else vfs)
#   KB_DEBIAN_MIRROR    the Debian mirror for debootstrap (default http://deb.debian.org/debian)
#
# Exit codes: 0 ready; 1 an unexpected failure (a bug: read the message); 2 bad usage;
# 3 this machine cannot do it (no root for apt-get, no network to Debian, an engine the
# sandbox forbids): the message says which, and tests that need an engine skip.
set -euo pipefail

readonly CANNOT=3
cache=${KB_ENGINE_CACHE:-/var/cache/kb-engine}
mirror=${KB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
check_only=false

case "${1:-}" in
  "") ;;
  --check) check_only=true ;;
  -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "engine-setup: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { echo "engine-setup: $*" >&2; }
cannot() { say "cannot set up a container engine here: $*"; exit $CANNOT; }

# --- 1. packages -------------------------------------------------------------------------
missing=()
for tool in buildah:buildah podman:podman debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  $check_only && cannot "missing ${missing[*]} (run scripts/engine-setup.sh without --check)"
  if [ "$(id -u)" -ne 0 ]; then
    cannot "buildah, podman and debootstrap come from Debian's packages and installing them needs root: apt-get install ${missing[*]}"
  fi
  say "installing ${missing[*]} from Debian's packages"
  if ! apt-get update -qq >&2 ||
     ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
    cannot "apt-get could not install ${missing[*]} (no network to the Debian mirror?)"
  fi
fi
[ "$(id -u)" -eq 0 ] || cannot "buildah needs root here to build from a debootstrap root file system (rootless buildah needs subuid ranges this machine does not set up)"

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9   # one setup at a time: test processes may start it together

# --- 2. storage ---------------------------------------------------------------------------
# A storage of kb's own, so the base images survive across runs and nothing clashes with the
# machine's default storage (whose driver may differ).
probe_driver() {
  local driver=$1 conf="$cache/storage-$1.conf"
  cat >"$conf" <<EOF
[storage]
driver = "$driver"
graphroot = "$cache/storage-$driver"
runroot = "/run/kb-engine/storage-$driver"
EOF
  CONTAINERS_STORAGE_CONF=$conf buildah info >/dev/null 2>&1 || return 1
  local ctr
  ctr=$(CONTAINERS_STORAGE_CONF=$conf buildah from scratch 2>/dev/null) || return 1
  CONTAINERS_STORAGE_CONF=$conf buildah rm "$ctr" >/dev/null 2>&1 || true
}

if [ -n "${KB_STORAGE_DRIVER:-}" ]; then
  driver=$KB_STORAGE_DRIVER
  probe_driver "$driver" || cannot "buildah cannot use the $driver storage driver here"
elif [ -f "$cache/driver" ] && probe_driver "$(cat "$cache/driver")"; then
  driver=$(cat "$cache/driver")
elif probe_driver overlay; then
  driver=overlay
elif probe_driver vfs; then
  driver=vfs
else
  cannot "buildah can use neither the overlay nor the vfs storage driver: $(CONTAINERS_STORAGE_CONF=$cache/storage-vfs.conf buildah info 2>&1 | tail -1)"
fi
echo "$driver" >"$cache/driver"
export CONTAINERS_STORAGE_CONF="$cache/storage-$driver.conf"
# chroot isolation: no OCI runtime, so no cgroups or rlimits for the sandbox to refuse;
# RUN steps share the host's network (deb.debian.org is reachable from them).
export BUILDAH_ISOLATION=chroot

# --- 3. base images -----------------------------------------------------------------------
have_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# Bumped whenever the recipe below changes, so a cache made by an older one is made again.
readonly recipe=2

make_rootfs_tars() {
  local full="$cache/debian-$suite.tar" slim="$cache/debian-$suite-slim.tar"
  if [ "$(cat "$cache/recipe" 2>/dev/null)" != "$recipe" ]; then
    $check_only && cannot "the base images were made by an older scripts/engine-setup.sh (run it again)"
    rm -f "$full" "$slim" "$cache/probe-ok"
    buildah rmi --force "docker.io/library/debian:$suite" "docker.io/library/debian:$suite-slim" >/dev/null 2>&1 || true
  fi
  [ -s "$full" ] && [ -s "$slim" ] && return 0
  $check_only && cannot "the base images are not made yet (run scripts/engine-setup.sh)"
  local work="$cache/work"
  rm -rf "$work"
  mkdir -p "$work"
  say "debootstrap --variant=minbase $suite from $mirror (about 30 s, once)"
  if ! debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log" >&2
    cannot "debootstrap failed (log: $work/debootstrap.log); is $mirror reachable?"
  fi
  local r="$work/rootfs"
  # What an image should not carry from the machine that made it.
  rm -rf "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
         "$r"/var/log/*.log "$r"/var/log/apt/* "$r"/tmp/* "$r"/root/.bash_history
  rm -f "$r/etc/resolv.conf" "$r/etc/machine-id"
  : >"$r/etc/hostname"
  tar --numeric-owner --xattrs --sort=name -C "$r" -cf "$full.tmp" .
  mv "$full.tmp" "$full"

  # The slim variant, as Debian's own -slim images (debuerreotype-slimify): no docs, man pages
  # or translations, now or later. Files go, folders stay: some packages' scripts still write
  # into them (openjdk's postinst links into /usr/share/man/man1).
  local d
  for d in doc man groff info lintian linda locale; do
    [ -d "$r/usr/share/$d" ] || continue
    find "$r/usr/share/$d" ! -type d ! -path '*/usr/share/doc/*/copyright' ! -path '*/usr/share/locale/locale.alias' -delete
  done
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# As in Debian's -slim images: leave documentation and translations out of installed packages.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  tar --numeric-owner --xattrs --sort=name -C "$r" -cf "$slim.tmp" .
  mv "$slim.tmp" "$slim"
  rm -rf "$work"
  echo "$recipe" >"$cache/recipe"
}

import_image() {  # tarball name
  local tarball=$1 name=$2 ctr
  have_image "$name" && return 0
  $check_only && cannot "$name is not imported yet (run scripts/engine-setup.sh)"
  say "importing $name"
  ctr=$(buildah from scratch)
  buildah add "$ctr" "$tarball" / >/dev/null
  buildah config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.kb.base="debootstrap --variant=minbase $suite, made by scripts/engine-setup.sh" "$ctr"
  buildah commit --quiet --rm "$ctr" "$name" >/dev/null
}

make_rootfs_tars
import_image "$cache/debian-$suite.tar" "docker.io/library/debian:$suite"
import_image "$cache/debian-$suite-slim.tar" "docker.io/library/debian:$suite-slim"

# --- 4. does it build and run here? ------------------------------------------------------
if $check_only; then
  [ -f "$cache/probe-ok" ] || cannot "buildah has not been tried here yet (run scripts/engine-setup.sh)"
elif [ ! -f "$cache/probe-ok" ]; then
  probe="$cache/probe"
  rm -rf "$probe"
  mkdir -p "$probe"
  printf 'FROM debian:%s-slim\nRUN echo built > /probe\nCMD ["cat", "/probe"]\n' "$suite" >"$probe/Dockerfile"
  if ! out=$(buildah build --quiet --tag localhost/kb-engine-probe "$probe" 2>&1); then
    cannot "buildah build (storage $driver, isolation chroot) failed here: $(echo "$out" | tail -3)"
  fi
  ctr=$(buildah from localhost/kb-engine-probe)
  if ! out=$(buildah run "$ctr" -- cat /probe 2>&1) || [ "$out" != built ]; then
    buildah rm "$ctr" >/dev/null 2>&1 || true
    cannot "buildah run (isolation chroot) failed here: $(echo "$out" | tail -3)"
  fi
  buildah rm "$ctr" >/dev/null
  # podman is optional: say whether it may run containers here, and why not.
  if command -v podman >/dev/null 2>&1; then
    if out=$(podman run --rm localhost/kb-engine-probe 2>&1) && [ "$out" = built ]; then
      say "podman run works here too"
    else
      say "podman run is refused on this machine (record with buildah): $(echo "$out" | tail -1)"
    fi
  fi
  buildah rmi localhost/kb-engine-probe >/dev/null 2>&1 || true
  rm -rf "$probe"
  touch "$cache/probe-ok"
fi

cat >"$cache/env" <<EOF
export CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF
export BUILDAH_ISOLATION=chroot
export KB_ENGINE=buildah
EOF
say "ready: buildah $(buildah version --json | sed -n 's/.*"version": "\(.*\)".*/\1/p' | head -1), storage $driver in $cache, base images debian:$suite and debian:$suite-slim"
cat "$cache/env"
