using System.Text.RegularExpressions;
using XmlRpc;
using XmlRpc.Protocol;

namespace Conformance.Fuzz;

/// <summary>A difference the catalog documents: a case with a <c>deviation</c> block that says what we do instead and why (or a <c>nonStrict</c> allowance for the text in question).</summary>
/// <param name="CaseId">The catalog case whose deviation explains it.</param>
/// <param name="Applies">Does this documented deviation account for the observation?</param>
internal sealed record Explanation(string CaseId, Func<Observation, bool> Applies);

/// <summary>A documented difference in the text of an answer alone: how it shows in CPython's answer and in ours.</summary>
/// <param name="CaseId">The catalog case whose deviation (or nonStrict allowance) explains it.</param>
/// <param name="CPython">Rewrites CPython's answer text toward ours (identity where this difference does not occur).</param>
/// <param name="Ours">Rewrites our answer text toward CPython's.</param>
/// <remarks>Rewrites compose: one answer may carry several such differences (a wrong-arg-count text and a carriage return).</remarks>
internal sealed record TextRewrite(string CaseId, Func<string, string> CPython, Func<string, string> Ours);

/// <summary>
/// The only differences the fuzzer accepts: each names the catalog case (with its <c>deviation</c>) distilled from it.
/// Anything else is unexplained and fails the run.
/// </summary>
internal static partial class Explanations
{
    public static IReadOnlyList<Explanation> All { get; } =
    [
        // Any DOCTYPE: CPython's expat expands internal entities; we refuse the document.
        new("dialect.doctype-internal-entity", o => o.Ours.Error?.Kind == XmlRpcParseErrorKind.DtdProhibited),

        // A safety limit of XmlRpcParserOptions that CPython does not have (element depth 1024): refused where CPython reads on.
        new("dialect.elements-nested-beyond-max-depth", o => o.Ours.Error is { Kind: XmlRpcParseErrorKind.LimitExceeded, PythonType: null }),

        // A struct member name that is not a string but hashable (<value><int>1</int></value> before <name>): CPython builds
        // {1: 'a'}, which XML-RPC cannot say; we refuse the document. (Unhashable names fail in CPython too, word for word.)
        new("dialect.struct.value-before-name", o => o.Ours.Error is { Kind: XmlRpcParseErrorKind.InvalidMessage, PythonType: null } e
            && e.Reason.StartsWith("a struct member name is", StringComparison.Ordinal)),

        // system.methodSignature: CPython always answers 'signatures not supported'; we return real signatures.
        new("introspection.method-signature", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.methodSignature"),

        // system.multicall: a malformed sub-call is a fault for that call only (CPython fails the whole request with
        // KeyError/TypeError), and a nested system.multicall is refused per call.
        new("multicall.missing-params-member", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.multicall"
            && o.OurResponseText.Contains("system.multicall: a call needs", StringComparison.Ordinal)),
        new("multicall.nested", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.multicall"
            && o.OurResponseText.Contains("system.multicall cannot be nested", StringComparison.Ordinal)),

        // system.multicall: a sub-result that cannot be written (an int beyond 32 bits) faults that call only; CPython
        // marshals every result at once and answers the whole request with that fault.
        new("multicall.result-overflow", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.multicall"
            && FaultString(o.CPython.Response) is { } fault && SubFaultStrings(o.Ours.Response).Contains(fault)),
    ];

    /// <summary><c>--http</c>: differences in the HTTP status or content type (no other explanation applies to those).</summary>
    public static IReadOnlyList<Explanation> HttpDifferences { get; } =
    [
        // A fault document as the request, its code beyond 32 bits: CPython cannot marshal the fault it answers with
        // (OverflowError escapes the dispatcher: HTTP 500, no body); we answer 200 with that fault, code 0, text kept.
        new("transport.fault-document-code-beyond-32-bits", o => o is { CPythonHttp: { Status: 500, Body.Length: 0 }, OurHttp.Status: 200 }
            && o.Ours.Message is { IsFault: true, Fault: { Code: 0, RawCode.IsInteger: true } }
            && FaultString(o.Ours.Response) == o.Ours.Message.Fault.Message),
    ];

    /// <summary>Differences in the answer's text alone, applied in this order until both texts agree.</summary>
    public static IReadOnlyList<TextRewrite> Rewrites { get; } =
    [
        // A string with a carriage return in the answer: CPython writes it raw (every XML parser reads it back as a line
        // feed), we write &#13;.
        new("value.string.cr", cpython => cpython.Replace("\r", "&#13;", StringComparison.Ordinal), ours => ours),

        // A call with the wrong number of arguments: CPython 3.10+ names the Python service's closure
        // (service_functions.<locals>.echo()), and the function, not the method (nested.echo is echo); we name the
        // method. The case allows any fault text (nonStrict); the rest of the text must still be CPython's.
        new("fault.wrong-arg-count",
            cpython => cpython.Replace("service_functions.&lt;locals&gt;.", string.Empty, StringComparison.Ordinal),
            ours => ours.Replace("&gt;:nested.echo()", "&gt;:echo()", StringComparison.Ordinal)),

        // A DateTime or Binary inside a raised list or dict: CPython prints the object's address (id()), which no other
        // process can reproduce; we print 0x0 (XmlRpcValue.ToPythonRepr).
        new("fault.raised-exception.object-address", cpython => ObjectAddress().Replace(cpython, " at 0x0&gt;"), ours => ours),

        // A fault text with a character XML 1.0 cannot carry (str() of a Binary): CPython writes it raw, an answer nobody
        // can read; we write U+FFFD.
        new("fault.raised-exception.unwritable-text", cpython => NotXmlCharacter().Replace(cpython, "\uFFFD"), ours => ours),
    ];

    /// <summary>The case (or cases, joined by <c> + </c>) that explain an observation, or null.</summary>
    public static string? Explain(Observation observation)
    {
        if (observation.Kind == DifferenceKind.Http)
        {
            return HttpDifferences.FirstOrDefault(e => e.Applies(observation))?.CaseId;
        }

        if (All.FirstOrDefault(e => e.Applies(observation)) is { } explanation)
        {
            return explanation.CaseId;
        }

        if (observation.Kind != DifferenceKind.Response)
        {
            return null;
        }

        var (cpython, ours) = (observation.CPythonResponseText, observation.OurResponseText);
        var applied = new List<string>();
        foreach (var rewrite in Rewrites)
        {
            var (c, o) = (rewrite.CPython(cpython), rewrite.Ours(ours));
            if (c != cpython || o != ours)
            {
                applied.Add(rewrite.CaseId);
                (cpython, ours) = (c, o);
            }
        }

        return applied.Count > 0 && cpython == ours ? string.Join(" + ", applied) : null;
    }

    private static string? FaultString(byte[]? response) =>
        Parse(response) is { IsFault: true } message ? message.Fault.Message : null;

    private static IEnumerable<string> SubFaultStrings(byte[] response)
    {
        try
        {
            return Parse(response) is { IsFault: false, Params: [var results] }
                ? XmlRpcMultiCall.ReadResults(results).Where(r => r.IsFault).Select(r => r.Fault!.Message)
                : [];
        }
        catch (XmlRpcParseException)
        {
            return [];
        }
    }

    private static XmlRpcMessage? Parse(byte[]? response)
    {
        try
        {
            return response is null ? null : XmlRpcParser.Default.Parse(response);
        }
        catch (XmlRpcParseException)
        {
            return null;
        }
    }

    [GeneratedRegex("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]", RegexOptions.CultureInvariant)]
    private static partial Regex NotXmlCharacter();

    [GeneratedRegex(" at 0x[0-9a-f]+&gt;", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectAddress();

    /// <summary>Every explanation names a catalog case that has a deviation block; returns what is wrong.</summary>
    public static IEnumerable<string> Validate(Conformance.Catalog.Catalog catalog)
    {
        foreach (var id in All.Concat(HttpDifferences).Select(e => e.CaseId).Concat(Rewrites.Select(r => r.CaseId)).Distinct(StringComparer.Ordinal))
        {
            var testCase = catalog.AllCases.FirstOrDefault(c => c.Id == id);
            if (testCase is null)
            {
                yield return $"explanation names {id}, which is not in the catalog";
            }
            else if (testCase.Deviation is null && testCase.NonStrict is null)
            {
                yield return $"explanation names {id}, which documents no deviation (nor a nonStrict allowance)";
            }
        }
    }
}
