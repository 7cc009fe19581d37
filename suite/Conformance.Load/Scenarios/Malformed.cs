using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Load.Scenarios;

/// <summary>
/// Malformed HTTP framings, each on a fresh socket, recording the status, "reset", "closed, no response" or "no response".
/// Our server should answer 400 to every framing (never a 5xx, never a reset); the never-finished headers measure the header timeout.
/// The cases run one after another (CPython's server is single-threaded: the never-finished headers go last because they block it).
/// </summary>
internal sealed class Malformed : IScenario
{
    public const string HeaderTimeoutCase = "headers never finished";

    private const string Xml = "<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value><string>hi</string></value></param></params></methodCall>";

    public string Name => "malformed";

    public string Summary => "malformed framings on fresh sockets: exact status, reset or no response; header timeout";

    public bool TargetsInParallel => true;

    /// <summary>The framing cases the short-mode check holds our server to (all but the header timeout).</summary>
    public static IReadOnlyList<(string Name, Func<int, byte[]> Request, bool HalfClose)> Framings { get; } =
    [
        ("chunk size 80000000", port => Chunked(port, "80000000"), false),
        ("chunk size 7fffffff", port => Chunked(port, "7fffffff"), false),
        ("chunk size zz", port => Chunked(port, "zz"), false),
        ("body shorter than Content-Length, then SHUT_WR", port => Head(port, "Content-Length: 500", Xml[..50]), true),
        ("chunked body cut short, then SHUT_WR", port => Chunked(port, "1000"), true),
        ("Content-Length: +5", port => Head(port, "Content-Length: +5", "<?xml"), false),
        ("Content-Length: -1", port => Head(port, "Content-Length: -1", Xml), false),
        ("two different Content-Length", port => Head(port, string.Create(CultureInfo.InvariantCulture, $"Content-Length: {Xml.Length}\r\nContent-Length: {Xml.Length + 1}"), Xml), false),
    ];

    public async Task RunAsync(ScenarioContext context)
    {
        var result = context.Result;
        await context.WithNormalClientAsync(async () =>
        {
            foreach (var (name, request, halfClose) in Framings)
            {
                var outcome = await SendAsync(context, request(context.Port), halfClose, context.Settings.MalformedCaseTimeout);
                result.Code(name, outcome.Status, outcome.Describe());
            }

            // Headers never finished: the time until the server answers or closes, capped.
            var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:{context.Port}\r\nContent-Type: text/xml\r\n"));
            var hung = await SendAsync(context, header, halfClose: false, context.Settings.HeaderTimeoutCap);
            var text = hung.Kind == RawOutcome.NoResponseKind
                ? string.Create(CultureInfo.InvariantCulture, $"still open after {hung.Ms / 1000:0} s")
                : string.Create(CultureInfo.InvariantCulture, $"{hung.Describe()} after {hung.Ms / 1000:0.0} s");
            result.Fact(HeaderTimeoutCase, hung.Kind == RawOutcome.NoResponseKind ? null : hung.Ms / 1000, text);
        });
        result.SettledRssMiB = context.Rss.SampleNow() / 1024.0;
    }

    private static async Task<RawOutcome> SendAsync(ScenarioContext context, byte[] request, bool halfClose, TimeSpan timeout)
    {
        Socket socket;
        try
        {
            socket = await RawHttp.ConnectAsync(context.Port, context.Settings.ConnectTimeout, context.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return new RawOutcome("connect failed", null, 0, null);
        }

        using (socket)
        {
            var watch = Stopwatch.StartNew();
            if (!await RawHttp.TrySendAsync(socket, request, context.Token))
            {
                return new RawOutcome(RawOutcome.ResetKind, null, watch.Elapsed.TotalMilliseconds, null);
            }

            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            return await RawHttp.ReadStatusAsync(socket, timeout, context.Token, watch);
        }
    }

    private static byte[] Head(int port, string framing, string body) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/xml\r\n{framing}\r\n\r\n{body}"));

    // The chunk-size line and a little data, then nothing more: a server that trusts the size waits for gigabytes.
    private static byte[] Chunked(int port, string size) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n{Xml}"));
}
