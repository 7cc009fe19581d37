using System.Diagnostics.CodeAnalysis;
using XmlRpc.Protocol;

namespace XmlRpc.Client;

/// <summary>Collects calls and sends them as one <c>system.multicall</c> (CPython's <c>xmlrpc.client.MultiCall</c>).</summary>
/// <remarks>
/// The request is CPython's exactly: one parameter, an array of structs with <c>methodName</c> then <c>params</c>.
/// Each call gets its own result or fault in <see cref="XmlRpcMultiCallResults"/>; a fault of the whole request
/// (e.g. the server has no <c>system.multicall</c>) throws <see cref="XmlRpcFaultException"/>.
/// </remarks>
public sealed class XmlRpcMultiCallBuilder
{
    private readonly XmlRpcClient _client;
    private readonly List<XmlRpcRequest> _calls = [];

    internal XmlRpcMultiCallBuilder(XmlRpcClient client) => _client = client;

    /// <summary>The calls collected so far.</summary>
    public IReadOnlyList<XmlRpcRequest> Calls => _calls;

    /// <summary>Adds a call with XML-RPC values (no reflection: trimming- and AOT-safe).</summary>
    /// <param name="methodName">The method name (dots allowed, like CPython's <c>mc.sub.meth(...)</c>).</param>
    /// <param name="parameters">The parameters.</param>
    /// <returns>This batch.</returns>
    public XmlRpcMultiCallBuilder Add(string methodName, params XmlRpcValue[] parameters)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        ArgumentNullException.ThrowIfNull(parameters);
        _calls.Add(new XmlRpcRequest(methodName, [.. parameters]));
        return this;
    }

    /// <summary>Adds a call with CLR arguments (mapped like <see cref="XmlRpcClient.InvokeAsync{T}"/>; an <see cref="XmlRpcValue"/> is sent as it is).</summary>
    /// <param name="methodName">The method name.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>This batch.</returns>
    /// <remarks>The same method as <see cref="Add(string, XmlRpcValue[])"/>: C# picks that one when every argument is an <see cref="XmlRpcValue"/>.</remarks>
    [RequiresUnreferencedCode("Arguments are mapped from CLR types by reflection.")]
    [RequiresDynamicCode("Arguments are mapped from CLR types by reflection.")]
    public XmlRpcMultiCallBuilder Add(string methodName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        ArgumentNullException.ThrowIfNull(args);
        _calls.Add(new XmlRpcRequest(methodName, XmlRpcClient.ToValues(args)));
        return this;
    }

    /// <summary>Sends the batch as one <c>system.multicall</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result or fault per call, in order.</returns>
    /// <exception cref="XmlRpcFaultException">The whole request failed.</exception>
    /// <exception cref="XmlRpcInvalidResponseException">The result is not a multicall result.</exception>
    public async Task<XmlRpcMultiCallResults> InvokeAsync(CancellationToken cancellationToken = default)
    {
        var response = await _client.SendAsync(XmlRpcMultiCall.CreateRequest(_calls), cancellationToken).ConfigureAwait(false);
        var result = response.GetValueOrThrow();
        try
        {
            return new XmlRpcMultiCallResults(XmlRpcMultiCall.ReadResults(result));
        }
        catch (XmlRpcParseException e)
        {
            throw new XmlRpcInvalidResponseException($"The answer of {_client.Endpoint} to system.multicall is not a multicall result: {e.Message}", ReadOnlyMemory<byte>.Empty, e);
        }
    }
}
