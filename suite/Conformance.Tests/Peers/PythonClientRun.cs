using Conformance.Peers;

namespace Conformance.Tests.Peers;

/// <summary>What one <c>client.py</c> run printed: its start line, one line per case, its summary.</summary>
public sealed class PythonClientRun
{
    private PythonClientRun(PeerIdentity identity, PeerLine? start, IReadOnlyDictionary<string, PeerLine> cases, PeerLine? summary, IReadOnlyList<string> other)
    {
        Identity = identity;
        Start = start;
        Cases = cases;
        Summary = summary;
        OtherLines = other;
    }

    /// <summary>The client's identity (its start line).</summary>
    public PeerIdentity Identity { get; }

    /// <summary>The start line.</summary>
    public PeerLine? Start { get; }

    /// <summary>Case id → its result line.</summary>
    public IReadOnlyDictionary<string, PeerLine> Cases { get; }

    /// <summary>The summary line.</summary>
    public PeerLine? Summary { get; }

    /// <summary>Lines that are neither events nor case results (diagnostics).</summary>
    public IReadOnlyList<string> OtherLines { get; }

    /// <summary>Runs <paramref name="client"/> against <paramref name="url"/> with all live cases and collects its lines.</summary>
    public static async Task<PythonClientRun> CollectAsync(IClientPeer client, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        PeerLine? start = null;
        PeerLine? summary = null;
        var cases = new Dictionary<string, PeerLine>(StringComparer.Ordinal);
        var other = new List<string>();
        await foreach (var line in client.RunAsync(url, null, cancellationToken).ConfigureAwait(false))
        {
            switch (line.Event)
            {
                case "start":
                    start = line;
                    break;
                case "summary":
                    summary = line;
                    break;
                default:
                    if (line.Case is { } id)
                    {
                        cases[id] = line;
                    }
                    else
                    {
                        other.Add(line.Text);
                    }

                    break;
            }
        }

        var identity = start?.Json is { } json ? PeerIdentity.FromJson(json, client.Identity) : client.Identity;
        return new PythonClientRun(identity, start, cases, summary, other);
    }
}
