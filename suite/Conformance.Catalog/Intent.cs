using XmlRpc;

namespace Conformance.Catalog;

/// <summary>Does CPython's recorded outcome meet a case's intent? (python-peers/conformance.py <c>same_outcome</c>.)</summary>
public static class Intent
{
    /// <summary>True when <paramref name="observation"/> meets <paramref name="testCase"/>'s <c>expect</c>.</summary>
    /// <remarks>
    /// Values compare with <see cref="XmlRpcValue.Equals(XmlRpcValue?, bool)"/>: struct members as a set unless the case
    /// says <c>compare: ordered</c>, integers by value whatever their tag. Fault codes compare with their type (a code sent
    /// as a string only matches a string); a fault without <c>string</c> checks the code only.
    /// </remarks>
    public static bool IsMet(CatalogCase testCase, CPythonObservation observation)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(observation);
        var expect = testCase.Expect;
        var ordered = testCase.CompareOrdered;
        if (expect.SendError is { } sendError)
        {
            return string.Equals(observation.SendError, sendError, StringComparison.Ordinal);
        }

        if (expect.Result is { } result)
        {
            return observation.ResponseResult is { } actual && result.Equals(actual, ordered);
        }

        if (expect.ResultType is { } resultType)
        {
            return string.Equals(observation.ResponseResultType, resultType, StringComparison.Ordinal);
        }

        if (expect.Fault is { } fault)
        {
            return observation.ResponseFault is { } actual && SameFault(fault, actual);
        }

        if (expect.Results is { } results)
        {
            var actual = observation.ResponseResults;
            if (actual is null || actual.Count != results.Count)
            {
                return false;
            }

            for (var i = 0; i < results.Count; i++)
            {
                var ok = results[i].Fault is { } f
                    ? actual[i].Fault is { } af && SameFault(f, af)
                    : actual[i].Result is { } ar && results[i].Result!.Equals(ar, ordered);
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        if (expect.Decodes is { } decodes)
        {
            var actual = observation.Decodes;
            if (actual is null)
            {
                return false;
            }

            if (decodes.Fault is { } f)
            {
                return actual.Fault is { } af && SameFault(f, af);
            }

            return actual.Params is { } ap
                && string.Equals(actual.MethodName, decodes.MethodName, StringComparison.Ordinal)
                && ap.Count == decodes.Params!.Count
                && ap.Zip(decodes.Params).All(p => p.First is { } a && p.Second is { } e && e.Equals(a, ordered));
        }

        if (expect.Error is { } error)
        {
            return string.Equals(observation.Error, error, StringComparison.Ordinal);
        }

        if (expect.Status is { } status)
        {
            return observation.Status == status;
        }

        return false;
    }

    private static bool SameFault(CatalogFault expected, CatalogFault actual) =>
        expected.Code.Equals(actual.Code) && expected.Code.Kind.Normalize() == actual.Code.Kind.Normalize()
        && (expected.FaultString is null || string.Equals(expected.FaultString, actual.FaultString, StringComparison.Ordinal));

    private static XmlRpcValueKind Normalize(this XmlRpcValueKind kind) =>
        kind is XmlRpcValueKind.I8 or XmlRpcValueKind.BigInteger ? XmlRpcValueKind.Int : kind;
}
