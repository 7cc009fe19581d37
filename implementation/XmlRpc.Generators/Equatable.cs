using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace XmlRpc.Generators;

/// <summary>An immutable array compared by its items, so the incremental pipeline can cache what it carries.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>
    where T : IEquatable<T>
{
    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => Items.Aggregate(17, (hash, item) => (hash * 31) + item.GetHashCode());
}

/// <summary>A diagnostic to report, kept as plain values (a <see cref="Location"/> would pin the whole compilation).</summary>
internal sealed record DiagnosticInfo(string Id, string Message, string? FilePath, TextSpan Span, LinePositionSpan Lines)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, ISymbol symbol, string message)
    {
        var location = symbol.Locations.FirstOrDefault(l => l.IsInSource);
        return new DiagnosticInfo(descriptor.Id, message, location?.SourceTree?.FilePath, location?.SourceSpan ?? default, location?.GetLineSpan().Span ?? default);
    }

    public Diagnostic ToDiagnostic()
    {
        var descriptor = Id == Diagnostics.ProxyFallback.Id ? Diagnostics.ProxyFallback : Diagnostics.ServerFallback;
        var location = FilePath is null ? Location.None : Location.Create(FilePath, Span, Lines);
        return Diagnostic.Create(descriptor, location, Message);
    }
}

/// <summary>What one contract produced: a source file (or none) and the diagnostics about it.</summary>
internal sealed record GenerationResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The analyzer diagnostics of the generator.</summary>
internal static class Diagnostics
{
    public static readonly DiagnosticDescriptor ServerFallback = new(
        "XRPC001",
        "XML-RPC server methods bound by reflection",
        "{0}",
        "XmlRpcWire",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The source generator could not bind this class's [XmlRpcMethod] methods at compile time, so XmlRpcMethodRegistry.AddInstance<T> binds them by reflection (XmlRpcSerializer), which trimming and Native AOT cannot guarantee. Use the types the generator maps, or suppress this warning where reflection is acceptable.");

    public static readonly DiagnosticDescriptor ProxyFallback = new(
        "XRPC002",
        "XML-RPC client proxy created by reflection",
        "{0}",
        "XmlRpcWire",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The source generator could not write a proxy for this [XmlRpcMethod] interface, so XmlRpcClient.CreateProxy<T> uses DispatchProxy and XmlRpcSerializer (reflection), which trimming and Native AOT cannot guarantee. Use the types the generator maps, or suppress this warning where reflection is acceptable.");
}
