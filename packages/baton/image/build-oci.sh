#!/bin/sh
# Builds baton's controller as an OCI image archive without Docker, a daemon or a registry, with
# umoci (Debian: apt-get install umoci). There is no base image to pull here, so the image is
# assembled from scratch: this machine's node binary and the shared libraries it links, plus
# baton's built dist/ and its production node_modules. Output: an OCI layout tarball that
# `skopeo copy oci-archive:...` or `podman load` accept.
#   usage: packages/baton/image/build-oci.sh [OUT.tar] [TAG]
set -eu
repo=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$repo/baton-controller.oci.tar}
tag=${2:-0.1.0}
command -v umoci >/dev/null || { echo "umoci is not installed (apt-get install umoci)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
layout="$work/layout"
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci unpack --rootless --image "$layout:$tag" "$work/bundle"
root="$work/bundle/rootfs"
node=$(command -v node)
mkdir -p "$root/usr/local/bin" "$root/app/packages/baton" "$root/tmp" "$root/etc"
cp "$node" "$root/usr/local/bin/node"
# The dynamic loader and every library node links against, at their own paths.
ldd "$node" | awk '/=> \//{print $3} /^\s*\/[^ ]+ \(/{print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
done
cp -r "$repo/packages/baton/bin" "$repo/packages/baton/dist" "$repo/packages/baton/package.json" "$root/app/packages/baton/"
# Production dependencies only (what npm would install for @baton/baton), without the workspaces' dev tools.
(cd "$repo" && npm ls --omit=dev --parseable --all -w packages/baton 2>/dev/null) | grep '/node_modules/' | while read -r dir; do
  rel=${dir#"$repo"/}; mkdir -p "$root/app/$(dirname "$rel")"; cp -r "$dir" "$root/app/$rel"
done
echo 'nonroot:x:65532:65532::/tmp:/sbin/nologin' > "$root/etc/passwd"
chmod 1777 "$root/tmp"
umoci repack --image "$layout:$tag" "$work/bundle"
umoci config --image "$layout:$tag" --config.user 65532:65532 --config.workingdir /app \
  --config.entrypoint /usr/local/bin/node --config.entrypoint /app/packages/baton/bin/baton.js --config.cmd controller \
  --config.env NODE_ENV=production --author baton
tar -C "$layout" -cf "$out" .
echo "wrote $out ($(du -h "$out" | cut -f1)), tag $tag"
