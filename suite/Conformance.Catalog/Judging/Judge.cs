using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>Who is on each end of a judged exchange.</summary>
public sealed record JudgeContext
{
    /// <summary>Our C# client sent the request: its documented refusals (<c>deviation.writer: refuse</c>) apply.</summary>
    public bool OurClient { get; init; }

    /// <summary>Our C# server answered: meeting <c>deviation.expect</c> is DEVIATION (for any other server it is NON-STRICT).</summary>
    public bool OurServer { get; init; }

    /// <summary>The server's own <c>system.listMethods</c>, when it offers one: a listed method is never MISSING, an unlisted one that errs is.</summary>
    public IReadOnlySet<string>? ListedMethods { get; init; }

    /// <summary>Methods the server has answered with a value earlier in the run: they exist, so an error from one of them is never MISSING.</summary>
    public IReadOnlySet<string>? ProvenMethods { get; init; }

    /// <summary>
    /// A one-param <c>echo</c> must come with its <c>describe</c> observation (every live runner makes that call). Off only where
    /// the receiver's view is recorded otherwise (CPython's golden <c>received</c>).
    /// </summary>
    public bool DescribeRequired { get; init; } = true;
}

/// <summary>The judge's verdict on one observation.</summary>
/// <param name="Outcome">PASS, NON-STRICT, DEVIATION, MISSING or FAIL (KNOWN and NOT RUN are decided outside the judge).</param>
/// <param name="Detail">What was expected (and from where) and what was seen, for a reader.</param>
/// <param name="Met">Which expectation was met: <c>expect</c>, <c>deviation.expect</c>, <c>deviation.writer</c>, <c>nonStrict</c>; null when none.</param>
public sealed record Verdict(Outcome Outcome, string Detail, string? Met);

/// <summary>
/// The one judge: turns (case, observation, context) into an outcome, for the xunit tests, the live runner and the report.
/// The Python peers' judge (<c>conformance.judge</c>) is held to the same answers by <c>fixtures/judge-vectors.json</c>.
/// </summary>
/// <remarks>
/// In order: our writer's documented refusal (<c>deviation.writer: refuse</c>, our client only); the case's <c>expect</c>
/// (PASS); its <c>deviation.expect</c> (DEVIATION on our server, NON-STRICT on any other: it is an answer we chose as
/// allowed); its <c>nonStrict.accept</c> alternatives (NON-STRICT); a method the case calls that the server says it lacks
/// (MISSING, see <see cref="NotImplemented"/>; also when a fault met the expectation only by naming one of the case's
/// methods as missing); anything else is FAIL. A met one-param <c>echo</c> must also be met by the server's
/// <c>describe</c> of the same value: else MISSING when <c>describe</c> is not implemented, FAIL when it decoded something else.
/// </remarks>
public sealed class Judge
{
    private readonly Catalog _catalog;

