#!/usr/bin/env bash
# End-to-end checks of `strata-cli generate` and `strata-cli info` on the tiny reference model:
# exit codes (0, 2 for bad input, 130 on Ctrl-C with no partial file), metadata round-trip.
# Usage: cli_generate.sh STRATA_CLI REFERENCE_DIR WORK_DIR IMAGE_TOOL
set -u
cli="$1"; ref="$2"; work="$3"; tool="$4"
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
model="$ref/tiny-sd15/model.safetensors"
tok="$ref/clip"
fails=0
check() {  # check NAME EXPECTED_RC PATTERN -- command...
  local name="$1" want="$2" pattern="$3"; shift 4
  "$@" >out.txt 2>err.txt; local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $name: exit $rc, expected $want"; cat err.txt; fails=$((fails+1)); return; fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" out.txt err.txt; then
    echo "FAIL $name: output lacks /$pattern/"; cat out.txt err.txt; fails=$((fails+1)); return
  fi
  echo "ok   $name"
}
gen=("$cli" generate -m "$model" --tokenizer "$tok" -W 64 -H 64 --steps 4)

check txt2img 0 "seed 42" -- "${gen[@]}" -p "a (red:1.2) cat" -n "blurry" -o a.png
check info-a1111 0 "Steps: 4, Sampler: Euler, Schedule type: Normal, CFG scale: 7.5, Seed: 42, Size: 64x64, Model hash: [0-9a-f]{10}" -- "$cli" info --raw a.png
check info-strata 0 "model: +model\.safetensors \[[0-9a-f]{10}\]" -- "$cli" info a.png
check batch 0 "b_1.png +seed 43" -- "${gen[@]}" -p "cat" --batch-count 2 -o b.png
check img2img 0 "3 steps" -- "${gen[@]}" -p "cat" -i a.png --strength 0.75 --sampler ddim -o c.png
check bad-size 2 "width 100 .*96 or 104" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 100 -H 64 --steps 2 -p cat -o x.png
check bad-steps 2 "steps 0" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 64 -H 64 --steps 0 -p cat -o x.png
check bad-steps-big 2 "steps 10000" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 64 -H 64 --steps 10000 -p cat -o x.png
check bad-strength 2 "strength" -- "${gen[@]}" -p "cat" -i a.png --strength 1.5 -o x.png
check bad-cfg 2 "cfg scale" -- "${gen[@]}" -p "cat" --cfg-scale nan -o x.png
check bad-weight 2 "not a number" -- "${gen[@]}" -p "(cat:1.2.3)" -o x.png
check init-size 2 "is 64x64.*128x128" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 128 -H 128 --steps 2 -p cat -i a.png -o x.png
"$cli" generate -m "$model" --tokenizer "$tok" -W 128 -H 128 --steps 2 -p cat -o big.png >/dev/null 2>&1
check mask-size 2 "mask .*is 64x64" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 128 -H 128 --steps 2 -p cat -i big.png --mask a.png -o x.png
check mask-needs-init 2 "--mask needs an init image" -- "${gen[@]}" -p cat --mask a.png -o x.png
check mask-and-map 2 "exclude each other" -- "${gen[@]}" -p cat -i a.png --mask a.png --strength-map a.png -o x.png
# No --tokenizer: a CLIP model with no tokenizer beside it uses the CLIP vocabulary shipped with Strata.
check no-tokenizer 0 "tokenizer .*bpe_simple_vocab_16e6.txt.gz \(shipped CLIP vocabulary\)" -- "$cli" generate -m "$model" -W 64 -H 64 --steps 2 -p cat -o nt.png
check tokenizer-override 0 "tokenizer $tok \(override\)" -- "$cli" generate -m "$model" --tokenizer "$tok" -W 64 -H 64 --steps 2 -p cat -o x2.png
check missing-model 2 "nope.safetensors" -- "$cli" generate -m nope.safetensors --tokenizer "$tok" -p cat -o x.png
# Without -m: the embedded default model, here pointed at the tiny model; without -W/-H: the
# model's native size, or the init image's size with -i.
check default-model 0 "seed 7" -- env STRATA_DEFAULT_MODEL="$model" "$cli" generate --tokenizer "$tok" --steps 2 -p cat --seed 7 -o d.png
check default-model-info 0 "model: +model\.safetensors" -- "$cli" info d.png
native=$("$cli" inspect "$model" | sed -n 's/^native size: *\([0-9]*\)x.*/\1/p')
check default-size 0 "Size: ${native}x${native}" -- "$cli" info --raw d.png
check init-size-default 0 "Size: 64x64" -- sh -c "'$cli' generate -m '$model' --tokenizer '$tok' --steps 2 -p cat -i a.png -o i.png >/dev/null && '$cli' info --raw i.png"
printf 'not a png' > broken.png
check corrupt-init 2 "broken.png" -- "${gen[@]}" -p cat -i broken.png -o x.png
check long-prompt 0 "seed 42" -- "${gen[@]}" -p "$(head -c 10000 /dev/zero | tr '\0' 'a')" -o long.png
check control-chars 0 "seed 42" -- "${gen[@]}" -p "$(printf 'cat\x01\x07 \xff\xfe dog')" -o ctl.png
# SD 2.x/SDXL flags: bad values are refused naming the flag; on SD 1.x the SDXL conditioning is
# accepted and ignored (not recorded), the family and prediction type are recorded.
check bad-prediction 2 "unknown --prediction 'x'; expected one of: epsilon, v" -- "${gen[@]}" -p cat --prediction x -o x.png
check bad-original-size 2 "--original-size '1024' is not two whole numbers" -- "${gen[@]}" -p cat --original-size 1024 -o x.png
check bad-crop 2 "--crop-top-left '-8x0' is not" -- "${gen[@]}" -p cat --crop-top-left=-8x0 -o x.png
check bad-aesthetic 2 "--aesthetic-score must be a finite number" -- "${gen[@]}" -p cat --aesthetic-score nan -o x.png
check bad-vae-tiling 2 "unknown --vae-tiling 'maybe'" -- "${gen[@]}" -p cat --vae-tiling maybe -o x.png
check sdxl-flags-on-sd1 0 "seed 42" -- "${gen[@]}" -p cat --vae-tiling off --prediction eps --original-size 256x256 \
  --crop-top-left 8x16 --target-size 128x128 --aesthetic-score 7 -o sd1.png
