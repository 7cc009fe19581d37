using System.Text;
using System.Text.Json;
using Conformance.Catalog;
using Conformance.Server;
using XmlRpc;
using XmlRpc.Protocol;
using XmlRpc.Server;

namespace Conformance.Fuzz;

/// <summary>How our side and CPython's differ on one document.</summary>
internal enum DifferenceKind
{
    /// <summary>CPython decodes it, our parser refuses it.</summary>
    WeRefuse,

    /// <summary>CPython refuses it, our parser decodes it.</summary>
    WeAccept,

    /// <summary>Both decode it, to different values, method names or faults.</summary>
    Value,

    /// <summary>The server's answer (the fault text of a malformed request, or an echoed value) differs byte for byte.</summary>
    Response,

    /// <summary><c>--http</c>: the HTTP status or content type differ (no catalog case explains that).</summary>
    Http,
}

/// <summary>What our parser and our dispatcher made of one document.</summary>
internal sealed record OurResult(XmlRpcMessage? Message, XmlRpcParseException? Error, byte[] Response);

/// <summary>One document on both sides, and how they differ (<see cref="Kind"/> null: they agree).</summary>
internal sealed record Observation(byte[] Document, CPythonResult CPython, OurResult Ours, DifferenceKind? Kind, string Detail)
{
    /// <summary><c>--http</c>: CPython's server's answer.</summary>
    public HttpAnswer? CPythonHttp { get; init; }

    /// <summary><c>--http</c>: our server's answer.</summary>
    public HttpAnswer? OurHttp { get; init; }

    /// <summary>CPython's decoded parameters (raw model JSON each), when it decoded a call or a response.</summary>
    public IReadOnlyList<string>? CPythonParams =>
        CPython.Decode.TryGetProperty("decodes", out var d) && d.TryGetProperty("params", out var p) ? [.. p.EnumerateArray().Select(e => e.GetRawText())] : null;

    /// <summary>CPython's exception class name (<c>ExpatError</c>), when <c>loads</c> raised.</summary>
    public string? CPythonError => CPython.Decode.TryGetProperty("error", out var e) ? e.GetProperty("type").GetString() : null;

    /// <summary>CPython's answer as text (its fault string is what malformed requests are about).</summary>
    public string CPythonResponseText => CPython.Response is null ? "(the dispatcher raised: " + CPython.ServerError + ")" : Encoding.UTF8.GetString(CPython.Response);

    /// <summary>Our answer as text.</summary>
    public string OurResponseText => Encoding.UTF8.GetString(Ours.Response);
}

/// <summary>Our parser and dispatcher (the conformance service in the CPython fault profile) against CPython's, one document at a time.</summary>
internal sealed class Differential
{
    /// <summary>Left out of the fuzz service on both sides (python-peers/fuzz_worker.py <c>EXCLUDED</c>): their cost depends on their arguments, the clock or the disk.</summary>
    public static readonly string[] ExcludedMethods = ["sleep", "make_string", "today", "python_logo"];

    private readonly XmlRpcDispatcher _dispatcher;

    public Differential(string fixtures)
    {
        var methods = new XmlRpcMethodRegistry();
        ConformanceService.Register(methods, fixtures);
        foreach (var name in ExcludedMethods)
        {
            methods.Remove(name);
        }

        // As the conformance service is configured (ConformanceHost): CPython's fault profile, exception texts sent.
        _dispatcher = new XmlRpcDispatcher(methods, new XmlRpcServerOptions { EnableDetailedErrors = true });
    }

    public async Task<OurResult> RunAsync(byte[] document, CancellationToken cancellationToken)
    {
        XmlRpcMessage? message = null;
        XmlRpcParseException? error = null;
        try
        {
            message = _dispatcher.Parser.Parse(document);
        }
        catch (XmlRpcParseException e)
        {
            error = e;
        }

        var response = await _dispatcher.HandleRequestAsync(document, cancellationToken).ConfigureAwait(false);
        return new OurResult(message, error, response);
    }

