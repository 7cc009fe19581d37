namespace XmlRpc;

/// <summary>
/// Names the XML-RPC method behind a CLR method, on both sides: the method a client proxy interface calls
/// (<c>XmlRpcClient.CreateProxy&lt;T&gt;</c>) and the method a server type offers (<c>XmlRpcMethodRegistry.AddInstance&lt;T&gt;</c>).
/// </summary>
/// <remarks>
/// <para>One interface can serve both sides: mark its methods, create a proxy of it on the client, and register an
/// implementation of it on the server (<c>AddInstance&lt;IMyService&gt;(impl)</c>, or <c>AddInstance(impl)</c>: the attributes
/// of the interface methods a class implements count as its own).</para>
/// <para>Without a name (or without the attribute) the CLR method's own name is the wire name. Any text is allowed,
/// dots included (<c>system.listMethods</c>, <c>validator1.echoStructTest</c>).</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class XmlRpcMethodAttribute : Attribute
{
    /// <summary>Uses the CLR method's name as the wire name (on a server type: offers the method).</summary>
    public XmlRpcMethodAttribute()
    {
    }

    /// <summary>Uses <paramref name="name"/> as the wire name.</summary>
    /// <param name="name">The wire name; not empty.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public XmlRpcMethodAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The wire name; null for the CLR method's name.</summary>
    public string? Name { get; }
}
