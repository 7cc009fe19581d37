using System.Collections.Concurrent;
using System.ComponentModel;

namespace XmlRpc.Client;

/// <summary>
/// The client proxies that the XmlRpcWire source generator wrote for the <see cref="XmlRpcMethodAttribute"/>
/// interfaces of an assembly, registered by that assembly's generated module initializer.
/// </summary>
/// <remarks>
/// <see cref="XmlRpcClient.CreateProxy{T}"/> looks here first: an interface with a generated proxy gets it (a plain
/// class that converts the arguments and the result without reflection); every other interface gets the
/// <see cref="System.Reflection.DispatchProxy"/> fallback. <see cref="Create{T}(XmlRpcClient)"/> is the trimming and
/// Native AOT safe way to ask for a generated proxy.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class XmlRpcGeneratedProxies
{
    private static readonly ConcurrentDictionary<Type, Func<XmlRpcClient, object>> Factories = new();

    /// <summary>Registers the generated proxy of <paramref name="contract"/>.</summary>
    public static void Register(Type contract, Func<XmlRpcClient, object> factory)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[contract] = factory;
    }

    /// <summary>Whether <paramref name="contract"/> has a generated proxy.</summary>
    public static bool IsGenerated(Type contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return Factories.ContainsKey(contract);
    }

    /// <summary>The generated proxy of <typeparamref name="T"/> over <paramref name="client"/>, without reflection.</summary>
    /// <exception cref="InvalidOperationException">The source generator wrote no proxy for <typeparamref name="T"/> (see its XRPC002 warning).</exception>
    public static T Create<T>(XmlRpcClient client)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        return TryCreate<T>(client) ?? throw new InvalidOperationException(
            $"{typeof(T)} has no generated XML-RPC proxy: the source generator reports why (warning XRPC002), or the interface has no [XmlRpcMethod] method.");
    }

    internal static T? TryCreate<T>(XmlRpcClient client)
        where T : class =>
        Factories.TryGetValue(typeof(T), out var factory) ? (T)factory(client) : null;
}
