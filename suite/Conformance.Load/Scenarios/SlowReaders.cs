using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Conformance.Load.Scenarios;

/// <summary>
/// N connections each POST <c>make_string(16777216)</c> and then never read, for the hold period.
/// The client's receive buffer is fixed small (64 KiB) so the kernel cannot absorb the 16 MiB reply for us:
/// whatever the server keeps buffered shows in its RSS. Each socket's TCP state (TCP_INFO, nothing read) tells
/// whether and when the server dropped it. Then all are closed and RSS is measured again after the settle period.
/// </summary>
internal sealed class SlowReaders : IScenario
{
    private const int ReceiveBuffer = 64 * 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public string Name => "slow-readers";

    public string Summary => "N connections request make_string(16 MiB) and never read";

    public bool TargetsInParallel => false;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var result = context.Result;
        var body = RawHttp.Post(XmlRpcText.Call("make_string", 16 * 1024 * 1024), context.Port);
        var sockets = new Socket?[settings.SlowReaders];
        var dropped = new (double Seconds, PeerState How)?[settings.SlowReaders];
        var watch = Stopwatch.StartNew();
        try
        {
            await context.WithNormalClientAsync(async () =>
            {
                await Task.WhenAll(Enumerable.Range(0, sockets.Length).Select(async i =>
                {
                    try
                    {
                        var socket = await RawHttp.ConnectAsync(context.Port, settings.ConnectTimeout, context.Token, ReceiveBuffer);
                        sockets[i] = socket;
                        if (!await RawHttp.TrySendAsync(socket, body, context.Token))
                        {
                            dropped[i] = (watch.Elapsed.TotalSeconds, PeerState.Reset);
                        }
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                        // Left null: a connect that failed (CPython's listen backlog is 5).
                    }
                }));

                // Hold: never read, only look at each connection's TCP state.
                while (watch.Elapsed < settings.SlowReaderHold)
                {
                    for (var i = 0; i < sockets.Length; i++)
                    {
                        if (sockets[i] is { } s && dropped[i] is null && RawHttp.State(s) is PeerState.ClosedByPeer or PeerState.Reset)
                        {
                            dropped[i] = (watch.Elapsed.TotalSeconds, RawHttp.State(s));
                        }
                    }

                    await Task.Delay(PollInterval, context.Token);
                }
            });

            result.Fact("peak during hold MiB", context.Rss.PeakKb / 1024.0);
            result.Fact("RSS at end of hold MiB", context.Rss.SampleNow() / 1024.0);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }

        var connected = sockets.Count(s => s is not null);
        var drops = dropped.Where(d => d is not null).Select(d => d!.Value).ToArray();
        result.Fact("readers connected", connected);
        result.Fact("connect failed", sockets.Length - connected);
        result.Fact("dropped by server in hold", drops.Length);
        if (drops.Length > 0)
        {
            var times = drops.Select(d => d.Seconds).Order().ToArray();
            result.Fact("first drop s", times[0]);
            result.Fact("last drop s", times[^1]);
            result.Fact("drop kinds", string.Join(", ", drops.GroupBy(d => d.How).OrderBy(g => g.Key)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{(g.Key == PeerState.Reset ? "reset" : "FIN")} x{g.Count()}"))));
        }

        await context.SettleAsync(settings.SlowReaderSettle);
    }
}
