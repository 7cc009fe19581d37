using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Load.Scenarios;

/// <summary>
/// M connections send request headers one byte every 1-2 s and never finish them. Meanwhile the normal client calls.
/// Counts the connections the server closed within the hold, when, and what it answered (e.g. 408) if anything.
/// </summary>
internal sealed class Slowloris : IScenario
{
    private static readonly byte[] Header = Encoding.ASCII.GetBytes("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nX-Slow: ");

    public string Name => "slowloris";

    public string Summary => "M connections dribbling request headers (1 byte / 1-2 s), never finished";

    public bool TargetsInParallel => false;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var watch = Stopwatch.StartNew();
        var closes = new List<(double Seconds, string How)>();
        var connectFailures = 0;
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(context.Token);
        await context.WithNormalClientAsync(async () =>
        {
            hold.CancelAfter(settings.SlowlorisHold);
            var tasks = Enumerable.Range(0, settings.SlowlorisConnections).Select(i => Task.Run(async () =>
            {
                var outcome = await DribbleAsync(context, i, hold.Token);
                lock (closes)
                {
                    if (outcome == "connect failed")
                    {
                        connectFailures++;
                    }
                    else if (outcome is not null)
                    {
                        closes.Add((watch.Elapsed.TotalSeconds, outcome));
                    }
                }
            }));
            await Task.WhenAll(tasks);
        });

        var result = context.Result;
        result.Fact("connections", settings.SlowlorisConnections - connectFailures);
        result.Fact("connect failed", connectFailures);
        result.Fact("closed by server in hold", closes.Count);
        if (closes.Count > 0)
        {
            var times = closes.Select(c => c.Seconds).Order().ToArray();
            result.Fact("first close s", times[0]);
            result.Fact("last close s", times[^1]);
            result.Fact("close kinds", string.Join(", ", closes.GroupBy(c => c.How).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} x{g.Count()}"))));
        }

        result.SettledRssMiB = context.Rss.SampleNow() / 1024.0;
    }

    /// <summary>Dribbles one connection until the hold ends; returns how the server ended it, "connect failed", or null (still open).</summary>
    private static async Task<string?> DribbleAsync(ScenarioContext context, int index, CancellationToken hold)
    {
        var random = new Random(index);
        Socket socket;
        try
        {
            socket = await RawHttp.ConnectAsync(context.Port, context.Settings.ConnectTimeout, hold);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return "connect failed";
        }

        using (socket)
        {
            var sent = 0;
            var buffer = new byte[1024];
            try
            {
                while (!hold.IsCancellationRequested)
                {
                    // Anything from the server (a 408, a close) ends this connection's story.
                    if (socket.Poll(0, SelectMode.SelectRead))
                    {
                        try
                        {
                            var n = socket.Receive(buffer);
                            if (n == 0)
                            {
                                return "closed";
                            }

                            var line = Encoding.Latin1.GetString(buffer, 0, n).Split('\n', 2)[0].TrimEnd('\r');
                            var parts = line.Split(' ');
                            return parts.Length >= 2 ? "answered " + parts[1] : "answered";
                        }
                        catch (SocketException)
                        {
                            return "reset";
                        }
                    }

                    var next = sent < Header.Length ? Header[sent] : (byte)'a';
                    if (!await RawHttp.TrySendAsync(socket, new[] { next }, hold))
                    {
                        return RawHttp.State(socket) == PeerState.ClosedByPeer ? "closed" : "reset";
                    }

                    sent++;
                    await Task.Delay(TimeSpan.FromMilliseconds(1000 + random.Next(1000)), hold);
                }
            }
            catch (OperationCanceledException)
            {
                // Hold over.
            }

            return null;
        }
    }
}
