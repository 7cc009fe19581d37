namespace XmlRpc.Server;

/// <summary>One method of an <see cref="XmlRpcMethodRegistry"/>: its name, help, signatures and body.</summary>
/// <remarks>
/// The registry never looks a method up by reflection from a wire name: only names registered explicitly
/// are callable (CPython's <c>allow_dotted_names=True</c> walks attributes and was CVE-2005-0089).
/// </remarks>
public sealed class XmlRpcMethodDefinition
{
    /// <summary>Creates a method.</summary>
    /// <param name="name">The wire name (any text, dots allowed: <c>validator1.echoStructTest</c>).</param>
    /// <param name="handler">The body.</param>
    /// <param name="help">The <c>system.methodHelp</c> text (<c>""</c> when none).</param>
    /// <param name="signatures">The <c>system.methodSignature</c> signatures: each is the return type name followed by the parameter type names.</param>
    public XmlRpcMethodDefinition(string name, XmlRpcMethodHandler handler, string? help = null, IReadOnlyList<IReadOnlyList<string>>? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(handler);
        Name = name;
        Handler = handler;
        Help = help ?? string.Empty;
        Signatures = signatures ?? [];
    }

    /// <summary>The wire name.</summary>
    public string Name { get; }

    /// <summary>The body.</summary>
    public XmlRpcMethodHandler Handler { get; }

    /// <summary>The <c>system.methodHelp</c> text.</summary>
    public string Help { get; }

    /// <summary>The <c>system.methodSignature</c> signatures (empty when unknown).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Signatures { get; }
}
