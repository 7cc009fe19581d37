namespace XmlRpc.Server;

/// <summary>The Python-style class name an exception type shows in CPython-profile fault strings.</summary>
/// <remarks>
/// CPython's dispatcher turns any exception into fault 1 with <c>"%s:%s" % (type(exc), exc)</c>, e.g.
/// <c>&lt;class 'ValueError'&gt;:boom</c>. Without this attribute the .NET type's full name is used
/// (<c>&lt;class 'System.InvalidOperationException'&gt;:...</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class XmlRpcExceptionNameAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The class name, e.g. <c>ValueError</c> or <c>mymodule.MyError</c>.</param>
    public XmlRpcExceptionNameAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The class name shown between <c>&lt;class '</c> and <c>'&gt;</c>.</summary>
    public string Name { get; }
}
