using System.Reflection;
using Conformance.Catalog;
using Conformance.Peers;
using Conformance.Tests.Peers;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Conformance.Tests.Interop;

/// <summary>Maps a test class to its direction: the one-line subclasses are named after the directions.</summary>
public static class InteropDirections
{
    /// <summary>The peer argument of rows that involve no Python (C# → C#).</summary>
    public const string CSharpPeer = "csharp";

    /// <summary>The peer argument of the one row left when no Python peer could be found.</summary>
    public const string NoPeer = "none";

    /// <summary>The direction named by <paramref name="testClass"/>: <c>CSharpClientToPythonServer</c>, <c>PythonClientToCSharpServer</c> or <c>CSharpClientToCSharpServer</c>.</summary>
    /// <exception cref="InvalidOperationException">The class is named after no direction.</exception>
    public static InteropDirection Of(Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        return Enum.TryParse<InteropDirection>(testClass.Name, out var d)
            ? d
            : throw new InvalidOperationException($"{testClass.FullName}: an interop test class is named after its direction ({string.Join(", ", Enum.GetNames<InteropDirection>())})");
    }

    /// <summary>The row label: who calls whom.</summary>
    public static string Label(InteropDirection direction, string peer) => direction switch
    {
        InteropDirection.CSharpClientToPythonServer => $"C# → {peer}",
        InteropDirection.PythonClientToCSharpServer => $"{peer} → C#",
        _ => "C# → C#",
    };

    /// <summary>The peer keys a direction's rows run against (one pseudo-peer for C# → C#).</summary>
    public static IReadOnlyList<string> Peers(InteropDirection direction)
    {
        if (direction == InteropDirection.CSharpClientToCSharpServer)
        {
            return [CSharpPeer];
        }

        var runtimes = PeerEnvironment.Current.Runtimes;
        return runtimes.Count > 0 ? [.. runtimes.Select(r => r.Key)] : [NoPeer];
    }
}

/// <summary>
/// Theory rows: every live catalog case of <see cref="Shape"/> × every peer of the test class's direction.
/// Display name <c>value.int.max [C# → cpython-3.11.7 process]</c>; arguments (case id, peer key).
/// </summary>
/// <param name="shape">Which live cases.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InteropCasesAttribute(CaseShape shape) : DataAttribute
{
    /// <summary>The live shape of the rows' cases.</summary>
    public CaseShape Shape { get; } = shape;

    /// <inheritdoc/>
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var direction = InteropDirections.Of(testMethod.ReflectedType!);
        var rows = new List<ITheoryDataRow>();
        foreach (var liveCase in InteropCatalog.LiveCases(Shape))
        {
            foreach (var peer in InteropDirections.Peers(direction))
            {
                rows.Add(new TheoryDataRow<string, string>(liveCase.Id, peer)
                {
                    TestDisplayName = liveCase.Id,
                    Label = InteropDirections.Label(direction, peer),
                });
            }
        }

        return new(rows);
    }

    /// <inheritdoc/>
    public override bool SupportsDiscoveryEnumeration() => true;
}

/// <summary>Theory rows: one per peer of the test class's direction (argument: the peer key).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InteropPeersAttribute : DataAttribute
{
    /// <inheritdoc/>
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var direction = InteropDirections.Of(testMethod.ReflectedType!);
        var rows = InteropDirections.Peers(direction)
            .Select(peer => (ITheoryDataRow)new TheoryDataRow<string>(peer) { Label = InteropDirections.Label(direction, peer) })
            .ToList();
        return new(rows);
    }

    /// <inheritdoc/>
    public override bool SupportsDiscoveryEnumeration() => true;
}
