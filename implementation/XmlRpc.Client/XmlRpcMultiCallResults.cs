using System.Collections;
using System.Diagnostics.CodeAnalysis;
using XmlRpc.Protocol;

namespace XmlRpc.Client;

/// <summary>The per-call outcomes of a <c>system.multicall</c>.</summary>
/// <remarks>
/// Like CPython's <c>MultiCallIterator</c>: <see cref="GetValue(int)"/> and enumerating <see cref="Values"/> throw
/// <see cref="XmlRpcFaultException"/> at a faulted call; the list itself exposes every outcome without throwing
/// (CPython's <c>.results</c>).
/// </remarks>
public sealed class XmlRpcMultiCallResults : IReadOnlyList<XmlRpcMultiCallResult>
{
    private readonly IReadOnlyList<XmlRpcMultiCallResult> _results;

    internal XmlRpcMultiCallResults(IReadOnlyList<XmlRpcMultiCallResult> results) => _results = results;

    /// <summary>The number of calls.</summary>
    public int Count => _results.Count;

    /// <summary>The outcome of call <paramref name="index"/>.</summary>
    /// <param name="index">The call's position in the batch.</param>
    public XmlRpcMultiCallResult this[int index] => _results[index];

    /// <summary>The results in order; enumeration throws at the first fault (CPython's iteration of a <c>MultiCall</c> result).</summary>
    public IEnumerable<XmlRpcValue> Values => _results.Select(r => r.GetValueOrThrow());

    /// <summary>The result of call <paramref name="index"/>.</summary>
    /// <param name="index">The call's position.</param>
    /// <returns>Its value.</returns>
    /// <exception cref="XmlRpcFaultException">That call faulted.</exception>
    public XmlRpcValue GetValue(int index) => _results[index].GetValueOrThrow();

    /// <summary>The result of call <paramref name="index"/>, mapped to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The CLR type.</typeparam>
    /// <param name="index">The call's position.</param>
    /// <returns>Its value.</returns>
    /// <exception cref="XmlRpcFaultException">That call faulted.</exception>
    [RequiresUnreferencedCode("Results are mapped to CLR types by reflection.")]
    [RequiresDynamicCode("Results are mapped to CLR types by reflection.")]
    public T GetValue<T>(int index)
    {
        var value = GetValue(index);
        return value is T same ? same : XmlRpcSerializer.FromValue<T>(value);
    }

    /// <inheritdoc/>
    public IEnumerator<XmlRpcMultiCallResult> GetEnumerator() => _results.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
