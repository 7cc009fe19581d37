using System.Text;
using XmlRpc;
using XmlRpc.Protocol;

namespace Conformance.Catalog;

/// <summary>The verdict of one wire check.</summary>
public enum WireOutcome
{
    /// <summary>Same bytes / same decode as CPython, and the case's intent met.</summary>
    Pass,

    /// <summary>A documented deviation (<c>deviation</c> in the case) was checked and holds.</summary>
    Deviation,

    /// <summary>A real failure.</summary>
    Fail,

    /// <summary>The check does not apply to the case.</summary>
    NotApplicable,
}

/// <summary>The result of one wire check; for byte comparisons, the two byte strings.</summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Message">What was checked, or what differs.</param>
public sealed record WireCheckResult(WireOutcome Outcome, string Message)
{
    /// <summary>The expected bytes (golden, after deviation replacements).</summary>
    public byte[]? Expected { get; init; }

    /// <summary>Our bytes.</summary>
    public byte[]? Actual { get; init; }

    /// <summary>
    /// A unified diff of <see cref="Expected"/> → <see cref="Actual"/> (<see cref="WireDiff.Unified"/>) when both are known
    /// and differ; otherwise null.
    /// </summary>
    public string? Diff => Expected is not null && Actual is not null && !Expected.AsSpan().SequenceEqual(Actual)
        ? WireDiff.Unified(Expected, Actual)
        : null;

    /// <summary>The message followed by the diff (or, when our writer wrote what it should have refused, our bytes).</summary>
    public string Describe()
    {
        if (Diff is { } diff)
        {
            return Message + "\n" + diff;
        }

        return Outcome == WireOutcome.Fail && Actual is not null ? Message + "\n" + WireDiff.Visible(Actual) : Message;
    }

    /// <summary>True unless <see cref="WireOutcome.Fail"/>.</summary>
    public bool Succeeded => Outcome != WireOutcome.Fail;
}

/// <summary>
/// Our writer and parser against CPython's golden files, per catalog case (the <c>wire.writer</c> and <c>wire.parser</c>
/// cells). Shared by the xunit Wire tests and the report.
/// </summary>
public sealed class WireChecks
{
    /// <summary>The cell name of the writer checks.</summary>
    public const string WriterCell = "wire.writer";

    /// <summary>The cell name of the parser checks.</summary>
    public const string ParserCell = "wire.parser";

    private readonly Catalog _catalog;
    private readonly XmlRpcParser _parser;

    /// <summary>Checks against <paramref name="catalog"/> with the default parser (or the given one).</summary>
    public WireChecks(Catalog catalog, XmlRpcParser? parser = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _parser = parser ?? XmlRpcParser.Default;
    }

    /// <summary>
    /// The <c>wire.writer</c> cell of a case: <see cref="CheckRequestWriter"/> and, when there is a golden response,
    /// <see cref="CheckResponseWriter"/>, combined (the worst outcome wins; Fail &gt; Deviation &gt; Pass).
    /// </summary>
    public WireCheckResult CheckWriter(CatalogCase testCase) =>
        Combine(CheckRequestWriter(testCase), CheckResponseWriter(testCase));

    /// <summary>
    /// The <c>wire.parser</c> cell of a case: <see cref="CheckDocumentParser"/> for parse-only cases, else
    /// <see cref="CheckRequestParser"/> and <see cref="CheckResponseParser"/> combined (the worst outcome wins).
    /// </summary>
    public WireCheckResult CheckParser(CatalogCase testCase) =>
        testCase?.Shape == CaseShape.Document
            ? CheckDocumentParser(testCase)
            : Combine(CheckRequestParser(testCase!), CheckResponseParser(testCase!));

