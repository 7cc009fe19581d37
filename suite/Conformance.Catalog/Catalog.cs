using System.Text;
using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>The case catalog (fixtures/cases/*.json), its golden files and known issues.</summary>
/// <remarks>There is exactly one list of cases: this one. Tests, peers and the report all read it.</remarks>
public sealed class Catalog
{
    private Catalog(string fixturesDirectory, IReadOnlyList<CatalogCase> all, KnownIssues knownIssues)
    {
        FixturesDirectory = fixturesDirectory;
        AllCases = all;
        Cases = [.. all.Where(c => c.Retired is null)];
        KnownIssues = knownIssues;
        ServiceMethods = all.FirstOrDefault(c => c.Id == ServiceListCaseId)?.Expect.Result is { Kind: XmlRpcValueKind.Array } list
            ? list.AsArray().Select(m => m.AsString()).ToHashSet(StringComparer.Ordinal)
            : throw new FormatException($"{ServiceListCaseId} must expect the list of the conformance service's methods");
    }

    /// <summary>The fixtures/ folder.</summary>
    public string FixturesDirectory { get; }

    /// <summary>Every case, retired ones included, in file order (files in ordinal name order).</summary>
    public IReadOnlyList<CatalogCase> AllCases { get; }

    /// <summary>The cases that are not retired.</summary>
    public IReadOnlyList<CatalogCase> Cases { get; }

    /// <summary>fixtures/known-issues.json.</summary>
    public KnownIssues KnownIssues { get; }

    /// <summary>
    /// The methods of the conformance service, as the catalog itself lists them (the expected result of
    /// <see cref="ServiceListCaseId"/>). A method a case calls that is not one of these (<c>nope</c>, <c>a&lt;b&amp;c</c>) is
    /// meant to be unknown; every one that is, is required of a server for the case to run.
    /// </summary>
    public IReadOnlySet<string> ServiceMethods { get; }

    /// <summary>
    /// The methods a server must have to run <paramref name="testCase"/>: those it calls that the service defines, before
    /// <c>describe</c> (whose absence is judged after the echo it follows).
    /// </summary>
    public IReadOnlyList<string> RequiredMethods(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return [.. testCase.CalledMethods.Where(m => m != "describe" && ServiceMethods.Contains(m))];
    }

    /// <summary>The case whose expected result lists the conformance service's methods.</summary>
    public const string ServiceListCaseId = "introspection.list-methods";

    /// <summary>The golden file kinds make_fixtures.py writes.</summary>
    public static IReadOnlyList<string> GoldenSuffixes { get; } = [".request.xml", ".response.xml", ".cpython.json"];

    /// <summary>Loads fixtures/ found by <see cref="FixturesLocator.Find"/>.</summary>
    public static Catalog Load() => Load(FixturesLocator.Find());

    /// <summary>Loads every <c>cases/*.json</c> under <paramref name="fixturesDirectory"/> and <c>known-issues.json</c>.</summary>
    /// <exception cref="FormatException">A case cannot be read (the schema lint says why in detail).</exception>
    public static Catalog Load(string fixturesDirectory)
    {
        ArgumentNullException.ThrowIfNull(fixturesDirectory);
        fixturesDirectory = Path.GetFullPath(fixturesDirectory);
        var cases = new List<CatalogCase>();
        foreach (var file in Directory.GetFiles(Path.Combine(fixturesDirectory, "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = doc.RootElement.Clone();
            var area = root.GetProperty("area").GetString()!;
            foreach (var c in root.GetProperty("cases").EnumerateArray())
            {
                try
                {
                    cases.Add(ReadCase(area, c, fixturesDirectory));
                }
                catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or JsonException)
                {
                    var id = c.TryGetProperty("id", out var idElement) ? idElement.ToString() : "(no id)";
                    throw new FormatException($"{Path.GetFileName(file)}: case {id}: {e.Message}", e);
                }
            }
        }

        return new Catalog(fixturesDirectory, cases, KnownIssues.Load(Path.Combine(fixturesDirectory, "known-issues.json")));
    }

    /// <summary>The case with this id.</summary>
    /// <exception cref="KeyNotFoundException">No such case.</exception>
    public CatalogCase Get(string id) =>
        AllCases.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal)) ?? throw new KeyNotFoundException($"No case '{id}'.");

    /// <summary><c>fixtures/golden/&lt;area&gt;/&lt;id&gt;&lt;suffix&gt;</c>.</summary>
    public string GoldenPath(CatalogCase testCase, string suffix)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return Path.Combine(FixturesDirectory, "golden", testCase.Area, testCase.Id + suffix);
    }

    /// <summary>The golden bytes, or null when the file does not exist.</summary>
    public byte[]? ReadGolden(CatalogCase testCase, string suffix)
    {
        var path = GoldenPath(testCase, suffix);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>The golden files CPython writes for this case (fixtures/README.md): every case has <c>.cpython.json</c>;
    /// call and multicall cases have <c>.request.xml</c> unless CPython refused to send, and <c>.response.xml</c> unless
    /// the dispatcher failed or the result changes from run to run.</summary>
    public static IReadOnlyList<string> ExpectedGoldenSuffixes(CatalogCase testCase, CPythonObservation observation)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(observation);
        var suffixes = new List<string> { ".cpython.json" };
        if (testCase.Shape is CaseShape.Call or CaseShape.Multicall && observation.Observed.SendError is null)
        {
            suffixes.Add(".request.xml");
            if (observation.Root.TryGetProperty("response", out var response) && !response.TryGetProperty("resultType", out _))
            {
                suffixes.Add(".response.xml");
            }
        }

        return suffixes;
    }

    /// <summary>What CPython did for this case (<c>&lt;id&gt;.cpython.json</c>), or null when the file is missing.</summary>
    public CPythonObservation? ReadObservation(CatalogCase testCase)
    {
        var bytes = ReadGolden(testCase, ".cpython.json");
        return bytes is null ? null : new CPythonObservation(JsonDocument.Parse(bytes).RootElement.Clone(), FixturesDirectory);
    }

    // ----------------------------------------------------------------------------------------------

    private static CatalogCase ReadCase(string area, JsonElement c, string fixtures)
    {
        var id = c.GetProperty("id").GetString()!;
        CatalogCall? call = null;
        IReadOnlyList<CatalogCall>? multicall = null;
        string? document = null;
        byte[]? documentBytes = null;
        CatalogHttp? http = null;
        CaseShape shape;
        if (c.TryGetProperty("call", out var callJson))
        {
            shape = CaseShape.Call;
            call = ReadCall(callJson, fixtures);
        }
        else if (c.TryGetProperty("multicall", out var multicallJson))
        {
            shape = CaseShape.Multicall;
            multicall = [.. multicallJson.EnumerateArray().Select(m => ReadCall(m, fixtures))];
        }
        else if (c.TryGetProperty("document", out var documentJson))
        {
            shape = CaseShape.Document;
            document = documentJson.GetString()!;
            documentBytes = Encoding.UTF8.GetBytes(document);
        }
        else if (c.TryGetProperty("documentBase64", out var documentBase64))
        {
            shape = CaseShape.Document;
            documentBytes = Convert.FromBase64String(documentBase64.GetString()!);
        }
        else if (c.TryGetProperty("http", out var httpJson))
        {
            shape = CaseShape.Http;
            http = ReadHttp(httpJson);
        }
        else
        {
            throw new FormatException("no call, multicall, document, documentBase64 or http");
        }

        return new CatalogCase
        {
            Id = id,
            Area = area,
            Description = c.TryGetProperty("description", out var d) ? d.GetString() ?? string.Empty : string.Empty,
            Checks = c.TryGetProperty("checks", out var ch) ? ch.GetString() ?? string.Empty : string.Empty,
            Expectation = (c.TryGetProperty("expectation", out var ex) ? ex.GetString() : null) switch
            {
                "valid" => CaseExpectation.Valid,
                "invalid" => CaseExpectation.Invalid,
                "acceptable" => CaseExpectation.Acceptable,
                var other => throw new FormatException($"unknown expectation '{other}'"),
            },
            Retired = c.TryGetProperty("retired", out var r) ? r.GetString() : null,
            CompareOrdered = c.TryGetProperty("compare", out var cmp) && cmp.GetString() == "ordered",
            Shape = shape,
            Call = call,
            Multicall = multicall,
            Document = document,
            DocumentBytes = documentBytes,
            Http = http,
            Expect = ReadExpect(c.GetProperty("expect"), fixtures),
            Deviation = c.TryGetProperty("deviation", out var dev) ? ReadDeviation(dev, fixtures) : null,
            NonStrict = c.TryGetProperty("nonStrict", out var nonStrict) ? ReadNonStrict(nonStrict, fixtures) : null,
            Json = c,
        };
    }

    private static CatalogCall ReadCall(JsonElement json, string fixtures) => new(
        json.GetProperty("method").GetString()!,
        [.. json.GetProperty("params").EnumerateArray().Select(p => CatalogModel.FromModel(p, fixtures))],
        json.TryGetProperty("encoding", out var e) ? e.GetString() : null);

    private static CatalogHttp ReadHttp(JsonElement json)
    {
        var body = json.TryGetProperty("body", out var b) ? Encoding.UTF8.GetBytes(b.GetString()!)
            : json.TryGetProperty("bodyBase64", out var b64) ? Convert.FromBase64String(b64.GetString()!)
            : [];
        return new CatalogHttp
        {
            Method = json.TryGetProperty("method", out var m) ? m.GetString()! : "POST",
            Path = json.TryGetProperty("path", out var p) ? p.GetString()! : "/RPC2",
            Headers = json.TryGetProperty("headers", out var h)
                ? [.. h.EnumerateArray().Select(pair => new KeyValuePair<string, string>(pair[0].GetString()!, pair[1].GetString()!))]
                : [],
            Body = body,
            GzipBody = json.TryGetProperty("gzipBody", out var g) && g.GetBoolean(),
            OmitContentLength = json.TryGetProperty("omitContentLength", out var o) && o.GetBoolean(),
        };
    }

    /// <summary>Reads a fault model <c>{"code": 4, "string": "..."}</c>; either member may be absent (then it is not checked).</summary>
    public static CatalogFault ReadFault(JsonElement json)
    {
        XmlRpcValue? code = null;
        if (json.TryGetProperty("code", out var c))
        {
            code = c.ValueKind switch
            {
                JsonValueKind.String => XmlRpcValue.FromString(c.GetString()!),
                _ when c.TryGetInt64(out var small) => XmlRpcValue.FromInt64(small),
                _ => XmlRpcValue.FromBigInteger(System.Numerics.BigInteger.Parse(c.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return new CatalogFault(code, json.TryGetProperty("string", out var s) ? s.GetString() : null);
    }

    /// <summary>Reads a <c>decodes</c> object: <c>{"params": [...], "methodName": ...}</c> or <c>{"fault": {...}}</c>.</summary>
    /// <param name="json">The object.</param>
    /// <param name="fixtures">The fixtures folder.</param>
    /// <param name="lenient">A param XML-RPC cannot say (CPython's <c>{"python": repr}</c>) reads as null instead of failing.</param>
    public static CatalogDecodes ReadDecodes(JsonElement json, string fixtures, bool lenient = false)
    {
        if (json.TryGetProperty("fault", out var f))
        {
            return new CatalogDecodes(null, null, ReadFault(f));
        }

        return new CatalogDecodes(
            [.. json.GetProperty("params").EnumerateArray().Select(p => lenient ? TryModel(p, fixtures) : CatalogModel.FromModel(p, fixtures))],
            json.TryGetProperty("methodName", out var mn) && mn.ValueKind == JsonValueKind.String ? mn.GetString() : null,
            null);

        static XmlRpcValue? TryModel(JsonElement model, string fixtures)
        {
            try
            {
                return CatalogModel.FromModel(model, fixtures);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    internal static CatalogExpect ReadExpect(JsonElement json, string fixtures)
    {
        var expect = new CatalogExpect { Json = json };
        if (json.TryGetProperty("result", out var result))
        {
            expect = expect with { Result = CatalogModel.FromModel(result, fixtures) };
        }

        if (json.TryGetProperty("resultType", out var resultType))
        {
            expect = expect with { ResultType = resultType.GetString() };
        }

        if (json.TryGetProperty("fault", out var fault))
        {
            expect = expect with { Fault = ReadFault(fault) };
        }

        if (json.TryGetProperty("results", out var results))
        {
            expect = expect with
            {
                Results = [.. results.EnumerateArray().Select(o => o.TryGetProperty("fault", out var f)
                    ? new CatalogOutcome(null, ReadFault(f))
                    : new CatalogOutcome(CatalogModel.FromModel(o.GetProperty("result"), fixtures), null))],
            };
        }

        if (json.TryGetProperty("sendError", out var sendError))
        {
            expect = expect with { SendError = sendError.GetString() };
        }

        if (json.TryGetProperty("decodes", out var decodes))
        {
            // A {"python": repr} param (a value CPython decodes that XML-RPC cannot say) reads as null, as in the golden observations.
            expect = expect with { Decodes = ReadDecodes(decodes, fixtures, lenient: true) };
        }

        if (json.TryGetProperty("error", out var error))
        {
            expect = expect with { Error = error.GetString() };
        }

        if (json.TryGetProperty("status", out var status))
        {
            // An int in `expect`; a nonStrict alternative may list several statuses that mean the same.
            expect = status.ValueKind == JsonValueKind.Array
                ? expect with { Statuses = [.. status.EnumerateArray().Select(s => s.GetInt32())] }
                : expect with { Statuses = [status.GetInt32()] };
        }

        return expect;
    }

    private static CatalogNonStrict ReadNonStrict(JsonElement json, string fixtures) => new(
        json.GetProperty("reason").GetString()!,
        [.. json.GetProperty("accept").EnumerateArray().Select(e => ReadExpect(e, fixtures))]);

    private static CatalogDeviation ReadDeviation(JsonElement json, string fixtures)
    {
        var writerRefuses = false;
        var replace = new List<(string, string)>();
        if (json.TryGetProperty("writer", out var writer))
        {
            if (writer.ValueKind == JsonValueKind.String)
            {
                writerRefuses = writer.GetString() == "refuse";
            }
            else
            {
                foreach (var pair in writer.GetProperty("replace").EnumerateArray())
                {
                    replace.Add((pair[0].GetString()!, pair[1].GetString()!));
                }
            }
        }

        return new CatalogDeviation
        {
            Reason = json.GetProperty("reason").GetString()!,
            WriterRefuses = writerRefuses,
            WriterReplace = replace,
            ParserRefuses = json.TryGetProperty("parser", out var parser) && parser.GetString() == "refuse",
            Expect = json.TryGetProperty("expect", out var expect) ? ReadExpect(expect, fixtures) : null,
        };
    }
}
