namespace Conformance.Peers;

/// <summary>A Python peer: an interpreter playing one role, hosted as a process or a container.</summary>
public interface IPeer : IAsyncDisposable
{
    /// <summary>Server or client.</summary>
    PeerRole Role { get; }

    /// <summary>Process or container.</summary>
    PeerHosting Hosting { get; }

    /// <summary>
    /// Who the peer is. For a started server: what its ready line said. For a client: what discovery
    /// found (the interpreter's own answer for processes, the image's declaration for containers) until a
    /// run's start line says more.
    /// </summary>
    PeerIdentity Identity { get; }

    /// <summary>Where it runs: the interpreter path or the image name.</summary>
    string Source { get; }

    /// <summary>Label for test names and logs: <c>cpython-3.11.7 process</c>.</summary>
    string DisplayName { get; }
}

/// <summary>A running <c>server.py</c>.</summary>
public interface IServerPeer : IPeer
{
    /// <summary>The XML-RPC endpoint, e.g. <c>http://127.0.0.1:40123/RPC2</c>.</summary>
    Uri Url { get; }

    /// <summary>The base address (scheme, host, port) for raw HTTP exchanges.</summary>
    Uri BaseAddress => new(Url.GetLeftPart(UriPartial.Authority) + "/");
}

/// <summary><c>client.py</c>, ready to run against a server.</summary>
public interface IClientPeer : IPeer
{
    /// <summary>
    /// Runs <c>client.py --url <paramref name="url"/></c> (with <c>--case</c> for each glob, all live cases
    /// when there is none) and streams the lines it prints until it exits. Each call is a new process or
    /// container; it is stopped if <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="PeerException">The peer could not start, or exited non-zero without a summary line.</exception>
    IAsyncEnumerable<PeerLine> RunAsync(Uri url, IReadOnlyList<string>? caseGlobs, CancellationToken cancellationToken);
}
