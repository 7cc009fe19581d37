using System.Reflection;
using Conformance.Peers;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Conformance.Tests.Peers;

/// <summary>One theory row per peer runtime of this run (argument: the runtime key, also the row's label).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PeerRuntimesAttribute : DataAttribute
{
    /// <inheritdoc/>
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        var rows = PeerEnvironment.Current.Runtimes
            .Select(r => (ITheoryDataRow)new TheoryDataRow<string>(r.Key) { Label = r.Key })
            .ToList();
        return new(rows);
    }

    /// <inheritdoc/>
    public override bool SupportsDiscoveryEnumeration() => true;
}
