namespace XmlRpc.Protocol;

/// <summary>An XML-RPC call: <c>&lt;methodCall&gt;</c> with a method name and positional parameters.</summary>
/// <param name="MethodName">The method name (any text; the writer escapes it).</param>
/// <param name="Params">The parameters, in order.</param>
public sealed record XmlRpcRequest(string MethodName, IReadOnlyList<XmlRpcValue> Params)
{
    /// <summary>A call with the given parameters.</summary>
    public static XmlRpcRequest Create(string methodName, params XmlRpcValue[] parameters) => new(methodName, parameters);

    /// <summary>Method name and parameters equality (parameters compared with <see cref="XmlRpcValue.Equals(XmlRpcValue?)"/>).</summary>
    public bool Equals(XmlRpcRequest? other) =>
        other is not null
        && string.Equals(MethodName, other.MethodName, StringComparison.Ordinal)
        && Params.SequenceEqual(other.Params);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(string.GetHashCode(MethodName, StringComparison.Ordinal), Params.Count);

    /// <inheritdoc/>
    public override string ToString() => $"{MethodName}({string.Join(", ", Params)})";
}
