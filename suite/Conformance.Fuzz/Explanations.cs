using XmlRpc;

namespace Conformance.Fuzz;

/// <summary>A difference the catalog documents: a case with a <c>deviation</c> block that says what we do instead, and why.</summary>
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
            else if (testCase.Deviation is null)
            {
                yield return $"explanation names {id}, which has no deviation block";
            }
        }
    }
}
