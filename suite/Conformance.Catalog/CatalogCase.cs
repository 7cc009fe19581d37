using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>What a case's expectation says about a spec-open or spec-closed behaviour (fixtures/README.md).</summary>
public enum CaseExpectation
{
    /// <summary>Must work / must be accepted.</summary>
    Valid,

    /// <summary>Must be refused (by the sender or by the parser).</summary>
    Invalid,

    /// <summary>The spec leaves it open: a clean rejection or CPython's result are both fine.</summary>
    Acceptable,
}

/// <summary>The shape of a case: exactly one of these per case.</summary>
public enum CaseShape
{
    /// <summary><c>call</c>: one live call.</summary>
    Call,

    /// <summary><c>multicall</c>: one <c>system.multicall</c> request.</summary>
    Multicall,

    /// <summary><c>document</c> / <c>documentBase64</c>: parse-only.</summary>
    Document,

    /// <summary><c>http</c>: a raw HTTP exchange.</summary>
    Http,
}

/// <summary>A call (or one sub-call of a multicall).</summary>
/// <param name="Method">The method name.</param>
/// <param name="Params">The parameters as values.</param>
/// <param name="Encoding">The encoding the sender uses (<c>ServerProxy(encoding=...)</c>), or null for UTF-8.</param>
public sealed record CatalogCall(string Method, IReadOnlyList<XmlRpcValue> Params, string? Encoding);

/// <summary>A fault (expected or observed); a null <see cref="Code"/> or <see cref="FaultString"/> in an expectation is not checked.</summary>
/// <param name="Code">The code: an int, or a string when the case pins a code sent as text; null: any code.</param>
/// <param name="FaultString">The exact fault string, or null: any string.</param>
public sealed record CatalogFault(XmlRpcValue? Code, string? FaultString)
{
    /// <summary>Does another fault (an observed one) meet this expectation: the code with its wire type, and the string, where given?</summary>
    public bool Matches(CatalogFault observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var codeMatches = Code is null
            || (observed.Code is { } code && (Code.IsInteger ? code.IsInteger && Code.AsBigInteger() == code.AsBigInteger() : Code.Equals(code)));
        return codeMatches && (FaultString is null || string.Equals(FaultString, observed.FaultString, StringComparison.Ordinal));
    }

    /// <summary>The fault of a parsed response, with its code as received (a string code stays a string).</summary>
    public static CatalogFault From(XmlRpc.Protocol.XmlRpcFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var code = fault.Value is not null && fault.Value.TryGetMember("faultCode", out var received) ? received
            : fault.RawCode ?? XmlRpcValue.FromInt32(fault.Code);
        return new CatalogFault(code, fault.Message);
    }

