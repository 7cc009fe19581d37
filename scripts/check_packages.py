"""Opens every package of the local feed and checks what a consumer relies on.

Exactly the library and the tool are packed; each has the MIT licence expression, its readme inside, the repository
with its commit, and a symbol package whose PDBs carry SourceLink; the tool bundles the catalog and the Python peers.
Prints one line per check and exits 1 if any failed. Stdlib only.
"""
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

EXPECTED = {"XmlRpcWire", "XmlRpcWire.Client", "XmlRpcWire.Server", "XmlRpcWire.Conformance"}
TOOL = "XmlRpcWire.Conformance"

feed = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/packages")
version = re.search(r"<VersionPrefix>([^<]+)</VersionPrefix>", Path("Directory.Build.props").read_text()).group(1)
failures = 0


def check(ok, what):
    global failures
    print("  %s %s" % ("PASS" if ok else "FAIL", what))
    failures += 0 if ok else 1


packages = {p.name[: -len(".%s.nupkg" % version)]: p for p in feed.glob("*.%s.nupkg" % version)}
check(set(packages) == EXPECTED and len(list(feed.glob("*.nupkg"))) == len(EXPECTED),
      "the feed holds exactly %s (has %s)" % (sorted(EXPECTED), sorted(p.name for p in feed.glob("*.nupkg"))))

for pid, path in sorted(packages.items()):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        nuspec = ElementTree.fromstring(z.read("%s.nuspec" % pid))
    NS = {"n": nuspec.tag[1 : nuspec.tag.index("}")]}  # the nuspec schema namespace varies with the features used
    meta = nuspec.find("n:metadata", NS)
    text = lambda tag: (meta.findtext("n:" + tag, default="", namespaces=NS) or "").strip()
    licence = meta.find("n:license", NS)
    repository = meta.find("n:repository", NS)
    check(licence is not None and licence.get("type") == "expression" and licence.text == "MIT", pid + ": licence expression MIT")
    check(text("readme") in names and text("readme") != "", pid + ": readme %r inside the package" % text("readme"))
    check(all(text(t) for t in ("authors", "description", "projectUrl", "copyright", "tags")) and text("authors") != pid,
          pid + ": authors, description, project URL, copyright, tags")
    check(repository is not None and repository.get("url", "").startswith("https://") and re.fullmatch(r"[0-9a-f]{40}", repository.get("commit", "")),
          pid + ": repository URL and commit (SourceLink)")
    symbols = path.with_suffix(".snupkg")
    pdbs = []
    if symbols.exists():
        with zipfile.ZipFile(symbols) as z:
            pdbs = [z.read(n) for n in z.namelist() if n.endswith(".pdb")]
    check(pdbs and all(b'"documents":{' in pdb and b"raw.githubusercontent.com" in pdb for pdb in pdbs),
          pid + ": symbol package with SourceLink in every PDB")
    if pid == TOOL:
        root = "tools/net10.0/any/"
        check(root + "DotnetToolSettings.xml" in names and b'Name="xmlrpc-conformance"' in zipfile.ZipFile(path).read(root + "DotnetToolSettings.xml"),
              pid + ": a dotnet tool named xmlrpc-conformance")
        golden = [n for n in names if n.startswith(root + "fixtures/golden/")]
        check(root + "fixtures/case.schema.json" in names and len(golden) > 500, pid + ": bundles the catalog (%d golden files)" % len(golden))
        check(all(root + "python-peers/" + f in names for f in ("server.py", "client.py", "conformance.py")), pid + ": bundles the Python peers")
    else:
        check(any(n.startswith("lib/net10.0/") and n.endswith(".dll") for n in names), pid + ": a net10.0 library")
    if pid == "XmlRpcWire":
        check("analyzers/dotnet/cs/XmlRpc.Generators.dll" in names, pid + ": carries the source generator as an analyzer")

print("packages: %d checks failed" % failures if failures else "packages: all checks passed")
sys.exit(1 if failures else 0)
