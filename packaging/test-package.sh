#!/usr/bin/env bash
# The Debian package, end to end (ctest `package_deb`): builds the .deb from a build folder, checks
# its metadata and contents, unpacks it into a temporary root (no root rights needed) and runs what
# it installed — strata-cli generates with the embedded default model found next to the installed
# binary (no -m), and with the kit's tiny SD 1.5 model and the installed CLIP vocabulary (no
# --tokenizer), and the GUI launches under xvfb with that model loaded (--screenshot).
#   packaging/test-package.sh BUILD_DIR [KEEP_DIR]   (KEEP_DIR: keep the .deb and screenshots there)
set -euo pipefail
build="$(cd "${1:?usage: test-package.sh BUILD_DIR [KEEP_DIR]}" && pwd)"
keep="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb="$(ls "$work"/pkg/strata_*.deb)"
info="$(dpkg-deb -I "$deb")"
grep -q "^ Package: strata$" <<<"$info" || fail "package name"
grep -qE "^ Depends: .*libopenblas0-pthread" <<<"$info" || fail "Depends lacks libopenblas0-pthread"
grep -qE "^ Depends: .*libqt6widgets6" <<<"$info" || fail "Depends lacks Qt (dpkg-shlibdeps)"
contents="$(dpkg-deb -c "$deb")"
for f in usr/bin/strata usr/bin/strata-cli usr/share/applications/io.strata.Strata.desktop \
         usr/share/metainfo/io.strata.Strata.metainfo.xml usr/share/icons/hicolor/scalable/apps/io.strata.Strata.svg \
         usr/share/strata/models/strata-shapes/strata-shapes.safetensors usr/share/strata/models/strata-shapes/config.json \
         usr/share/strata/models/strata-shapes/tokenizer.model usr/share/strata/models/strata-shapes/README.md \
         usr/share/strata/clip/bpe_simple_vocab_16e6.txt.gz usr/share/strata/clip/LICENSE; do
  grep -qE " \./$f\$" <<<"$contents" || fail "missing $f"
done
grep -q checkpoints <<<"$contents" && fail "training checkpoints packaged"
here="$(cd "$(dirname "$0")" && pwd)"
desktop-file-validate "$here/io.strata.Strata.desktop" || fail "desktop entry"
appstreamcli validate --no-net "$here/io.strata.Strata.metainfo.xml" || fail "AppStream metainfo"
echo "ok   package $(basename "$deb"): metadata and contents"

dpkg -x "$deb" "$work/root"
root="$work/root/usr"
mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
env -u STRATA_DEFAULT_MODEL "$root/bin/strata-cli" generate -p "a red circle on a blue background" --steps 4 \
  -o "$work/out.png" >"$work/gen.log" 2>&1 || { cat "$work/gen.log"; fail "installed strata-cli generate"; }
grep -q "embedded default model $root/share/strata/models" "$work/gen.log" || { cat "$work/gen.log"; fail "did not use the installed model"; }
"$root/bin/strata-cli" info "$work/out.png" | grep -q "strata-shapes" || fail "output metadata lacks the model"
echo "ok   installed strata-cli generated with the installed default model"
ref="$(sed -n 's/^STRATA_REFERENCE_DIR:[A-Z]*=//p' "$build/CMakeCache.txt")"
if [ -f "$ref/tiny-sd15/model.safetensors" ]; then  # a CLIP model with no tokenizer beside it
  cp "$ref/tiny-sd15/model.safetensors" "$work/sd15.safetensors"
  "$root/bin/strata-cli" generate -m "$work/sd15.safetensors" -p "a cat" -W 64 -H 64 --steps 2 -o "$work/clip.png" \
    >"$work/clip.log" 2>&1 || { cat "$work/clip.log"; fail "installed strata-cli on a CLIP model without a tokenizer"; }
  grep -q "tokenizer $root/share/strata/clip/bpe_simple_vocab_16e6.txt.gz (shipped CLIP vocabulary)" "$work/clip.log" \
    || { cat "$work/clip.log"; fail "did not use the installed CLIP vocabulary"; }
  echo "ok   installed strata-cli ran a CLIP model with the installed CLIP vocabulary"
fi

env -u STRATA_DEFAULT_MODEL QT_QPA_PLATFORM=xcb timeout 180 xvfb-run -a -s "-screen 0 1400x900x24" \
  "$root/bin/strata" --screenshot "$work/gui.png" >"$work/gui.log" 2>&1 || { cat "$work/gui.log"; fail "installed strata did not launch"; }
[ -s "$work/gui.png" ] || fail "no screenshot"
echo "ok   installed strata launched and loaded the default model (screenshot)"
if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$deb" "$work/gui.png" "$work/out.png" "$keep/"; fi