    /// <summary>Does a parsed fault meet this expectation (code, and string when given)?</summary>
    public bool Matches(XmlRpc.Protocol.XmlRpcFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        bool codeMatches;
        if (Code is null)
        {
            codeMatches = true;
        }
        else if (Code.Kind == XmlRpcValueKind.String)
        {
            // The case pins the code's wire type (CPython keeps '4' as a str); compare with what was received.
            codeMatches = fault.Value is not null && fault.Value.TryGetMember("faultCode", out var received) && received.Equals(Code);
        }
        else
        {
            // An integer beyond 32 bits leaves XmlRpcFault.Code 0: compare with the code as received when there is one.
            var received = fault.RawCode is { IsInteger: true } raw ? raw.AsBigInteger() : fault.Code;
            codeMatches = Code.IsInteger && Code.AsBigInteger() == received;
        }

        return codeMatches && (FaultString is null || string.Equals(FaultString, fault.Message, StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public override string ToString() => $"fault {Code?.ToString() ?? "(any code)"}{(FaultString is null ? "" : $": '{FaultString}'")}";
}

/// <summary>One sub-call's expected outcome in a multicall.</summary>
/// <param name="Result">The expected value, or null for a fault.</param>
/// <param name="Fault">The expected fault, or null for a value.</param>
public sealed record CatalogOutcome(XmlRpcValue? Result, CatalogFault? Fault);

/// <summary>What a parse-only case decodes to.</summary>
/// <param name="Params">The parameters (null for a fault; an item is null where CPython decoded something XML-RPC cannot say).</param>
/// <param name="MethodName">The method name (null for a response).</param>
/// <param name="Fault">The fault, for a fault document.</param>
public sealed record CatalogDecodes(IReadOnlyList<XmlRpcValue?>? Params, string? MethodName, CatalogFault? Fault);

/// <summary>A case's <c>expect</c> (or a deviation's): exactly one member is set.</summary>
public sealed record CatalogExpect
{
    /// <summary>The call returns this value.</summary>
    public XmlRpcValue? Result { get; init; }

    /// <summary>The call returns a value of this XML-RPC type.</summary>
    public string? ResultType { get; init; }

    /// <summary>The call returns this fault.</summary>
    public CatalogFault? Fault { get; init; }

    /// <summary>Multicall: per sub-call.</summary>
    public IReadOnlyList<CatalogOutcome>? Results { get; init; }

    /// <summary>CPython refuses to marshal the request with this exception class.</summary>
    public string? SendError { get; init; }

    /// <summary>Parse-only: what the document decodes to.</summary>
    public CatalogDecodes? Decodes { get; init; }

    /// <summary>Parse-only: CPython raises this exception class.</summary>
    public string? Error { get; init; }

    /// <summary>http: the statuses that meet this expectation (CPython's one in <c>expect</c>; a <c>nonStrict</c> alternative may list several).</summary>
    public IReadOnlyList<int>? Statuses { get; init; }

    /// <summary>The raw JSON.</summary>
    public JsonElement Json { get; init; }
}

/// <summary>A documented, deliberate difference of our implementation from CPython.</summary>
public sealed record CatalogDeviation
{
    /// <summary>Why.</summary>
    public required string Reason { get; init; }

    /// <summary>Our writer refuses the value.</summary>
    public bool WriterRefuses { get; init; }

    /// <summary>Our bytes equal the golden bytes after these replacements (UTF-8 text pairs).</summary>
    public IReadOnlyList<(string From, string To)> WriterReplace { get; init; } = [];

    /// <summary>Our parser refuses the document where CPython accepts it.</summary>
    public bool ParserRefuses { get; init; }

    /// <summary>What our implementation returns instead of <c>expect</c>.</summary>
    public CatalogExpect? Expect { get; init; }
}

/// <summary>
/// What the spec allows besides CPython's answer (Autobahn's NON-STRICT): answers a Python client still interoperates with
/// (another fault code or text where a fault is due, another error status, another help text). Meeting one is NON-STRICT, not FAIL.
/// </summary>
/// <param name="Reason">Why these answers are allowed (the spec sentence, or "CPython's choice").</param>
/// <param name="Accept">The alternative expectations, in the grammar of <c>expect</c> (a fault may omit code or string: any).</param>
public sealed record CatalogNonStrict(string Reason, IReadOnlyList<CatalogExpect> Accept);

/// <summary>A raw HTTP exchange (transport cases).</summary>
public sealed record CatalogHttp
{
    /// <summary>Request method (default POST).</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Request target (default /RPC2).</summary>
    public string Path { get; init; } = "/RPC2";

    /// <summary>Extra headers, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body bytes (from <c>body</c> as UTF-8 or <c>bodyBase64</c>), before any gzip.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>Gzip the body.</summary>
    public bool GzipBody { get; init; }

    /// <summary>Do not add Content-Length.</summary>
    public bool OmitContentLength { get; init; }
}

/// <summary>One case of the catalog.</summary>
public sealed record CatalogCase
{
    /// <summary>Dotted id; the first segment is the area.</summary>
    public required string Id { get; init; }

    /// <summary>The area (the catalog file's).</summary>
    public required string Area { get; init; }

    /// <summary>One line: what is sent.</summary>
    public required string Description { get; init; }

    /// <summary>The spec sentence or CPython behaviour pinned.</summary>
    public required string Checks { get; init; }

    /// <summary>valid / invalid / acceptable.</summary>
    public required CaseExpectation Expectation { get; init; }

    /// <summary>Why the case is retired, or null.</summary>
    public string? Retired { get; init; }

    /// <summary>Struct member order is part of the check.</summary>
    public bool CompareOrdered { get; init; }

    /// <summary>The shape.</summary>
    public required CaseShape Shape { get; init; }

    /// <summary>The call, for <see cref="CaseShape.Call"/>.</summary>
    public CatalogCall? Call { get; init; }

    /// <summary>The sub-calls, for <see cref="CaseShape.Multicall"/>.</summary>
    public IReadOnlyList<CatalogCall>? Multicall { get; init; }

    /// <summary>The document text, for a <c>document</c> case.</summary>
    public string? Document { get; init; }

    /// <summary>The exact document bytes, for every parse-only case (UTF-8 of <see cref="Document"/>, or the decoded <c>documentBase64</c>).</summary>
    public byte[]? DocumentBytes { get; init; }

    /// <summary>The exchange, for <see cref="CaseShape.Http"/>.</summary>
    public CatalogHttp? Http { get; init; }

    /// <summary>The intent.</summary>
    public required CatalogExpect Expect { get; init; }

    /// <summary>The documented deviation, or null.</summary>
    public CatalogDeviation? Deviation { get; init; }

    /// <summary>The answers the spec allows besides CPython's (NON-STRICT), or null: only CPython's answer is right.</summary>
    public CatalogNonStrict? NonStrict { get; init; }

    /// <summary>True for the shapes a client runs against a server (call, multicall, http).</summary>
    public bool IsLive => Shape is CaseShape.Call or CaseShape.Multicall or CaseShape.Http;

    /// <summary>Every method the case calls: its call's, or <c>system.multicall</c> and each sub-call's, and <c>describe</c> after a one-param <c>echo</c>.</summary>
    public IReadOnlyList<string> CalledMethods => Shape switch
    {
        CaseShape.Call when Call!.Method == "echo" && Call.Params.Count == 1 => ["echo", "describe"],
        CaseShape.Call => [Call!.Method],
        CaseShape.Multicall => ["system.multicall", .. Multicall!.Select(m => m.Method).Distinct(StringComparer.Ordinal)],
        _ => [],
    };

    /// <summary>True when a live run follows the call with <c>describe</c> (fixtures/README.md: echo with one param).</summary>
    public bool IsDescribed => Shape == CaseShape.Call && Call!.Method == "echo" && Call.Params.Count == 1;

    /// <summary>The case's JSON as written in the catalog.</summary>
    public JsonElement Json { get; init; }

    /// <summary>The request our writer sends for a call or multicall case (<c>system.multicall</c> built like CPython's <c>MultiCall</c>).</summary>
    public XmlRpc.Protocol.XmlRpcRequest? Request => Shape switch
    {
        CaseShape.Call => new(Call!.Method, Call.Params),
        CaseShape.Multicall => XmlRpc.Protocol.XmlRpcMultiCall.CreateRequest(Multicall!.Select(c => new XmlRpc.Protocol.XmlRpcRequest(c.Method, c.Params))),
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => Id;
}
