using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace XmlRpc.Server;

/// <summary>
/// The server bindings that the XmlRpcWire source generator wrote for the <see cref="XmlRpcMethodAttribute"/> classes
/// of an assembly, registered by that assembly's generated module initializer. Not meant to be called by hand.
/// </summary>
/// <remarks>
/// <see cref="XmlRpcMethodRegistry.AddInstance{T}(T, string?)"/> looks here first: a class with a generated binding is
/// registered without reflection (no <c>MethodInfo</c>, no serializer), with the same names, help texts, signatures,
/// argument checks and fault texts as the reflection binding, which remains the fallback for every other type.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class XmlRpcGeneratedBindings
{
    private static readonly ConcurrentDictionary<Type, Func<object, string?, IReadOnlyList<XmlRpcMethodDefinition>>> Binders = new();

    /// <summary>Registers the generated binding of <paramref name="type"/>: from an instance and a name prefix, its method definitions.</summary>
    public static void Register(Type type, Func<object, string?, IReadOnlyList<XmlRpcMethodDefinition>> bind)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(bind);
        Binders[type] = bind;
    }

    /// <summary>Whether <paramref name="type"/> has a generated binding.</summary>
    public static bool IsGenerated(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Binders.ContainsKey(type);
    }

    internal static bool TryGet(Type type, [NotNullWhen(true)] out Func<object, string?, IReadOnlyList<XmlRpcMethodDefinition>>? bind) =>
        Binders.TryGetValue(type, out bind);
}
