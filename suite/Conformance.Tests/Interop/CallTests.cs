using Conformance.Catalog;
using Conformance.Tests.Peers;
using Xunit;

namespace Conformance.Tests.Interop.Calls;

/// <summary>Every catalog case with a <c>call</c>: values, faults, messages, introspection, validator1.</summary>
/// <remarks>For <c>echo</c> with one param, the receiver's <c>describe</c> of the value must be the expected model too.</remarks>
public abstract class CallTests(PeerFixture peers, ITestOutputHelper output) : InteropTests(peers, output)
{
    [Theory, InteropCases(CaseShape.Call)]
    public Task CallMeetsTheCatalog(string caseId, string peer) => CheckCaseAsync(caseId, peer);
}

/// <summary>C# client → CPython <c>server.py</c>.</summary>
public sealed class CSharpClientToPythonServer(PeerFixture peers, ITestOutputHelper output) : CallTests(peers, output);

/// <summary>CPython <c>client.py</c> → C# server.</summary>
public sealed class PythonClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : CallTests(peers, output);

/// <summary>C# client → C# server (baseline).</summary>
public sealed class CSharpClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : CallTests(peers, output);
