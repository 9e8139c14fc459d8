"""Benchmark of the mail feedback engine against sisimai and flufl.bounce.

Quality on the sisimai "set-of-emails" corpus (curated labels), per MTA family; our own
Russian/English corpus (kinds, contacts, phones, dates); throughput of all three parsers in the
same run; optionally (--maildir N) N messages replicated into a temporary Maildir and parsed in
one streaming pass with peak memory sampled.

    .venv/bin/python bench/mail_bench.py                 # quality + speed, ~1 minute
    .venv/bin/python bench/mail_bench.py --maildir 100000  # plus the 100k Maildir run

Peers are optional: a missing peer is reported as such, not faked.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from email import message_from_bytes
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from partnernet.engines.mailfeedback import iter_messages, parse_many, parse_message  # noqa: E402

SHARED = REPO.parent / "shared" / "bench"
PASSES = 5  # speed is the best of this many passes of each parser over the corpus
OWN_CORPUS = REPO / "tests" / "data" / "mail"

SISIMAI_SCRIPT = r"""
use strict; use warnings; use Sisimai; use JSON::PP; use Time::HiRes qw(time);
my $js = JSON::PP->new->canonical;
my @files = map { chomp; $_ } <STDIN>;
my ($dt, @out);
for my $pass (1 .. $ENV{BENCH_PASSES}) {  # best of N passes, as for the Python parsers
  my @c0 = times; @out = ();
  for my $f (@files) {
    my $v = eval { Sisimai->make($f, delivered => 1, vacation => 1) } || [];
    push @out, { file => $f, results => [ map { {
        recipient => "" . $_->recipient->address, reason => "" . $_->reason,
        status => "" . $_->deliverystatus } } @$v ] };
  }
  my @c1 = times; my $t = ($c1[0] - $c0[0]) + ($c1[1] - $c0[1]);
  $dt = $t if !defined $dt || $t < $dt;
}
print $js->encode({ seconds => $dt, version => "$Sisimai::VERSION", items => \@out });
"""


# sisimai labels a complaint that names no recipient with a made-up address; we return the
# complaint without one. Both say "a complaint, recipient not named" and are scored alike.
PLACEHOLDER_PREFIX = "undisclosed-recipient-in-headers@"
UNNAMED = "(recipient not named)"


def label_address(recipient: str | None) -> str:
    addr = (recipient or "").lower()
    return UNNAMED if addr.startswith(PLACEHOLDER_PREFIX) else addr


def family(file: str) -> str:
    name = Path(file).name
    return name.rsplit("-", 1)[0]


def load_labels(quality: str = "curated") -> list[dict]:
    rows = [json.loads(line) for line in (SHARED / "bounces" / "labels.jsonl").open()]
    return [r for r in rows if r["label_quality"] == quality]


# --- the three parsers, each returning {file: [(recipient, reason)]} ---------------------


def read_messages(f: Path) -> list[bytes]:
    """The messages of one corpus file: a file that starts with an mbox "From " line may hold
    several (sisimai reads such a path as a mailbox too, and so does `partnernet mail parse`)."""
    raw = f.read_bytes()
    if raw.startswith(b"From "):
        return [blob for _name, blob in iter_messages(f)] or [raw]
    return [raw]


Pairs = dict[str, list[tuple[str, str]]]


def _ours_pass(blobs: list[tuple[str, bytes]]) -> Pairs:
    out: Pairs = {}
    for name, raw in blobs:
        res = parse_message(raw)
        pairs = [(r.address, r.reason) for r in res.recipients]
        if res.kind == "autoreply" and res.autoreply is not None:
            pairs = [(res.autoreply.sender or "", "vacation")]
        if res.kind == "feedback" and not pairs:
            pairs = [(UNNAMED, "feedback")]  # a complaint that names no recipient
        out.setdefault(name, []).extend(pairs)
    return out


def _flufl_pass(blobs: list[tuple[str, bytes]]) -> Pairs:
    from flufl.bounce import all_failures

    out: Pairs = {}
    for name, raw in blobs:
        try:
            perm, temp = all_failures(message_from_bytes(raw))
            addrs = [
                a.decode("utf-8", "replace") if isinstance(a, bytes) else a
                for a in list(perm) + list(temp)
            ]
        except Exception:
            addrs = []
        out[name] = [(a.lower(), "") for a in addrs]
    return out


def run_python_parsers(
    files: list[Path], *, with_flufl: bool = True
) -> dict[str, tuple[Pairs, float]]:
    """partnernet and flufl.bounce, timed in alternating passes (best of PASSES each), so
    both see the same machine: on a shared machine the load moves between passes."""
    runners = {
        "partnernet": (_ours_pass, [(str(f), raw) for f in files for raw in read_messages(f)])
    }
    if with_flufl:
        try:
            import flufl.bounce  # noqa: F401
        except ImportError:
            pass
        else:
            runners["flufl.bounce"] = (_flufl_pass, [(str(f), f.read_bytes()) for f in files])
    best = {name: float("inf") for name in runners}
    results: dict[str, Pairs] = {}
    for name, (run, blobs) in runners.items():
        results[name] = run(blobs)  # warm-up: regex caches, lazily loaded name models
    for _ in range(PASSES):
        for name, (run, blobs) in runners.items():
            t0 = time.process_time()
            results[name] = run(blobs)
            best[name] = min(best[name], time.process_time() - t0)
    return {name: (results[name], best[name]) for name in runners}


def run_sisimai(files: list[Path]) -> tuple[dict[str, list[tuple[str, str]]] | None, float, str]:
    if shutil.which("perl") is None:
        return None, 0.0, ""
    try:
        proc = subprocess.run(
            ["perl", "-e", SISIMAI_SCRIPT],
            input="\n".join(map(str, files)) + "\n",
            env={**os.environ, "BENCH_PASSES": str(PASSES)},
            capture_output=True,
            text=True,
            timeout=1800,
            check=True,
        )
        data = json.loads(proc.stdout)
    except (subprocess.SubprocessError, json.JSONDecodeError, OSError):
        return None, 0.0, ""
    out = {
        item["file"]: [(r["recipient"].lower(), r["reason"]) for r in item["results"]]
        for item in data["items"]
    }
    return out, float(data["seconds"]), str(data["version"])


# --- scoring -------------------------------------------------------------------------------


_MESSAGE_TEXT: dict[str, str] = {}


def message_text(path: str) -> str:
    """The raw message and every part decoded (base64, quoted-printable), read with the
    standard library so the check below does not lean on our own parser."""
    if path not in _MESSAGE_TEXT:
        raw = Path(path).read_bytes()
        chunks = [raw.decode("utf-8", "replace")]
        for part in message_from_bytes(raw).walk():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                chunks.append(payload.decode("utf-8", "replace"))
        _MESSAGE_TEXT[path] = "\n".join(chunks)
    return _MESSAGE_TEXT[path]


def label_in_message(path: str, address: str) -> bool:
    """Whether a labelled address occurs in the message as a whole address. Some labels don't:
    a truncated address ("kijitora@exampl"), one zero fewer than the message's, a domain the
    message never names. No parser can return those, so recall is also given without them."""
    if address == UNNAMED:
        return True
    pattern = r"(?<![\w.+-])" + re.escape(address) + r"(?![\w-]|\.[\w-])"
    return re.search(pattern, message_text(path), re.I) is not None


def score(labels: list[dict], got: dict[str, list[tuple[str, str]]], with_reasons: bool) -> dict:
    per_family: dict[str, Counter] = defaultdict(Counter)
    # (family, expected reason, our reason) for stable labels we disagree with; "MISSING" when
    # the recipient was not found at all.
    confusion: Counter = Counter()
    total = Counter()
    misses: list[str] = []
    for row in labels:
        path = str(SHARED / "bounces" / row["file"])
        found = {label_address(a): r for a, r in got.get(path, [])}
        fam = family(row["file"])
        disagree = bool(row.get("reason_disagreement"))
        for res in row["results"]:
            addr = label_address(res["recipient"])
            ok_r = addr in found
            alt = {
                a["reason"]
                for alts in (row.get("alt_labels") or {}).values()
                for a in alts
                if a.get("index") == res["index"]
            }
            ok_reason = ok_r and found[addr] == res["reason"]
            in_message = label_in_message(path, addr)
            for bucket in (per_family[fam], total):
                bucket["recipients"] += 1
                bucket["found"] += ok_r
                bucket["in_message"] += in_message
                bucket["in_message_found"] += in_message and ok_r
                if disagree:
                    bucket["disputed"] += 1
                    bucket["disputed_either"] += ok_r and (found[addr] in alt | {res["reason"]})
                else:
                    bucket["agreed"] += 1
                    bucket["agreed_ok"] += ok_reason
                bucket["reason_ok"] += ok_reason
            if with_reasons and not ok_reason and not disagree:
                confusion[(fam, res["reason"], found[addr] if ok_r else "MISSING")] += 1
                misses.append(
                    f"{row['file']}: {addr} want {res['reason']} got "
                    f"{found.get(addr, '-') if ok_r else 'MISSING'}"
                )
        expected = {label_address(r["recipient"]) for r in row["results"]}
        extra = [a for a in found if a not in expected]
        total["extra"] += len(extra)
        total["returned"] += len(found)
    return {"total": total, "per_family": per_family, "misses": misses, "confusion": confusion}


def pct(a: float, b: float) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "   n/a"


def report_bounces(args: argparse.Namespace) -> None:
    labels = load_labels()
    files = [SHARED / "bounces" / r["file"] for r in labels]
    print(
        f"## Bounces: {len(labels)} curated files, "
        f"{sum(len(r['results']) for r in labels)} labelled recipients"
    )
    timed = run_python_parsers(files, with_flufl=not args.no_peers)
    ours, t_ours = timed["partnernet"]
    runs = [("partnernet", ours, t_ours, True)]
    if not args.no_peers:
        if "flufl.bounce" in timed:
            fl, t_fl = timed["flufl.bounce"]
            runs.append(("flufl.bounce", fl, t_fl, False))
        else:
            print("flufl.bounce: not installed")
        sis, t_sis, ver = run_sisimai(files)
        if sis is not None:
            runs.append((f"sisimai {ver} (Perl)", sis, t_sis, True))
        else:
            print("sisimai: not available (apt-get install libsisimai-perl)")
    print()
    print(
        "| parser | recipients found | found, labels in the message | precision | reasons (all) "
        "| reasons (stable labels) | reasons (disputed labels, either version) | msg/s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    scores = {}
    for name, got, secs, with_reasons in runs:
        s = score(labels, got, with_reasons)
        scores[name] = s
        t = s["total"]
        prec = pct(t["returned"] - t["extra"], t["returned"])
        reasons = pct(t["reason_ok"], t["recipients"]) if with_reasons else "—"
        stable = pct(t["agreed_ok"], t["agreed"]) if with_reasons else "—"
        disputed = pct(t["disputed_either"], t["disputed"]) if with_reasons else "—"
        speed = f"{len(files) / secs:,.0f}" if secs else "n/a"
        verified = pct(t["in_message_found"], t["in_message"])
        print(
            f"| {name} | {pct(t['found'], t['recipients'])} | {verified} | {prec} | {reasons} "
            f"| {stable} | {disputed} | {speed} |"
        )
    print()
    print(
        f"Timing: best of {PASSES} passes, CPU seconds of parsing only (stable on a shared "
        "machine); partnernet and flufl.bounce parse messages already in memory, in "
        "alternating passes; sisimai's CPU time is measured inside its Perl process (startup "
        "excluded) and includes reading the files."
    )
    print()
    ours_s = scores["partnernet"]
    total = ours_s["total"]
    print(
        f"{total['recipients'] - total['in_message']} labelled addresses do not occur in their "
        'message as a whole address (listed with -v); the column "labels in the message" '
        "leaves them out."
    )
    if args.verbose:
        for row in labels:
            path = str(SHARED / "bounces" / row["file"])
            for res in row["results"]:
                addr = label_address(res["recipient"])
                if not label_in_message(path, addr):
                    print(f"NOT IN MESSAGE {row['file']}: {addr}")
    print()
    print_family_table(ours_s)
    if args.verbose:
        print()
        for m in ours_s["misses"]:
            print("MISS", m)
    report_decoder_only()


def report_decoder_only() -> None:
    """A second check on files whose labels are only sisimai 5's decoder output (not curated):
    nobody reads them while writing rules, so they show whether the rules generalise."""
    labels = [r for r in load_labels("decoder-only") if (SHARED / "bounces" / r["file"]).exists()]
    if not labels:
        return
    files = [SHARED / "bounces" / r["file"] for r in labels]
    got = _ours_pass([(str(f), raw) for f in files for raw in read_messages(f)])
    t = score(labels, got, True)["total"]
    print()
    print(
        f"Second check, {len(labels)} files with decoder-only labels ({t['recipients']} "
        f"recipients): recipients found {pct(t['found'], t['recipients']).strip()}, reasons "
        f"agreeing {pct(t['reason_ok'], t['recipients']).strip()}."
    )


def print_family_table(ours_s: dict) -> None:
    """Per MTA family: recall, reason agreement and the confusion pairs (expected -> ours) on
    stable labels, largest error classes first, so work goes to the biggest ones."""
    conf: Counter = ours_s["confusion"]
    by_family: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for (fam, want, got), n in conf.items():
        by_family[fam].append((n, want, got))
    print("Per MTA family (partnernet): recipients found, reasons agreeing, and the confusion")
    print("pairs on stable labels (expected → ours ×count; MISSING = recipient not found):")
    print()
    print("| family | recipients | found | reasons | errors | confusion (expected → ours) |")
    print("|---|---|---|---|---|---|")
    fams = sorted(
        ours_s["per_family"].items(),
        key=lambda kv: (-(kv[1]["recipients"] - kv[1]["reason_ok"]), -kv[1]["recipients"]),
    )
    for fam, c in fams:
        pairs = sorted(by_family.get(fam, []), key=lambda t: (-t[0], t[1], t[2]))
        text = ", ".join(f"{w} → {g} ×{n}" for n, w, g in pairs)
        print(
            f"| {fam} | {c['recipients']} | {pct(c['found'], c['recipients'])} "
            f"| {pct(c['reason_ok'], c['recipients'])} | {c['recipients'] - c['reason_ok']} "
            f"| {text} |"
        )
    print()
    overall: Counter = Counter()
    for (_fam, want, got), n in conf.items():
        overall[(want, got)] += n
    print("Confusion classes over all families (stable labels, largest first):")
    print()
    print("| expected | ours | count |")
    print("|---|---|---|")
    for (want, got), n in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"| {want} | {got} | {n} |")


def report_own(args: argparse.Namespace) -> None:
    """The corpus written with the rules, then each held-out one (tests/data/mail/holdout*),
    written without reading them and measured once before any rule was changed for it."""
    report_corpus(
        args,
        OWN_CORPUS,
        "Own corpus: {n} messages (Russian and English auto-replies, "
        "Russian-market bounces, hard negatives)",
    )
    for held_out in sorted(OWN_CORPUS.glob("holdout*"), key=lambda d: (len(d.name), d.name)):
        print()
        report_corpus(
            args,
            held_out,
            f"Held-out corpus {held_out.name} (written without reading the rules): {{n}} messages",
        )


def report_corpus(args: argparse.Namespace, corpus: Path, title: str) -> None:
    expected_file = corpus / "expected.json"
    if not expected_file.exists():
        print(f"corpus missing: {corpus.relative_to(REPO)}")
        return
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    moved = Counter()
    kinds = Counter()
    c_tp = c_fp = c_fn = 0
    p_tp = p_fp = p_fn = 0
    dates = Counter()
    reasons = Counter()
    t_total = 0.0
    for name in expected:  # warm-up: the name models load once per process
        parse_message((corpus / name).read_bytes())
    problems = []
    for name, want in sorted(expected.items()):
        raw = (corpus / name).read_bytes()
        t0 = time.process_time()
        res = parse_message(raw)
        t_total += time.process_time() - t0
        kinds["n"] += 1
        kinds["ok"] += res.kind == want["kind"]
        if res.kind != want["kind"]:
            problems.append(f"{name}: kind {res.kind} != {want['kind']}")
        if want["kind"] == "bounce":
            got = {r.address: r.reason for r in res.recipients}
            for r in want.get("recipients", []):
                reasons["n"] += 1
                reasons["found"] += r["address"] in got
                reasons["ok"] += got.get(r["address"]) == r["reason"]
                if got.get(r["address"]) != r["reason"]:
                    problems.append(
                        f"{name}: {r['address']} {got.get(r['address'])} != {r['reason']}"
                    )
        auto = want.get("autoreply")
        if auto is None:
            continue
        ga = res.autoreply
        dates["n"] += 1
        got_until = ga.until.isoformat() if ga and ga.until else None
        dates["ok"] += got_until == auto.get("until")
        if got_until != auto.get("until"):
            problems.append(f"{name}: until {got_until} != {auto.get('until')}")
        if "new_address" in auto:
            got_new = (ga.new_address or "").lower() if ga else ""
            moved["n"] += 1
            moved["ok"] += got_new == (auto["new_address"] or "").lower()
            if got_new != (auto["new_address"] or "").lower():
                problems.append(f"{name}: new address {got_new!r} != {auto['new_address']!r}")
        dates["type_ok"] += bool(ga) and ga.type == auto["type"]
        if ga and ga.type != auto["type"]:
            problems.append(f"{name}: type {ga.type} != {auto['type']}")
        want_c = {
            ((c.get("name") or "").lower(), (c.get("email") or "").lower())
            for c in auto.get("contacts", [])
        }
        got_c = {
            ((c.name or "").lower(), (c.email or "").lower()) for c in (ga.contacts if ga else [])
        }
        c_tp += len(want_c & got_c)
        c_fp += len(got_c - want_c)
        c_fn += len(want_c - got_c)
        for x in got_c - want_c:
            problems.append(f"{name}: extra contact {x}")
        for x in want_c - got_c:
            problems.append(f"{name}: missing contact {x}")
        want_p = set(auto.get("phones", []))
        for c in auto.get("contacts", []):
            want_p |= set(c.get("phones", []))
        got_p = set(ga.phones) if ga else set()
        for c in ga.contacts if ga else []:
            got_p |= set(c.phones)
        p_tp += len(want_p & got_p)
        p_fp += len(got_p - want_p)
        p_fn += len(want_p - got_p)
        for x in got_p - want_p:
            problems.append(f"{name}: extra phone {x}")
        for x in want_p - got_p:
            problems.append(f"{name}: missing phone {x}")
    print("## " + title.format(n=kinds["n"]))
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| kind accuracy | {pct(kinds['ok'], kinds['n'])} ({kinds['ok']}/{kinds['n']}) |")
    print(
        f"| bounce reasons | {pct(reasons['ok'], reasons['n'])} ({reasons['ok']}/{reasons['n']}) |"
    )
    print(
        f"| auto-reply type | {pct(dates['type_ok'], dates['n'])} "
        f"({dates['type_ok']}/{dates['n']}) |"
    )
    print(f"| return date exact | {pct(dates['ok'], dates['n'])} ({dates['ok']}/{dates['n']}) |")
    print(
        f"| contact precision (name+e-mail exact) | {pct(c_tp, c_tp + c_fp)} "
        f"({c_tp}/{c_tp + c_fp}) |"
    )
    print(f"| contact recall | {pct(c_tp, c_tp + c_fn)} ({c_tp}/{c_tp + c_fn}) |")
    print(f"| phone precision | {pct(p_tp, p_tp + p_fp)} ({p_tp}/{p_tp + p_fp}) |")
    print(f"| phone recall | {pct(p_tp, p_tp + p_fn)} ({p_tp}/{p_tp + p_fn}) |")
    if moved["n"]:
        print(
            f"| new address (moved) | {pct(moved['ok'], moved['n'])} ({moved['ok']}/{moved['n']}) |"
        )
    print(f"| msg/s (name models already loaded) | {kinds['n'] / t_total:,.0f} |")
    if args.verbose:
        for p in problems:
            print("PROBLEM", p)


def report_kinds() -> None:
    """Kind on the shared auto-reply corpus and the hard negatives (no labels file: by folder)."""
    cases = []
    for f in sorted((SHARED / "autoreplies" / "sisimai").glob("rfc3834-*.eml")):
        cases.append((f, "autoreply"))
    for f in sorted((SHARED / "autoreplies" / "hard-negatives").glob("*.eml")):
        cases.append((f, "bounce" if f.name.startswith("lhost-") else "other"))
    for f in sorted((SHARED / "bounces" / "maildir" / "not").glob("is-not-bounce-*.eml")):
        cases.append((f, "other"))
    ok = 0
    print(f"## Kinds on the shared auto-reply corpus and hard negatives ({len(cases)} messages)")
    print()
    print("| message | expected | partnernet |")
    print("|---|---|---|")
    for f, want in cases:
        got = parse_message(f.read_bytes()).kind
        ok += got == want
        print(f"| {f.parent.name}/{f.name} | {want} | {got} |")
    print()
    print(f"Kind accuracy: {pct(ok, len(cases))} ({ok}/{len(cases)})")


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_tree_mb() -> float:
    """RSS of this process and its children (the parsing workers), in MB."""
    total = rss_mb()
    pid = os.getpid()
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    for child in children:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def report_maildir(n: int, jobs: int = 1) -> None:
    labels = load_labels()
    sources = [(SHARED / "bounces" / r["file"]).read_bytes() for r in labels]
    own = sorted(p for p in OWN_CORPUS.glob("*.eml")) if OWN_CORPUS.exists() else []
    sources += [p.read_bytes() for p in own]
    tmp = Path(tempfile.mkdtemp(prefix="mailbench-"))
    try:
        md = tmp / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (md / sub).mkdir(parents=True)
        for i in range(n):
            (md / "cur" / f"{1700000000 + i}.{i}.bench:2,S").write_bytes(sources[i % len(sources)])
        print(f"## Maildir: {n:,} messages (the corpora replicated), {jobs} process(es)")
        print()
        counts = Counter()
        samples = []
        rss0 = rss_mb()
        t0 = time.perf_counter()
        c0 = time.process_time()
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        for k, (_name, result) in enumerate(parse_many(iter_messages(md), jobs=jobs)):
            counts[result.kind] += 1
            if k % 5000 == 0:
                samples.append(rss_tree_mb())
        dt = time.perf_counter() - t0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - c0
        cpu += (children.ru_utime - children0.ru_utime) + (children.ru_stime - children0.ru_stime)
        samples.append(rss_tree_mb())
        total = sum(counts.values())
        print(
            f"- {total:,} messages in {dt:.1f} s wall ({total / dt:,.0f} msg/s) and "
            f"{cpu:.1f} s CPU ({total / cpu:,.0f} msg/s); reading the files included"
        )
        tenth = samples[max(1, len(samples) // 10)]
        half = samples[len(samples) // 2]
        print(
            f"- RSS (all processes): {rss0:.0f} MB before; {tenth:.0f} MB at 10% "
            "(name models loaded by then), "
            f"{half:.0f} MB at 50%, {samples[-1]:.0f} MB at the end (peak {max(samples):.0f} MB)"
        )
        print(f"- kinds: {dict(counts)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--maildir", type=int, default=0, help="also parse N messages from a Maildir")
    ap.add_argument("--no-peers", action="store_true", help="skip sisimai and flufl.bounce")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every disagreement")
    ap.add_argument("--only", choices=["bounces", "own", "maildir"], default=None)
    ap.add_argument("--jobs", type=int, default=1, help="parse the Maildir in N processes")
    args = ap.parse_args()
    if args.only in (None, "bounces"):
        report_bounces(args)
        print()
    if args.only in (None, "own"):
        report_own(args)
        print()
        report_kinds()
        print()
    if args.maildir or args.only == "maildir":
        report_maildir(args.maildir or 10000, args.jobs)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
