using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using XmlRpc.Server.Internal;

namespace XmlRpc.Server;

/// <summary>The methods a server offers, by exact wire name.</summary>
/// <remarks>
/// <para>Names are matched exactly (ordinal, case-sensitive), as CPython's <c>self.funcs[method]</c>. Dotted
/// names are plain names here: <c>Add("nested.echo", ...)</c> registers that one string; nothing is ever
/// resolved by walking members from a wire name (CPython's <c>allow_dotted_names</c> hole, CVE-2005-0089).</para>
/// <para>The <c>system.*</c> methods (<c>listMethods</c>, <c>methodHelp</c>, <c>methodSignature</c>,
/// <c>multicall</c>) are provided by <see cref="XmlRpcDispatcher"/>; registering one of those names replaces it.</para>
/// </remarks>
public sealed class XmlRpcMethodRegistry
{
    private readonly Dictionary<string, XmlRpcMethodDefinition> _methods = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The registered methods (a snapshot).</summary>
    public IReadOnlyCollection<XmlRpcMethodDefinition> Methods
    {
        get
        {
            lock (_lock)
            {
                return [.. _methods.Values];
            }
        }
    }

    /// <summary>Registers a method with a raw body (no reflection: trimming- and AOT-safe).</summary>
    /// <param name="method">The method.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">A method of that name is already registered.</exception>
    public XmlRpcMethodRegistry Add(XmlRpcMethodDefinition method)
    {
        ArgumentNullException.ThrowIfNull(method);
        lock (_lock)
        {
            if (!_methods.TryAdd(method.Name, method))
            {
                throw new ArgumentException($"An XML-RPC method named '{method.Name}' is already registered.", nameof(method));
            }
        }

        return this;
    }

    /// <summary>Registers a raw body under <paramref name="name"/> (no reflection: trimming- and AOT-safe).</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="handler">The body.</param>
    /// <param name="help">The <c>system.methodHelp</c> text.</param>
    /// <param name="signatures">The <c>system.methodSignature</c> signatures.</param>
    /// <returns>This registry.</returns>
    public XmlRpcMethodRegistry Add(string name, XmlRpcMethodHandler handler, string? help = null, IReadOnlyList<IReadOnlyList<string>>? signatures = null) =>
        Add(new XmlRpcMethodDefinition(name, handler, help, signatures));

    /// <summary>Registers a delegate under <paramref name="name"/>; its parameters bind by position through the CLR mapping.</summary>
    /// <param name="name">The wire name (dots allowed).</param>
    /// <param name="handler">
    /// Any delegate: parameters of <see cref="XmlRpcValue"/> or mapped CLR types, an optional <see cref="CancellationToken"/>,
    /// an optional trailing <c>params T[]</c>; the result a value, <see cref="Task"/>/<see cref="Task{TResult}"/>,
    /// <see cref="ValueTask"/>/<see cref="ValueTask{TResult}"/> or <c>void</c> (which answers nil).
    /// </param>
    /// <param name="help">The <c>system.methodHelp</c> text; by default the method's <see cref="XmlRpcHelpAttribute"/> or <see cref="System.ComponentModel.DescriptionAttribute"/>.</param>
    /// <returns>This registry.</returns>
    [RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
    [RequiresDynamicCode("Parameters and results are mapped to and from CLR types by reflection.")]
    public XmlRpcMethodRegistry Add(string name, Delegate handler, string? help = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(CreateDefinition(name, handler.Method, handler.Target, help));
    }

    /// <summary>
    /// Registers the public instance methods of <paramref name="instance"/>: only those marked <see cref="XmlRpcMethodAttribute"/>
    /// (on the method or on the interface method it implements) when any is, otherwise every public method declared by <typeparamref name="T"/> and its base types except <see cref="object"/>'s.
    /// </summary>
    /// <typeparam name="T">The type whose methods are offered (an interface limits them to its contract).</typeparam>
    /// <param name="instance">The object the calls go to.</param>
    /// <param name="prefix">Prefix of the wire names: <c>"math"</c> makes <c>math.Add</c>; null for none.</param>
    /// <returns>This registry.</returns>
    /// <remarks>The wire name is <see cref="XmlRpcMethodAttribute.Name"/> or the CLR method name. Methods are enumerated
    /// once, here; a wire name can only ever reach a method registered by this call. A class whose marked methods the
    /// XmlRpcWire source generator bound at compile time (<see cref="XmlRpcGeneratedBindings"/>) is registered through
    /// that binding, without reflection; every other type by reflection.</remarks>
    [RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
    [RequiresDynamicCode("Parameters and results are mapped to and from CLR types by reflection.")]
    public XmlRpcMethodRegistry AddInstance<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.Interfaces)] T>(T instance, string? prefix = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (XmlRpcGeneratedBindings.TryGet(typeof(T), out var bind))
        {
            foreach (var definition in bind(instance, prefix))
            {
                Add(definition);
            }

            return this;
        }

        return AddInstanceByReflection(instance, prefix);
    }

