namespace XmlRpc.Server;

/// <summary>The text <c>system.methodHelp</c> returns for a method.</summary>
/// <remarks>
/// CPython returns the method's cleaned docstring (<c>pydoc.getdoc</c>), or <c>""</c> when it has none.
/// <see cref="System.ComponentModel.DescriptionAttribute"/> is read as well when this attribute is absent.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, AllowMultiple = false, Inherited = true)]
public sealed class XmlRpcHelpAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="text">The help text.</param>
    public XmlRpcHelpAttribute(string text)
    {
        Text = text;
    }

    /// <summary>The help text.</summary>
    public string Text { get; }
}
