namespace XmlRpc.Client;

/// <summary>Names the XML-RPC method a proxy interface method calls (<see cref="XmlRpcClient.CreateProxy{T}"/>).</summary>
/// <remarks>Without it the interface method's own name is sent. Any text is allowed, dots included (<c>system.listMethods</c>).</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class XmlRpcMethodAttribute : Attribute
{
    /// <summary>Calls <paramref name="name"/>.</summary>
    /// <param name="name">The wire name.</param>
    public XmlRpcMethodAttribute(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The wire name.</summary>
    public string Name { get; }
}
