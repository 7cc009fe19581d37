namespace Conformance.Cli.Running;

/// <summary>
/// The foreign peers of <c>suite/foreign-peers/</c> (<c>--foreign</c>): XML-RPC libraries of other ecosystems, each as a
/// server (our client against it) and as a client of the peer contract (against our server).
/// </summary>
/// <param name="Name">The <c>--foreign</c> name and the cells' suffix: <c>live.cs-to-NAME</c>, <c>live.NAME-to-cs</c>.</param>
/// <param name="Server">The server's program and arguments (<c>{dir}</c>: <c>suite/foreign-peers/</c>); it prints a ready line.</param>
/// <param name="Client">The client's shell command (<c>{dir}</c> as above; <c>{url}</c>: our server).</param>
/// <param name="Built">A file that exists once <c>install.sh</c> has built the peer.</param>
public sealed record ForeignPeer(string Name, IReadOnlyList<string> Server, string Client, string Built)
{
    /// <summary>Every foreign peer, by <c>--foreign</c> name.</summary>
    public static IReadOnlyList<ForeignPeer> All { get; } =
    [
        new("xmlrpc-c", ["{dir}/xmlrpc-c/bin/server"], "python3 '{dir}/xmlrpc-c/client.py' --url {url}", "xmlrpc-c/bin/client"),
        new("node", ["node", "{dir}/node/server.js"], "node '{dir}/node/client.js' --url {url}", "node/node_modules/xmlrpc/package.json"),
    ];

    /// <summary>The peer named <paramref name="name"/>, or null.</summary>
    public static ForeignPeer? Named(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>The folder of the foreign peers in the checkout that holds <paramref name="fixturesDirectory"/>.</summary>
    public static string Folder(string fixturesDirectory) => Path.Combine(FixturesLocator.RootOf(fixturesDirectory), "suite", "foreign-peers");

    /// <summary>The client's command line for <c>--client-command</c> machinery (<c>{url}</c> left in place).</summary>
    public string ClientCommand(string folder) => Client.Replace("{dir}", folder, StringComparison.Ordinal);

    /// <summary>Starts the server on a free loopback port and waits for its ready line.</summary>
    /// <exception cref="InvalidOperationException">It is not built, did not start, or printed no ready line in time.</exception>
    public async Task<ServerProcess> StartAsync(string folder, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(folder, Built)))
        {
            throw new InvalidOperationException($"{Name} is not built: run bash suite/foreign-peers/install.sh");
        }

        var command = Server.Select(a => a.Replace("{dir}", folder, StringComparison.Ordinal)).ToList();
        return await ServerProcess.StartAsync(Name, command, folder, lifetime, cancellationToken).ConfigureAwait(false);
    }
}
