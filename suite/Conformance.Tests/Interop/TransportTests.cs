using Conformance.Catalog;
using Conformance.Tests.Peers;
using Xunit;

namespace Conformance.Tests.Interop.Transport;

/// <summary>
/// Every catalog case with an <c>http</c> shape: raw HTTP/1.0 exchanges a client library would never send
/// (the C# side writes them on a plain TCP socket; client.py uses the same bytes).
/// </summary>
public abstract class TransportTests(PeerFixture peers, ITestOutputHelper output) : InteropTests(peers, output)
{
    [Theory, InteropCases(CaseShape.Http)]
    public Task ExchangeMeetsTheCatalog(string caseId, string peer) => CheckCaseAsync(caseId, peer);
}

/// <summary>Raw TCP → CPython <c>server.py</c>.</summary>
public sealed class CSharpClientToPythonServer(PeerFixture peers, ITestOutputHelper output) : TransportTests(peers, output);

/// <summary>CPython <c>client.py</c>'s raw exchange → C# server.</summary>
public sealed class PythonClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : TransportTests(peers, output);

/// <summary>Raw TCP → C# server (baseline).</summary>
public sealed class CSharpClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : TransportTests(peers, output);
