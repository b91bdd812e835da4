"""Bad input end to end: every bad file gets one warning line naming it, nobody sees a traceback, the rest
of the corpus still builds, and the exit code is non-zero only when nothing was built or with --strict.

The small bad files are committed in tests/data/bad/ (origin in tests/data/README.md); the big and odd
ones (a 50 MB one-line file, a 10,000-character programme name, a duplicate, symbolic-link loops, a
broken link, a named pipe, an unreadable file) are made here, in pytest's temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, DATA, ROOT

from kg.cli import main
from kg.errors import IngestError
from kg.ingest.source import MAX_CHARS, read_source
from kg.run import discover_files

pytestmark = pytest.mark.slow

BAD = DATA / "bad"

#: committed files that cannot be built -> the problem their warning line must state
FAILING = {
    "empty.txt": "the file is empty",
    "blank.txt": "the file is empty",
    "image.png": "unsupported file type .png",
    "image.txt": "looks like a binary file, not text",
    "random.txt": "looks like a binary file, not text",
    "notes.doc": "unsupported file type .doc",
    "report.pdf": "cannot read as PDF",
    "invalid_utf8.txt": "invalid UTF-8 byte 0xff at byte 264, line 6",
}
#: committed files that are odd but fine -> (jurisdiction, encoding, measures)
BUILT = {
    "gbk.txt": ("贵州省", "gb18030", 3),
    "gb18030.txt": ("湖南省", "gb18030", 3),
    "utf16le.txt": ("湖北省", "utf-16", 3),
    "utf16be.txt": ("广东省", "utf-16", 3),
    "utf8bom.txt": ("江苏省", "utf-8-sig", 3),
    "scripts.html": ("福建省", "utf-8", 3),
    "no_measures.txt": ("安徽省", "utf-8", 0),
    "labels.txt": ("江西省", "utf-8", 3),
}
#: generated at test time (see make_generated) -> the problem their warning line must state
GENERATED_FAILING = {
    "huge.txt": "too large (52,428,800 bytes",
    "copy_of_000.txt": "same content as",
    "dangling.txt": "broken symbolic link to",
    "selfloop.txt": "broken symbolic link to selfloop.txt",
    "pipe.txt": "not a regular file (a named pipe)",
    "sub/loop": "directory visited twice (symlink loop)",
}
LONG_NAME = "安康" * 5000  # a 10,000-character programme name
LABELS_TITLE = "江西省总工会关于开展“<script>window.__xss=1</script>”和“引号\"双'单\\反斜杠\u202e反转\u200f”行动的通知"


def test_committed_bad_files_are_what_the_readme_says():
    names = {p.name for p in BAD.iterdir() if not p.name.startswith(".")}  # .gitattributes: -text
    assert names == set(FAILING) | set(BUILT)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`bad/{name}`" in readme, name
    assert (BAD / "empty.txt").stat().st_size == 0
    assert (BAD / "image.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (BAD / "image.txt").read_bytes() == (BAD / "image.png").read_bytes()
    for name, encoding in (("gbk.txt", "gbk"), ("gb18030.txt", "gb18030")):
        data = (BAD / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert data.decode(encoding).startswith(BUILT[name][0])
    assert "䶮" in (BAD / "gb18030.txt").read_bytes().decode("gb18030")  # not in GBK: four bytes in GB18030
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    assert (BAD / "utf16le.txt").read_bytes()[:2] == b"\xff\xfe"
    assert (BAD / "utf16be.txt").read_bytes()[:2] == b"\xfe\xff"
    assert (BAD / "utf8bom.txt").read_bytes()[:3] == b"\xef\xbb\xbf"


def make_generated(folder: Path) -> None:
    """The files too big or too odd to commit."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CORPUS / "000_ca660b9881810a2f.txt", folder / "copy_of_000.txt")
    line = "四川省总工会开展安康杯竞赛，覆盖职工100万人次；".encode()
    with open(folder / "huge.txt", "wb") as fh:  # 50 MB on a single line, no newline at all
        size = 50 * 2**20
        fh.write(line * (size // len(line)) + b"x" * (size % len(line)))
    (folder / "long_name.txt").write_text(
        f"贵州省总工会关于开展“{LONG_NAME}”活动的通知\n\n各市（州）总工会：\n"
        f"（一）开展“{LONG_NAME}”工程。全省各级工会深入开展“{LONG_NAME}”工程，完成培训300场。\n"
        "（二）推进安康杯竞赛。覆盖职工10万人次。\n",
        encoding="utf-8",
    )
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "no-such-file.txt")
    (folder / "selfloop.txt").symlink_to("selfloop.txt")
    os.mkfifo(folder / "pipe.txt")


def bad_corpus(tmp_path: Path) -> Path:
    """The five good documents, the committed bad files and the generated ones, in one folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in (*FAILING, *BUILT):
        shutil.copyfile(BAD / name, corpus / name)
    make_generated(corpus)
    return corpus


def warning_lines(stderr: str, name: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if re.search(rf"[/\\]{re.escape(name)}(?=[:;, ]|$)", ln)]


def run_kg(*args: str, seed: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed} if seed else None
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow
def test_build_of_a_corpus_with_bad_files(tmp_path):
    import pyoxigraph
    from rdflib import RDF, Dataset, Graph, Literal

    from kg.namespaces import UKG

    corpus = bad_corpus(tmp_path)
    out = tmp_path / "out"
    result = run_kg("build", str(corpus), "--out", str(out), "--turtle", seed="1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr + result.stdout
    problems = {**FAILING, **GENERATED_FAILING}
    for name, problem in problems.items():
        lines = [ln for ln in warning_lines(result.stderr, name) if problem in ln]
        assert len(lines) == 1, f"{name}: {warning_lines(result.stderr, name)}"
        assert lines[0].startswith("warning: "), lines[0]
    for name in (*BUILT, "long_name.txt"):
        assert not [ln for ln in warning_lines(result.stderr, name) if ln.startswith("warning")], name
    built = 5 + len(BUILT) + 1  # the good ones, the odd-but-good ones and the 10,000-character name
    assert f"Built {out}/ : {built} documents" in result.stdout

    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    docs = set(ds.subjects(RDF.type, UKG.PolicyDocument))
    assert len(docs) == built
    assert not [d for d in docs if "copy_of_000" in str(d)]  # the duplicate is built once, as the first name
    assert [d for d in docs if str(d).endswith("/doc/000_ca660b9881810a2f")]
    assert LABELS_TITLE in {str(o) for o in ds.objects() if isinstance(o, Literal)}
    records = [json.loads(line) for line in (out / "extract.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == built
    places = {Path(r["source"]).name: r["jurisdiction"]["label"] for r in records}
    for name, (jurisdiction, _, _) in BUILT.items():
        assert places[name] == jurisdiction, name
    assert {places[p.name] for p in CORPUS.glob("*.txt")} == {"四川省", "重庆市", "陕西省", "云南省"}

    # labels with markup, quotes, backslashes, newlines and RTL marks come out intact and escaped
    ttl = (out / "graph.ttl").read_bytes()
    graph = Graph().parse(data=ttl.decode("utf-8"), format="turtle")
    assert LABELS_TITLE in {str(o) for o in graph.objects() if isinstance(o, Literal)}
    assert LONG_NAME in "".join(str(o) for o in graph.objects())
    theirs = list(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE))
    assert len({str(q) for q in theirs}) == len(graph)
    assert any(q.object.value == LABELS_TITLE for q in theirs if isinstance(q.object, pyoxigraph.Literal))
    raw = ttl.decode("utf-8")
    assert LABELS_TITLE not in raw  # its quote and backslash are escaped in the Turtle text
    assert LABELS_TITLE.replace("\\", "\\\\").replace('"', '\\"') in raw

    # --strict: the same corpus is a failure; a corpus of only bad files fails without --strict
    # and, from scratch under another hash seed, byte for byte the same graph
    again = tmp_path / "again"
    strict = run_kg("build", str(corpus), "--out", str(again), "--strict", "--turtle", seed="2")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    for name in ("graph.trig", "graph.ttl", "extract.jsonl"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name

    from reliability_doc import markdown_table, write_section

    rows = []
    for name, problem in sorted(problems.items()):
        (line,) = [ln for ln in warning_lines(result.stderr, name) if problem in ln]
        rows.append([f"`{name}`", "not built: `" + line.replace(f"{corpus}/", "").replace(str(corpus), ".") + "`"])
    for name, (jurisdiction, encoding, measures) in sorted(BUILT.items()):
        rows.append([f"`{name}`", f"built: {jurisdiction}, read as {encoding}, {measures} measures, no warning"])
    rows.append(["`long_name.txt` (a 10,000-character programme name)", "built, no warning"])
    write_section(
        "bad-input",
        f"The five demo documents and {len(rows)} bad or odd files in one corpus, built with `kg build` "
        f"(tests/test_bad_input.py): exit 0, {built} documents, one warning line per file that cannot be built, "
        "no traceback; with `--strict` exit 1; from scratch under another hash seed the same bytes.\n\n"
        + markdown_table(["file", "what held"], rows),
    )


def test_build_of_nothing_but_bad_files_fails_with_one_line_each(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FAILING:
        shutil.copyfile(BAD / name, corpus / name)
    make_generated(corpus)
    (corpus / "copy_of_000.txt").unlink()
    (corpus / "long_name.txt").unlink()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--jobs", "1", "--store", "memory"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "no document could be built" in result.stderr
    for name, problem in {**FAILING, **GENERATED_FAILING}.items():
        if name != "copy_of_000.txt":
            assert any(problem in ln for ln in warning_lines(result.stderr, name)), name
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(FAILING))
def test_extract_of_each_failing_file_alone(name):
    result = CliRunner().invoke(main, ["extract", str(BAD / name)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(r"warning: \[E1\d\d\] ", lines[0]), lines
    assert str(BAD / name) in lines[0] and FAILING[name] in lines[0]


@pytest.mark.parametrize("name", sorted(BUILT))
def test_extract_of_each_odd_but_good_file_alone(name):
    result = CliRunner().invoke(main, ["extract", str(BAD / name)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rec = json.loads(result.stdout)
    jurisdiction, encoding, measures = BUILT[name]
    assert rec["jurisdiction"]["label"] == jurisdiction
    assert rec["encoding"] == encoding
    assert len(rec["measures"]) == measures
    assert rec["kind"] == ("measures" if measures else "report")
    text = read_source(BAD / name).text
    for item in rec["mentions"] + rec["quantities"]:
        assert text[item["start"] : item["end"]] == item["text"]
    if name != "scripts.html":
        assert rec["title"].startswith(jurisdiction + "总工会关于")
    else:
        assert not re.search(r"脚本文字|样式文字|无脚本|__xss|margin|color", text)
    if name == "labels.txt":
        assert rec["title"] == LABELS_TITLE
        assert any(m["text"] == "跨行\n换行" and m["label"] == "跨行换行" for m in rec["mentions"])


def test_extract_of_generated_odd_files(tmp_path):
    make_generated(tmp_path)
    runner = CliRunner()
    for name, problem in GENERATED_FAILING.items():
        if name in ("copy_of_000.txt", "sub/loop"):
            continue
        result = runner.invoke(main, ["extract", str(tmp_path / name)])  # a pipe must not block
        assert result.exit_code == 1, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{tmp_path / name}: " in lines[0] and problem in lines[0], lines
    result = runner.invoke(main, ["extract", str(tmp_path / "long_name.txt")])
    assert result.exit_code == 0 and result.stderr == ""
    rec = json.loads(result.stdout)
    text = (tmp_path / "long_name.txt").read_text(encoding="utf-8")
    assert [len(m["title"]) <= 60 for m in rec["measures"]] == [True, True]  # titles are cut, never the text
    assert LONG_NAME in text[rec["measures"][0]["start"] : rec["measures"][0]["end"]]
    assert rec["jurisdiction"]["label"] == "贵州省"
    result = runner.invoke(main, ["extract", str(tmp_path / "sub" / "loop")])  # a folder
    assert result.exit_code == 1 and "not a regular file (a folder)" in result.stderr


def test_text_over_the_character_limit_is_refused_by_name(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("安" * (MAX_CHARS + 1), encoding="utf-8")  # 3 MB: under the byte limit, over the characters
    with pytest.raises(IngestError, match=r"long\.txt: too large \(1,000,001 characters; the limit is 1,000,000"):
        read_source(path)
    with pytest.raises(IngestError, match=r"too large \(52,428,800 bytes"):
        read_source(tmp_path / "given.txt", b"a" * 50 * 2**20)  # bytes handed over by a batch worker


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    """chmod 000 does not stop root, so when the tests run as root the read itself is made to fail."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(BAD / "gbk.txt", corpus / "good.txt")
    locked = corpus / "locked.txt"
    shutil.copyfile(BAD / "utf8bom.txt", locked)
    locked.chmod(0)
    if os.geteuid() == 0:
        real = Path.read_bytes

        def read_bytes(self):
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    try:
        with pytest.raises(IngestError, match=r"locked\.txt: cannot read the file \(Permission denied\)"):
            read_source(locked)
        result = CliRunner().invoke(
            main, ["build", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1", "--store", "memory"]
        )
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 0, result.output
    assert [ln for ln in warning_lines(result.stderr, "locked.txt") if "Permission denied" in ln]
    assert "1 documents" in result.stdout


def test_discover_files_names_every_entry_it_passes_over(tmp_path):
    make_generated(tmp_path)
    (tmp_path / "notes.doc").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("x", encoding="utf-8")
    closed.chmod(0)
    try:
        files, notes = discover_files(tmp_path)
    finally:
        closed.chmod(0o755)
    expected = ["copy_of_000.txt", "huge.txt", "long_name.txt"]
    assert [f.name for f in files] == (["inside.txt", *expected] if os.geteuid() == 0 else expected)
    text = "\n".join(notes)
    for name, problem in GENERATED_FAILING.items():
        if name not in ("copy_of_000.txt", "huge.txt"):
            assert len([n for n in notes if n.startswith(f"{tmp_path / name}: ") and problem in n]) == 1, (name, text)
    assert any("notes.doc: unsupported file type .doc" in n for n in notes)
    assert ".hidden" not in text
    if os.geteuid() != 0:
        assert f"{closed}: cannot read the folder (Permission denied); skipped" in notes
    assert all("\n" not in n for n in notes)


def test_a_long_title_is_not_glued_to_the_line_after_it():
    """A title of 40+ characters without commas ends with the kind of document; it is not half a sentence."""
    from kg.pipeline.structure import analyse_structure
    from kg.text.normalize import normalize
    from kg.vocab.ontology import load_vocabulary

    title = "四川省总工会关于深入开展新时代职工思想政治引领工作推动全省工会工作高质量发展的实施意见"
    assert len(title) >= 40
    original = (
        f"{title}\n\n各市（州）总工会：\n（一）开展安康杯竞赛。覆盖职工10万人次。\n（二）推进五小活动。完成300场。\n"
    )
    norm = normalize(original, title_words=load_vocabulary().title_end_words)  # as the pipeline normalises
    assert norm.text.startswith(f"{title}\n\n各市")
    assert analyse_structure(norm.text).title == title
    # a sentence cut at the same length is still joined
    cut = "全省各级工会要深入开展新时代职工思想政治引领工作，推动全省工会工作高质量发展的实施"
    assert normalize(f"{cut}\n意见落实落地。\n").text.startswith(normalize(cut).text + "意见落实")


def test_the_same_document_in_another_encoding_is_built_once(tmp_path):
    from kg.run import run_build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = CORPUS / "000_ca660b9881810a2f.txt"
    text = original.read_text(encoding="utf-8")
    shutil.copyfile(original, corpus / "a.txt")
    (corpus / "b_utf16.txt").write_bytes(text.encode("utf-16"))
    (corpus / "c_gb18030.txt").write_bytes(text.encode("gb18030"))
    report = run_build(corpus, tmp_path / "out", store="memory", jobs=1)
    assert report.documents == 1
    dupes = [p for p in report.problems if "same content as" in p]
    assert len(dupes) == 2 and all(str(corpus / "a.txt") in p for p in dupes)


def test_an_internal_error_on_one_document_is_one_line_and_the_rest_builds(tmp_path, monkeypatch):
    import kg.graph.build
    from kg.run import run_build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_ca660b9881810a2f.txt", "001_1060be61fbd7f376.txt"):
        shutil.copyfile(CORPUS / name, corpus / name)
    real = kg.graph.build.document_graph

    def broken(rec, **kwargs):
        if rec.source.endswith("001_1060be61fbd7f376.txt"):
            raise ValueError("boom\nsecond line")
        return real(rec, **kwargs)

    monkeypatch.setattr(kg.graph.build, "document_graph", broken)
    report = run_build(corpus, tmp_path / "out", store="memory", jobs=1)
    assert report.documents == 1
    (problem,) = [p for p in report.problems if "internal error" in p]
    assert "001_1060be61fbd7f376.txt" in problem and "ValueError: boom second line" in problem and "\n" not in problem
