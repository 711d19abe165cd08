#!/usr/bin/env bash
# The CNN at a channel count where GFL is predicted to win (C = 1: C^3 n = 4 < d) and at one where
# specialization wins (C = sqrt(d): C^3 n = 4 d^(3/2) > d); experiments/cnn_gfl_vs_spec/README.md.
# usage: bash experiments/cnn_gfl_vs_spec/gpu.sh [--smoke | --pilot] [--out DIR]
source "$(dirname "$0")/../lib.sh"
parse_args "$@"
here="$repo/experiments/cnn_gfl_vs_spec"

common=(--starts prior)
case "$size" in
    smoke) gfl=(--dims 4 6) spec=(--dims 4 6) ;;
    pilot)
        common+=(--seeds 4 --steps 1500 --burn-in 750 --threads 1)
        gfl=(--dims 16 32 --ratios 1 4 16)
        spec=(--dims 16 32 --ratios 0.5 2 8) ;;
    gpu)
        common=(--seeds 8 --starts prior aligned --steps 2500 --burn-in 1250)
        gfl=(--dims 32 64 128 --ratios 1 4 16)
        spec=(--dims 32 64 96 --ratios 0.5 2 6) ;;
esac

run_arm gfl "$repo/examples/cnn_patches.scale" --set C=1 -- "${common[@]}" "${gfl[@]}"
run_arm spec "$here/cnn_channels.scale" --set 'C=d^(1/2)' -- "${common[@]}" "${spec[@]}"
verdict --question "CNN on patches (n = 4): GFL at C = 1, specialization at C = sqrt(d)?" \
    gfl="$out/gfl" spec="$out/spec"
