using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using XmlRpc.Server.Internal;

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

    /// <summary>
    /// Checks the number of positional parameters of a call as CPython's <c>func(*params)</c> does, with its
    /// <c>TypeError</c> text (<c>add() missing 1 required positional argument: 'y'</c>).
    /// </summary>
    /// <param name="method">The wire name of the method.</param>
    /// <param name="count">The number of parameters received.</param>
    /// <param name="names">The names of the positional CLR parameters (no <see cref="CancellationToken"/>, no <c>params</c> array).</param>
    /// <param name="optional">For each of <paramref name="names"/>, whether it has a default value.</param>
    /// <param name="variadic">Whether a <c>params</c> array takes any further parameters.</param>
    /// <exception cref="Exception">The invalid-params fault for the caller when the count does not fit.</exception>
    public static void CheckArgumentCount(string method, int count, string[] names, bool[] optional, bool variadic)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(optional);
        // Per call: a plain loop (no delegate, no enumerator); the texts are built only on failure.
        var required = 0;
        foreach (var o in optional)
        {
            required += o ? 0 : 1;
        }

        if (count < required)
        {
            var missing = names.Skip(count).Where((_, i) => !optional[count + i]).ToList();
            throw new XmlRpcInvalidParamsException(string.Format(
                CultureInfo.InvariantCulture,
                "{0}() missing {1} required positional argument{2}: {3}",
                method,
                missing.Count,
                missing.Count == 1 ? string.Empty : "s",
                PythonList(missing)));
        }

        if (!variadic && count > names.Length)
        {
            var takes = required == names.Length
                ? string.Format(CultureInfo.InvariantCulture, "{0} positional argument{1}", names.Length, names.Length == 1 ? string.Empty : "s")
                : string.Format(CultureInfo.InvariantCulture, "from {0} to {1} positional arguments", required, names.Length);
            throw new XmlRpcInvalidParamsException(string.Format(
                CultureInfo.InvariantCulture,
                "{0}() takes {1} but {2} {3} given",
                method,
                takes,
                count,
                count == 1 ? "was" : "were"));
        }
    }

    /// <summary>The fault for a parameter that does not map to its CLR type: <c>add() argument 2 ('y'): Cannot map ...</c>.</summary>
    /// <param name="method">The wire name of the method.</param>
    /// <param name="position">The zero-based position of the parameter in the call.</param>
    /// <param name="name">The CLR parameter's name.</param>
    /// <param name="error">The mapping error.</param>
    public static Exception InvalidArgument(string method, int position, string? name, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new XmlRpcInvalidParamsException(string.Format(
            CultureInfo.InvariantCulture,
            "{0}() argument {1} ('{2}'): {3}",
            method,
            position + 1,
            name,
            error.Message));
    }

    /// <summary>Whether <paramref name="error"/> is a mapping failure that <see cref="InvalidArgument"/> reports (others propagate).</summary>
    public static bool IsMappingError(Exception error) =>
        error is XmlRpcMappingException or InvalidOperationException or OverflowException or FormatException;

    internal static bool TryGet(Type type, [NotNullWhen(true)] out Func<object, string?, IReadOnlyList<XmlRpcMethodDefinition>>? bind) =>
        Binders.TryGetValue(type, out bind);

    /// <summary>Python's way of listing names in a TypeError: <c>'a'</c>, <c>'a' and 'b'</c>, <c>'a', 'b', and 'c'</c>.</summary>
    private static string PythonList(List<string> names)
    {
        var quoted = names.Select(n => "'" + n + "'").ToList();
        if (quoted.Count == 1)
        {
            return quoted[0];
        }

        if (quoted.Count == 2)
        {
            return quoted[0] + " and " + quoted[1];
        }

        var text = new StringBuilder();
        text.AppendJoin(", ", quoted.Take(quoted.Count - 1));
        text.Append(", and ").Append(quoted[^1]);
        return text.ToString();
    }
}
