#!/usr/bin/env bash
# Makes a local stand-in for the official swift:6.3-bookworm image, for building kb's own
# Dockerfile (Examples/swift-static-stdlib-slim) on a machine without registry access. Opt-in:
# it copies the host's Swift toolchain (3.3 GB) into kb's buildah storage (a 4.5 GB image, about
# three minutes on 2 cores), so nothing runs it by default.
#
#   docker.io/library/swift:6.3-bookworm
#     FROM the local debian:bookworm (scripts/engine-setup.sh makes it with debootstrap)
#     + the packages the official swift:bookworm image installs (swift-docker 6.2/debian/12)
#     + the host's toolchain, /opt/swift/usr copied to /usr (where the official image has it)
#     + the host's mirror of the Swift packages, /opt/swift-packages, with a system git config
#       url./opt/swift-packages/.insteadof=https://github.com/ (RUN steps here cannot reach
#       GitHub; that is how this host's git resolves the URLs of Package.swift too)
#
# Usage: scripts/swift-image.sh [--check]
#   Runs scripts/engine-setup.sh first (which prints the settings to record with), then makes
#   the image unless an image made by the same recipe, toolchain and mirror is there already.
#   --check only says whether the image is there and up to date (exit 0) or not (exit 3).
#
# Environment:
#   KB_ENGINE_CACHE     the cache folder of scripts/engine-setup.sh (default /var/cache/kb-engine)
#   KB_SWIFT_TOOLCHAIN  the toolchain's usr folder (default /opt/swift/usr)
#   KB_SWIFT_PACKAGES   the package mirror (default /opt/swift-packages)
#
# Exit codes: as scripts/engine-setup.sh: 0 ready; 1 an unexpected failure; 2 bad usage;
# 3 this machine cannot do it (no engine, no toolchain, no mirror), the message says which.
set -euo pipefail

readonly CANNOT=3
here=$(cd "$(dirname "$0")" && pwd)
cache=${KB_ENGINE_CACHE:-/var/cache/kb-engine}
toolchain=${KB_SWIFT_TOOLCHAIN:-/opt/swift/usr}
packages=${KB_SWIFT_PACKAGES:-/opt/swift-packages}
readonly image=docker.io/library/swift:6.3-bookworm
readonly base=docker.io/library/debian:bookworm
readonly work=kb-swift-image-work
# Bumped whenever the recipe below changes, so an image made by an older one is made again.
readonly recipe=1
# What swiftlang/swift-docker's 6.2/debian/12/Dockerfile installs, recommends included.
readonly apt_packages="binutils libicu-dev libcurl4-openssl-dev libedit-dev libsqlite3-dev libncurses-dev libpython3-dev libxml2-dev pkg-config uuid-dev tzdata git gcc libstdc++-12-dev"
check_only=false

case "${1:-}" in
  "") ;;
  --check) check_only=true ;;
  -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "swift-image: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { echo "swift-image: $*" >&2; }
cannot() { say "cannot make $image here: $*"; exit $CANNOT; }

[ -x "$toolchain/bin/swift" ] || cannot "no Swift toolchain at $toolchain (set KB_SWIFT_TOOLCHAIN to its usr folder)"
[ -d "$packages" ] || cannot "no Swift package mirror at $packages (set KB_SWIFT_PACKAGES)"

# buildah, its storage and the local debian images; the settings go to standard output.
if $check_only; then
  settings=$("$here/engine-setup.sh" --check) || exit
else
  settings=$("$here/engine-setup.sh") || exit
fi
eval "$settings"

# The image's identity: the recipe, the toolchain's version and the mirror's refs. The same
# identity means the same image, so a second run does nothing.
swift_version=$("$toolchain/bin/swift" --version 2>/dev/null | head -1)
mirror_refs=$(cd "$packages" && find . \( -name packed-refs -o -path '*/refs/*' \) -type f -printf '%p %s %T@\n' | LC_ALL=C sort | sha256sum | cut -c1-16)
fingerprint="recipe $recipe; $swift_version; mirror $mirror_refs; apt: $apt_packages"

current() {
  buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.kb.fingerprint"}}' "$image" 2>/dev/null || true
}

if [ "$(current)" = "$fingerprint" ]; then
  say "ready: $image ($swift_version) is up to date"
  echo "$settings"
  exit 0
fi
$check_only && cannot "$image is missing or was made from another toolchain, mirror or recipe (run scripts/swift-image.sh)"

mkdir -p "$cache"
exec 9>"$cache/swift-image.lock"
flock 9   # one maker at a time
# kb record removes, when it ends, the working containers that appeared while it ran: hold
# its lock, so no recording runs (and sweeps ours) while the image is being made.
exec 8>"${TMPDIR:-/tmp}/kb-record.lock"
if ! flock -n 8; then
  say "waiting for a kb record that is running to finish"
  flock 8
fi
if [ "$(current)" = "$fingerprint" ]; then   # made while we waited
  echo "$settings"
  exit 0
fi

started=$(date +%s)
buildah rm "$work" >/dev/null 2>&1 || true   # left by a run that was killed
ctr=$(buildah from --quiet --name "$work" "$base")
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT

say "installing the official image's packages from Debian (a few minutes)"
buildah run "$ctr" -- sh -c "export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
  && apt-get -q update && apt-get -q install -y $apt_packages && rm -rf /var/lib/apt/lists/*" >&2

say "copying the toolchain $toolchain to /usr ($(du -sh "$toolchain" | cut -f1))"
buildah copy --quiet "$ctr" "$toolchain" /usr >/dev/null
buildah run "$ctr" -- chmod -R o+r /usr/lib/swift

say "copying the package mirror $packages ($(du -sh "$packages" | cut -f1))"
buildah copy --quiet "$ctr" "$packages" /opt/swift-packages >/dev/null
for from in https://github.com/ git@github.com: ssh://git@github.com/; do
  buildah run "$ctr" -- git config --system --add url./opt/swift-packages/.insteadOf "$from"
done

# The compiler and the package manager must start here: every library they load is in the
# image. (Not lldb: a toolchain built for another distribution may want another libpython,
# and `swift build` does not need a debugger.)
if ! out=$(buildah run "$ctr" -- swift --version 2>&1); then
  cannot "the toolchain does not run in the image: $out"
fi
missing=$(buildah run "$ctr" -- sh -c 'ldd /usr/bin/swift-frontend /usr/bin/swift-build /usr/bin/swift-driver /usr/bin/clang 2>&1 | grep "not found" || true')
[ -z "$missing" ] || cannot "the toolchain needs libraries the image lacks: $missing"

buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --cmd bash \
  --label org.kb.base="a local stand-in for swift:6.3-bookworm, made by scripts/swift-image.sh: the local debian:bookworm (debootstrap), the packages of swiftlang/swift-docker 6.2/debian/12, the host's toolchain in /usr and its Swift package mirror in /opt/swift-packages (git: url./opt/swift-packages/.insteadOf=https://github.com/)" \
  --label org.kb.swift-version="$swift_version" \
  --label org.kb.fingerprint="$fingerprint" \
  "$ctr"
say "committing $image (a few minutes: the layer is written and hashed)"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
trap - EXIT
say "ready: $image ($swift_version), $(buildah images --format '{{.Size}}' "$image" | head -1), made in $(( $(date +%s) - started )) s"
echo "$settings"
