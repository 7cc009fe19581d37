namespace Conformance.Peers;

/// <summary>Which half of an XML-RPC exchange a peer plays.</summary>
public enum PeerRole
{
    /// <summary><c>python-peers/server.py</c>: the conformance service on a loopback port.</summary>
    Server,

    /// <summary><c>python-peers/client.py</c>: runs the catalog's live cases against a URL.</summary>
    Client,
}

/// <summary>How a peer is hosted.</summary>
public enum PeerHosting
{
    /// <summary>A local interpreter started as a child process.</summary>
    Process,

    /// <summary>A container started through Testcontainers (host networking).</summary>
    Docker,
}