    /// <summary>(a) Our request bytes vs <c>&lt;id&gt;.request.xml</c>, honouring <c>deviation.writer</c> and <c>expect.sendError</c>.</summary>
    public WireCheckResult CheckRequestWriter(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var request = testCase.Request;
        if (request is null)
        {
            return new(WireOutcome.NotApplicable, "not a call or multicall case");
        }

        var formatter = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = testCase.Call?.Encoding });
        byte[] actual;
        try
        {
            actual = formatter.FormatRequest(request);
        }
        catch (XmlRpcFormatException e)
        {
            if (testCase.Expect.SendError is { } sendError)
            {
                return new(WireOutcome.Pass, $"refused like CPython ({sendError}): {e.Message}");
            }

            return testCase.Deviation?.WriterRefuses == true
                ? new(WireOutcome.Deviation, $"refused (deviation: {testCase.Deviation.Reason}): {e.Message}")
                : new(WireOutcome.Fail, $"our writer refused the request: {e.Message}");
        }

        if (testCase.Expect.SendError is { } expected)
        {
            return new(WireOutcome.Fail, $"CPython refuses to send this ({expected}) but our writer wrote it") { Actual = actual };
        }

        if (testCase.Deviation?.WriterRefuses == true)
        {
            return new(WireOutcome.Fail, $"the case says our writer refuses this ({testCase.Deviation.Reason}) but it wrote it") { Actual = actual };
        }

        return CompareWithGolden(testCase, ".request.xml", actual);
    }

    /// <summary>(a) Our response bytes, written from the value CPython decoded from its own response, vs <c>&lt;id&gt;.response.xml</c>.</summary>
    public WireCheckResult CheckResponseWriter(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.Shape is not (CaseShape.Call or CaseShape.Multicall) || _catalog.ReadGolden(testCase, ".response.xml") is null)
        {
            return new(WireOutcome.NotApplicable, "no golden response");
        }

        var observation = _catalog.ReadObservation(testCase);
        XmlRpcResponse response;
        if (observation?.Observed.Fault is { } fault)
        {
            if (fault.Code is not { IsInteger: true } code)
            {
                return new(WireOutcome.Fail, $"CPython's fault code {fault.Code} is not an integer");
            }

            response = XmlRpcResponse.FromFault(code.AsInt32(), fault.FaultString ?? string.Empty);
        }
        else if (observation?.Observed.Results is { } results)
        {
            if (results.Any(r => r.Result is null && r.Fault is null))
            {
                return new(WireOutcome.Fail, "CPython's multicall result has an entry that is neither [value] nor a fault");
            }

            response = XmlRpcResponse.Success(XmlRpcMultiCall.CreateResult(results.Select(r => r.Fault is { } f
                ? XmlRpcMultiCallResult.FromFault(new XmlRpcFault(f.Code?.AsInt32() ?? 0, f.FaultString ?? string.Empty))
                : XmlRpcMultiCallResult.Success(r.Result!))));
        }
        else if (observation?.Observed.Result is { } result)
        {
            response = XmlRpcResponse.Success(result);
        }
        else if (observation?.Observed.Error is { Type: var error } && testCase.Deviation is { } deviation)
        {
            // CPython wrote an answer nobody can read (a fault text with a NUL): there is no value to write again.
            return new(WireOutcome.Deviation, $"CPython's answer is not well-formed ({error}), so there is nothing to write again (deviation: {deviation.Reason})");
        }
        else
        {
            return new(WireOutcome.Fail, "the golden response exists but .cpython.json records no result or fault for it");
        }

        byte[] actual;
        try
        {
            actual = XmlRpcFormatter.Default.FormatResponse(response);
        }
        catch (XmlRpcFormatException e)
        {
            return new(WireOutcome.Fail, $"our writer refused the response: {e.Message}");
        }

        return CompareWithGolden(testCase, ".response.xml", actual);
    }

    /// <summary>(b) <c>&lt;id&gt;.request.xml</c> through our parser: equals what CPython's server decoded, and the catalog's params.</summary>
    public WireCheckResult CheckRequestParser(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var golden = _catalog.ReadGolden(testCase, ".request.xml");
        var request = testCase.Request;
        if (golden is null || request is null)
        {
            return new(WireOutcome.NotApplicable, "no golden request");
        }

        var observation = _catalog.ReadObservation(testCase);
        XmlRpcMessage message;
        try
        {
            message = _parser.Parse(golden);
        }
        catch (XmlRpcParseException e)
        {
            if (observation?.ReceivedError is { } error)
            {
                return new(WireOutcome.Pass, $"rejected like CPython ({error}): {e.Message}");
            }

            return new(WireOutcome.Fail, $"our parser rejected CPython's request: {e.Message}");
        }

        if (observation?.ReceivedError is { } cpythonError)
        {
            return new(WireOutcome.Fail, $"CPython's parser rejects its own request ({cpythonError}) but ours accepted it: {Show(message.Params)}");
        }

        if (!string.Equals(message.MethodName, request.MethodName, StringComparison.Ordinal))
        {
            return new(WireOutcome.Fail, $"method name '{message.MethodName}' instead of '{request.MethodName}'");
        }

        if (observation?.ReceivedParams is { } received && !SameList(received, message.Params, testCase.CompareOrdered))
        {
            return new(WireOutcome.Fail, $"decoded {Show(message.Params)}, CPython decoded {Show(received)}");
        }

        if (!SameList(request.Params, message.Params, testCase.CompareOrdered))
        {
            return IntentMissed($"decoded {Show(message.Params)}, the catalog sent {Show(request.Params)}");
        }

        return new(WireOutcome.Pass, "decoded as CPython and as sent");
    }

    /// <summary>(b) <c>&lt;id&gt;.response.xml</c> through our parser: equals what CPython decoded from it, and the case's intent.</summary>
    public WireCheckResult CheckResponseParser(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var golden = _catalog.ReadGolden(testCase, ".response.xml");
        if (golden is null)
        {
            return new(WireOutcome.NotApplicable, "no golden response");
        }

        var observation = _catalog.ReadObservation(testCase);
        XmlRpcResponse response;
        try
        {
            response = _parser.ParseResponse(golden);
        }
        catch (XmlRpcParseException e)
        {
            return observation?.Observed.Error is { Type: var error }
                ? new(WireOutcome.Pass, $"rejected like CPython ({error}): {e.Message}")
                : new(WireOutcome.Fail, $"our parser rejected CPython's response: {e.Message}");
        }

        var ordered = testCase.CompareOrdered;
        var expect = testCase.Expect;
        if (observation?.Observed.Fault is { } fault)
        {
            if (!response.IsFault || !fault.Matches(response.Fault))
            {
                return new(WireOutcome.Fail, $"decoded {response}, CPython decoded {fault}");
            }

            return expect.Fault is { } intended && !intended.Matches(response.Fault)
                ? IntentMissed($"decoded {response.Fault}, the case expects {intended}")
                : new(WireOutcome.Pass, $"decoded {response.Fault} as CPython");
        }

        if (response.IsFault)
        {
            return new(WireOutcome.Fail, $"decoded {response.Fault}, CPython decoded a result");
        }

        if (observation?.Observed.Results is { } results)
        {
            IReadOnlyList<XmlRpcMultiCallResult> ours;
            try
            {
                ours = XmlRpcMultiCall.ReadResults(response.Value);
            }
            catch (XmlRpcParseException e)
            {
                return new(WireOutcome.Fail, $"not a multicall result: {e.Message}");
            }

            if (!SameResults(results, ours, ordered))
            {
                return new(WireOutcome.Fail, $"decoded [{string.Join(", ", ours)}], CPython decoded [{string.Join(", ", results)}]");
            }

            return expect.Results is { } intended && !SameResults(intended, ours, ordered)
                ? IntentMissed($"decoded [{string.Join(", ", ours)}], the case expects [{string.Join(", ", intended)}]")
                : new(WireOutcome.Pass, "decoded the multicall results as CPython");
        }

        if (observation?.Observed.Result is { } result)
        {
            if (!result.Equals(response.Value, ordered))
            {
                return new(WireOutcome.Fail, $"decoded {response.Value}, CPython decoded {result}");
            }

            return expect.Result is { } intended && !intended.Equals(response.Value, ordered)
                ? IntentMissed($"decoded {response.Value}, the case expects {intended}")
                : new(WireOutcome.Pass, "decoded as CPython");
        }

        return new(WireOutcome.Fail, ".cpython.json records no result for the golden response");
    }

    /// <summary>(c) A parse-only case: our parser vs CPython's recorded decode or error, honouring <c>deviation.parser</c> and <c>acceptable</c>.</summary>
    public WireCheckResult CheckDocumentParser(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.DocumentBytes is not { } bytes)
        {
            return new(WireOutcome.NotApplicable, "not a parse-only case");
        }

        var observation = _catalog.ReadObservation(testCase);
        if (observation is null)
        {
            return new(WireOutcome.Fail, "no .cpython.json");
        }

        XmlRpcMessage? message = null;
        XmlRpcParseException? rejection = null;
        try
        {
            message = _parser.Parse(bytes);
        }
        catch (XmlRpcParseException e)
        {
            rejection = e;
        }

        if (testCase.Deviation?.ParserRefuses == true)
        {
            return rejection is not null
                ? new(WireOutcome.Deviation, $"refused (deviation: {testCase.Deviation.Reason}): {rejection.Message}")
                : new(WireOutcome.Fail, $"the case says our parser refuses this document, but it decoded {Show(message!.Params)}");
        }

        if (observation.Observed.Error is { Type: var error })
        {
            return rejection is not null
                ? new(WireOutcome.Pass, $"rejected like CPython ({error}): {rejection.Message}")
                : new(WireOutcome.Fail, $"CPython rejects this document ({error}) but our parser decoded {Describe(message!)}");
        }

        var decodes = observation.Observed.Decodes;
        if (decodes is null)
        {
            return new(WireOutcome.Fail, ".cpython.json has neither decodes nor error");
        }

        if (rejection is not null)
        {
            return testCase.Expectation == CaseExpectation.Acceptable
                ? new(WireOutcome.Pass, $"rejected cleanly (acceptable; CPython decodes it): {rejection.Message}")
                : new(WireOutcome.Fail, $"our parser rejected a document CPython decodes: {rejection.Message}");
        }

        if (decodes.Fault is { } fault)
        {
            return message!.IsFault && fault.Matches(message.Fault)
                ? new(WireOutcome.Pass, $"decoded {message.Fault} as CPython")
                : new(WireOutcome.Fail, $"decoded {Describe(message)}, CPython decoded {fault}");
        }

        if (message!.IsFault)
        {
            return new(WireOutcome.Fail, $"decoded {message.Fault}, CPython decoded params");
        }

        if (decodes.Params!.Any(CPythonObservation.IsUnrepresentable))
        {
            return new(WireOutcome.Fail, $"CPython decoded a value XML-RPC cannot say; our parser should reject it but decoded {Show(message.Params)}");
        }

        if (!string.Equals(decodes.MethodName, message.MethodName, StringComparison.Ordinal))
        {
            return new(WireOutcome.Fail, $"method name {Quote(message.MethodName)}, CPython decoded {Quote(decodes.MethodName)}");
        }

        return SameList(decodes.Params!, message.Params, testCase.CompareOrdered)
            ? new(WireOutcome.Pass, "decoded as CPython")
            : new(WireOutcome.Fail, $"decoded {Show(message.Params)}, CPython decoded {Show(decodes.Params!)}");
    }

    /// <summary>Applies a deviation's <c>writer.replace</c> pairs to golden bytes (as UTF-8 text).</summary>
    public static byte[] ApplyReplacements(byte[] golden, IReadOnlyList<(string From, string To)> replacements)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(replacements);
        var result = golden;
        foreach (var (from, to) in replacements)
        {
            result = Replace(result, Encoding.UTF8.GetBytes(from), Encoding.UTF8.GetBytes(to));
        }

        return result;
    }

    private static WireCheckResult Combine(WireCheckResult request, WireCheckResult response)
    {
        if (response.Outcome == WireOutcome.NotApplicable)
        {
            return request;
        }

        if (request.Outcome == WireOutcome.NotApplicable)
        {
            return response;
        }

        var worst = Rank(response.Outcome) > Rank(request.Outcome) ? response : request;
        return worst with { Message = $"request: {request.Message}; response: {response.Message}" };

        static int Rank(WireOutcome outcome) => outcome switch
        {
            WireOutcome.Fail => 4,
            WireOutcome.Deviation => 2,
            WireOutcome.Pass => 1,
            _ => 0,
        };
    }

    private WireCheckResult CompareWithGolden(CatalogCase testCase, string suffix, byte[] actual)
    {
        var golden = _catalog.ReadGolden(testCase, suffix);
        if (golden is null)
        {
            return new(WireOutcome.Fail, $"missing golden file {testCase.Id}{suffix}") { Actual = actual };
        }

        var replacements = testCase.Deviation?.WriterReplace ?? [];
        var expected = ApplyReplacements(golden, replacements);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            return new(WireOutcome.Fail, $"our {suffix} bytes differ from CPython's{(replacements.Count > 0 ? " (after the deviation's replacements)" : string.Empty)}")
            {
                Expected = expected,
                Actual = actual,
            };
        }

        var deviated = !expected.AsSpan().SequenceEqual(golden);
        return new(deviated ? WireOutcome.Deviation : WireOutcome.Pass, deviated ? $"byte-identical after the deviation's replacements ({testCase.Deviation!.Reason})" : "byte-identical to CPython")
        {
            Expected = expected,
            Actual = actual,
        };
    }

    // CPython's own decode misses the case's intent: a failure here, which fixtures/known-issues.json may explain (the
    // caller resolves known issues for every outcome, so an entry that no longer applies is seen as stale).
    private static WireCheckResult IntentMissed(string message) => new(WireOutcome.Fail, message);

    private static bool SameList(IReadOnlyList<XmlRpcValue?> expected, IReadOnlyList<XmlRpcValue> actual, bool ordered)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i] is not { } e || !e.Equals(actual[i], ordered))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameResults(IReadOnlyList<CatalogOutcome> expected, IReadOnlyList<XmlRpcMultiCallResult> actual, bool ordered)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var ok = expected[i].Fault is { } f
                ? actual[i].IsFault && f.Matches(actual[i].Fault!)
                : !actual[i].IsFault && expected[i].Result is { } r && r.Equals(actual[i].Value, ordered);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string Show(IEnumerable<XmlRpcValue?> values) => "(" + string.Join(", ", values.Select(v => v?.ToString() ?? "<not representable>")) + ")";

    private static string Describe(XmlRpcMessage message) =>
        message.IsFault ? message.Fault.ToString() : $"{Show(message.Params)} method {Quote(message.MethodName)}";

    private static string Quote(string? s) => s is null ? "None" : "'" + s + "'";

    private static byte[] Replace(byte[] source, byte[] from, byte[] to)
    {
        if (from.Length == 0)
        {
            return source;
        }

        var output = new List<byte>(source.Length);
        var span = source.AsSpan();
        while (true)
        {
            var i = span.IndexOf(from);
            if (i < 0)
            {
                output.AddRange(span);
                return [.. output];
            }

            output.AddRange(span[..i]);
            output.AddRange(to);
            span = span[(i + from.Length)..];
        }
    }
}
