using Conformance.Catalog;
using Conformance.Tests.Peers;
using Xunit;

namespace Conformance.Tests.Interop.MultiCall;

/// <summary>Every catalog case with a <c>multicall</c>: one <c>system.multicall</c> request, results per sub-call.</summary>
public abstract class MultiCallTests(PeerFixture peers, ITestOutputHelper output) : InteropTests(peers, output)
{
    [Theory, InteropCases(CaseShape.Multicall)]
    public Task MultiCallMeetsTheCatalog(string caseId, string peer) => CheckCaseAsync(caseId, peer);
}

/// <summary>C# client → CPython <c>server.py</c>.</summary>
public sealed class CSharpClientToPythonServer(PeerFixture peers, ITestOutputHelper output) : MultiCallTests(peers, output);

/// <summary>CPython <c>client.py</c> → C# server.</summary>
public sealed class PythonClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : MultiCallTests(peers, output);

/// <summary>C# client → C# server (baseline).</summary>
public sealed class CSharpClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : MultiCallTests(peers, output);
