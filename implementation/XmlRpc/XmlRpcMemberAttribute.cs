namespace XmlRpc;

/// <summary>Names the struct member a property, field or constructor parameter maps to (<see cref="XmlRpcSerializer"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class XmlRpcMemberAttribute : Attribute
{
    /// <summary>Maps to the struct member <paramref name="name"/>.</summary>
    public XmlRpcMemberAttribute(string name)
    {
        Name = name;
    }

    /// <summary>Keeps the .NET name; use to set <see cref="Optional"/> only.</summary>
    public XmlRpcMemberAttribute()
    {
    }

    /// <summary>The struct member name (null: the .NET name).</summary>
    public string? Name { get; }

    /// <summary>The member may be absent from the struct when reading (nullable members and parameters with defaults are optional anyway).</summary>
    public bool Optional { get; set; }
}

/// <summary>Leaves a property or field out of the struct (<see cref="XmlRpcSerializer"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class XmlRpcIgnoreAttribute : Attribute
{
}

/// <summary>Options of <see cref="XmlRpcSerializer"/>.</summary>
public sealed record XmlRpcSerializerOptions
{
    /// <summary>The defaults.</summary>
    public static XmlRpcSerializerOptions Default { get; } = new();

    /// <summary>Leave out struct members whose value is null instead of writing nil. Default false (CPython writes <c>None</c> as <c>&lt;nil/&gt;</c>).</summary>
    public bool IgnoreNullMembers { get; init; }

    /// <summary>
    /// Map a 64-bit integer outside the 32-bit range to <see cref="XmlRpcValueKind.I8"/> (the formatter then writes it
    /// only with <see cref="XmlRpcInt64Tag.I8"/>). When false such a value is refused at mapping time, like CPython's
    /// <c>OverflowError</c>. Default true.
    /// </summary>
    public bool AllowInt64 { get; init; } = true;

    /// <summary>The deepest nesting mapped (default 64).</summary>
    /// <remarks>Mapping recurses once per level. With a raised limit, a value too deep for the thread's stack is still refused with <see cref="XmlRpcMappingException"/> (checked with <c>RuntimeHelpers.TryEnsureSufficientExecutionStack</c>), never a process crash.</remarks>
    public int MaxDepth { get; init; } = 64;
}