    /// <summary>The reflection binding of <see cref="AddInstance{T}(T, string?)"/>, also for a type that has a generated one.</summary>
    [RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
    [RequiresDynamicCode("Parameters and results are mapped to and from CLR types by reflection.")]
    internal XmlRpcMethodRegistry AddInstanceByReflection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.Interfaces)] T>(T instance, string? prefix)
        where T : class
    {
        var candidates = typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName && m.DeclaringType != typeof(object) && !m.IsGenericMethodDefinition)
            .ToList();
        if (typeof(T).IsInterface)
        {
            candidates.AddRange(typeof(T).GetInterfaces().SelectMany(i => i.GetMethods()).Where(m => !m.IsSpecialName));
        }

        var attributes = candidates.ToDictionary(m => m, m => m.GetCustomAttribute<XmlRpcMethodAttribute>(inherit: true));
        if (!typeof(T).IsInterface)
        {
            // The attributes of the interface methods a class implements count as its own: one marked interface serves
            // the client's proxy and the server's registration alike.
            foreach (var contract in typeof(T).GetInterfaces())
            {
                var map = typeof(T).GetInterfaceMap(contract);
                for (var i = 0; i < map.TargetMethods.Length; i++)
                {
                    if (attributes.TryGetValue(map.TargetMethods[i], out var own) && own is null)
                    {
                        attributes[map.TargetMethods[i]] = map.InterfaceMethods[i].GetCustomAttribute<XmlRpcMethodAttribute>(inherit: true);
                    }
                }
            }
        }

        var marked = candidates.Where(m => attributes[m] is not null).ToList();
        foreach (var method in marked.Count > 0 ? marked : candidates)
        {
            var name = attributes[method]?.Name ?? method.Name;
            Add(CreateDefinition(prefix is null ? name : prefix + "." + name, method, instance, help: null));
        }

        return this;
    }

    /// <summary>Removes a method.</summary>
    /// <param name="name">The wire name.</param>
    /// <returns>True when it was registered.</returns>
    public bool Remove(string name)
    {
        lock (_lock)
        {
            return _methods.Remove(name);
        }
    }

    /// <summary>Looks a method up by its exact wire name.</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="method">The method, when registered.</param>
    /// <returns>True when registered.</returns>
    public bool TryGetMethod(string name, [NotNullWhen(true)] out XmlRpcMethodDefinition? method)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _methods.TryGetValue(name, out method);
        }
    }

    [RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
    [RequiresDynamicCode("Parameters and results are mapped to and from CLR types by reflection.")]
    private static XmlRpcMethodDefinition CreateDefinition(string name, MethodInfo method, object? target, string? help)
    {
        var binder = new MethodBinder(name, method, target);
        return new XmlRpcMethodDefinition(name, binder.InvokeAsync, help ?? binder.Help, binder.Signatures);
    }
}
