namespace XmlRpc.Server;

/// <summary>Offers a method through <see cref="XmlRpcMethodRegistry.AddInstance{T}"/>, optionally under another wire name.</summary>
/// <remarks>When any public method of the registered type carries this attribute, only the marked ones are offered.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class XmlRpcMethodAttribute : Attribute
{
    /// <summary>Offers the method under its CLR name.</summary>
    public XmlRpcMethodAttribute()
    {
    }

    /// <summary>Offers the method under <paramref name="name"/> (any text; dots allowed, e.g. <c>validator1.echoStructTest</c>).</summary>
    /// <param name="name">The wire name.</param>
    public XmlRpcMethodAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The wire name; null for the CLR name.</summary>
    public string? Name { get; }
}
