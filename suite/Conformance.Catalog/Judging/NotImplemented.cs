using System.Text.RegularExpressions;

namespace Conformance.Catalog;

/// <summary>How servers of any ecosystem say "no such method": the evidence behind MISSING.</summary>
/// <remarks>
/// Recognised: CPython's <c>method "x" is not supported</c>; xmlrpc-c's <c>Method 'x' not defined</c> (fault -506,
/// <c>XMLRPC_NO_SUCH_METHOD_ERROR</c>); the interop spec's -32601 <c>requested method not found</c>; "no such method",
/// "unknown method", "method not found", "not implemented" in any wording; an HTTP 404 or 501 for a POST that other calls
/// to the same URL answer (node's <c>xmlrpc</c> server answers an unknown method with 404). Where the server offers
/// <c>system.listMethods</c>, its list decides instead (<see cref="JudgeContext.ListedMethods"/>).
/// </remarks>
public static partial class NotImplemented
{
    /// <summary>Fault codes that mean "no such method": the interop spec's -32601 and xmlrpc-c's -506.</summary>
    public static IReadOnlyList<int> FaultCodes { get; } = [-32601, -506];

    /// <summary>HTTP statuses that, for a POST to a URL that answers other calls, mean "no such method".</summary>
    public static IReadOnlyList<int> HttpStatuses { get; } = [404, 501];

    /// <summary>The method a "no such method" text names, or null when it names none.</summary>
    public static string? NamedMethod(string? text) =>
        text is not null && Named().Match(text) is { Success: true } m ? m.Groups["name"].Value : null;

    /// <summary>Does <paramref name="answer"/> say the server lacks <paramref name="method"/> (or, naming no method, any method)?</summary>
    public static bool Says(string method, CaseObservation answer)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.Fault?.FaultString ?? answer.Error?.Message;
        if (NamedMethod(text) is { } named)
        {
            return named == method;
        }

        if (answer.Fault is { Code: { IsInteger: true } code } && FaultCodes.Any(c => code.AsBigInteger() == c))
        {
            return true;
        }

        if (answer.Error is { Status: { } status } && HttpStatuses.Contains(status))
        {
            return true;
        }

        return (answer.Fault is not null || answer.Error is { Status: not null }) && text is not null && Generic().IsMatch(text);
    }

    [GeneratedRegex(@"method ""(?<name>[^""]*)"" is not supported|[Mm]ethod '(?<name>[^']*)' (?:not defined|not found|does not exist)|(?:[Nn]o such method|[Uu]nknown method|[Mm]ethod not found)[: ]+['""]?(?<name>[\w.]+)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Named();

    [GeneratedRegex(@"not supported|method not found|requested method .*not found|no such method|unknown method|not defined|not implemented|does not exist", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Generic();
}