    /// <summary>A judge over <paramref name="catalog"/> (its fixtures folder and its list of the service's methods).</summary>
    public Judge(Catalog catalog)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    }

    /// <summary>The methods an observation proves the server has: those that answered with a value (the call's, each sub-call's, describe).</summary>
    public static IEnumerable<string> AnsweredMethods(CatalogCase testCase, CaseObservation observation)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(observation);
        if (testCase.CalledMethods.Count > 0 && (observation.Result is not null || observation.Results is not null))
        {
            yield return testCase.CalledMethods[0];
        }

        if (testCase.Shape == CaseShape.Multicall && observation.Results is { } results)
        {
            foreach (var (call, result) in testCase.Multicall!.Zip(results).Where(p => p.Second.Result is not null))
            {
                yield return call.Method;
            }
        }

        if (observation.Describe?.Result is not null)
        {
            yield return "describe";
        }
    }

    /// <summary>Judges <paramref name="observation"/> of <paramref name="testCase"/> in <paramref name="context"/>.</summary>
    public Verdict Evaluate(CatalogCase testCase, CaseObservation observation, JudgeContext context)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(context);
        var ordered = testCase.CompareOrdered;
        if (context.OurClient && testCase.Deviation is { WriterRefuses: true } refusing)
        {
            return observation.SendError is { } refusal
                ? new Verdict(Outcome.Deviation, $"our writer refuses to send it (deviation: {refusing.Reason}): {refusal.Message}", "deviation.writer")
                : new Verdict(Outcome.Fail, $"expected our writer to refuse (deviation: {refusing.Reason}), got {observation}", null);
        }

        var verdict = Meets(testCase.Expect, observation, ordered) ? new Verdict(Outcome.Pass, "", "expect") : null;
        if (verdict is null && testCase.Deviation?.Expect is { } alternative && Meets(alternative, observation, ordered))
        {
            verdict = context.OurServer
                ? new Verdict(Outcome.Deviation, $"deviation: {testCase.Deviation.Reason}", "deviation.expect")
                : new Verdict(Outcome.NonStrict, $"not CPython's answer, but the one our C# server gives on purpose ({testCase.Deviation.Reason}); expected {Show(testCase.Expect)}, got {observation}", "deviation.expect");
        }

        if (verdict is null && testCase.NonStrict is { } nonStrict && nonStrict.Accept.Any(e => Meets(e, observation, ordered)))
        {
            verdict = new Verdict(Outcome.NonStrict, $"not CPython's answer, but one the spec allows ({nonStrict.Reason}): expected {Show(testCase.Expect)}, got {observation}", "nonStrict");
        }

        // A fault that names a method of the case as missing met the expectation only by accident (a server without
        // system.multicall answers multicall.not-an-array's "some fault" too): the method is missing, not the case passed.
        if (verdict is not null && NotImplemented.NamedMethod(observation.Fault?.FaultString) is { } named
            && testCase.CalledMethods.Contains(named, StringComparer.Ordinal) && _catalog.ServiceMethods.Contains(named))
        {
            return new Verdict(Outcome.Missing, $"the server does not implement {named}: {observation}", null);
        }

        if (verdict is null)
        {
            return Lacked(testCase, observation, context) is { } method
                ? new Verdict(Outcome.Missing, $"the server does not implement {method}: {observation}", null)
                : new Verdict(Outcome.Fail, $"expected {Show(testCase.Expect)}, got {observation}", null);
        }

        return testCase.IsDescribed ? CheckDescribe(testCase, observation, context, verdict) : verdict;
    }

    /// <summary>Does <paramref name="observation"/> meet <paramref name="expect"/> (the grammar of a case's <c>expect</c>)?</summary>
    public static bool Meets(CatalogExpect expect, CaseObservation observation, bool ordered)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(observation);
        if (expect.SendError is not null)
        {
            // The catalog's rule: every client refuses to send it, each with its own exception (CPython's is sendError).
            return observation.SendError is not null;
        }

        if (expect.Result is { } result)
        {
            return observation.Result is { } actual && result.Equals(actual, ordered);
        }

        if (expect.ResultType is { } resultType)
        {
            var actual = observation.ResultType ?? (observation.Result is { } value ? CatalogModel.TypeName(value) : null);
            return string.Equals(actual, resultType, StringComparison.Ordinal);
        }

        if (expect.Fault is { } fault)
        {
            return observation.Fault is { } actual && fault.Matches(actual);
        }

        if (expect.Results is { } results)
        {
            var actual = observation.Results;
            return actual is not null && actual.Count == results.Count && results.Zip(actual).All(p => p.First.Fault is { } f
                ? p.Second.Fault is { } af && f.Matches(af)
                : p.Second.Fault is null && p.Second.Result is { } ar && p.First.Result!.Equals(ar, ordered));
        }

        if (expect.Decodes is { } decodes)
        {
            // A param XML-RPC cannot say ({"python": repr}, read as null) meets only an intent that says the same.
            return observation.Decodes is { } actual && (decodes.Fault is { } f
                ? actual.Fault is { } af && f.Matches(af)
                : actual.Params is { } ap
                    && string.Equals(actual.MethodName, decodes.MethodName, StringComparison.Ordinal)
                    && ap.Count == decodes.Params!.Count
                    && ap.Zip(decodes.Params).All(p => p.First is { } a ? p.Second is { } e && e.Equals(a, ordered) : p.Second is null));
        }

        if (expect.Error is { } error)
        {
            return observation.Error is { } actual && string.Equals(actual.Type, error, StringComparison.Ordinal);
        }

        if (expect.Statuses is { } statuses)
        {
            return observation.Status is { } status && statuses.Contains(status);
        }

        return false;
    }

    // fixtures/README.md: for echo with one param, the receiver's own model of the value must be the expected result.
    private Verdict CheckDescribe(CatalogCase testCase, CaseObservation observation, JudgeContext context, Verdict verdict)
    {
        var expected = verdict.Met switch
        {
            "deviation.expect" => testCase.Deviation!.Expect!.Result,
            "nonStrict" => testCase.NonStrict!.Accept.FirstOrDefault(e => Meets(e, observation, testCase.CompareOrdered))?.Result,
            _ => testCase.Expect.Result,
        };
        if (expected is null)
        {
            return verdict;
        }

        if (observation.Describe is not { } describe)
        {
            return context.DescribeRequired
                ? new Verdict(Outcome.Fail, "echo met the case, but no describe was observed (a one-param echo is followed by describe)", null)
                : verdict;
        }

        if (describe.Result is { Kind: XmlRpcValueKind.String } text && ReadModel(text.AsString()) is { } decoded)
        {
            return expected.Equals(decoded, testCase.CompareOrdered)
                ? verdict
                : new Verdict(Outcome.Fail, $"echo met the case; describe: the server decoded {text.AsString()}, expected {CaseObservation.Model(expected)}", null);
        }

        return Lacks("describe", describe, context)
            ? new Verdict(Outcome.Missing, $"echo met the case; the server does not implement describe: {describe}", null)
            : new Verdict(Outcome.Fail, $"echo met the case; describe: expected the model {CaseObservation.Model(expected)}, got {describe}", null);
    }

    private XmlRpcValue? ReadModel(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return CatalogModel.FromModel(doc.RootElement, _catalog.FixturesDirectory);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    // The method the observation says the server lacks, among those the case calls that the service defines (a method it
    // calls that the service does not define, like fault.unknown-method's "nope", is meant to be unknown).
    private string? Lacked(CatalogCase testCase, CaseObservation observation, JudgeContext context)
    {
        var required = _catalog.RequiredMethods(testCase);
        if (required.Count == 0)
        {
            return null;
        }

        if (observation.Fault is not null || observation.Error is not null)
        {
            // A fault or an error for the whole request: the method it names, else the request's own method.
            var own = required[0];
            var named = NotImplemented.NamedMethod(observation.Fault?.FaultString ?? observation.Error?.Message);
            return named is not null && required.Contains(named, StringComparer.Ordinal)
                ? (Lacks(named, observation, context, nameChecked: true) ? named : null)
                : Lacks(own, observation, context) ? own : null;
        }

        if (testCase.Shape == CaseShape.Multicall && observation.Results is { } results)
        {
            foreach (var (call, result) in testCase.Multicall!.Zip(results))
            {
                if (required.Contains(call.Method, StringComparer.Ordinal) && result.Fault is { } fault
                    && Lacks(call.Method, new CaseObservation { Fault = fault }, context))
                {
                    return call.Method;
                }
            }
        }

        return null;
    }

    private static bool Lacks(string method, CaseObservation answer, JudgeContext context, bool nameChecked = false)
    {
        // Only the server's own answer is evidence: a fault, or an HTTP error status (not a refused connection or a timeout);
        // and a method that has answered with a value before exists, whatever it answers now.
        if ((answer.Fault is null && answer.Error is not { Status: not null }) || context.ProvenMethods?.Contains(method) == true)
        {
            return false;
        }

        if (context.ListedMethods is { } listed)
        {
            // The server's own list decides: listed methods exist (their errors are failures), unlisted ones that err are missing.
            return !listed.Contains(method);
        }

        return nameChecked || NotImplemented.Says(method, answer);
    }

    private static string Show(CatalogExpect expect)
    {
        // The element written as it is (no serializer, so no reflection), with non-ASCII text left readable.
        var text = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(text, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            expect.Json.WriteTo(writer);
        }

        return CaseObservation.Shorten(System.Text.Encoding.UTF8.GetString(text.WrittenSpan), 300);
    }
}
