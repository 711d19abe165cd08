#!/usr/bin/env bash
# One softmax attention head (examples/attention_head.scale) with L below d (L = d^(1/2): GFL,
# P* ~ d^(7/4)) and above d (L = d^(3/2): GFL, Spec and Mag tied, P* ~ d^(5/2)). The alignment
# plateaus well below 1 at these sizes, so the exponent is also fitted on the alignment
# normalized by its plateau (experiments/attention_head/README.md).
# usage: bash experiments/attention_head/gpu.sh [--smoke | --pilot] [--out DIR]
source "$(dirname "$0")/../lib.sh"
parse_args "$@"
here="$repo/experiments/attention_head"

common=(--starts prior aligned)
case "$size" in
    smoke) below=(--dims 4 6 --prefactor 4) above=(--dims 4 6 --prefactor 1) ;;
    pilot)
        common+=(--seeds 4 --steps 800 --burn-in 400 --threads 1)
        below=(--dims 4 8 --prefactor 4 --ratios 1 4 16)
        above=(--dims 4 8 --prefactor 1 --ratios 1 4 16) ;;
    gpu)
        common+=(--seeds 8 --steps 2000 --burn-in 1000)
        below=(--dims 8 12 16 --prefactor 4 --ratios 1 4 16)
        above=(--dims 8 12 16 --prefactor 1 --ratios 1 4 16) ;;
esac

run_arm below "$repo/examples/attention_head.scale" --set 'L=d^(1/2)' -- "${common[@]}" "${below[@]}"
run_arm above "$here/attention_head_any_L.scale" --set 'L=d^(3/2)' -- "${common[@]}" "${above[@]}"
verdict --plateau --question "One attention head: which mechanism do the logits show, and does the plateau-normalized alignment move with the predicted exponent, for L below d (d^(1/2)) and above (d^(3/2))?" \
    below="$out/below" above="$out/above"
