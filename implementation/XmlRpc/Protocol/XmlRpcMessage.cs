namespace XmlRpc.Protocol;

/// <summary>Everything a parsed XML-RPC document says, as CPython's <c>xmlrpc.client.loads</c> returns it.</summary>
/// <remarks>
/// CPython's parser does not tell a call from a response: it returns the parameters and the method name
/// (<c>None</c> for a response), or raises the fault. <see cref="XmlRpcParser.Parse(ReadOnlySpan{byte})"/> returns the same
/// three things; <see cref="ToRequest"/> and <see cref="ToResponse"/> apply what a server and a client expect.
/// </remarks>
public sealed class XmlRpcMessage
{
    internal XmlRpcMessage(string? methodName, IReadOnlyList<XmlRpcValue> parameters, XmlRpcFault? fault)
    {
        MethodName = methodName;
        Params = parameters;
        Fault = fault;
    }

    /// <summary>The <c>&lt;methodName&gt;</c> text (whitespace kept), or null when the document has none.</summary>
    public string? MethodName { get; }

    /// <summary>The parameters (empty for a fault).</summary>
    public IReadOnlyList<XmlRpcValue> Params { get; }

    /// <summary>The fault, for a <c>&lt;fault&gt;</c> document.</summary>
    public XmlRpcFault? Fault { get; }

    /// <summary>True for a <c>&lt;fault&gt;</c> document.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Fault))]
    public bool IsFault => Fault is not null;

    /// <summary>The document as a call.</summary>
    /// <exception cref="XmlRpcParseException">It is a fault, or it has no method name.</exception>
    public XmlRpcRequest ToRequest()
    {
        if (IsFault)
        {
            throw new XmlRpcParseException("The document is a fault, not a methodCall.", XmlRpcParseErrorKind.InvalidMessage, 0, 0);
        }

        return MethodName is null
            ? throw new XmlRpcParseException("The methodCall has no methodName.", XmlRpcParseErrorKind.InvalidMessage, 0, 0)
            : new XmlRpcRequest(MethodName, Params);
    }

    /// <summary>The document as a response.</summary>
    /// <remarks>
    /// Like CPython's <c>ServerProxy</c>: one parameter is the result; zero or several parameters are returned
    /// as an array of them (CPython returns a tuple). A method name is ignored.
    /// </remarks>
    public XmlRpcResponse ToResponse()
    {
        if (IsFault)
        {
            return XmlRpcResponse.FromFault(Fault);
        }

        return XmlRpcResponse.Success(Params.Count == 1 ? Params[0] : XmlRpcValue.CreateArrayOwned([.. Params]));
    }
}
