"""The language server (``scalelang lsp``), driven over stdio with LSP messages as an editor does:
an opened file with an error gets that error at its line and column; once fixed the errors clear,
hovering the predict line shows the derived P* and mechanism, and a layer's name says what it is."""

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "examples" / "fcn2_he3.scale").read_text(encoding="utf-8")
BAD = GOOD.replace("width N", "width Q", 1)  # Q is no scale
URI = (ROOT / "examples" / "edited.scale").as_uri()  # never written: the editor holds the text


class Editor:
    """Just enough of an LSP client: framed JSON-RPC out, a reader thread in."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scalelang", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return
                if header.strip() == b"":
                    break
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, method, params, request=False):
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def wait(self, matches, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if matches(message):
                return message
        raise AssertionError("the server did not answer in time")

    def request(self, method, params, timeout=60):
        number = self.send(method, params, request=True)
        return self.wait(lambda m: m.get("id") == number, timeout)["result"]

    def diagnostics(self):
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert message["params"]["uri"] == URI
        return message["params"]["diagnostics"]

    def hover(self, line_text, word):
        line = GOOD.splitlines().index(line_text)
        character = line_text.index(word) + 1
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": URI}, "position": {"line": line, "character": character}},
        )
        return result["contents"]["value"] if result else None

    def close(self):
        self.request("shutdown", None)
        self.send("exit", None)
        self.process.wait(timeout=10)


@pytest.fixture()
def editor():
    client = Editor()
    yield client
    if client.process.poll() is None:
        client.process.kill()


def test_errors_while_typing_then_p_star_on_hover(editor):
    capabilities = editor.request(
        "initialize", {"processId": None, "rootUri": None, "capabilities": {}}
    )["capabilities"]
    assert capabilities["hoverProvider"]
    editor.send("initialized", {})

    editor.send(
        "textDocument/didOpen",
        {"textDocument": {"uri": URI, "languageId": "scale", "version": 1, "text": BAD}},
    )
    errors = editor.diagnostics()
    layer_line = next(i for i, line in enumerate(BAD.splitlines()) if "width Q" in line)
    placed = [e for e in errors if e["range"]["start"]["line"] == layer_line]
    assert placed and "Q" in placed[0]["message"] and placed[0]["severity"] == 1
    column = BAD.splitlines()[layer_line].index("Q")
    assert placed[0]["range"]["start"]["character"] == column

    editor.send(
        "textDocument/didChange",
        {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": GOOD}]},
    )
    assert editor.diagnostics() == []

    predict = next(line for line in GOOD.splitlines() if line.startswith("predict"))
    deadline = time.monotonic() + 120
    shown = editor.hover(predict, "predict")
    while shown is not None and "solving" in shown and time.monotonic() < deadline:
        time.sleep(0.2)
        shown = editor.hover(predict, "predict")
    from scalelang import pipeline

    expected = repr(pipeline.solve(pipeline.load("edited.scale", text=GOOD)))
    assert shown == f"```text\n{expected}\n```"  # what `scalelang solve` prints
    assert "P* ~" in shown

    layer = next(line for line in GOOD.splitlines() if line.startswith("layer"))
    name = layer.split()[1]
    assert f"layer {name}**" in editor.hover(layer, name)
    editor.close()
    assert editor.process.returncode == 0


def test_an_edit_abandons_the_running_solve():
    """The solve of an older text stops at its next progress step and leaves no answer."""
    from scalelang import lsp, pipeline

    document = lsp._Document(generation=1)
    problem = pipeline.load("edited.scale", text=GOOD)
    watch = lsp._Watch(document, 1)
    watch.stage("lowering")  # still current: nothing happens
    document.generation = 2  # the editor sent a change
    with pytest.raises(lsp._Abandoned):
        watch.step()
    lsp._solve(document, problem, 1)
    assert document.answer is None and document.failure is None
    lsp._solve(document, problem, 2)
    assert document.answer is not None and "P*" in document.answer


def test_hover_says_what_a_scale_or_readout_is():
    from scalelang import lsp, pipeline

    problem = pipeline.load("edited.scale", text=GOOD)
    layer = next(line for line in GOOD.splitlines() if line.startswith("layer"))
    width = layer.split("width")[1].split()[0]
    text = lsp.hover_text(problem, None, None, layer, layer.index(f"width {width}") + 7)
    assert text.startswith(f"**scale {width}**") and "the width of" in text
    predict = next(line for line in GOOD.splitlines() if line.startswith("predict"))
    assert "solving" in lsp.hover_text(problem, None, None, predict, 1)
    assert lsp.hover_text(problem, None, None, "# a comment", 3) is None