    /// <summary>Compares both sides: accept/reject first, then the decoded values, then the answer's bytes.</summary>
    public static Observation Compare(byte[] document, CPythonResult cpython, OurResult ours)
    {
        var decode = cpython.Decode;
        if (decode.TryGetProperty("error", out var error))
        {
            if (ours.Error is null)
            {
                return new(document, cpython, ours, DifferenceKind.WeAccept, $"CPython raised {error.GetProperty("type").GetString()}: {error.GetProperty("message").GetString()}; we decoded {Show(ours.Message!)}");
            }
        }
        else if (decode.TryGetProperty("tooDeep", out _))
        {
            // loads decoded it; its model is past Python's recursion limit, so only the answers are compared.
        }
        else
        {
            var decodes = decode.GetProperty("decodes");
            if (ours.Error is not null)
            {
                return new(document, cpython, ours, DifferenceKind.WeRefuse, $"CPython decoded {Shorten(decodes.GetRawText())}; we refused: {ours.Error.Message}");
            }

            if (ValueDifference(decodes, ours.Message!) is { } difference)
            {
                return new(document, cpython, ours, DifferenceKind.Value, difference);
            }
        }

        if (cpython.Response is not null && !cpython.Response.AsSpan().SequenceEqual(ours.Response))
        {
            return new(document, cpython, ours, DifferenceKind.Response, $"CPython answered {Shorten(FaultOrText(cpython.Response))}; we answered {Shorten(FaultOrText(ours.Response))}");
        }

        return new(document, cpython, ours, null, string.Empty);
    }

    private static string? ValueDifference(JsonElement decodes, XmlRpcMessage message)
    {
        if (decodes.TryGetProperty("fault", out var fault))
        {
            // Fault(**struct) keeps members of any type: compare both as models with the members we received.
            var code = fault.GetProperty("code").GetRawText();
            var text = fault.GetProperty("string").GetRawText();
            return message.IsFault && Member(message.Fault, "faultCode") == code && Member(message.Fault, "faultString") == text
                ? null
                : $"CPython decoded fault {code}: {text}; we decoded {Show(message)}";
        }

        if (message.IsFault)
        {
            return $"CPython decoded params {Shorten(decodes.GetRawText())}; we decoded {message.Fault}";
        }

        var method = decodes.GetProperty("methodName");
        var cpythonMethod = method.ValueKind == JsonValueKind.Null ? null : method.GetString();
        if (!string.Equals(cpythonMethod, message.MethodName, StringComparison.Ordinal))
        {
            return $"method name {Quote(message.MethodName)}, CPython decoded {Quote(cpythonMethod)}";
        }

        var expectedParams = decodes.GetProperty("params").EnumerateArray().Select(e => e.GetRawText()).ToList();
        var ourParams = message.Params.Select(CatalogModel.DescribeJson).ToList();
        return expectedParams.SequenceEqual(ourParams, StringComparer.Ordinal)
            ? null
            : $"CPython decoded [{Shorten(string.Join(",", expectedParams))}]; we decoded [{Shorten(string.Join(",", ourParams))}]";
    }

    private static string? Member(XmlRpcFault fault, string name) =>
        fault.Value is { } value && value.TryGetMember(name, out var member) ? CatalogModel.DescribeJson(member) : null;

    /// <summary>A response's fault string when it is a fault, else its text.</summary>
    public static string FaultOrText(byte[] response)
    {
        try
        {
            var message = XmlRpcParser.Default.Parse(response);
            return message.IsFault ? $"fault {message.Fault.Code} '{message.Fault.Message}'" : Encoding.UTF8.GetString(response);
        }
        catch (XmlRpcParseException)
        {
            return Encoding.UTF8.GetString(response);
        }
    }

    private static string Show(XmlRpcMessage message) =>
        message.IsFault ? message.Fault.ToString() : $"{Quote(message.MethodName)} [{Shorten(string.Join(",", message.Params.Select(CatalogModel.DescribeJson)))}]";

    private static string Quote(string? s) => s is null ? "None" : "'" + s + "'";

    public static string Shorten(string s) => s.Length > 300 ? s[..300] + "..." : s;
}
