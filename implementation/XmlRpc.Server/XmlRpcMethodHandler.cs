namespace XmlRpc.Server;

/// <summary>The body of an XML-RPC method: positional parameters in, one value out.</summary>
/// <param name="parameters">The call's parameters, as decoded.</param>
/// <param name="cancellationToken">Signalled when the client goes away (<c>HttpContext.RequestAborted</c>) or the server stops.</param>
/// <returns>The result value.</returns>
public delegate ValueTask<XmlRpcValue> XmlRpcMethodHandler(IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken);
