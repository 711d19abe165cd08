# Shared by experiments/*/gpu.sh: arguments, one arm (codegen, run, fit) and the verdict.
# Each gpu.sh sets its sizes and arms, then calls these; see experiments/README.md.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python}

# usage: parse_args "$@"  ->  $size (gpu | pilot | smoke), $out (the results folder) and
# $estimate (with --estimate PILOT: no run; the GPU size's time estimated from that pilot's timings)
parse_args() {
    size=gpu
    out=""
    estimate=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --smoke) size=smoke ;;
            --pilot) size=pilot ;;
            --out) out="$2"; shift ;;
            --estimate) estimate="$2"; shift ;;
            --out=*) out="${1#--out=}" ;;
            -h|--help)
                echo "usage: bash $0 [--smoke | --pilot | --estimate PILOT_DIR] [--out DIR]"
                echo "  default: the GPU size; --pilot: the CPU pilot of the README; --smoke: seconds;"
                echo "  --estimate: the GPU size's sampling time from PILOT_DIR's CPU timings, no run"
                exit 0 ;;
            *) echo "$0: unknown argument $1" >&2; exit 2 ;;
        esac
        shift
    done
    out=${out:-$(basename "$(dirname "$0")")-${estimate:+estimate-}$size}
    mkdir -p "$out"
}

# usage: run_arm NAME FILE [--set X=Y]... -- [script flags]...
# Writes $out/NAME/{sim.py, results.jsonl, fit.md, log.txt}. A rerun resumes (the script skips
# finished batches). fit needs two d and an alignment that crosses a level; where it cannot fit,
# its message goes to fit.md and the verdict still reads the mechanisms.
run_arm() {
    local name=$1 file=$2
    shift 2
    local sets=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do sets+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    local dir="$out/$name"
    mkdir -p "$dir"
    "$python" -m scalelang codegen "$file" ${sets[@]+"${sets[@]}"} -o "$dir/sim.py" >"$dir/log.txt" 2>&1
    if [ -n "$estimate" ]; then
        "$python" "$repo/experiments/estimate_gpu.py" "$dir/sim.py" "$estimate/$name/results.jsonl" \
            -- "$@" | tee -a "$out/estimate.txt"
        return
    fi
    local extra=()
    if [ "$size" = smoke ]; then extra+=(--smoke); fi
    local started=$SECONDS
    "$python" "$dir/sim.py" ${extra[@]+"${extra[@]}"} "$@" --out "$dir/results.jsonl" --quiet >>"$dir/log.txt" 2>&1
    echo "$name: sampled in $((SECONDS - started)) s" | tee -a "$out/timing.txt"
    "$python" -m scalelang fit "$dir/results.jsonl" --boot "${BOOT:-2000}" -o "$dir/fit.md" \
        >/dev/null 2>"$dir/fit.err" || cp "$dir/fit.err" "$dir/fit.md"
}

# usage: verdict QUESTION ARM...  ->  $out/verdict.md (its first line: VERDICT: ...)
verdict() {
    if [ -n "$estimate" ]; then return; fi
    "$python" "$repo/experiments/verdict.py" --out "$out/verdict.md" "$@"
    head -n 1 "$out/verdict.md"
}
