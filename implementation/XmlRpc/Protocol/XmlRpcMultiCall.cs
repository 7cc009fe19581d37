namespace XmlRpc.Protocol;

/// <summary>The result of one call of a <c>system.multicall</c>: a value or a fault.</summary>
public sealed class XmlRpcMultiCallResult
{
    private XmlRpcMultiCallResult(XmlRpcValue? value, XmlRpcFault? fault)
    {
        Value = value;
        Fault = fault;
    }

    /// <summary>The call's result; null for a fault.</summary>
    public XmlRpcValue? Value { get; }

    /// <summary>The call's fault; null for a success.</summary>
    public XmlRpcFault? Fault { get; }

    /// <summary>True for a fault.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Fault))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Value))]
    public bool IsFault => Fault is not null;

    /// <summary>A success.</summary>
    public static XmlRpcMultiCallResult Success(XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    /// <summary>A fault.</summary>
    public static XmlRpcMultiCallResult FromFault(XmlRpcFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new(null, fault);
    }

    /// <summary>This result as an item of the <c>system.multicall</c> result array: <c>[value]</c>, or the fault struct.</summary>
    public XmlRpcValue ToValue() => IsFault ? Fault.ToValue() : XmlRpcValue.CreateArrayOwned([Value]);

    /// <summary>The value, or an <see cref="XmlRpcFaultException"/> for a fault (CPython's <c>MultiCallIterator</c>).</summary>
    /// <exception cref="XmlRpcFaultException">The call failed.</exception>
    public XmlRpcValue GetValueOrThrow() => IsFault ? throw new XmlRpcFaultException(Fault) : Value;

    /// <inheritdoc/>
    public override string ToString() => IsFault ? Fault.ToString() : Value.ToString();
}

/// <summary>Helpers for <c>system.multicall</c> (the boxcarring extension CPython's <c>MultiCall</c> and <c>SimpleXMLRPCServer</c> implement).</summary>
/// <remarks>
/// The request has one parameter: an array of structs, each with the members <c>methodName</c> (string) then
/// <c>params</c> (array). The response is an array with, per call, a one-element array holding the result, or a
/// fault struct (<c>faultCode</c>, <c>faultString</c>).
/// </remarks>
public static class XmlRpcMultiCall
{
    /// <summary><c>system.multicall</c>.</summary>
    public const string MethodName = "system.multicall";

    /// <summary>Builds the <c>system.multicall</c> request for the given calls, as CPython's <c>MultiCall</c> does.</summary>
    public static XmlRpcRequest CreateRequest(IEnumerable<XmlRpcRequest> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var items = new List<XmlRpcValue>();
        foreach (var call in calls)
        {
            ArgumentNullException.ThrowIfNull(call, nameof(calls));
            items.Add(XmlRpcValue.CreateStructOwned(
            [
                new("methodName", XmlRpcValue.FromString(call.MethodName)),
                new("params", XmlRpcValue.Array(call.Params)),
            ]));
        }

        return new XmlRpcRequest(MethodName, [XmlRpcValue.CreateArrayOwned([.. items])]);
    }

    /// <summary>Reads one entry of a <c>system.multicall</c> parameter array (server side).</summary>
    /// <param name="entry">One item of the array.</param>
    /// <param name="call">The call, when the entry is a struct with a string <c>methodName</c> and an array <c>params</c>.</param>
    /// <param name="error">What is wrong, otherwise.</param>
    public static bool TryReadCall(XmlRpcValue entry, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out XmlRpcRequest? call, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entry);
        call = null;
        if (entry.Kind != XmlRpcValueKind.Struct)
        {
            error = $"a system.multicall entry must be a struct, not {XmlRpcValue.KindName(entry.Kind)}";
            return false;
        }

        if (!entry.TryGetMember("methodName", out var name) || name.Kind != XmlRpcValueKind.String)
        {
            error = "a system.multicall entry needs a string member 'methodName'";
            return false;
        }

        if (!entry.TryGetMember("params", out var parameters) || parameters.Kind != XmlRpcValueKind.Array)
        {
            error = "a system.multicall entry needs an array member 'params'";
            return false;
        }

        call = new XmlRpcRequest(name.AsString(), parameters.ArrayItems);
        error = null;
        return true;
    }

    /// <summary>Builds the result value of a <c>system.multicall</c> response (server side): <c>[value]</c> per success, a fault struct per fault.</summary>
    public static XmlRpcValue CreateResult(IEnumerable<XmlRpcMultiCallResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var items = new List<XmlRpcValue>();
        foreach (var r in results)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(results));
            items.Add(r.ToValue());
        }

        return XmlRpcValue.CreateArrayOwned([.. items]);
    }

    /// <summary>Reads the result of a <c>system.multicall</c> response (client side).</summary>
    /// <remarks>As CPython's <c>MultiCallIterator</c>: an array item is a success (its first element), a struct item a fault.</remarks>
    /// <exception cref="XmlRpcParseException">The result is not an array, or an item is neither a non-empty array nor a fault struct.</exception>
    public static IReadOnlyList<XmlRpcMultiCallResult> ReadResults(XmlRpcValue result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Kind != XmlRpcValueKind.Array)
        {
            throw new XmlRpcParseException($"The system.multicall result is {XmlRpcValue.KindName(result.Kind)}, not an array.");
        }

        var items = result.ArrayItems;
        var list = new XmlRpcMultiCallResult[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.Kind == XmlRpcValueKind.Array && item.Count > 0)
            {
                list[i] = XmlRpcMultiCallResult.Success(item[0]);
            }
            else if (item.Kind == XmlRpcValueKind.Struct && XmlRpcFault.TryFromValue(item, out var fault, out var error))
            {
                list[i] = XmlRpcMultiCallResult.FromFault(fault);
            }
            else
            {
                throw new XmlRpcParseException($"Unexpected type in multicall result {i}: {XmlRpcValue.KindName(item.Kind)}{(item.Kind == XmlRpcValueKind.Struct ? " that is not a fault" : string.Empty)}.");
            }
        }

        return list;
    }
}
