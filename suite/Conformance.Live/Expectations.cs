using Conformance.Catalog;
using XmlRpc;

namespace Conformance.Live;

/// <summary>
/// Which expectation applies to a case in a direction, and whether an observation meets it. A case's
/// <c>expect</c> states CPython's behaviour; <c>deviation.expect</c> replaces it where our server answers
/// (the deviations that carry an <c>expect</c> are all server-side), and <c>deviation.writer: "refuse"</c>
/// means our client refuses to send what CPython writes as ill-formed XML.
/// </summary>
public static class Expectations
{
    /// <summary>The expectation for <paramref name="liveCase"/> when our client sends and/or our server answers, and where it comes from.</summary>
    /// <param name="liveCase">The case.</param>
    /// <param name="ourClient">Our C# client sends the request.</param>
    /// <param name="ourServer">Our C# server answers it.</param>
    /// <returns>A null expectation means "our writer refuses to send" (<c>deviation.writer: refuse</c>).</returns>
    public static (CatalogExpect? Expect, string Source) For(CatalogCase liveCase, bool ourClient, bool ourServer)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        if (liveCase.Deviation is { WriterRefuses: true } && ourClient)
        {
            return (null, "deviation.writer: refuse");
        }

        if (liveCase.Deviation?.Expect is { } alternative && ourServer)
        {
            return (alternative, "deviation.expect");
        }

        return (liveCase.Expect, "expect");
    }

    /// <summary>Does <paramref name="observed"/> meet <paramref name="expect"/> (null: a refusal to send)?</summary>
    public static bool Meets(CatalogExpect? expect, Observation observed, bool ordered)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (expect is null || expect.SendError is not null)
        {
            return observed.SendRefused is not null;
        }

        if (expect.Status is { } status)
        {
            return observed.Status == status;
        }

        if (expect.Result is { } result)
        {
            return observed.Result is { } r && result.Equals(r, ordered);
        }

        if (expect.ResultType is { } type)
        {
            return observed.Result is { } r && string.Equals(CatalogModel.TypeName(r), type, StringComparison.Ordinal);
        }

        if (expect.Fault is { } fault)
        {
            return observed.Fault is { } f && fault.Matches(f);
        }

        if (expect.Results is { } results)
        {
            var got = observed.Results ?? AsMultiCallResults(observed.Result);
            if (got is null || got.Count != results.Count)
            {
                return false;
            }

            for (var i = 0; i < results.Count; i++)
            {
                var ok = results[i].Fault is { } wf
                    ? got[i].IsFault && wf.Matches(got[i].Fault!)
                    : !got[i].IsFault && results[i].Result!.Equals(got[i].Value, ordered);
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    // A `call` of system.multicall (e.g. multicall.missing-params-member) returns the raw result array; a
    // `results` expectation reads it as CPython's MultiCallIterator does.
    private static IReadOnlyList<XmlRpc.Protocol.XmlRpcMultiCallResult>? AsMultiCallResults(XmlRpcValue? result)
    {
        if (result is not { Kind: XmlRpcValueKind.Array })
        {
            return null;
        }

        try
        {
            return XmlRpc.Protocol.XmlRpcMultiCall.ReadResults(result);
        }
        catch (XmlRpcParseException)
        {
            return null;
        }
    }
}
