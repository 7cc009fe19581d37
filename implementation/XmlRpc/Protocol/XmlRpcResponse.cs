namespace XmlRpc.Protocol;

/// <summary>An XML-RPC response: <c>&lt;methodResponse&gt;</c> with one value, or a fault.</summary>
public sealed class XmlRpcResponse : IEquatable<XmlRpcResponse>
{
    private XmlRpcResponse(XmlRpcValue? value, XmlRpcFault? fault)
    {
        Value = value;
        Fault = fault;
    }

    /// <summary>The returned value; null for a fault.</summary>
    public XmlRpcValue? Value { get; }

    /// <summary>The fault; null for a success.</summary>
    public XmlRpcFault? Fault { get; }

    /// <summary>True for a fault.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Fault))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Value))]
    public bool IsFault => Fault is not null;

    /// <summary>A successful response carrying <paramref name="value"/>.</summary>
    public static XmlRpcResponse Success(XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    /// <summary>A fault response.</summary>
    public static XmlRpcResponse FromFault(XmlRpcFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new(null, fault);
    }

    /// <summary>A fault response.</summary>
    public static XmlRpcResponse FromFault(int code, string message) => FromFault(new XmlRpcFault(code, message));

    /// <summary>The value, or an <see cref="XmlRpcFaultException"/> for a fault.</summary>
    /// <exception cref="XmlRpcFaultException">The response is a fault.</exception>
    public XmlRpcValue GetValueOrThrow() => IsFault ? throw new XmlRpcFaultException(Fault) : Value;

    /// <inheritdoc/>
    public bool Equals(XmlRpcResponse? other) =>
        other is not null && Equals(Value, other.Value) && Equals(Fault, other.Fault);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is XmlRpcResponse other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Fault);

    /// <inheritdoc/>
    public override string ToString() => IsFault ? Fault.ToString() : Value.ToString();
}
