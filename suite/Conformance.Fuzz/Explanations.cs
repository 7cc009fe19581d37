using XmlRpc;

namespace Conformance.Fuzz;

/// <summary>A difference the catalog documents: a case with a <c>deviation</c> block that says what we do instead and why (or a <c>nonStrict</c> allowance for the text in question).</summary>
/// <param name="CaseId">The catalog case whose deviation explains it.</param>
/// <param name="Applies">Does this documented deviation account for the observation?</param>
internal sealed record Explanation(string CaseId, Func<Observation, bool> Applies);

/// <summary>
/// The only differences the fuzzer accepts: each names the catalog case (with its <c>deviation</c>) distilled from it.
/// Anything else is unexplained and fails the run.
/// </summary>
internal static class Explanations
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

        // A string with a carriage return in the answer: CPython writes it raw (every XML parser reads it back as a line
        // feed), we write &#13;. Nothing else may differ.
        new("value.string.cr", o => o.Kind == DifferenceKind.Response && o.CPythonResponseText.Contains('\r', StringComparison.Ordinal)
            && o.CPythonResponseText.Replace("\r", "&#13;", StringComparison.Ordinal) == o.OurResponseText),

        // system.methodSignature: CPython always answers 'signatures not supported'; we return real signatures.
        new("introspection.method-signature", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.methodSignature"),

        // system.multicall: a malformed sub-call is a fault for that call only (CPython fails the whole request with
        // KeyError/TypeError), and a nested system.multicall is refused per call.
        new("multicall.missing-params-member", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.multicall"
            && o.OurResponseText.Contains("system.multicall: a call needs", StringComparison.Ordinal)),
        new("multicall.nested", o => o.Kind == DifferenceKind.Response && o.Ours.Message?.MethodName == "system.multicall"
            && o.OurResponseText.Contains("system.multicall cannot be nested", StringComparison.Ordinal)),

        // A call with the wrong number of arguments: CPython 3.10+ names the Python service's closure
        // (service_functions.<locals>.echo()), and the function, not the method (nested.echo is echo); we name the
        // method. The case allows any fault text (nonStrict); the rest of the text must still be CPython's.
        new("fault.wrong-arg-count", o => o.Kind == DifferenceKind.Response
            && o.CPythonResponseText.Contains("service_functions.&lt;locals&gt;.", StringComparison.Ordinal)
            && o.CPythonResponseText.Replace("service_functions.&lt;locals&gt;.", string.Empty, StringComparison.Ordinal)
                == o.OurResponseText.Replace("&gt;:nested.echo()", "&gt;:echo()", StringComparison.Ordinal)),
    ];

    /// <summary>The case that explains an observation, or null.</summary>
    public static string? Explain(Observation observation) => All.FirstOrDefault(e => e.Applies(observation))?.CaseId;

    /// <summary>Every explanation names a catalog case that has a deviation block; returns what is wrong.</summary>
    public static IEnumerable<string> Validate(Conformance.Catalog.Catalog catalog)
    {
        foreach (var id in All.Select(e => e.CaseId).Distinct(StringComparer.Ordinal))
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
