#!/usr/bin/env python3
"""formfit lsp driven over stdio by a small JSON-RPC client (Python standard library only).

Asserts what issue 14 asks of the language server:
  1. the diagnostic of a product at its exact range, the same place `formfit check --format
     json` gives, in UTF-16 units on a line with non-ASCII text before the value;
  2. the hover on a calibre value names the rule that judged it and its verdict;
  3. completion after `category = "` lists every category of the product schema;
  4. the quick-fix for `calibre` is the edit that makes it `caliber` (and the diagnostic goes);
and that a pack in a rules folder gets its load error where `--rules` puts it, that junk
documents leave the server answering, and that it shuts down cleanly.

Usage: scripts/test-lsp.py BINARY
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

TIMEOUT = 60


def utf16_column(line, char_index):
    return len(line[:char_index].encode("utf-16-le")) // 2


def position_of(text, byte_offset):
    """The LSP position (line, UTF-16 character) of a byte offset, computed independently."""
    before = text.encode("utf-8")[:byte_offset].decode("utf-8")
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return {"line": line, "character": utf16_column(before[start:], len(before) - start)}


class Client:
    def __init__(self, binary, cwd):
        self.process = subprocess.Popen(
            [binary, "lsp", "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=cwd,
        )
        self.messages = queue.Queue()
        self.diagnostics = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.process.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def _next(self):
        message = self.messages.get(timeout=TIMEOUT)
        assert message is not None, "the server closed its output"
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
        return message

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._next()
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, f"{method}: {message['error']}"
                return message.get("result")

    def wait_diagnostics(self, uri):
        while uri not in self.diagnostics:
            self._next()
        return self.diagnostics.pop(uri)

    def open(self, path, text, language):
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
        )
        return uri, self.wait_diagnostics(uri)


def check_json(binary, path, cwd, *extra):
    run = subprocess.run(
        [binary, "check", "--no-config", "--format", "json", *extra, str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout)


def main():
    binary = os.path.abspath(sys.argv[1])
    schema = json.loads(
        (Path(__file__).resolve().parent.parent / "schemas" / "product.schema.json").read_text()
    )
    categories = schema["properties"]["product"]["properties"]["category"]["enum"]
    work = Path(tempfile.mkdtemp(prefix="formfit-lsp-"))
    client = Client(binary, work)
    client.request("initialize", {"processId": os.getpid(), "rootUri": work.as_uri(), "capabilities": {}})
    client.notify("initialized", {})

    # 1. A product with a look-alike calibre after non-ASCII text on its line.
    product = work / "carbine.toml"
    text = (
        "# Northgate SR16 — Ø 5.56×45 mm sporting carbine\n"
        'ammunition = { name = "5.56×45 mm 𝟓 sporting", caliber = ".223 Remington" }\n'
        "\n"
        "[product]\n"
        'id = "NGA-SR16-223"\n'
        'name = "Northgate SR16"\n'
        'manufacturer = "Northgate Arms"\n'
        'category = "small-arm"\n'
        'conforms_to = ["STANAG 4172"]\n'
    )
    product.write_text(text, encoding="utf-8")
    uri, diagnostics = client.open(product, text, "toml")
    [finding] = check_json(binary, product, work)["products"][0]["findings"]
    expected = {
        "start": position_of(text, finding["location"]["offset"]),
        "end": position_of(text, finding["location"]["offset"] + finding["location"]["length"]),
    }
    ours = [d for d in diagnostics if d.get("code") == finding["rule"]]
    assert len(ours) == 1, diagnostics
    assert ours[0]["range"] == expected, (ours[0]["range"], expected)
    assert ours[0]["severity"] == 1, ours[0]
    # UTF-16 units: `𝟓` is two of them (and four bytes) before the calibre.
    line = text.splitlines()[1]
    assert expected["start"]["character"] == utf16_column(line, line.index('".223'))
    assert expected["start"]["character"] != line.encode("utf-8").index(b'".223')
    assert expected["start"]["character"] != line.index('".223')
    print(f"ok 1 - the diagnostic is at {expected}, where formfit check puts it")

    # 2. Hover on the calibre value.
    inside = dict(expected["start"], character=expected["start"]["character"] + 3)
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": inside}
    )
    value = hover["contents"]["value"]
    if os.environ.get("SHOW"):
        print(value)
    assert "STANAG4172-CAL-1" in value and "failed" in value, value
    assert hover["range"] == expected, hover["range"]
    print("ok 2 - hover on the calibre names STANAG4172-CAL-1 and its verdict")

    # 3. Completion of the category.
    draft = work / "draft.toml"
    draft_text = '[product]\nid = "X"\ncategory = "'
    draft_uri, _ = client.open(draft, draft_text, "toml")
    completion = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": draft_uri}, "position": {"line": 2, "character": 12}},
    )
    items = completion["items"] if isinstance(completion, dict) else completion
    labels = [item["label"] for item in items]
    assert sorted(labels) == sorted(categories), labels
    edit = items[0]["textEdit"]
    assert edit["range"]["start"] == {"line": 2, "character": 12}, edit
    print(f"ok 3 - completion lists the {len(categories)} categories")

    # 4. The quick-fix for a misspelt key.
    typo = work / "typo.toml"
    typo_text = (
        '[product]\nid = "NGA-1"\nname = "Rifle"\nmanufacturer = "Northgate Arms"\n'
        'category = "small-arm"\n\n[ammunition]\ncalibre = "5.56×45 mm NATO"\n'
    )
    typo_uri, diagnostics = client.open(typo, typo_text, "toml")
    [unknown] = [d for d in diagnostics if "calibre" in d["message"]]
    assert unknown["range"] == {
        "start": {"line": 7, "character": 0},
        "end": {"line": 7, "character": 7},
    }, unknown["range"]
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": typo_uri},
            "range": unknown["range"],
            "context": {"diagnostics": [unknown]},
        },
    )
    [action] = [a for a in actions if a.get("kind") == "quickfix"]
    [text_edit] = action["edit"]["changes"][typo_uri]
    assert text_edit == {"range": unknown["range"], "newText": "caliber"}, text_edit
    lines = typo_text.split("\n")
    lines[7] = text_edit["newText"] + lines[7][text_edit["range"]["end"]["character"]:]
    fixed = "\n".join(lines)
    assert 'caliber = "5.56×45 mm NATO"' in fixed
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": typo_uri, "version": 2}, "contentChanges": [{"text": fixed}]},
    )
    after = client.wait_diagnostics(typo_uri)
    assert not [d for d in after if "calibre" in d["message"]], after
    print(f"ok 4 - the quick-fix '{action['title']}' turns calibre into caliber")

    # A broken pack in a rules folder: the load error where `--rules` puts it.
    rules = work / "rules"
    rules.mkdir()
    pack = rules / "local.toml"
    pack_text = (
        "formfit_pack = 1\n\n[standard]\ndesignation = \"LOCAL 1\"\ntitle = \"Local\"\n"
        "edition = \"1\"\nsource = \"here\"\nnote = \"test\"\nclassification = \"PUBLIC\"\n\n"
        "[[rule]]\nid = \"LOCAL-1\"\nclause = \"1\"\nlevel = \"must\"\npath = \"product.id\"\n"
        "message = \"m\"\nrequired = true\n"
    )
    pack.write_text(pack_text, encoding="utf-8")
    pack_uri, diagnostics = client.open(pack, pack_text, "toml")
    run = check_json(binary, product, work, "--rules", str(rules))
    located = [d["location"] for d in run["diagnostics"] if d.get("location")]
    assert located, run["diagnostics"]
    assert diagnostics, "a broken pack has diagnostics"
    lines_seen = sorted(d["range"]["start"]["line"] + 1 for d in diagnostics)
    lines_expected = sorted(l["line"] for l in located)
    assert lines_seen == lines_expected, (lines_seen, lines_expected)
    print(f"ok 5 - the broken pack's errors are on lines {lines_seen}, as --rules gives them")

    # Junk of every format: the server stays up and answers.
    junk = [
        ("junk.toml", "toml", "[product\n\x00 = = ]]]\n\"\\u{zz}\n" * 50),
        ("junk.json", "json", '{"product": {"id": [' * 200),
        ("junk.yaml", "yaml", "product: &a [*a, {" * 100 + "\t- : :\n"),
        ("junk2.toml", "toml", "\ufeff" + "𝟓×" * 1000),
    ]
    for name, language, junk_text in junk:
        junk_uri, _ = client.open(work / name, junk_text, language)
        for line, character in [(0, 0), (0, 5), (3, 99), (9999, 9999)]:
            position = {"line": line, "character": character}
            client.request("textDocument/hover", {"textDocument": {"uri": junk_uri}, "position": position})
            client.request("textDocument/completion", {"textDocument": {"uri": junk_uri}, "position": position})
    print(f"ok 6 - {len(junk)} junk documents, the server still answers")

    client.request("shutdown", None)
    client.notify("exit", None)
    code = client.process.wait(timeout=TIMEOUT)
    assert code == 0, f"exit code {code}"
    print("ok 7 - shutdown and exit: exit code 0")


if __name__ == "__main__":
    main()
