#!/usr/bin/env bash
# Three-layer erf network on He3 (examples/fcn3_he3.scale): at N1 = d, N2 = d^2 the compiler
# predicts Spec-GP (P* ~ d), the paper Spec-Mag (P* ~ d^(4/3)); at N1 = N2 = d six assignments tie
# at P* ~ d. experiments/fcn3_spec_gp_vs_mag/README.md.
# usage: bash experiments/fcn3_spec_gp_vs_mag/gpu.sh [--smoke | --pilot] [--out DIR]
source "$(dirname "$0")/../lib.sh"
parse_args "$@"
file="$repo/examples/fcn3_he3.scale"

common=(--starts prior)
case "$size" in
    smoke) wide=(--dims 4 6) tie=(--dims 4 6) ;;
    pilot)
        common+=(--seeds 4 --steps 1500 --burn-in 750 --threads 1)
        wide=(--dims 8 16 --ratios 0.5 2 4)
        tie=(--dims 8 16 --ratios 0.5 2 4) ;;
    gpu)
        common=(--seeds 8 --starts prior aligned --steps 2000 --burn-in 1000)
        wide=(--dims 16 24 32 --ratios 0.5 1 2)
        tie=(--dims 16 32 64 --ratios 0.5 2 4) ;;
esac

run_arm wide "$file" --set N1=d --set 'N2=d^2' -- "${common[@]}" "${wide[@]}"
run_arm tie "$file" --set N1=d --set N2=d -- "${common[@]}" "${tie[@]}"
verdict --question "fcn3 He3: at N1 = d, N2 = d^2 is h2 lazy (Spec-GP, the compiler) or magnetized (Spec-Mag, the paper)? What does the six-way tie at N1 = N2 = d show?" \
    wide="$out/wide" tie="$out/tie"