check sd1-parameters 0 "Model family: SD1, Prediction: epsilon, .*VAE tiling: off" -- sh -c "'$cli' info --raw sd1.png | grep -v 'Original size\|Aesthetic'"
check sd1-info 0 "family: +SD1" -- "$cli" info sd1.png
[ -e x.png ] && { echo "FAIL: a refused run left x.png"; fails=$((fails+1)); }

# Strength semantics end to end: mask, strength map and an RGBA init keep the left half exact.
"$tool" halves mask.png 64 64 0 255
check inpaint 0 "seed 42" -- "${gen[@]}" -p cat -i a.png --mask mask.png --strength 1 --mask-blur 0 -o inpaint.png
check inpaint-keeps-left 0 "left half equal" -- "$tool" same-left a.png inpaint.png
"$tool" halves map.png 64 64 0 128
check strength-map 0 "seed 42" -- "${gen[@]}" -p cat -i a.png --strength-map map.png --mask-blur 0 -o map_out.png
check map-keeps-left 0 "left half equal" -- "$tool" same-left a.png map_out.png
"$tool" halves rgba.png 64 64 255 0 alpha
check outpaint 0 "seed 42" -- "${gen[@]}" -p cat -i rgba.png --strength 0 --mask-blur 0 -o outpaint.png
check outpaint-keeps-opaque 0 "left half equal" -- "$tool" same-left rgba.png outpaint.png

# Projects: generate the bbox of an .ora, results become layers, unmasked pixels stay exact.
"$tool" project p.ora a.png
check project 0 "p.ora  \+2 layers" -- "$cli" generate -m "$model" --tokenizer "$tok" --steps 3 --batch-count 2 --mask-blur 0 --project p.ora
check project-layers 0 "top layer \"a cat \(43\)\", left half equal" -- "$tool" check-project p.ora a.png 2
check project-png 0 "proj.png" -- "$cli" generate -m "$model" --tokenizer "$tok" --steps 2 --mask-blur 0 --project p.ora -p "a dog" -o proj.png
check project-layers-2 0 "top layer \"a dog \(42\)\"" -- "$tool" check-project p.ora a.png 3
check project-size-flag 2 "takes size" -- "$cli" generate -m "$model" --tokenizer "$tok" --project p.ora -W 128

# Ctrl-C: exit 130 and no partial file.
"$cli" generate -m "$model" --tokenizer "$tok" -W 64 -H 64 --steps 1000 -p cat -o interrupted.png >/dev/null 2>err.txt &
pid=$!
# Interrupt once sampling is under way (loading can take seconds on a busy machine).
for _ in $(seq 1 600); do grep -q "step" err.txt 2>/dev/null && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
if [ "$rc" = 130 ] && [ ! -e interrupted.png ]; then echo "ok   ctrl-c"; else echo "FAIL ctrl-c: exit $rc"; cat err.txt; fails=$((fails+1)); fi

total=41
echo "$((total - fails)) passed, $fails failed"
[ "$fails" = 0 ]
